/**
 * Runs a rate population as spikes: a rate-to-spike encoder group (models/neurons/poisson.json,
 * Brian2's PoissonGroup, or models/neurons/regular.json, a deterministic phase accumulator; both
 * have a `rates` variable) with one neuron per unit of each minibatch row, row b's unit i being
 * neuron b·size + i (the batch layout of spiking-network.ts). Each set() maps activities to rates,
 *        rates_i = r_max · clamp((h_i − low) / (high − low), 0, 1),
 * so [low, high] is the activity range that spans silence to r_max: [0, 1] for sigmoid or
 * normalised rates, [−1, 1] for tanh. The group's spikes then drive any synapses, as those of a
 * spiking population would: a Poisson encoder fires with mean r·T and variance r·T in a window T,
 * a regular one exactly ⌊r·T⌋ or ⌈r·T⌉ times.
 */
import { NeuronGroup } from './neuron-group';

/** What a rate population offers (src/network/population.ts has these): its activities, rows × size. */
export interface RateSource {
  readonly activity: Float32Array;
  readonly size: number;
}

export class RateToSpikes {
  private readonly rates: Float64Array;

  constructor(
    readonly source: RateSource,
    /** An encoder group of rows × source.size neurons with a `rates` variable (Hz). */
    readonly group: NeuronGroup,
    /** r_max, Hz. */
    readonly maxRate: number,
    readonly low = 0,
    readonly high = 1,
  ) {
    if (group.size % source.size !== 0) throw new Error(`encoder "${group.name}" has ${group.size} neurons, not a multiple of the rate population's ${source.size} units`);
    if (!(high > low)) throw new Error(`rate-to-spike range: high (${high}) must exceed low (${low})`);
    this.rates = group.variable('rates');
  }

  /** Sets the rates from the first `rows` rows of the source's activity; neurons of further rows are silent. */
  set(rows: number): void {
    const n = Math.min(rows * this.source.size, this.rates.length);
    const { activity } = this.source;
    const scale = this.maxRate / (this.high - this.low);
    this.rates.fill(0);
    for (let i = 0; i < n; i++) this.rates[i] = Math.min(Math.max((activity[i] - this.low) * scale, 0), this.maxRate);
  }
}
