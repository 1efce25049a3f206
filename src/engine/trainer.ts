/**
 * Training as a stream of events: epochs of steps driven by the clock through a circuit.
 *
 * Schedules (Lee et al. 2015; Bartunov et al. 2018):
 *  - alternating: each epoch first probes and trains every decoder on all minibatches, then trains
 *    the forward projections on all minibatches (the released DTP code's schedule);
 *  - parallel: every step does both, from the same forward sweep.
 * Rules without learned feedback just train their forward projections. Decoder-only passes over
 * the training set may be added (Meulemans et al. 2020's released code, epochs_fb and
 * extra_fb_epochs): `feedbackEpochs` before the first epoch's forward phase, `extraFeedbackEpochs`
 * after every epoch's; each is one more 'decoders' phase of that epoch, on the epoch's data order.
 *
 * Metrics per epoch: `train_error` and `loss` are the mean classification error and cross-entropy
 * over the epoch's training minibatches, measured during the forward phase before each update (as
 * Lee et al. report them); valid/test errors are measured after the epoch; `seconds` is training
 * time only (evaluation excluded); `reconstruction_error` is each decoder's mean probe loss.
 * Networks with random units are evaluated on output probabilities averaged over `eval_samples`
 * sweeps (evaluation.ts), every `evaluation.every` epochs and after the last (null in between).
 *
 * Everything the trainer carries between steps (its position, running tallies, the data order and
 * the shuffling stream) is registered in the network's state registry, so a checkpoint taken
 * between any two steps resumes exactly where it was: `train` starts from the registered position.
 * A network is trained by one `train` call (its state names are registered once).
 *
 * The divergence guard (guard.ts) watches every step: a NaN or ±∞ in a loss, a target or an update
 * ends the stream with a DivergenceError naming the population, the epoch and the step.
 */
import { concat, concatMap, defer, EMPTY, map, Observable, of, range } from 'rxjs';
import { sharedLength } from '../data/sequence';
import { shuffleInPlace } from '../kernels/random';
import { Circuit } from './circuit';
import { ticks } from './clock';
import { evaluate, Examples } from './evaluation';
import { DivergenceGuard } from './guard';
import { Stimulus } from './events';
import { InputNoise, InputNoiseSpec } from './input-noise';
import { MissingView, MissingViewScores, MissingViewSpec } from './missing-view';

export type { Examples } from './evaluation';
export { evaluate } from './evaluation';

export type Schedule = 'alternating' | 'parallel';

export interface TrainingPlan {
  readonly epochs: number;
  readonly batchSize: number;
  readonly schedule: Schedule;
  /** Reshuffle the training set every epoch (the released DTP code does not). */
  readonly shuffle: boolean;
  readonly evalBatchSize: number;
  /** Gaussian noise added to the input on every training step (never when evaluating). */
  readonly inputNoise?: InputNoiseSpec;
  /** Output probabilities averaged over `samples` sweeps, every `every` epochs (defaults 1, 1). */
  readonly evaluation?: { readonly samples: number; readonly every: number };
  /**
   * Train the continuous twin (output and input transforms off) and evaluate the network as
   * specified: Lee et al.'s "train continuous, test discrete" baseline.
   */
  readonly continuousTraining?: boolean;
  /** The name of the stream that shuffles the data (default "data/shuffle"). */
  readonly shuffleStream?: string;
  /** Decoder-only passes over the training set before the first epoch's forward phase (default 0). */
  readonly feedbackEpochs?: number;
  /** Decoder-only passes after every epoch's forward phase (default 0). */
  readonly extraFeedbackEpochs?: number;
  /** Two views of each input, one missing at test: scored zero-filled and filled in by the input decoder (missing-view.ts). */
  readonly missingView?: MissingViewSpec;
}

/** What hears of every epoch before its first step (a learning-rate schedule). */
export interface EpochSchedule {
  setEpoch(epoch: number): void;
}

/** With a view missing at test (missing-view.ts): its scores, null between scored epochs. */
type MissingViewFields = { readonly [K in keyof MissingViewScores]?: number | null };

export interface EpochRecord extends MissingViewFields {
  readonly epoch: number;
  readonly train_error: number;
  readonly valid_error: number | null;
  readonly test_error: number | null;
  readonly loss: number;
  readonly valid_loss: number | null;
  readonly test_loss: number | null;
  readonly seconds: number;
  readonly eval_seconds: number;
  /** M: sweeps whose output probabilities were averaged per evaluated example. */
  readonly eval_samples: number;
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

/**
 * Where training stands: `epoch` (1-based) is in progress or next to start; `phase` 'start' means
 * nothing of it has run yet (not even the shuffle); `pass` is the phase's place in the epoch's
 * sequence of phases (`phasesOf`; absent in checkpoints written before there could be several
 * passes: the phase's first place); `step` counts the steps done in it.
 */
interface Progress {
  epoch: number;
  phase: 'start' | Phase;
  pass?: number;
  step: number;
  tally: { rows: number; errors: number; loss: number };
  seconds: number;
  reconstruction: Record<string, { sum: number; count: number }>;
}

export interface DataSplits {
  readonly train: Examples;
  readonly valid?: Examples;
  readonly test?: Examples;
}

/** One minibatch: its rows, inputs, labels, side information, sequences' length and regression targets. */
interface Minibatch {
  readonly rows: number;
  readonly input: Float32Array;
  readonly labels: Int32Array;
  readonly side?: Float32Array;
  readonly steps?: number;
  readonly targets?: Float32Array;
}

/**
 * The minibatch for a step of size `batchSize`: a view of the data in order, or (when `shuffled`)
 * the examples `order` names for the step, gathered into buffers reused from step to step; with
 * its sequences' shared length, and its rows of the regression targets (`outputs` per example).
 */
function minibatchReader(examples: Examples, batchSize: number, shuffled: boolean, order: Int32Array, outputs: number): (step: number) => Minibatch {
  const { features, side, targets, sequence } = examples;
  const batchInput = new Float32Array(batchSize * features);
  const batchLabels = new Int32Array(batchSize);
  const batchSide = side ? new Float32Array(batchSize * side.size) : undefined;
  const batchTargets = targets ? new Float32Array(batchSize * outputs) : undefined;
  return (step) => {
    const start = step * batchSize;
    const rows = Math.min(batchSize, examples.count - start);
    const steps = sequence ? { steps: sharedLength(sequence, rows, shuffled ? (r) => order[start + r] : (r) => start + r) } : {};
    if (!shuffled) {
      return {
        ...steps,
        ...(targets ? { targets: targets.subarray(start * outputs, (start + rows) * outputs) } : {}),
        rows,
        input: examples.images.subarray(start * features, (start + rows) * features),
        labels: examples.labels.subarray(start, start + rows),
        ...(side ? { side: side.values.subarray(start * side.size, (start + rows) * side.size) } : {}),
      };
    }
    for (let r = 0; r < rows; r++) {
      const i = order[start + r];
      batchInput.set(examples.images.subarray(i * features, (i + 1) * features), r * features);
      batchLabels[r] = examples.labels[i];
      if (side) batchSide!.set(side.values.subarray(i * side.size, (i + 1) * side.size), r * side.size);
      if (targets) batchTargets!.set(targets.subarray(i * outputs, (i + 1) * outputs), r * outputs);
    }
    return { ...steps, rows, input: batchInput.subarray(0, rows * features), labels: batchLabels, ...(batchSide ? { side: batchSide } : {}), ...(batchTargets ? { targets: batchTargets } : {}) };
  };
}

/** What an epoch measured while training: the read-out's tally, each decoder's probe losses, and the training time. */
interface EpochMeasures {
  readonly tally: Tally;
  readonly reconstruction: ReadonlyMap<string, { sum: number; count: number }>;
  readonly trainingSeconds: number;
}

/**
 * The record of `epoch`: its training measures, and the validation and test scores (with the
 * output and input transforms on) when the epoch is scored (every `evaluation.every` and the last).
 */
function epochRecord(circuit: Circuit, data: DataSplits, plan: TrainingPlan, epoch: number, measures: EpochMeasures, missing: MissingView | null): EpochRecord {
  const { network } = circuit;
  const { samples, every } = plan.evaluation ?? { samples: 1, every: 1 };
  const { tally, reconstruction, trainingSeconds } = measures;
  const started = performance.now();
  const scored = epoch % every === 0 || epoch === plan.epochs;
  network.setTransforms(true);
  const valid = scored && data.valid ? evaluate(circuit, data.valid, plan.evalBatchSize, samples) : null;
  const test = scored && data.test ? evaluate(circuit, data.test, plan.evalBatchSize, samples) : null;
  const withViewMissing = missing && scored && data.test ? missing.score(circuit, data.test, plan.evalBatchSize, samples) : null;
  network.setTransforms(!plan.continuousTraining);
  const reconstructionError: Record<string, number> = {};
  const byLayer = [...reconstruction].sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }));
  for (const [name, { sum, count }] of byLayer) reconstructionError[name] = sum / count;
  return {
    epoch,
    train_error: tally.errors / tally.rows,
    valid_error: valid?.error ?? null,
    test_error: test?.error ?? null,
    loss: tally.loss / tally.rows,
    valid_loss: valid?.loss ?? null,
    test_loss: test?.loss ?? null,
    seconds: trainingSeconds,
    eval_seconds: (performance.now() - started) / 1000,
    eval_samples: samples,
    probe_noise: circuit.rule.probeNoise?.(epoch - 1) ?? null,
    reconstruction_error: reconstructionError,
    ...(missing ? (withViewMissing ?? { test_error_zero_filled: null, test_error_filled_in: null, missing_view_sse_zero_filled: null, missing_view_sse_filled_in: null }) : {}),
  };
}

/** Trains `circuit` on `data.train` for `plan.epochs` epochs; emits progress and one record per epoch. */
export function train(circuit: Circuit, data: DataSplits, plan: TrainingPlan, schedule?: EpochSchedule): Observable<TrainerEvent> {
  const { train: examples } = data;
  const { batchSize } = plan;
  const { features } = examples;
  const learnsDecoders = circuit.rule.uses.learnedFeedback;
  const steps = Math.ceil(examples.count / batchSize);
  const { state } = circuit.network;
  const order = state.register('data/order', Int32Array.from({ length: examples.count }, (_, i) => i));
  const shuffleStream = state.stream(plan.shuffleStream ?? 'data/shuffle');
  const minibatch = minibatchReader(examples, batchSize, plan.shuffle, order, circuit.network.readout.size);
  const inputNoise = plan.inputNoise ? new InputNoise(plan.inputNoise, state.stream('input/noise'), batchSize * features) : null;
  const missing = plan.missingView ? new MissingView(plan.missingView, features) : null;
  const blankForTraining = missing?.spec.trainOn === 'present' ? missing : null;
  const network = circuit.network;

  const tally = new Tally();
  const reconstruction = new Map<string, { sum: number; count: number }>();
  let trainingSeconds = 0;
  let guard: DivergenceGuard | undefined;
  /** The phases of `epoch` in order: decoder passes (alternating, pre-training), forward, extra decoder passes. */
  const phasesOf = (epoch: number): Phase[] => {
    if (!learnsDecoders) return ['forward'];
    const before = (plan.schedule === 'alternating' ? 1 : 0) + (epoch === 1 ? (plan.feedbackEpochs ?? 0) : 0);
    const decoders = (n: number): Phase[] => Array.from({ length: n }, () => 'decoders');
    return [...decoders(before), 'forward', ...decoders(plan.extraFeedbackEpochs ?? 0)];
  };
  let position: Required<Pick<Progress, 'epoch' | 'phase' | 'step' | 'pass'>> = { epoch: 1, phase: 'start', step: 0, pass: 0 };
  state.value(
    'trainer/progress',
    (): Progress => ({
      ...position,
      tally: { rows: tally.rows, errors: tally.errors, loss: tally.loss },
      seconds: trainingSeconds,
      reconstruction: Object.fromEntries([...reconstruction].map(([name, entry]) => [name, { ...entry }])),
    }),
    (snapshot) => {
      const saved = snapshot as Progress;
      const pass = saved.pass ?? (saved.phase === 'start' ? 0 : phasesOf(saved.epoch).indexOf(saved.phase));
      position = { epoch: saved.epoch, phase: saved.phase, step: saved.step, pass };
      Object.assign(tally, saved.tally);
      trainingSeconds = saved.seconds;
      reconstruction.clear();
      for (const [name, entry] of Object.entries(saved.reconstruction)) reconstruction.set(name, { ...entry });
    },
  );

  /** The steps of the epoch's `pass`-th phase not yet done (all of them unless resuming inside it). */
  const phase$ = (epoch: number, phase: Phase, pass: number): Observable<TrainerEvent> =>
    defer(() => {
      if (position.pass > pass) return EMPTY;
      if (position.pass !== pass || position.phase !== phase) position = { epoch, phase, step: 0, pass };
      const noise = circuit.rule.probeNoise?.(epoch - 1) ?? 0;
      const learnForward = phase === 'forward';
      const probeDecoders = learnsDecoders && (phase === 'decoders' || plan.schedule === 'parallel');
      const from = position.step;
      return ticks(steps - from).pipe(
        map((tick): TrainerEvent => {
          const step = from + tick;
          const batch = minibatch(step);
          const seen = blankForTraining ? blankForTraining.blank(batch.rows, batch.input) : batch.input;
          const input = inputNoise ? inputNoise.corrupt(epoch - 1, batch.rows * features, seen) : seen;
          const stimulus: Stimulus = { step, ...batch, input, learnForward, probeDecoders, noise };
          const started = performance.now();
          circuit.step(stimulus);
          trainingSeconds += (performance.now() - started) / 1000;
          guard!.afterStep(epoch, phase, step, learnForward);
          position.step = step + 1;
          return { kind: 'progress', epoch, phase, done: step + 1, total: steps };
        }),
      );
    });

  const record = (epoch: number): EpochRecord => epochRecord(circuit, data, plan, epoch, { tally, reconstruction, trainingSeconds }, missing);

  return defer(() => {
    network.setTransforms(!plan.continuousTraining);
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
    guard = new DivergenceGuard(circuit);
    const first = position.epoch;
    const epochs$ = range(first, Math.max(0, plan.epochs - first + 1)).pipe(
      concatMap((epoch) => {
        const start$ = defer(() => {
          schedule?.setEpoch(epoch);
          examples.refresh?.(epoch);
          if (position.phase === 'start') {
            tally.reset();
            reconstruction.clear();
            trainingSeconds = 0;
            if (plan.shuffle) shuffleInPlace(shuffleStream, order);
            position = { epoch, phase: phasesOf(epoch)[0], step: 0, pass: 0 };
          }
          return EMPTY;
        });
        const end$ = defer(() => {
          guard!.checkState(epoch, 'end of epoch', steps - 1);
          const event: TrainerEvent = { kind: 'epoch', record: record(epoch) };
          position = { epoch: epoch + 1, phase: 'start', step: 0, pass: 0 };
          return of(event);
        });
        return concat(start$, ...phasesOf(epoch).map((phase, pass) => phase$(epoch, phase, pass)), end$);
      }),
    );
    return new Observable<TrainerEvent>((subscriber) => {
      const inner = epochs$.subscribe(subscriber);
      return () => {
        inner.unsubscribe();
        outcomes.unsubscribe();
        probes.unsubscribe();
        guard?.dispose();
      };
    });
  });
}
