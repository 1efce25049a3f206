/**
 * Feedback alignment through time: Lillicrap et al. (2016)'s fixed random feedback carrying the
 * error back through the steps of a recurrent population as well as between populations,
 *   Δ_{t−1} = (Δ_t·B_rᵀ) ∘ f'(a_{t−1}),  B_r fixed random in U's shape,
 * the full-history form of the random feedback Murray (2019, eLife 8:e43299) uses in recurrent
 * networks (without its local truncation). No weight transport: U is never read on the way back.
 */
import { errorThroughTime } from './error-through-time';
import { feedbackAlignment } from './fa';
import { Rule } from './rule';
import { throughTime } from './through-time';

export function feedbackAlignmentThroughTime(): Rule {
  return throughTime(feedbackAlignment(), {
    name: 'fa-tt',
    summary: 'Δ_{t−1} = (Δ_t B_rᵀ) ∘ f′(a_{t−1}), B_r fixed random — feedback alignment through time, after Lillicrap et al. 2016',
    temporalFeedback: 'random-through-time',
    throughTime: errorThroughTime('fa-tt'),
  });
}
