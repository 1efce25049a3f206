/**
 * Difference target propagation with spiking populations and top-down currents (the target
 * formation; the phases are the populations' clock, network/spiking-phases.ts).
 *
 * A trial presents one image to the spiking populations in a forward phase and then in target
 * phase(s), in which each hidden population receives an apical current proportional to the
 * difference between its target and its forward rate, va_l = κ · (ĥ_l − h_l) · (Vt − El), with
 * targets made as in DTP (Lee et al. 2015) from spike-count rates:
 *    ĥ_L = h_L − η̂ · ∂loss/∂h_L          (softmax read-out of h_L, cross-entropy of one trial),
 *    ĥ_{l−1} = h_{l−1} + g_l(ĥ_l) − g_l(h_l),   g_l(h) = sigmoid(h V_l + c_l)  (network/rate-decoder.ts).
 * Each layer then learns locally from the difference between its own rates in the two phases,
 *    ΔW_l ∝ h_{l−1}ᵀ (h_l^target-phase − h_l^forward),  Δb_l ∝ (h_l^t − h_l^f),
 * which, since the apical current moves the rate along the neuron's f–I curve, is the DTP layer
 * loss's gradient ‖f(h_{l−1}W_l) − ĥ_l‖² with the neuron's own slope f′ in place of a derivative.
 * This is the apical-dendrite picture of Bengio (2014) and of Guerguiev, Lillicrap & Richards
 * (2017): the target arrives at a separate compartment and the plasticity is local.
 * The read-out (a softmax over h_L) learns by its ordinary gradient, as DTP's top layer does. On
 * MNIST a small top step (0.5) works best: with η̂ = 2 the targets of misclassified digits leave the
 * rates' range and the target phase saturates the neurons (RESULTS.md).
 */
import { kernels } from '../kernels';
import { RateDecoderPathway } from '../network/rate-decoder';
import { Rule } from './rule';
import { targetPropagationUses, topStepFor } from './target-propagation';

/**
 * Spiking DTP's target formation, in the seam every rule fills (rule.ts): at h_L the read-out's
 * gradient ∂loss/∂h_L of the batch-mean loss arrives as topDown, so one trial's is rows·topDown and
 * ĥ_L = h_L − η̂·rows·topDown (each trial's own loss: topGradient 'example', target-propagation.ts);
 * each decoder pathway sends ĥ_{l−1} = h_{l−1} + g_l(ĥ_l) − g_l(h_l).
 * A population forms no delta when it receives its target: it settles under it, and its rate
 * change is what it learns from (network/population-clock.ts).
 */
export function spikingDifferenceTargetPropagation(topStep: number): Rule {
  return {
    name: 'spiking-dtp',
    summary: 'ĥ_{l−1} = h_{l−1} + g_l(ĥ_l) − g_l(h_l) on spike-count rates, targets as apical currents, ΔW_l ∝ h_{l−1}ᵀ(h_l^target − h_l) — spiking DTP',
    uses: { ...targetPropagationUses, derivativeChain: false },
    feedback: 'rate-decoder',
    top(at, rows) {
      kernels().axpby(rows * at.size, -topStepFor({ topStep, topGradient: 'example' }, rows), at.topDown, 1, at.activity, at.target);
    },
    receive() {
      // The target is formed; the delta comes from the target phase.
    },
    descend(pathway, above, below, rows) {
      if (!(pathway instanceof RateDecoderPathway)) throw new Error(`rule spiking-dtp needs rate-decoder pathways, got ${pathway.kind}`);
      pathway.sendTarget(rows, above.target, above.activity, below.activity, below.target);
    },
    silenced(at, rows) {
      at.target.set(at.activity.subarray(0, rows * at.size));
    },
  };
}
