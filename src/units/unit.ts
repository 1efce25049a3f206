/**
 * A unit type: how one neuron of a population turns its summed input a into activity y, written as
 * a pure step function over a minibatch (Norse-style: the equation in the doc comment, no hidden
 * state). Memoryless rate units also name the kernel activation computing the same step, so that
 * the kernels can fuse it into the projection (one pass over memory); test/units.test.ts checks the
 * fused and the stepped paths agree. Later unit types (discrete, stochastic, spiking) add state and
 * randomness to `step`.
 */
import { Activation, Kernels } from '../kernels';

export interface Unit {
  /** Registry name, as written in model specs ("tanh"). */
  readonly name: string;
  /** The response as an equation, for reports. */
  readonly equation: string;
  /** The kernel activation computing the same response, fused into the projection. */
  readonly activation: Activation;
  /** True for a normalised read-out (softmax) trained by cross-entropy against labels. */
  readonly readout: boolean;
  /** y ← f(a) over the first `length` entries (pure: reads a, writes y). */
  step(k: Kernels, length: number, a: Float32Array, y: Float32Array): void;
}

/** A memoryless rate unit y = f(a) whose step is the kernel activation `activation`. */
export function rateUnit(name: string, equation: string, activation: Activation): Unit {
  return {
    name,
    equation,
    activation,
    readout: false,
    step: (k, length, a, y) => k.activate(activation, length, a, y),
  };
}
