/**
 * Back-propagation (Rumelhart, Hinton & Williams 1986): the exact gradient,
 *   Δ_l = (Δ_{l+1} · W_{l+1}ᵀ) ∘ T'(h_l) ∘ f'(a_l),
 * through the output transform x_l = T(h_l) a population sends up, if any. With a sign transform
 * and its true derivative (zero) nothing passes below it (Lee et al. 2015's first baseline); with
 * a straight-through derivative the surrogate passes instead (Bengio et al. 2013).
 * The one rule that reaches across populations: its feedback pathways read the forward weights.
 */
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
      const length = rows * at.size;
      at.throughSend(length, at.topDown, at.delta);
      at.throughUnit(length, at.delta, at.delta);
    },
    descend(pathway, above, below, rows) {
      expectPathway('bp', pathway, 'transpose').send(rows, above.delta, below.topDown);
    },
  };
}
