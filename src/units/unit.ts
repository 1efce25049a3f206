/**
 * A unit type: how one neuron of a population turns its summed input a into activity y.
 *
 * Rate units are memoryless, y = f(a), and name the kernel activation so the kernels can fuse f
 * into the projection (one pass over memory). Later unit types (discrete, stochastic, spiking)
 * add state and a step function; a population only ever asks its unit type for a response.
 */
import { Activation } from '../kernels';

export interface Unit {
  /** Registry name, as written in model specs ("tanh"). */
  readonly name: string;
  /** The response as an equation, for reports. */
  readonly equation: string;
  /** The fused kernel activation computing y = f(a). */
  readonly activation: Activation;
  /** True for a normalised read-out (softmax) trained by cross-entropy against labels. */
  readonly readout: boolean;
}
