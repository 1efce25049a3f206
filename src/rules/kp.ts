/**
 * Kolen-Pollack learning (Kolen & Pollack 1994; Akrout, Wilson, Humphreys, Lillicrap & Tweed 2019,
 * NeurIPS): Δ_l = (Δ_{l+1}·B_{l+1}ᵀ) ∘ f'(a_l), where each feedback matrix B_l is learned from the
 * activity and error at its own two ends, ∂B_l = h_{l−1}ᵀ·Δ_l — the same update W_l receives — with
 * the same weight decay, so B_l − W_l decays to zero and the rule becomes back-propagation without
 * ever reading W.
 */
import { errorFeedbackUses, errorPropagation } from './error-propagation';
import { expectPathway, Rule } from './rule';

export function kolenPollack(): Rule {
  const base = errorPropagation({
    name: 'kp',
    summary: 'Δ_l = (Δ_{l+1} B_{l+1}ᵀ) ∘ f′(a_l), ΔB_l = ΔW_l with the same decay — Kolen-Pollack, Akrout et al. 2019',
    uses: { ...errorFeedbackUses, mirroredFeedback: true },
    feedback: 'mirror',
  });
  return {
    ...base,
    fromReadout(pathway, readout, top, rows) {
      const mirror = expectPathway('kp', pathway, 'mirror');
      mirror.send(rows, readout.delta, top.topDown);
      mirror.learn(rows, top.activity, readout.delta);
    },
    descend(pathway, above, below, rows) {
      const mirror = expectPathway('kp', pathway, 'mirror');
      mirror.send(rows, above.delta, below.topDown);
      mirror.learn(rows, below.activity, above.delta);
    },
  };
}
