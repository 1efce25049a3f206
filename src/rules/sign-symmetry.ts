/**
 * Sign symmetry (Liao, Leibo & Poggio 2016, AAAI; Xiao, Chen, Liao & Poggio 2018, arXiv 1811.03567):
 *   Δ_l = (Δ_{l+1}·B_{l+1}ᵀ) ∘ f'(a_l),  B = sign(W)          (uSF, 'sign-symmetry')
 *                                         B = |R| ∘ sign(W)    (frSF, 'sign-symmetry-random')
 * with R fixed random. Feedback knows only the forward weights' signs (one bit of weight transport).
 */
import { errorFeedbackUses, errorPropagation } from './error-propagation';
import { Rule, SignalUse } from './rule';

const uses: SignalUse = { ...errorFeedbackUses, signTransport: true };

export function signSymmetry(randomMagnitudes: boolean): Rule {
  return randomMagnitudes
    ? errorPropagation({
        name: 'sign-symmetry-random',
        summary: 'Δ_l = (Δ_{l+1} Bᵀ) ∘ f′(a_l), B = |R| ∘ sign(W), R fixed random — frSF, Xiao et al. 2018',
        uses: { ...uses, fixedRandomFeedback: true },
        feedback: 'sign-random',
      })
    : errorPropagation({
        name: 'sign-symmetry',
        summary: 'Δ_l = (Δ_{l+1} Bᵀ) ∘ f′(a_l), B = sign(W) — uniform sign-concordant feedback, Liao et al. 2016',
        uses,
        feedback: 'sign',
      });
}
