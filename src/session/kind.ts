/**
 * The seam between a run's life (session.ts: the run folder, checkpoints, the wall clock,
 * metrics.jsonl, summary.json, the report) and what a kind of experiment does in it: read its file,
 * build, and advance epoch by epoch (or window by window) as a stream of events.
 *
 * A kind is registered by the `kind` field of its experiment files (kinds.ts); adding one is a file
 * implementing ExperimentKind plus a line in that registry.
 */
import { Observable } from 'rxjs';
import { Circuit } from '../engine/circuit';
import { DivergenceError } from '../engine/guard';
import { RunObserver } from '../engine/observer';
import { Overrides } from '../experiment/experiment';
import { StateRegistry } from '../state/registry';
import { RunDirectory } from './run-directory';

/** What every epoch of every kind reports (the kinds add their own fields). */
export interface EpochResult {
  readonly epoch: number;
  readonly train_error: number;
  readonly valid_error: number | null;
  readonly test_error: number | null;
  /** Training time of the epoch. */
  readonly seconds: number;
}

/**
 * One event of a run, in order: progress within an epoch, the end of an epoch (its record goes to
 * metrics.jsonl, a checkpoint may follow), or the end of a simulated window (a plain spiking
 * simulation's line of metrics.jsonl).
 */
export type SessionEvent<R extends EpochResult = EpochResult> =
  | { readonly kind: 'progress'; readonly epoch: number; readonly phase: string; readonly done: number; readonly total: number }
  | { readonly kind: 'epoch'; readonly record: R }
  | { readonly kind: 'window'; readonly record: Readonly<Record<string, unknown>> };

/** Where a diverged run stopped (DivergenceError.where) and the message it printed. */
export type Divergence = DivergenceError['where'] & { readonly message: string };

/** How a session ended, for the kind's summary. */
/**
 * Where early stopping ended a run: at `epoch`, `patience` epochs after the best validation error's
 * `best_epoch`; or at the first `epoch` whose validation error `valid_error` is at or below `stop_at`.
 */
export type EarlyStop =
  | { readonly epoch: number; readonly best_epoch: number; readonly patience: number }
  | { readonly epoch: number; readonly valid_error: number; readonly stop_at: number };

export interface SessionEnd<R extends EpochResult> {
  /** Every epoch of the run, over all its sessions. */
  readonly records: readonly R[];
  /** The signal that stopped the run, if one did. */
  readonly signal: string | null;
  readonly divergence: Divergence | null;
  /** Set when the run ended early: validation error stopped improving (`patience`) or reached `stopAt`. */
  readonly stoppedEarly: EarlyStop | null;
  /** Wall time of the run so far, summed over its sessions. */
  readonly wallSeconds: () => number;
}

/** What a kind's `start` is given besides the experiment. */
export interface StartContext {
  /** The run folder (writable, held by this process). */
  readonly run: RunDirectory;
  /** True when a checkpoint will be restored into the state before the first event. */
  readonly resuming: boolean;
  /** Further observers of a circuit's run (the live view), given the circuit and its steps per epoch. */
  readonly observe?: (circuit: Circuit, stepsPerEpoch: number) => RunObserver;
}

/** A built run, ready to advance. */
export interface Training<R extends EpochResult, S> {
  /**
   * The run's events, from its start (or the restored state) to its end; cold, so the checkpoint is
   * restored before the first step. Unsubscribing stops it at once, between two steps (the state
   * is then whole: the session saves a checkpoint of it).
   */
  readonly events$: Observable<SessionEvent<R>>;
  /** Everything that carries from one step to the next (state/registry.ts), or null: never checkpointed. */
  readonly state: StateRegistry | null;
  /** Checkpoint every K epochs (0: only when stopped), or null: every epoch once the run is expected to last over an hour. */
  readonly checkpointEvery: number | null;
  /** End the run once this many epochs have passed without a new lowest validation error (null: never). */
  readonly patience?: number | null;
  /** End the run at the first epoch whose validation error is at or below this (null: never). */
  readonly stopAt?: number | null;
  /** Called once the checkpoint is restored into `state`. */
  restored?(): void;
  /** The line of metrics.jsonl for an epoch (default: its record). */
  metricsLine?(record: R): unknown;
  /** Watches every event after its line is written and before a checkpoint (recorders, lesions, the live view). */
  observe?(event: SessionEvent<R>): void;
  /** Ends the run's own work (observers, weights, monitors) and gives summary.json. */
  finish(end: SessionEnd<R>): S;
}

/** A kind of experiment. */
export interface ExperimentKind<X extends object = object, R extends EpochResult = EpochResult, S = unknown> {
  /** The `kind` field of its experiment files ("rate": files without one). */
  readonly name: string;
  /** Reads and checks an experiment file (using the overrides it knows); `fileEpochs` is its own epoch count (before --epochs), null for a kind without epochs. */
  load(file: string, overrides: Overrides): { experiment: X; fileEpochs: number | null };
  /** Its name, seed and the epochs it trains (0: a simulation in windows). */
  about(experiment: X): { readonly name: string; readonly seed: number; readonly epochs: number };
  /** config.json of a new run. */
  config(experiment: X): unknown;
  /** The experiment of the config.json of run folder `dir`, to resume it (default: config.json as it is); a ConfigError naming the folder if it cannot resume. */
  resumed?(config: unknown, dir: string): X;
  /**
   * Builds the run (data loaded, state registered): the checkpoint, if any, is restored next. A kind
   * that must read files asynchronously first (a spiking run's replayed recordings) returns a promise.
   */
  start(experiment: X, context: StartContext): Training<R, S> | Promise<Training<R, S>>;
}

/** A kind whatever its types (the registry's entries). */
export type AnyExperimentKind = ExperimentKind<any, any, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
