/**
 * All-to-all synapses from one population to the next, for a batch of independent copies of a
 * network that share their weights: source neuron b·k + i (copy b, neuron i of k) connects to target
 * neurons b·n + j (j = 0 … n−1 of the same copy) with weight w[i·n + j], and its spike adds the
 * weights to the target's synaptic variable, `ge[b·n + j] += w[i·n + j]` (Brian2's on_pre, no delay).
 * Sharing one weight matrix across the copies is what lets a minibatch of trials run as one
 * population of batch × n neurons (src/network/spiking-network.ts) without a CSR per copy.
 *
 * Two ways to deliver a step's spikes, chosen per projection (the same choice every step, so that
 * results never depend on how many neurons happened to spike):
 *  - events: for each spike, add its row of w to its copy's targets; cost spikes × n, as in
 *    synapses.ts — right when few neurons spike per step (a Poisson encoder of 784 pixels);
 *  - matrix: ge += S·w, S the batch × k matrix of the step's spikes (0/1), w in single precision,
 *    by the kernels (src/kernels) — faster once more than a few percent of the source spikes in a
 *    step, as LIF layers firing at tens of Hz with 1 ms steps do. Steps without spikes cost nothing.
 *    The product is Kernels.spikeProduct (spikes × n additions) while at most a quarter of the
 *    sources spike, else gemm (batch × k × n products, at the speed of the register-blocked kernel);
 *    the two give the same bits, so the switch never changes a result.
 */
import { kernels } from '../kernels';
import { SpikeEvent } from './neuron-group';

export type SpikeDelivery = 'events' | 'matrix';

export class DenseSpikeProjection {
  /** w[i·n + j], in the target variable's SI unit (volts for ge). */
  readonly weights: Float64Array;
  /** Matrix delivery: w in single precision, the step's spikes S and the product S·w. */
  private readonly weights32: Float32Array;
  private readonly spikes: Float32Array;
  private readonly product: Float32Array;

  constructor(
    /** Neurons per copy in the source and in the target. */
    readonly k: number,
    readonly n: number,
    /** The target variable of every copy, batch × n (e.g. the target group's `ge`). */
    private readonly target: Float64Array,
    readonly delivery: SpikeDelivery,
  ) {
    this.weights = new Float64Array(k * n);
    const matrix = delivery === 'matrix';
    this.weights32 = new Float32Array(matrix ? k * n : 0);
    this.spikes = new Float32Array(matrix ? (target.length / n) * k : 0);
    this.product = new Float32Array(matrix ? target.length : 0);
  }

  /** Call after changing `weights`. */
  weightsChanged(): void {
    if (this.delivery === 'matrix') this.weights32.set(this.weights);
  }

  /** Adds the weights of every spiking source neuron to its copy's targets. */
  receive(event: SpikeEvent): void {
    const { indices } = event;
    if (indices.length === 0) return;
    const { k, n, target } = this;
    if (this.delivery === 'matrix') {
      const { spikes, product } = this;
      const rows = target.length / n;
      if (indices.length * 4 <= spikes.length) {
        kernels().spikeProduct(rows, n, k, indices, indices.length, this.weights32, product);
      } else {
        for (let s = 0; s < indices.length; s++) spikes[indices[s]] = 1;
        kernels().gemm(false, false, rows, n, k, 1, spikes, this.weights32, 0, product);
        for (let s = 0; s < indices.length; s++) spikes[indices[s]] = 0;
      }
      for (let j = 0; j < target.length; j++) target[j] += product[j];
      return;
    }
    const { weights } = this;
    for (let s = 0; s < indices.length; s++) {
      const index = indices[s];
      const b = (index / k) | 0;
      const row = (index - b * k) * n;
      const base = b * n;
      for (let j = 0; j < n; j++) target[base + j] += weights[row + j];
    }
  }
}
