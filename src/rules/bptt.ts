/**
 * Back-propagation through time (Werbos 1990, Proc. IEEE 78:1550; Rumelhart, Hinton & Williams
 * 1986): the exact gradient of the loss at the last step of a sequence through every earlier step
 * of a recurrent population,
 *   Δ_T = ∂L/∂h_T ∘ f'(a_T),  Δ_{t−1} = (Δ_t·Uᵀ) ∘ f'(a_{t−1}),  ∂[W; U] = Σ_t [x_t, h_{t−1}]ᵀ·Δ_t,
 * back-propagation (bp.ts) between populations. Reads U from the feedback side: weight transport.
 */
import { backprop } from './bp';
import { errorThroughTime } from './error-through-time';
import { Rule } from './rule';
import { throughTime } from './through-time';

export function backpropThroughTime(): Rule {
  return throughTime(backprop(), {
    name: 'bptt',
    summary: 'Δ_{t−1} = (Δ_t Uᵀ) ∘ f′(a_{t−1}) — back-propagation through time, Werbos 1990',
    temporalFeedback: 'transpose-through-time',
    throughTime: errorThroughTime('bptt'),
  });
}
