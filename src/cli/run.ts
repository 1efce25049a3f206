/**
 * `apical run`: load an experiment and its data, train, and write the run directory.
 * Every epoch's metrics are on disk as soon as the epoch ends; on interruption the weights and a
 * summary marked `interrupted` are still written, so no finished epoch is lost.
 */
import * as path from 'path';
import { Observable } from 'rxjs';
import { loadMnist } from '../data/mnist';
import { Circuit } from '../engine/circuit';
import { RunObserver } from '../engine/observer';
import { EpochRecord, train, TrainerEvent } from '../engine/trainer';
import { buildLesionedCircuit } from '../experiment/build';
import { ConfigError, Experiment } from '../experiment/experiment';
import { kernels } from '../kernels';
import { AlignmentMonitor } from '../metrics/alignment';
import { startRecording } from '../record/recording';
import { RunDirectory } from '../report/run-directory';
import { writeReport } from '../report/report';
import { version } from './version';

export interface RunOptions {
  readonly out: string;
  readonly force: boolean;
  /** Called with every trainer event (progress bars, epoch lines). */
  readonly onEvent?: (event: TrainerEvent) => void;
  /** Completes when the run should stop early (e.g. Ctrl-C). */
  readonly stop?: Observable<unknown>;
  /** Further observers of the run (e.g. the live view), given the circuit once it is built and the training steps per epoch. */
  readonly observe?: (circuit: Circuit, stepsPerEpoch: number) => RunObserver;
}

export interface Summary {
  readonly experiment: string;
  readonly rule: string;
  readonly seed: number;
  readonly epochs: number;
  readonly epochs_completed: number;
  readonly interrupted: boolean;
  readonly final: { readonly train_error: number; readonly valid_error: number | null; readonly test_error: number | null } | null;
  readonly best_valid: { readonly epoch: number; readonly valid_error: number; readonly test_error: number | null } | null;
  readonly training_seconds: number;
  readonly wall_seconds: number;
  /** Peak resident memory of the process so far, in MiB. */
  readonly peak_rss_mib: number;
  readonly backend: string;
  readonly version: string;
}

export async function runExperiment(experiment: Experiment, options: RunOptions): Promise<Summary> {
  const started = Date.now();
  const run = RunDirectory.create(options.out, options.force);
  const data = loadMnist({
    dir: experiment.data.dir ?? undefined,
    validation: experiment.data.validation,
    trainLimit: experiment.data.trainLimit ?? undefined,
  });
  if (data.train.features !== experiment.model.input) {
    throw new ConfigError(`${experiment.file}: model "${experiment.model.name}" takes ${experiment.model.input} inputs but the data have ${data.train.features} features`);
  }
  const { circuit, lesion } = buildLesionedCircuit(experiment);
  const every = experiment.metrics.alignmentEvery;
  const alignment = every === null ? null : new AlignmentMonitor(circuit, every);
  run.writeJson('config.json', { ...experiment, backend: kernels().name, version });
  const observers: RunObserver[] = [
    // Recorders first: an epoch's weights are recorded before a lesion changes them.
    ...(experiment.record ? startRecording(experiment.record, circuit, run.dir, data, experiment.training.batchSize) : []),
    ...(lesion ? [lesion] : []),
    ...(options.observe ? [options.observe(circuit, Math.ceil(data.train.count / experiment.training.batchSize))] : []),
  ];

  const records: EpochRecord[] = [];
  let interrupted = false;
  await new Promise<void>((resolve, reject) => {
    const training = train(circuit, data, experiment.training).subscribe({
      next: (event) => {
        if (event.kind === 'epoch') {
          records.push(event.record);
          run.appendMetrics(alignment ? { ...event.record, alignment: alignment.take() } : event.record);
        }
        for (const observer of observers) observer.onEvent(event);
        options.onEvent?.(event);
      },
      error: reject,
      complete: resolve,
    });
    training.add(
      options.stop?.subscribe(() => {
        interrupted = true;
        training.unsubscribe();
        resolve();
      }),
    );
  });
  for (const observer of observers) observer.close();
  alignment?.dispose();
  circuit.dispose();

  run.saveWeights(circuit.network);
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
    interrupted,
    final: last ? { train_error: last.train_error, valid_error: last.valid_error, test_error: last.test_error } : null,
    best_valid: best ? { epoch: best.epoch, valid_error: best.valid_error!, test_error: best.test_error } : null,
    training_seconds: records.reduce((sum, r) => sum + r.seconds, 0),
    wall_seconds: (Date.now() - started) / 1000,
    peak_rss_mib: Math.round(process.resourceUsage().maxRSS / 1024),
    backend: kernels().name,
    version,
  };
  run.writeJson('summary.json', summary);
  if (records.length > 0) writeReport([run.dir], path.join(run.dir, 'report.html'));
  return summary;
}
