/**
 * Samples chosen variables of chosen neurons every `every` steps (after the step's resets, as
 * Brian2's StateMonitor records at the end of a step), into arrays preallocated for `steps` steps:
 * values[variable][row · indices.length + column], row r taken at step r · every.
 */
import { Subscription } from 'rxjs';
import { Simulation } from '../network/simulation';
import { NeuronGroup } from '../network/neuron-group';

export class StateMonitor {
  readonly kind = 'state';
  readonly values: Float64Array[];
  /** Rows recorded so far. */
  rows = 0;
  private readonly subscription: Subscription;

  constructor(
    readonly name: string,
    simulation: Simulation,
    readonly group: NeuronGroup,
    readonly variables: readonly string[],
    readonly indices: Uint32Array,
    readonly every: number,
    steps: number,
  ) {
    const sources = variables.map((v) => group.variable(v));
    const capacity = Math.ceil(steps / every);
    this.values = variables.map(() => new Float64Array(capacity * indices.length));
    const width = indices.length;
    this.subscription = simulation.tick$.subscribe((step) => {
      if (step % every !== 0 || this.rows >= capacity) return;
      const offset = this.rows * width;
      for (let v = 0; v < sources.length; v++) {
        const source = sources[v];
        const out = this.values[v];
        for (let c = 0; c < width; c++) out[offset + c] = source[indices[c]];
      }
      this.rows++;
    });
  }

  close(): void {
    this.subscription.unsubscribe();
  }
}
