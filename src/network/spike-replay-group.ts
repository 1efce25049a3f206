/**
 * A population that replays recorded spike trains (Brian2's SpikeGeneratorGroup): each spike at
 * time t is emitted in step round(t / dt), to synapses and monitors like any group's; the neurons
 * have no state. Two spikes of one neuron that fall in one step are refused, as Brian2 does.
 */
import { DataError } from '../data/data-error';
import type { SpikeTrains } from '../data/spike-trains';
import { CompiledModel, Delivery, StepFunction } from '../equations/generator';
import { NeuronGroup } from './neuron-group';

export class SpikeReplayGroup extends NeuronGroup {
  /** Step of every spike, ascending; `units` the neuron of each, ascending within a step. */
  private readonly steps: Uint32Array;
  private readonly units: Uint32Array;
  private next = 0;

  /** `source` names the recording in error messages; `compiled` is a model without variables. */
  constructor(name: string, size: number, compiled: CompiledModel, seed: number, trains: SpikeTrains, source: string) {
    super(name, size, compiled, seed);
    const dt = compiled.dt;
    const n = trains.times.length;
    const step = Float64Array.from(trains.times, (t) => Math.round(t / dt));
    const order = Array.from({ length: n }, (_, k) => k).sort((a, b) => step[a] - step[b] || trains.units[a] - trains.units[b]);
    this.steps = Uint32Array.from(order, (k) => step[k]);
    this.units = Uint32Array.from(order, (k) => trains.units[k]);
    order.forEach((k, j) => {
      if (trains.units[k] >= size) throw new DataError(`${source}: unit ${trains.units[k]} is outside population "${name}" (size ${size})`);
      if (j > 0 && this.steps[j] === this.steps[j - 1] && this.units[j] === this.units[j - 1]) {
        throw new DataError(`${source}: unit ${this.units[j]} spikes twice in step ${this.steps[j]} (dt ${dt} s); use a smaller dt`);
      }
    });
  }

  /** Spikes recorded for step `step` (no state to update). */
  override update(step: number): number {
    while (this.next < this.steps.length && this.steps[this.next] < step) this.next++;
    this.count = 0;
    while (this.next < this.steps.length && this.steps[this.next] === step) this.spikeBuffer[this.count++] = this.units[this.next++];
    return this.count;
  }

  /** A replay has no compiled step: its spikes come from update() above. */
  override fuse(_deliveries: readonly Delivery[]): StepFunction | undefined {
    return undefined;
  }
}
