/**
 * Target propagation without the difference correction (Bengio 2014; Lee et al. 2015, eq. 9):
 *   ĥ_L = h_L − η̂ ∂Loss/∂h_L,  ĥ_{l−1} = g_l(ĥ_l),
 * with the layer losses and decoders of DTP. Imperfect decoders bias every target by their
 * reconstruction error, which is what DTP's difference term removes.
 */
import { kernels } from '../kernels';
import { layerLossDelta } from './layer-loss';
import { expectPathway, Rule } from './rule';
import { probeNoiseSchedule, targetPropagationUses, TargetPropagationSpec, topStepFor } from './target-propagation';

export function targetPropagation(spec: TargetPropagationSpec): Rule {
  return {
    name: 'tp',
    summary: 'ĥ_{l−1} = g_l(ĥ_l), ĥ_L = h_L − η̂ ∂L/∂h_L — target propagation, Bengio 2014',
    uses: targetPropagationUses,
    feedback: 'decoder',
    probeNoise: probeNoiseSchedule(spec),
    top(at, rows) {
      // The top signal is the target itself.
      kernels().axpby(rows * at.size, 1, at.activity, -topStepFor(spec, rows), at.topDown, at.topDown);
    },
    receive(at, rows) {
      at.target.set(at.topDown.subarray(0, rows * at.size));
      layerLossDelta(at, rows);
    },
    descend(pathway, above, below, rows) {
      expectPathway('tp', pathway, 'decoder').decode(rows, above.target, below.topDown);
    },
  };
}
