/**
 * Direct difference target propagation (Meulemans, Carzaniga, Suykens, Sacramento & Grewe 2020,
 * NeurIPS, §4): every hidden population j receives its target straight from the output through its
 * own learned decoder g_j (network/direct-decoder.ts),
 *   ĥ_j = h_j + g_j(ô) − g_j(o),  o = log p,  ô = o − η̂·∂Loss/∂a_out,
 * with g_j linear ('ddtp-linear') or tanh ('ddtp-tanh'), trained by the difference reconstruction
 * loss on direct connections, then each population learns from its layer loss ‖h_j − ĥ_j‖².
 */
import { DirectDecoderPathway } from '../network/direct-decoder';
import { differenceTargetPropagation } from './dtp';
import { Rule } from './rule';
import { projectOption, TargetPropagationSpec, targetPropagationUses, topStepFor } from './target-propagation';

export function directDifferenceTargetPropagation(spec: TargetPropagationSpec, linear: boolean): Rule {
  const name = linear ? 'ddtp-linear' : 'ddtp-tanh';
  const kind = linear ? 'direct-decoder-linear' : 'direct-decoder-tanh';
  const direct = (pathway: unknown): DirectDecoderPathway<typeof kind> => {
    if (!(pathway instanceof DirectDecoderPathway) || pathway.kind !== kind) throw new Error(`rule ${name} needs ${kind} pathways`);
    return pathway as DirectDecoderPathway<typeof kind>;
  };
  return {
    ...differenceTargetPropagation(spec),
    name,
    summary: `ĥ_j = h_j + g_j(ô) − g_j(o), ô = o − η̂ ∂L/∂a_out, g_j ${linear ? 'linear' : 'tanh'} from the output — DDTP, Meulemans et al. 2020`,
    uses: { ...targetPropagationUses, outputGradient: false, globalError: true },
    options: [projectOption],
    feedback: kind,
    readoutFeedback: kind,
    fromReadout(pathway, readout, top, rows) {
      direct(pathway).sendTargetDifference(rows, readout.activity, readout.delta, topStepFor(spec, rows), top.topDown);
    },
    top() {
      // topDown already holds ĥ_L − h_L.
    },
    descend(pathway, _above, below, rows, readout) {
      direct(pathway).sendTargetDifference(rows, readout.activity, readout.delta, topStepFor(spec, rows), below.topDown);
    },
  };
}
