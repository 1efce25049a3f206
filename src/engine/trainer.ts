/**
 * Training as a stream of events: epochs of steps driven by the clock through a circuit.
 *
 * Schedules (Lee et al. 2015; Bartunov et al. 2018):
 *  - alternating: each epoch first probes and trains every decoder on all minibatches, then trains
 *    the forward projections on all minibatches (the released DTP code's schedule);
 *  - parallel: every step does both, from the same forward sweep.
 * Rules without learned feedback just train their forward projections.
 *
 * Metrics per epoch: `train_error` and `loss` are the mean classification error and cross-entropy
 * over the epoch's training minibatches, measured during the forward phase before each update (as
 * Lee et al. report them); valid/test errors are measured after the epoch; `seconds` is training
 * time only (evaluation excluded); `reconstruction_error` is each decoder's mean probe loss.
 */
import { concat, concatMap, defer, EMPTY, map, Observable, of, range } from 'rxjs';
import { shuffleInPlace, streamState } from '../kernels/random';
import { Circuit } from './circuit';
import { ticks } from './clock';
import { Stimulus } from './events';

/** Labelled examples, row-major (the data layer's Dataset satisfies this). */
export interface Examples {
  readonly images: Float32Array;
  readonly labels: Int32Array;
  readonly count: number;
  readonly features: number;
}

export type Schedule = 'alternating' | 'parallel';

export interface TrainingPlan {
  readonly epochs: number;
  readonly batchSize: number;
  readonly schedule: Schedule;
  /** Reshuffle the training set every epoch (the released DTP code does not). */
  readonly shuffle: boolean;
  readonly evalBatchSize: number;
  readonly seed: number;
}

export interface EpochRecord {
  readonly epoch: number;
  readonly train_error: number;
  readonly valid_error: number | null;
  readonly test_error: number | null;
  readonly loss: number;
  readonly valid_loss: number | null;
  readonly test_loss: number | null;
  readonly seconds: number;
  readonly eval_seconds: number;
  readonly probe_noise: number | null;
  readonly reconstruction_error: Readonly<Record<string, number>>;
}

export type Phase = 'decoders' | 'forward';

export type TrainerEvent =
  | { readonly kind: 'progress'; readonly epoch: number; readonly phase: Phase; readonly done: number; readonly total: number }
  | { readonly kind: 'epoch'; readonly record: EpochRecord };

/** Errors and loss over a set of minibatches. */
class Tally {
  rows = 0;
  errors = 0;
  loss = 0;
  reset(): void {
    this.rows = this.errors = this.loss = 0;
  }
}

export interface DataSplits {
  readonly train: Examples;
  readonly valid?: Examples;
  readonly test?: Examples;
}

/** Score `examples` without learning: error rate and mean cross-entropy. */
export function evaluate(circuit: Circuit, examples: Examples, batchSize: number): { error: number; loss: number } {
  const tally = new Tally();
  const subscription = circuit.outcome$.subscribe(({ stimulus, errors, loss }) => {
    tally.rows += stimulus.rows;
    tally.errors += errors;
    tally.loss += loss;
  });
  const { features } = examples;
  for (let start = 0, step = 0; start < examples.count; start += batchSize, step++) {
    const rows = Math.min(batchSize, examples.count - start);
    circuit.step({
      step,
      rows,
      input: examples.images.subarray(start * features, (start + rows) * features),
      labels: examples.labels.subarray(start, start + rows),
      learnForward: false,
      probeDecoders: false,
      noise: 0,
    });
  }
  subscription.unsubscribe();
  return { error: tally.errors / tally.rows, loss: tally.loss / tally.rows };
}

/** Trains `circuit` on `data.train` for `plan.epochs` epochs; emits progress and one record per epoch. */
export function train(circuit: Circuit, data: DataSplits, plan: TrainingPlan): Observable<TrainerEvent> {
  const { train: examples } = data;
  const { batchSize } = plan;
  const { features } = examples;
  const learnsDecoders = circuit.rule.uses.learnedFeedback;
  const steps = Math.ceil(examples.count / batchSize);
  const order = Int32Array.from({ length: examples.count }, (_, i) => i);
  const shuffleStream = streamState(plan.seed, 'data/shuffle');
  const batchInput = new Float32Array(batchSize * features);
  const batchLabels = new Int32Array(batchSize);

  const tally = new Tally();
  const reconstruction = new Map<string, { sum: number; count: number }>();
  let trainingSeconds = 0;

  /** The minibatch for `step`: a view of the data in order, gathered when shuffled. */
  const minibatch = (step: number): { rows: number; input: Float32Array; labels: Int32Array } => {
    const start = step * batchSize;
    const rows = Math.min(batchSize, examples.count - start);
    if (!plan.shuffle) {
      return {
        rows,
        input: examples.images.subarray(start * features, (start + rows) * features),
        labels: examples.labels.subarray(start, start + rows),
      };
    }
    for (let r = 0; r < rows; r++) {
      const i = order[start + r];
      batchInput.set(examples.images.subarray(i * features, (i + 1) * features), r * features);
      batchLabels[r] = examples.labels[i];
    }
    return { rows, input: batchInput, labels: batchLabels };
  };

  const phase$ = (epoch: number, phase: Phase): Observable<TrainerEvent> => {
    const noise = learnsDecoders ? circuit.rule.probeNoise!(epoch - 1) : 0;
    const learnForward = phase === 'forward';
    const probeDecoders = learnsDecoders && (phase === 'decoders' || plan.schedule === 'parallel');
    return ticks(steps).pipe(
      map((step): TrainerEvent => {
        const stimulus: Stimulus = { step, ...minibatch(step), learnForward, probeDecoders, noise };
        const started = process.hrtime.bigint();
        circuit.step(stimulus);
        trainingSeconds += Number(process.hrtime.bigint() - started) / 1e9;
        return { kind: 'progress', epoch, phase, done: step + 1, total: steps };
      }),
    );
  };

  const record = (epoch: number): EpochRecord => {
    const started = process.hrtime.bigint();
    const valid = data.valid ? evaluate(circuit, data.valid, plan.evalBatchSize) : null;
    const test = data.test ? evaluate(circuit, data.test, plan.evalBatchSize) : null;
    const reconstructionError: Record<string, number> = {};
    const byLayer = [...reconstruction].sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }));
    for (const [name, { sum, count }] of byLayer) reconstructionError[name] = sum / count;
    const result: EpochRecord = {
      epoch,
      train_error: tally.errors / tally.rows,
      valid_error: valid?.error ?? null,
      test_error: test?.error ?? null,
      loss: tally.loss / tally.rows,
      valid_loss: valid?.loss ?? null,
      test_loss: test?.loss ?? null,
      seconds: trainingSeconds,
      eval_seconds: Number(process.hrtime.bigint() - started) / 1e9,
      probe_noise: learnsDecoders ? circuit.rule.probeNoise!(epoch - 1) : null,
      reconstruction_error: reconstructionError,
    };
    return result;
  };

  return defer(() => {
    // Recorders: what the read-out and the decoders report while training.
    const outcomes = circuit.outcome$.subscribe(({ stimulus, errors, loss }) => {
      if (!stimulus.learnForward) return;
      tally.rows += stimulus.rows;
      tally.errors += errors;
      tally.loss += loss;
    });
    const probes = circuit.reconstruction$.subscribe(({ pathway, error }) => {
      const entry = reconstruction.get(pathway) ?? { sum: 0, count: 0 };
      entry.sum += error;
      entry.count += 1;
      reconstruction.set(pathway, entry);
    });
    const epochs$ = range(1, plan.epochs).pipe(
      concatMap((epoch) => {
        const start$ = defer(() => {
          tally.reset();
          reconstruction.clear();
          trainingSeconds = 0;
          if (plan.shuffle) shuffleInPlace(shuffleStream, order);
          return EMPTY;
        });
        const decoders$ = learnsDecoders && plan.schedule === 'alternating' ? phase$(epoch, 'decoders') : EMPTY;
        const end$ = defer(() => of<TrainerEvent>({ kind: 'epoch', record: record(epoch) }));
        return concat(start$, decoders$, phase$(epoch, 'forward'), end$);
      }),
    );
    return new Observable<TrainerEvent>((subscriber) => {
      const inner = epochs$.subscribe(subscriber);
      return () => {
        inner.unsubscribe();
        outcomes.unsubscribe();
        probes.unsubscribe();
      };
    });
  });
}
