/**
 * All-to-all synapses from one population to the next, for a batch of independent copies of a
 * network that share their weights: source neuron b·k + i (copy b, neuron i of k) connects to target
 * neurons b·n + j (j = 0 … n−1 of the same copy) with weight w[i·n + j], and its spike adds the
 * weights to the target's synaptic variable, `ge[b·n + j] += w[i·n + j]` (Brian2's on_pre, no delay).
 *
 * Delivery is event-driven, as in synapses.ts: the cost of a step is the number of spikes times the
 * fan-out n. Sharing one weight matrix across the copies is what lets a minibatch of trials run as
 * one population of batch × n neurons (src/network/spiking-network.ts) without a CSR per copy.
 */
import { SpikeEvent } from './neuron-group';

export class DenseSpikeProjection {
  /** w[i·n + j], in the target variable's SI unit (volts for ge). */
  readonly weights: Float64Array;

  constructor(
    /** Neurons per copy in the source and in the target. */
    readonly k: number,
    readonly n: number,
    /** The target variable of every copy, batch × n (e.g. the target group's `ge`). */
    private readonly target: Float64Array,
  ) {
    this.weights = new Float64Array(k * n);
  }

  /** Adds the weights of every spiking source neuron to its copy's targets. */
  receive(event: SpikeEvent): void {
    const { indices } = event;
    const { k, n, weights, target } = this;
    for (let s = 0; s < indices.length; s++) {
      const index = indices[s];
      const b = (index / k) | 0;
      const row = (index - b * k) * n;
      const base = b * n;
      for (let j = 0; j < n; j++) target[base + j] += weights[row + j];
    }
  }
}
