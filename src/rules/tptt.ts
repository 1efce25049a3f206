/**
 * Target propagation through time (Manchev & Spratling 2020, JMLR 21, "Target Propagation in
 * Recurrent Neural Networks"; code nmanchev/tptt):
 *   last target        ĥ_T = h_T − α_i ∂L/∂h_T                                   (as DTP's top, dtp.ts)
 *   earlier targets    ĥ_{t−1} = h_{t−1} − G(x_t, h_t) + G(x_t, ĥ_t)             (difference correction)
 *   local losses       mean over rows and units of ‖h_t − ĥ_t‖², updating W, U, b with h_{t−1}
 *                      held constant: Δ_t = (2/(m·n))·(h_t − ĥ_t) ∘ f'(a_t), summed over t
 *   inverse            G(x, h) = g(x·W + h·V + c), trained on noise-corrupted states
 *                      (network/inverse-transition.ts; σ is the rule's `noise`)
 * The per-unit mean (1/n) is the authors' code's scaling of the local loss. Populations above the
 * recurrent one learn as in DTP. G reads the transition's input weights W, as in the authors' code.
 */
import { kernels } from '../kernels';
import { differenceTargetPropagation } from './dtp';
import { expectPathway, Rule } from './rule';
import { TargetPropagationSpec } from './target-propagation';
import { throughTime } from './through-time';

export function targetPropagationThroughTime(spec: TargetPropagationSpec): Rule {
  // DTP's options (top, stepGrowth, project: target-propagation.ts) are not offered through time.
  return throughTime({ ...differenceTargetPropagation(spec), options: [] }, {
    name: 'tptt',
    summary: 'ĥ_{t−1} = h_{t−1} − G(x_t, h_t) + G(x_t, ĥ_t), ĥ_T = h_T − α ∂L/∂h_T — TPTT, Manchev & Spratling 2020',
    temporalFeedback: 'inverse-through-time',
    throughTime(pathway, at, rows) {
      const inverse = expectPathway('tptt', pathway, 'inverse-through-time');
      const k = kernels();
      const length = rows * at.size;
      const last = at.steps - 1;
      at.target(last).set(at.last.target.subarray(0, length));
      for (let t = last; t > 0; t--) {
        const below = at.target(t - 1);
        inverse.difference(t, rows, at.target(t), below);
        k.axpby(length, 1, at.activity(t - 1), 1, below, below);
      }
      const scale = 2 / (rows * at.size);
      for (let t = 0; t <= last; t++) {
        const delta = at.delta(t);
        k.axpby(length, scale, at.activity(t), -scale, at.target(t), delta);
        at.throughUnit(t, delta, delta);
      }
    },
  });
}
