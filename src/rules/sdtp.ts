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
 * class probabilities carry: ĥ_L = h_L + g(onehot(y), a(h_L)) − g(p, a(h_L)).
 */
import { differenceTargetPropagation } from './dtp';
import { expectPathway, Rule } from './rule';
import { targetPropagationUses } from './target-propagation';

export interface SimplifiedTargetPropagationSpec {
  /** σ of the noise probing the decoders. */
  readonly noise: number;
  /** τ (epochs): σ/(1 + epoch/τ) when set. */
  readonly noiseDecay?: number;
}

export function simplifiedTargetPropagation(spec: SimplifiedTargetPropagationSpec, auxiliary: boolean): Rule {
  const dtp = differenceTargetPropagation({ ...spec, topStep: 1 });
  const kind = auxiliary ? 'auxiliary-decoder' : 'top-decoder';
  const name = auxiliary ? 'ao-sdtp' : 'sdtp';
  return {
    ...dtp,
    options: [],
    name,
    summary: auxiliary
      ? 'ĥ_L = h_L + g(onehot(y), a(h_L)) − g(p, a(h_L)), a fixed random features, then DTP — AO-SDTP, Bartunov et al. 2018'
      : 'ĥ_L = h_L + g(onehot(y)) − g(p), then DTP; the label is the top target, no gradient — SDTP, Bartunov et al. 2018',
    uses: { ...targetPropagationUses, outputGradient: false, fixedRandomFeedback: auxiliary },
    readoutFeedback: kind,
    fromReadout(pathway, readout, top, rows) {
      // readout.target holds onehot(y), readout.activity the probabilities p.
      expectPathway(name, pathway, kind).decodeDifference(rows, readout.target, null, readout.activity, null, top.activity, top.topDown);
    },
    top() {
      // topDown already holds ĥ_L − h_L.
    },
  };
}
