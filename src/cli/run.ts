/**
 * `apical run` and `apical resume`: load an experiment and its data, train, and write the run
 * directory (report/run-directory.ts).
 *
 * Every epoch's metrics are on disk as soon as the epoch ends. Checkpoints (state/checkpoint.ts)
 * hold the run's whole state: every `checkpointEvery` epochs (default: every epoch once the run is
 * expected to take over an hour) and whenever the run is stopped by Ctrl-C, SIGTERM or SIGHUP, in
 * which case the weights and a summary marked `interrupted` are written too. `apical resume`
 * rebuilds the run from config.json, restores the checkpoint, trims metrics.jsonl to the
 * checkpoint's epochs and goes on: the result is bit-identical to a run never stopped. A finished
 * run's checkpoint is deleted (its weights are in weights/).
 *
 * A divergence (engine/guard.ts) ends the run at once: no checkpoint and no weights are written
 * from the diverged state, so the last good checkpoint is kept, and summary.json says `diverged`
 * and where. (Lowering the rate and retrying is not done: stopping is the only behaviour.)
 */
import * as path from 'path';
import { Observable, Subscription } from 'rxjs';
import { loadMnist } from '../data/mnist';
import { loadSideInformation } from '../data/side-information';
import { Circuit } from '../engine/circuit';
import { DivergenceError, nonFinite } from '../engine/guard';
import { RunObserver } from '../engine/observer';
import { EpochRecord, train, TrainerEvent } from '../engine/trainer';
import { buildLesionedCircuit } from '../experiment/build';
import { ConfigError, Experiment } from '../experiment/experiment';
import { RunSummary } from '../jobs/job';
import { kernels } from '../kernels';
import { AlignmentMonitor } from '../metrics/alignment';
import { startRecording } from '../record/recording';
import { describeFsError, DiskError } from '../report/durable';
import { CHECKPOINT_FILE, OpenOptions, RunDirectory } from '../report/run-directory';
import { writeReport } from '../report/report';
import { Checkpoint, encodeCheckpoint, restoreCheckpoint } from '../state/checkpoint';
import { version } from './version';

export interface RunOptions {
  readonly out: string;
  readonly force: boolean;
  /** Called with every trainer event (progress bars, epoch lines). */
  readonly onEvent?: (event: TrainerEvent) => void;
  /** Emits (the signal's name) when the run should stop early: Ctrl-C, SIGTERM, SIGHUP. */
  readonly stop?: Observable<string>;
  /** Further observers of the run (e.g. the live view), given the circuit once it is built and the training steps per epoch. */
  readonly observe?: (circuit: Circuit, stepsPerEpoch: number) => RunObserver;
  /** Take the run folder over from a lock whose holder cannot be checked (report/run-directory.ts). */
  readonly takeOver?: boolean;
}

/** Where a diverged run stopped (DivergenceError.where) and the message it printed. */
export type Divergence = DivergenceError['where'] & { readonly message: string };

/** summary.json as `apical run` writes it: what the jobs layer reads, and more. */
export interface Summary extends RunSummary {
  /** True when the divergence guard stopped the run (`divergence` says where). */
  readonly diverged: boolean;
  readonly divergence: Divergence | null;
  /** The signal that stopped the run, if one did. */
  readonly signal: string | null;
  /** Peak resident memory of the process so far, in MiB. */
  readonly peak_rss_mib: number;
  readonly backend: string;
  readonly version: string;
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

/** Trains `experiment` into a new run folder `options.out`. */
export async function runExperiment(experiment: Experiment, options: RunOptions): Promise<Summary> {
  const run = RunDirectory.create(options.out, options.force, options);
  return execute(experiment, run, null, options);
}

/** The run in `dir` and its checkpoint, ready to `resume` (which returns the final summary). */
export function openResume(dir: string, options: OpenOptions = {}): { experiment: Experiment; resume(options: Omit<RunOptions, 'out' | 'force'>): Promise<Summary> } {
  const { run, checkpoint } = RunDirectory.resume(dir, options);
  let experiment: Experiment;
  try {
    experiment = run.readJson('config.json') as Experiment;
  } catch (error) {
    run.close();
    throw error;
  }
  warnIfOtherKernels(dir, checkpoint);
  return { experiment, resume: (options) => execute(experiment, run, checkpoint, { ...options, out: dir, force: false }) };
}

/** Warns when `checkpoint` was written by other kernels than this process's (the last bits may differ). */
export function warnIfOtherKernels(dir: string, checkpoint: Checkpoint): void {
  const { backend } = checkpoint.meta as unknown as CheckpointMeta;
  if (backend !== kernels().name) {
    process.stderr.write(`apical: warning: ${dir} was trained with ${backend} kernels, now ${kernels().name}: the resumed run may differ in the last bits\n`);
  }
}

/** Trains in `run`, from the start or from `checkpoint`, and releases the folder. */
async function execute(experiment: Experiment, run: RunDirectory, checkpoint: Checkpoint | null, options: RunOptions): Promise<Summary> {
  try {
    return await session(experiment, run, checkpoint, options);
  } catch (error) {
    // A file system fault anywhere (ours or a library's) is one line naming the folder.
    if ((error as NodeJS.ErrnoException).syscall) throw new DiskError(`run folder ${run.dir}: ${describeFsError(error)}`);
    throw error;
  } finally {
    run.close();
  }
}

async function session(experiment: Experiment, run: RunDirectory, checkpoint: Checkpoint | null, options: RunOptions): Promise<Summary> {
  const started = Date.now();
  const data = loadMnist({
    dir: experiment.data.dir ?? undefined,
    validation: experiment.data.validation,
    trainLimit: experiment.data.trainLimit ?? undefined,
  });
  if (data.train.features !== experiment.model.input) {
    throw new ConfigError(`${experiment.file}: model "${experiment.model.name}" takes ${experiment.model.input} inputs but the data have ${data.train.features} features`);
  }
  const side = experiment.data.side
    ? loadSideInformation(experiment.data.side, data.train.labels, data.train.classes, data.trainingFileCount, `${experiment.file}: /data/side`)
    : undefined;
  const { circuit, lesion } = buildLesionedCircuit(experiment, side);
  const every = experiment.metrics.alignmentEvery;
  const alignment = every === null ? null : new AlignmentMonitor(circuit, every);
  const { state } = circuit.network;
  const events$ = train(circuit, side ? { ...data, train: { ...data.train, side } } : data, experiment.training);
  // Recorders register their state (file lengths included) before the checkpoint is restored.
  const recorders = experiment.record ? startRecording(experiment.record, circuit, run.dir, data, experiment.training.batchSize, checkpoint !== null) : [];
  let records: EpochRecord[] = [];
  let wallBefore = 0;
  if (checkpoint) {
    restoreCheckpoint(state, checkpoint, path.join(run.dir, CHECKPOINT_FILE));
    const meta = checkpoint.meta as unknown as CheckpointMeta;
    records = run.keepMetrics(meta.epochs_completed) as EpochRecord[];
    wallBefore = meta.wall_seconds;
  } else {
    run.writeJson('config.json', { ...experiment, backend: kernels().name, version });
  }
  const resumedAt = records.length;
  const wallSeconds = (): number => wallBefore + (Date.now() - started) / 1000;
  const observers: RunObserver[] = [
    // Recorders first: an epoch's weights are recorded before a lesion changes them.
    ...recorders,
    ...(lesion ? [lesion] : []),
    ...(options.observe ? [options.observe(circuit, Math.ceil(data.train.count / experiment.training.batchSize))] : []),
  ];

  /** Writes the run's whole state, unless it holds a NaN or ±∞ (the guard will stop the run). */
  const saveCheckpoint = (): void => {
    if (nonFinite(state).length > 0) return;
    const meta: CheckpointMeta = { epochs_completed: records.length, wall_seconds: wallSeconds(), backend: kernels().name, version };
    run.writeCheckpoint(encodeCheckpoint(state, { ...meta }));
  };
  const { epochs, checkpointEvery } = experiment.training;
  const checkpointDue = (epoch: number): boolean => {
    if (epoch >= epochs) return false;
    if (checkpointEvery !== null) return checkpointEvery > 0 && epoch % checkpointEvery === 0;
    const perEpoch = (Date.now() - started) / 1000 / (records.length - resumedAt);
    return perEpoch * epochs > AUTO_CHECKPOINT_SECONDS;
  };

  let signal: string | null = null;
  let divergence: Divergence | null = null;
  const training = new Subscription();
  await new Promise<void>((resolve, reject) => {
    const fail = (error: unknown): void => {
      training.unsubscribe();
      reject(error);
    };
    training.add(
      events$.subscribe({
        next: (event) => {
          try {
            if (event.kind === 'epoch') {
              records.push(event.record);
              run.appendMetrics(alignment ? { ...event.record, alignment: alignment.take() } : event.record);
            }
            for (const observer of observers) observer.onEvent(event);
            // After the observers, so the checkpoint holds what they did at the epoch's end (a lesion
            // applied, an epoch's weight statistics written), and before the epoch is reported, so
            // an epoch on the screen is an epoch a resume starts after.
            if (event.kind === 'epoch' && checkpointDue(event.record.epoch)) saveCheckpoint();
            options.onEvent?.(event);
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
    training.add(
      options.stop?.subscribe((name) => {
        signal = name;
        training.unsubscribe();
        try {
          saveCheckpoint();
          resolve();
        } catch (error) {
          reject(error);
        }
      }),
    );
  });
  for (const observer of observers) observer.close();
  alignment?.dispose();
  circuit.dispose();

  if (!divergence) run.saveWeights(circuit.network);
  const last = records[records.length - 1];
  const best = records.reduce<EpochRecord | undefined>(
    (a, r) => (r.valid_error !== null && (!a || r.valid_error < a.valid_error!) ? r : a),
    undefined,
  );
  const summary: Summary = {
    experiment: experiment.name,
    rule: experiment.rule.name,
    seed: experiment.training.seed,
    epochs: experiment.training.epochs,
    epochs_completed: records.length,
    interrupted: signal !== null,
    diverged: divergence !== null,
    divergence,
    signal,
    final: last ? { train_error: last.train_error, valid_error: last.valid_error, test_error: last.test_error } : null,
    best_valid: best ? { epoch: best.epoch, valid_error: best.valid_error!, test_error: best.test_error } : null,
    training_seconds: records.reduce((sum, r) => sum + r.seconds, 0),
    wall_seconds: wallSeconds(),
    peak_rss_mib: Math.round(process.resourceUsage().maxRSS / 1024),
    backend: kernels().name,
    version,
  };
  run.writeJson('summary.json', summary);
  // The checkpoint goes as soon as the summary says the run finished: a kill while the report is
  // written (plotly inlined, the slowest write) must not leave a finished run with a stale checkpoint.
  if (!signal && !divergence) run.removeCheckpoint();
  if (records.length > 0) writeReport([run.dir], path.join(run.dir, 'report.html'));
  return summary;
}
