/**
 * DTP with decoders trained by the difference reconstruction loss (Meulemans, Carzaniga, Suykens,
 * Sacramento & Grewe 2020, NeurIPS, §4, "DRL"): the targets are DTP's,
 *   ĥ_L = h_L − η̂ ∂Loss/∂h_L,  ĥ_{l−1} = h_{l−1} + g_l(ĥ_l) − g_l(h_l),
 * but each decoder g_i learns so that a perturbation of h_{i−1}, propagated up to h_L and back down
 * as a DTP target through every decoder above, comes back as itself (drl-probes.ts):
 *   L_i = mean ‖(g_i(t_i) − g_i(h_i)) − ε‖².
 * This makes the propagated targets approximate Gauss-Newton targets even where the layers are not
 * invertible, which plain DTP's one-layer reconstruction loss does not.
 */
import { differenceReconstructionProbe } from './drl-probes';
import { differenceTargetPropagation } from './dtp';
import { Rule } from './rule';
import { decoderChainOptions, TargetPropagationSpec } from './target-propagation';

export function differenceReconstructionTargetPropagation(spec: TargetPropagationSpec): Rule {
  return {
    ...differenceTargetPropagation(spec),
    name: 'drl',
    summary: 'DTP targets; decoders trained by the difference reconstruction loss through every layer above — DRL, Meulemans et al. 2020',
    // DTP's options but the auto-encoder objective, which rides on the one-layer probes DRL replaces.
    options: decoderChainOptions,
    // Decoders between hidden populations (and the read-out's decoder, when the top target is
    // decoded from the output) learn through every layer above; the input decoder g_1 (for
    // recordings) keeps its one-layer probe.
    probes: (network, l) => {
      const learnsDifference = l >= 2 && (l < network.readout.index || network.readoutFeedback.kind === 'output-decoder');
      return learnsDifference ? [differenceReconstructionProbe(network, l)] : undefined;
    },
  };
}
