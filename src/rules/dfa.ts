/**
 * Direct feedback alignment (Nøkland 2016, NeurIPS): the read-out's error e = ∂Loss/∂a_out reaches
 * every hidden population through its own fixed random matrix,
 *   Δ_l = (e·B_lᵀ) ∘ f'(a_l),
 * so no signal passes through another population on the way down.
 */
import { receiveError } from './error-propagation';
import { expectPathway, Rule } from './rule';

export function directFeedbackAlignment(): Rule {
  return {
    name: 'dfa',
    summary: 'Δ_l = (e B_lᵀ) ∘ f′(a_l), e the output error, B_l fixed random — direct feedback alignment, Nøkland 2016',
    uses: {
      weightTransport: false,
      derivativeChain: false,
      globalError: true,
      labelAtHidden: false,
      outputGradient: false,
      learnedFeedback: false,
      fixedRandomFeedback: true,
    },
    feedback: 'direct',
    readoutFeedback: 'direct',
    fromReadout(pathway, readout, top, rows) {
      expectPathway('dfa', pathway, 'direct').send(rows, readout.delta, top.topDown);
    },
    top() {
      // topDown already holds e·B_Lᵀ.
    },
    receive: receiveError,
    descend(pathway, _above, below, rows, readout) {
      expectPathway('dfa', pathway, 'direct').send(rows, readout.delta, below.topDown);
    },
  };
}
