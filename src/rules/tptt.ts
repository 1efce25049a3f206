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
 *
 * Option `inputWeights: 'bptt'` (the code's --wxh_updates bptt): W learns from the exact gradient
 * through time instead, Δ'_T = ∂L/∂h_T ∘ f'(a_T), Δ'_{t−1} = (Δ'_t·Uᵀ) ∘ f'(a_{t−1}),
 * ∂W = Σ_t x_tᵀ·Δ'_t (as bptt.ts), while U and b keep their local losses. It reads U on the way
 * back (weight transport) and needs the loss gradient at h_T: the recurrent population must be the
 * top hidden one.
 */
import { kernels } from '../kernels';
import { differenceTargetPropagation } from './dtp';
import { expectPathway, Rule } from './rule';
import { inputWeightsOption, TargetPropagationSpec } from './target-propagation';
import { throughTime } from './through-time';

export function targetPropagationThroughTime(spec: TargetPropagationSpec): Rule {
  // DTP's options (top, stepGrowth, project: target-propagation.ts) are not offered through time.
  const base = { ...differenceTargetPropagation(spec), options: [inputWeightsOption] };
  const rule = throughTime(base, {
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
  return spec.inputWeights === 'bptt' ? inputWeightsByBackprop(rule) : rule;
}

/** `rule` with the recurrent input weights learning by back-propagation through time (see above). */
function inputWeightsByBackprop(rule: Rule): Rule {
  /** ∂L/∂h_T of the top hidden population, kept by `top` before it becomes DTP's step −α·∂L/∂h_T. */
  let gradient = new Float32Array(0);
  let top = '';
  return {
    ...rule,
    summary: `${rule.summary}; W by BPTT`,
    uses: { ...rule.uses, weightTransport: true, derivativeChain: true },
    top(at, rows) {
      const length = rows * at.size;
      if (gradient.length < length) gradient = new Float32Array(length);
      gradient.set(at.topDown.subarray(0, length));
      top = at.name;
      rule.top(at, rows);
    },
    throughTime(pathway, at, rows) {
      rule.throughTime!(pathway, at, rows);
      if (at.name !== top) throw new Error(`rule tptt: inputWeights "bptt" needs the loss gradient at ${at.name}; it must be the top hidden population (the top is ${top})`);
      const last = at.steps - 1;
      at.throughUnit(last, gradient, at.inputDelta(last));
      for (let t = last; t > 0; t--) {
        const below = at.inputDelta(t - 1);
        at.backThroughRecurrence(rows, at.inputDelta(t), below);
        at.throughUnit(t - 1, below, below);
      }
    },
  };
}
