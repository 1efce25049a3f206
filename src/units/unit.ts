/**
 * A unit type: how one neuron turns its input x into activity y, written as a pure step function
 * over a minibatch (Norse-style: the equation in the doc comment, no hidden state). Random units
 * draw from the stream they are handed, which belongs to the population (or pathway) using them,
 * so every sample is reproducible from the experiment seed.
 *
 * A unit also declares what a gradient-based rule may use as its derivative dy/dx:
 *  - "true": the derivative of the forward equation (zero almost everywhere for sign, step and
 *    quantisers; undefined for samples, so random units declare none by default);
 *  - a straight-through estimator (Bengio, Léonard & Courville 2013; Hinton 2012), named in the
 *    model spec: "identity" (dy/dx := 1), "tanh" (1 − tanh²x) or "sigmoid" (σ(x)(1 − σ(x)));
 *  - "none": rules needing it stop with an error naming the population and the unit.
 *
 * Memoryless deterministic rate units also name the kernel activation computing the same step:
 * an optional fast path, fused by the kernels into the projection (one pass over memory). A unit
 * with that fast path takes its derivative from y alone, since the fused path keeps no x.
 * test/units.test.ts checks the fused and the stepped paths agree.
 */
import { Activation, Kernels } from '../kernels';
import { RngState } from '../kernels/random';

/** Names of the derivatives a model spec may declare for a unit. */
export type DerivativeName = 'true' | 'identity' | 'tanh' | 'sigmoid' | 'none';
export const derivativeNames: readonly DerivativeName[] = ['true', 'identity', 'tanh', 'sigmoid', 'none'];

export interface Unit {
  /** Registry name, as written in model specs ("tanh", "sign", "quantise"). */
  readonly name: string;
  /** The response as an equation, for reports. */
  readonly equation: string;
  /** The kernel activation computing the same response, fused into the projection (fast path). */
  readonly activation?: Activation;
  /** True for a read-out: softmax, trained by cross-entropy against labels, or a regression's (`loss`). */
  readonly readout: boolean;
  /** A read-out trained by the squared error against real-valued targets (absent: cross-entropy against labels). */
  readonly loss?: 'squared-error';
  /** True when `step` draws from its stream. */
  readonly random: boolean;
  /** Which derivative `derive` applies. */
  readonly derivative: DerivativeName;
  /** y ← f(x) over the first `length` entries (reads x, writes y; y may alias x). */
  step(k: Kernels, length: number, x: Float32Array, y: Float32Array, rng: RngState): void;
  /**
   * d ← g ∘ dy/dx with the declared derivative, from the input x and output y of the last step
   * (d may alias g); absent when the unit declares none.
   */
  readonly derive?: (k: Kernels, length: number, x: Float32Array, y: Float32Array, g: Float32Array, d: Float32Array) => void;
}

/**
 * The kernel activation whose derivative from y alone (kernels.deltaFromGrad) is exactly the unit's
 * `derive`: a memoryless rate unit's own activation; undefined for stepped units and surrogates.
 */
export function kernelDerivative(unit: Unit): Activation | undefined {
  return unit.derivative === 'true' ? unit.activation : undefined;
}

/** A memoryless rate unit y = f(x) whose step is the kernel activation `activation`. */
export function rateUnit(name: string, equation: string, activation: Activation): Unit {
  return {
    name,
    equation,
    activation,
    readout: false,
    random: false,
    derivative: 'true',
    step: (k, length, x, y) => k.activate(activation, length, x, y),
    derive: (k, length, _x, y, g, d) => k.deltaFromGrad(activation, length, y, g, d),
  };
}

/** An elementwise unit y_i = f(x_i) stepped in TypeScript (discrete and random units). */
export function elementwiseUnit(
  name: string,
  equation: string,
  f: (x: number, rng: RngState) => number,
  options: { random: boolean; derivative: 'true' | 'none'; trueDerivative?: (x: number, y: number) => number },
): Unit {
  const slope = options.trueDerivative;
  return {
    name,
    equation,
    readout: false,
    random: options.random,
    derivative: options.derivative,
    step(_k, length, x, y, rng) {
      for (let i = 0; i < length; i++) y[i] = f(x[i], rng);
    },
    derive: slope
      ? (_k, length, x, y, g, d) => {
          for (let i = 0; i < length; i++) d[i] = g[i] * slope(x[i], y[i]);
        }
      : undefined,
  };
}
