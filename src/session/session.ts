/**
 * A run's life, the same for every kind of experiment (kind.ts): hold the run folder
 * (run-directory.ts), build, restore the checkpoint, advance with the kind's events, write each
 * epoch's line of metrics.jsonl as the epoch ends, checkpoint, and at the end write summary.json,
 * remove the checkpoint and write the report.
 *
 * Checkpoints (state/checkpoint.ts) hold the run's whole state: every `checkpointEvery` epochs
 * (default: every epoch once the run is expected to take over an hour) and whenever the run is
 * stopped (Ctrl-C, SIGTERM, SIGHUP: `stop`), in which case the summary is marked `interrupted`.
 * Resuming rebuilds the run from config.json, restores the checkpoint, trims metrics.jsonl to the
 * checkpoint's epochs and goes on: the result is bit-identical to a run never stopped. A finished
 * run's checkpoint is deleted. The wall clock runs across sessions (the checkpoint carries it).
 *
 * Early stopping (`patience`) ends a run as finished once validation error has not improved for
 * that many epochs; resumed runs count the epochs of every session (metrics.jsonl). `stopAt` ends
 * it, finished, at the first epoch whose validation error is at or below that value.
 *
 * A divergence (engine/guard.ts) ends the run at once: no checkpoint is written from the diverged
 * state, so the last good checkpoint is kept, and the summary says `diverged` and where.
 */
import * as path from 'path';
import { Observable, Subscription } from 'rxjs';
import { DivergenceError, nonFinite } from '../engine/guard';
import { kernels } from '../kernels';
import { describeFsError, DiskError } from '../report/durable';
import { writeReport } from '../report/report';
import { Checkpoint, encodeCheckpoint, restoreCheckpoint } from '../state/checkpoint';
import { Divergence, EarlyStop, EpochResult, ExperimentKind, SessionEvent, StartContext } from './kind';
import { CHECKPOINT_FILE, OpenOptions, RunDirectory } from './run-directory';
import { version } from './version';

export interface SessionOptions {
  /** Called with every event of the run, after its line and checkpoint are written (progress bars, epoch lines). */
  readonly onEvent?: (event: SessionEvent) => void;
  /** Emits (the signal's name) when the run should stop early: it stops between two steps and saves a checkpoint. */
  readonly stop?: Observable<string>;
  /** Further observers of a circuit's run (the live view). */
  readonly observe?: StartContext['observe'];
}

/** What a session gives back. */
export interface SessionResult<S> {
  /** summary.json as written. */
  readonly summary: S;
  /** The signal that stopped the run, if one did. */
  readonly signal: string | null;
  /** The epochs the run was to train (0: a simulation in windows). */
  readonly epochs: number;
}

/** Where a new run goes. */
export interface NewRunOptions extends SessionOptions, OpenOptions {
  readonly out: string;
  /** Overwrite a folder that already holds a run. */
  readonly force: boolean;
}

/** The checkpoint's own fields (beside the state): how far the run got, for `resume`. */
interface CheckpointMeta {
  readonly epochs_completed: number;
  /** Wall time of the run up to this checkpoint, summed over its sessions. */
  readonly wall_seconds: number;
  readonly backend: string;
  readonly version: string;
}

/** A run expected to last longer than this checkpoints every epoch by default. */
const AUTO_CHECKPOINT_SECONDS = 3600;

/** Runs `experiment` of `kind` into a new run folder `options.out`. */
export async function runSession<X extends object, R extends EpochResult, S>(kind: ExperimentKind<X, R, S>, experiment: X, options: NewRunOptions): Promise<SessionResult<S>> {
  const run = RunDirectory.create(options.out, options.force, options);
  return held(run, () => session(kind, experiment, run, null, options));
}

/** A run folder opened to resume its run: the experiment, and `resume`, which continues it and releases the folder. */
export interface OpenedRun<X, S> {
  readonly experiment: X;
  resume(options: SessionOptions): Promise<SessionResult<S>>;
}

/** Opens the run in `dir` of `kind` with its checkpoint (refusing a finished run), ready to `resume`. */
export function openSession<X extends object, R extends EpochResult, S>(kind: ExperimentKind<X, R, S>, dir: string, options: OpenOptions = {}): OpenedRun<X, S> {
  const { run, checkpoint } = RunDirectory.resume(dir, options);
  let experiment: X;
  try {
    const config = run.readJson('config.json');
    experiment = kind.resumed ? kind.resumed(config, dir) : (config as X);
  } catch (error) {
    run.close();
    throw error;
  }
  warnIfOtherKernels(dir, checkpoint);
  return { experiment, resume: (options) => held(run, () => session(kind, experiment, run, checkpoint, options)) };
}

/** Warns when `checkpoint` was written by other kernels than this process's (the last bits may differ). */
function warnIfOtherKernels(dir: string, checkpoint: Checkpoint): void {
  const { backend } = checkpoint.meta as unknown as CheckpointMeta;
  if (backend !== kernels().name) {
    process.stderr.write(`apical: warning: ${dir} was trained with ${backend} kernels, now ${kernels().name}: the resumed run may differ in the last bits\n`);
  }
}

/** Runs `go` in `run` and releases the folder; a file system fault anywhere (ours or a library's) is one line naming the folder. */
async function held<S>(run: RunDirectory, go: () => Promise<S>): Promise<S> {
  try {
    return await go();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).syscall) throw new DiskError(`run folder ${run.dir}: ${describeFsError(error)}`);
    throw error;
  } finally {
    run.close();
  }
}

async function session<X extends object, R extends EpochResult, S>(
  kind: ExperimentKind<X, R, S>,
  experiment: X,
  run: RunDirectory,
  checkpoint: Checkpoint | null,
  options: SessionOptions,
): Promise<SessionResult<S>> {
  const started = performance.now();
  const training = await kind.start(experiment, { run, resuming: checkpoint !== null, observe: options.observe });
  const { state, checkpointEvery } = training;
  const { epochs } = kind.about(experiment);
  let records: R[] = [];
  let wallBefore = 0;
  if (checkpoint) {
    restoreCheckpoint(state!, checkpoint, path.join(run.dir, CHECKPOINT_FILE));
    training.restored?.();
    const meta = checkpoint.meta as unknown as CheckpointMeta;
    records = run.keepMetrics(meta.epochs_completed) as R[];
    wallBefore = meta.wall_seconds;
  } else {
    run.writeJson('config.json', kind.config(experiment));
  }
  const resumedAt = records.length;
  let windows = 0;
  const wallSeconds = (): number => wallBefore + (performance.now() - started) / 1000;

  /** Writes the run's whole state, unless it holds a NaN or ±∞ (the guard will stop the run). */
  const saveCheckpoint = (): void => {
    if (!state || nonFinite(state).length > 0) return;
    const meta: CheckpointMeta = { epochs_completed: records.length, wall_seconds: wallSeconds(), backend: kernels().name, version };
    run.writeCheckpoint(encodeCheckpoint(state, { ...meta }));
  };
  const checkpointDue = (epoch: number): boolean => {
    if (epoch >= epochs) return false;
    if (checkpointEvery !== null) return checkpointEvery > 0 && epoch % checkpointEvery === 0;
    const perEpoch = (performance.now() - started) / 1000 / (records.length - resumedAt);
    return perEpoch * epochs > AUTO_CHECKPOINT_SECONDS;
  };

  let signal: string | null = null;
  let divergence: Divergence | null = null;
  let stoppedEarly: EarlyStop | null = null;
  const subscriptions = new Subscription();
  await new Promise<void>((resolve, reject) => {
    const fail = (error: unknown): void => {
      subscriptions.unsubscribe();
      reject(error);
    };
    subscriptions.add(
      training.events$.subscribe({
        next: (event) => {
          try {
            if (event.kind === 'epoch') {
              records.push(event.record);
              run.appendMetrics(training.metricsLine ? training.metricsLine(event.record) : event.record);
            } else if (event.kind === 'window') {
              windows++;
              run.appendMetrics(event.record);
            }
            training.observe?.(event);
            // After the observers, so the checkpoint holds what they did at the epoch's end (a lesion
            // applied, an epoch's weight statistics written), and before the epoch is reported, so
            // an epoch on the screen is an epoch a resume starts after.
            stoppedEarly = event.kind === 'epoch' ? earlyStop(records, training) : null;
            if (event.kind === 'epoch' && !stoppedEarly && checkpointDue(event.record.epoch)) saveCheckpoint();
            options.onEvent?.(event);
            if (stoppedEarly) {
              subscriptions.unsubscribe();
              resolve();
            }
          } catch (error) {
            fail(error);
          }
        },
        error: (error) => {
          if (!(error instanceof DivergenceError)) return fail(error);
          divergence = { ...error.where, message: error.message };
          resolve();
        },
        complete: resolve,
      }),
    );
    subscriptions.add(
      options.stop?.subscribe((name) => {
        signal = name;
        subscriptions.unsubscribe();
        try {
          saveCheckpoint();
          resolve();
        } catch (error) {
          reject(error);
        }
      }),
    );
  });

  const summary = training.finish({ records, signal, divergence, stoppedEarly, wallSeconds });
  run.writeJson('summary.json', summary);
  // The checkpoint goes as soon as the summary says the run finished: a kill while the report is
  // written (plotly inlined, the slowest write) must not leave a finished run with a stale checkpoint.
  if (!signal && !divergence) run.removeCheckpoint();
  if (records.length + windows > 0) writeReport([run.dir], path.join(run.dir, 'report.html'));
  return { summary, signal, epochs };
}

/** The last epoch's errors, for summary.json. */
export function finalErrors(records: readonly EpochResult[]): { train_error: number; valid_error: number | null; test_error: number | null } | null {
  const last = records[records.length - 1];
  return last ? { train_error: last.train_error, valid_error: last.valid_error, test_error: last.test_error } : null;
}

/** Where the run stops early after its last epoch: its validation error reached `stopAt`, or it `stalled`; else null. */
function earlyStop(records: readonly EpochResult[], { patience, stopAt }: { readonly patience?: number | null; readonly stopAt?: number | null }): EarlyStop | null {
  return (stopAt != null ? reached(records, stopAt) : null) ?? (patience ? stalled(records, patience) : null);
}

/** An EarlyStop when the last epoch's validation error is at or below `stopAt`, else null. */
export function reached(records: readonly EpochResult[], stopAt: number): EarlyStop | null {
  const last = records[records.length - 1];
  return last && last.valid_error !== null && last.valid_error <= stopAt ? { epoch: last.epoch, valid_error: last.valid_error, stop_at: stopAt } : null;
}

/** An EarlyStop when `patience` epochs have passed since the lowest validation error so far, else null. */
export function stalled(records: readonly EpochResult[], patience: number): EarlyStop | null {
  const best = bestValidation(records);
  const epoch = records[records.length - 1]?.epoch ?? 0;
  return best && epoch - best.epoch >= patience ? { epoch, best_epoch: best.epoch, patience } : null;
}

/** The epoch of lowest validation error (the first of equals) and its errors, for summary.json. */
export function bestValidation(records: readonly EpochResult[]): { epoch: number; valid_error: number; test_error: number | null } | null {
  const best = records.reduce<EpochResult | undefined>((a, r) => (r.valid_error !== null && (!a || r.valid_error < a.valid_error!) ? r : a), undefined);
  return best ? { epoch: best.epoch, valid_error: best.valid_error!, test_error: best.test_error } : null;
}
