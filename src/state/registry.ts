/**
 * The state registry: every piece of state a run carries from one step to the next, by name.
 *
 * A checkpoint is nothing but this registry written to disk, and resuming is reading it back into a
 * freshly built run of the same experiment: whatever is registered here survives a crash bit for
 * bit, whatever is not is rebuilt from the experiment file. So the rule for anyone adding state is:
 *
 *   If a value written at step t is read at step t+1 (or later), register it.
 *
 * How, by kind of state (the registry belongs to the network: `network.state`):
 *  - parameters: build them as a `Projection` (registered with its optimiser's buffers) or call
 *    `state.register("B3", array)` for a matrix of your own (fixed random feedback included: it
 *    costs little and guards against a changed initialiser);
 *  - optimiser buffers: returned in `Optimizer.state`; `Projection.setOptimizer` registers them;
 *  - random numbers: take every stream from `state.stream("h2/sample")` rather than `streamState`:
 *    the same name always gives the same stream, seeded from the run's seed and registered;
 *  - dynamic state (membrane potentials, traces, refractory counters, running averages, step
 *    counters): `state.register("h2/v", new Float32Array(n))`; a scalar is a length-1 array;
 *  - small structured state (the trainer's position and running tallies): `state.value(name,
 *    save, load)` with a JSON-able snapshot (JSON keeps every finite double exactly).
 * Buffers rewritten from scratch at every step (activities, targets, deltas, gradients) need not
 * be registered. Float entries are checked for NaN/Inf by the divergence guard before every
 * checkpoint; pass `{ finite: false }` for one that may legitimately hold ±Inf.
 *
 * Names are unique: registering a name twice is a bug (two components would share a checkpoint
 * slot) and throws, unless `replace` says the caller rebuilds its own entry (an optimiser swapped).
 */
import { RngState, streamState } from '../kernels/random';

export type StateArray = Float32Array | Float64Array | Int32Array | Uint32Array | Uint8Array;

export interface StateEntry {
  readonly name: string;
  readonly data: StateArray;
  /** Checked for NaN/Inf by the divergence guard. */
  readonly finite: boolean;
}

/** A small JSON-able piece of state: `save` snapshots it, `load` puts a snapshot back. */
export interface StateValue {
  readonly name: string;
  save(): unknown;
  load(snapshot: unknown): void;
}

export class StateRegistry {
  private readonly entries = new Map<string, StateEntry>();
  private readonly valueEntries = new Map<string, StateValue>();

  constructor(
    /** The run's seed: every registered stream derives from it. */
    readonly seed: number,
  ) {}

  /** Registers `data` under `name` and returns it. */
  register<T extends StateArray>(name: string, data: T, options: { finite?: boolean; replace?: boolean } = {}): T {
    if (this.entries.has(name) && !options.replace) throw new Error(`state "${name}" is registered twice`);
    const float = data instanceof Float32Array || data instanceof Float64Array;
    this.entries.set(name, { name, data, finite: float && (options.finite ?? true) });
    return data;
  }

  /** Registers a JSON-able piece of state under `name`. */
  value(name: string, save: () => unknown, load: (snapshot: unknown) => void): void {
    if (this.valueEntries.has(name)) throw new Error(`state "${name}" is registered twice`);
    this.valueEntries.set(name, { name, save, load });
  }

  /** The seeded stream `name` (see kernels/random.ts), registered as "rng/<name>"; one stream per name. */
  stream(name: string): RngState {
    const existing = this.entries.get(`rng/${name}`);
    if (existing) return existing.data as RngState;
    return this.register(`rng/${name}`, streamState(this.seed, name));
  }

  /** Every array entry, in registration order. */
  arrays(): readonly StateEntry[] {
    return [...this.entries.values()];
  }

  /** Every JSON-able entry, in registration order. */
  values(): readonly StateValue[] {
    return [...this.valueEntries.values()];
  }
}
