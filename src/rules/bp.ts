/**
 * Back-propagation (Rumelhart, Hinton & Williams 1986): the exact gradient,
 *   Δ_l = (Δ_{l+1} · W_{l+1}ᵀ) ∘ f'(a_l).
 * The one rule that reaches across populations: its feedback pathways read the forward weights.
 */
import { kernels } from '../kernels';
import { expectPathway, Rule } from './rule';

export function backprop(): Rule {
  return {
    name: 'bp',
    summary: 'Δ_l = (Δ_{l+1} W_{l+1}ᵀ) ∘ f′(a_l) — back-propagation, Rumelhart et al. 1986',
    uses: {
      weightTransport: true,
      derivativeChain: true,
      globalError: false,
      labelAtHidden: false,
      outputGradient: true,
      learnedFeedback: false,
    },
    feedback: 'transpose',
    top() {
      // topDown already holds ∂Loss/∂h_L.
    },
    receive(at, rows) {
      kernels().deltaFromGrad(at.activation, rows * at.size, at.activity, at.topDown, at.delta);
    },
    descend(pathway, above, below, rows) {
      expectPathway('bp', pathway, 'transpose').send(rows, above.delta, below.topDown);
    },
  };
}
