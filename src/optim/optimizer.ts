/**
 * Optimisers: turn a gradient into a parameter change, one parameter array at a time, keeping their
 * own state buffers (allocated once, at construction). All arithmetic runs in the kernels. The
 * buffers are exposed by name (`state`) so that checkpoints save and restore them.
 */
import { kernels } from '../kernels';

export type OptimizerSpec =
  | { readonly name: 'sgd'; readonly lr: number; readonly momentum?: number; readonly weightDecay?: number }
  | {
      readonly name: 'rmsprop';
      readonly lr: number;
      readonly rho?: number;
      readonly momentum?: number;
      readonly epsilon?: number;
    }
  | {
      readonly name: 'adam';
      readonly lr: number;
      readonly beta1?: number;
      readonly beta2?: number;
      readonly epsilon?: number;
      /** Decoupled weight decay λ (AdamW, Loshchilov & Hutter 2019): p ← (1 − lr·λ)·p before the step. */
      readonly weightDecay?: number;
      /** An L2 penalty's gradient added before the step, g ← g + λ₂·p (torch.optim.Adam's weight_decay). */
      readonly l2?: number;
      /**
       * ε added to the bias-corrected √v̂ (Kingma & Ba 2015, Algorithm 1; torch.optim.Adam):
       * p ← p − lr·m̂/(√v̂ + ε). Default false: ε added to the uncorrected √v, the paper's "ε̂"
       * form (§2), p ← p − lr·√(1−β₂ᵗ)/(1−β₁ᵗ)·m/(√v + ε), whose ε weighs √(1−β₂ᵗ) times less early on.
       */
      readonly correctedEpsilon?: boolean;
    };

/** Updates one parameter array in place from its gradient. */
export interface Optimizer {
  step(grad: Float32Array): void;
  /** Every buffer carried from one step to the next, by name (a scalar is a length-1 array). */
  readonly state: Readonly<Record<string, Float32Array | Float64Array>>;
}

/**
 * An optimiser for `param`, as `spec` says, with the defaults below filled in. `spec.lr` is read at
 * every step, so a learning-rate schedule may rewrite it in a spec object of its own.
 */
export function createOptimizer(spec: OptimizerSpec, param: Float32Array): Optimizer {
  const k = kernels();
  const n = param.length;
  switch (spec.name) {
    case 'sgd': {
      // v ← μv − lr(g + λp); p ← p + v
      const velocity = new Float32Array(n);
      const momentum = spec.momentum ?? 0;
      const decay = spec.weightDecay ?? 0;
      return { state: { velocity }, step: (grad) => k.sgdStep(n, param, grad, velocity, spec.lr, momentum, decay) };
    }
    case 'rmsprop': {
      // Centered RMSprop with momentum as in Lee et al.'s DTP code; defaults are theirs.
      const avg = new Float32Array(n);
      const avgSq = new Float32Array(n);
      const inc = new Float32Array(n);
      const rho = spec.rho ?? 0.95;
      const momentum = spec.momentum ?? 0.9;
      const epsilon = spec.epsilon ?? 0.001;
      return {
        state: { avg, avgSq, inc },
        step: (grad) => k.rmspropStep(n, param, grad, avg, avgSq, inc, spec.lr, rho, momentum, epsilon),
      };
    }
    case 'adam': {
      const m = new Float32Array(n);
      const v = new Float32Array(n);
      const beta1 = spec.beta1 ?? 0.9;
      const beta2 = spec.beta2 ?? 0.999;
      const epsilon = spec.epsilon ?? 1e-8;
      const t = new Float64Array(1);
      const shrink = 1 - spec.lr * (spec.weightDecay ?? 0);
      const l2 = spec.l2 ?? 0;
      // Algorithm 1's ε in the ε̂ form: lr·m̂/(√v̂ + ε) = lr·√(1−β₂ᵗ)/(1−β₁ᵗ)·m/(√v + ε·√(1−β₂ᵗ)).
      const epsilonAt = spec.correctedEpsilon ? (step: number) => epsilon * Math.sqrt(1 - beta2 ** step) : () => epsilon;
      return {
        state: { m, v, t },
        step: (grad) => {
          if (l2 !== 0) k.axpby(n, l2, param, 1, grad, grad);
          if (shrink !== 1) k.axpby(n, shrink, param, 0, param, param);
          const step = ++t[0];
          k.adamStep(n, param, grad, m, v, spec.lr, beta1, beta2, epsilonAt(step), step);
        },
      };
    }
  }
}
