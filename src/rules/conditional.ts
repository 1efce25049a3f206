/**
 * Conditional decoders, the seed paper's own proposal (Bengio 2014, arXiv 1407.7906, §9): the top
 * feedback pathway is an auto-encoder's decoder that also takes side information s — the one-hot
 * label by default, or any vector per example the experiment supplies (data.side) — besides the
 * top activity (the read-out's probabilities p), and its reconstruction is the top hidden target,
 *   ĥ_L = g(p, s),
 * trained as a denoising decoder on probes of h_L with the probe's own s. A reconstruction
 * conditioned on the side information moves h_L towards where h_L lies for it, so it steers
 * learning without any gradient; below h_L the targets follow DTP's difference,
 *   ĥ_{l−1} = h_{l−1} + g_l(ĥ_l) − g_l(h_l).
 * Contrast SDTP (sdtp.ts), where the label is the read-out's *target* rather than a decoder input.
 * With `difference`, ĥ_L = h_L + g(p, s) − g(p, p·S̄), S̄ the mean side vector of each class (for
 * the one-hot label S̄ = I, so g(p, p)): only what s adds beyond what the network's own belief
 * predicts moves h_L, and the decoder's reconstruction error cancels as in DTP.
 */
import { differenceTargetPropagation } from './dtp';
import { expectPathway, Rule } from './rule';
import { SimplifiedTargetPropagationSpec } from './sdtp';
import { targetPropagationUses } from './target-propagation';

export interface ConditionalDecoderSpec extends SimplifiedTargetPropagationSpec {
  /**
   * Difference form: ĥ_L = h_L + g(p, s) − g(p, p·S̄), the move the side information asks for
   * beyond what the network's own belief predicts, with the decoder's reconstruction error
   * cancelled (Lee et al. 2015's argument). Default: the plain reconstruction ĥ_L = g(p, s).
   */
  readonly difference?: boolean;
}

export function conditionalDecoders(spec: ConditionalDecoderSpec): Rule {
  const dtp = differenceTargetPropagation({ noise: spec.noise, noiseDecay: spec.noiseDecay, topStep: 1 });
  return {
    ...dtp,
    options: [],
    name: 'conditional',
    summary: spec.difference
      ? 'ĥ_L = h_L + g(p, s) − g(p, p·S̄): a decoder conditioned on side information s (the label), then DTP; no gradient — conditional decoders, Bengio 2014'
      : 'ĥ_L = g(p, s): a decoder conditioned on side information s (the label), then DTP; no gradient — conditional decoders, Bengio 2014',
    uses: { ...targetPropagationUses, outputGradient: false, sideInformation: true },
    readoutFeedback: 'conditional-decoder',
    fromReadout(pathway, readout, top, rows) {
      // The side information has arrived at the decoder with the minibatch; p is the read-out's activity.
      const decoder = expectPathway('conditional', pathway, 'conditional-decoder');
      const p = readout.activity;
      if (spec.difference) decoder.decodeDifference(rows, p, decoder.side, p, decoder.expectedSide(rows, p), top.activity, top.topDown);
      else decoder.decodeDifference(rows, p, decoder.side, null, null, top.activity, top.topDown);
    },
    top() {
      // topDown already holds ĥ_L − h_L.
    },
  };
}
