/**
 * Feedback alignment (Lillicrap, Cownden, Tweed & Akerman 2016, Nature Communications 7:13276):
 *   Δ_l = (Δ_{l+1}·B_{l+1}ᵀ) ∘ f'(a_l)
 * with B fixed and random (drawn by the pathway from its own stream), the read-out's included.
 * The forward weights come to align with Bᵀ, so the updates align with back-propagation's.
 */
import { errorFeedbackUses, errorPropagation } from './error-propagation';
import { Rule } from './rule';

export function feedbackAlignment(): Rule {
  return errorPropagation({
    name: 'fa',
    summary: 'Δ_l = (Δ_{l+1} B_{l+1}ᵀ) ∘ f′(a_l), B fixed random — feedback alignment, Lillicrap et al. 2016',
    uses: { ...errorFeedbackUses, fixedRandomFeedback: true },
    feedback: 'random',
  });
}
