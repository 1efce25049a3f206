/**
 * Simplified difference target propagation (Bartunov, Santoro, Richards, Marris, Hinton & Lillicrap
 * 2018, NeurIPS, §3.1): the label itself is the read-out's target, ĥ_out = onehot(y), and a learned
 * decoder g from the read-out's probabilities forms the top hidden target by DTP's difference,
 *   ĥ_L = h_L + g(ĥ_out) − g(p),
 * so no gradient is used anywhere: the read-out learns from its own cross-entropy against the label
 * (local to it), every hidden population from its layer loss and the targets below follow DTP,
 *   ĥ_{l−1} = h_{l−1} + g_l(ĥ_l) − g_l(h_l).
 * AO-SDTP ('ao-sdtp') appends fixed random auxiliary output features a(h_L) = tanh(h_L·R) to what the
 * decoder reads, with a(h_L) as their own target, so that g can reconstruct more of h_L than ten
 * class probabilities carry: ĥ_L = h_L + g(onehot(y), a(h_L)) − g(p, a(h_L)). `auxiliaryFeatures` sets the
 * width of a (default 64; Bartunov et al. give 512 for CIFAR, none for MNIST).
 * With `denoising` every decoder learns to reconstruct the clean activity from the response to its
 * noisy probe, ‖g_l(f_l(h̃_{l−1})) − h_{l−1}‖² (and ‖g(p̃, a(h̃_L)) − h_L‖² at the top): the de-noising
 * auto-encoder training Bartunov et al. use for SDTP and AO-SDTP (appendix 5.1), where DTP's loss
 * reconstructs the noisy probe h̃ itself (network/decoder.ts).
 */
import { differenceTargetPropagation } from './dtp';
import { expectPathway, Rule } from './rule';
import { targetPropagationUses } from './target-propagation';

export interface SimplifiedTargetPropagationSpec {
  /** σ of the noise probing the decoders. */
  readonly noise: number;
  /** τ (epochs): σ/(1 + epoch/τ) when set. */
  readonly noiseDecay?: number;
  /** Decoders reconstruct the clean activity from the response to the noisy probe (default false: the probe). */
  readonly denoising?: boolean;
  /** AO-SDTP: the number of random auxiliary output features a(h_L) (default 64). */
  readonly auxiliaryFeatures?: number;
}

const auxiliaryFeaturesOption = 'auxiliaryFeatures n: the width of the random auxiliary output features a(h_L) = tanh(h_L·R) the top decoder reads (default 64; Bartunov et al. 2018 use 512 on CIFAR, §3.2, and give none for MNIST)';
const denoisingOption = 'denoising: every decoder reconstructs the clean activity h from the response to its noisy probe h̃, ‖g(f(h̃)) − h‖² (de-noising auto-encoders, Bartunov et al. 2018, appendix 5.1)';

export function simplifiedTargetPropagation(spec: SimplifiedTargetPropagationSpec, auxiliary: boolean): Rule {
  const { denoising, auxiliaryFeatures, ...rest } = spec;
  if (auxiliaryFeatures !== undefined && !auxiliary) throw new Error('sdtp: auxiliaryFeatures is an ao-sdtp option (SDTP\'s top decoder reads the probabilities alone)');
  const dtp = differenceTargetPropagation({ ...rest, topStep: 1 });
  const kind = auxiliary ? 'auxiliary-decoder' : 'top-decoder';
  const name = auxiliary ? 'ao-sdtp' : 'sdtp';
  return {
    ...dtp,
    options: auxiliary ? [denoisingOption, auxiliaryFeaturesOption] : [denoisingOption],
    name,
    summary: auxiliary
      ? 'ĥ_L = h_L + g(onehot(y), a(h_L)) − g(p, a(h_L)), a fixed random features, then DTP — AO-SDTP, Bartunov et al. 2018'
      : 'ĥ_L = h_L + g(onehot(y)) − g(p), then DTP; the label is the top target, no gradient — SDTP, Bartunov et al. 2018',
    uses: { ...targetPropagationUses, outputGradient: false, fixedRandomFeedback: auxiliary },
    readoutFeedback: kind,
    ...(auxiliaryFeatures !== undefined ? { auxiliaryFeatures } : {}),
    fromReadout(pathway, readout, top, rows) {
      // readout.target holds onehot(y), readout.activity the probabilities p.
      expectPathway(name, pathway, kind).decodeDifference(rows, readout.target, null, readout.activity, null, top.activity, top.topDown);
    },
    top() {
      // topDown already holds ĥ_L − h_L.
    },
    ...(denoising ? { probes: denoisingProbes(name, kind) } : {}),
  };
}

/** Every decoder's probe, learning to reconstruct the clean activity (the read-out's decoder of `kind` included). */
function denoisingProbes(name: string, kind: 'top-decoder' | 'auxiliary-decoder'): NonNullable<Rule['probes']> {
  return (network, l) =>
    l < network.readout.index
      ? expectPathway(name, network.feedback[l]!, 'decoder').probes(network.site(l), 0, true)
      : expectPathway(name, network.readoutFeedback, kind).probes(network.site(l), true);
}
