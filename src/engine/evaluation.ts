/**
 * Scoring without learning. A network with random units gives a different answer on every sweep;
 * as Lee et al. (2015, §3.3) test their stochastic network, the output probabilities are averaged
 * over M sweeps of the same minibatch, p̄ = (1/M) Σ_s p_s, and the prediction is argmax p̄. With
 * M = 1 this is the ordinary single-sweep evaluation.
 */
import { SequenceShape, sharedLength } from '../data/sequence';
import { kernels } from '../kernels';
import { Circuit } from './circuit';
import { Stimulus } from './events';
import { readoutErrors } from './readout-score';

/** Labelled examples, row-major (the data layer's Dataset satisfies this). */
export interface Examples {
  readonly images: Float32Array;
  readonly labels: Int32Array;
  readonly count: number;
  readonly features: number;
  /** Side information for a conditional decoder: `size` values per example (count × size). */
  readonly side?: { readonly size: number; readonly values: Float32Array };
  /** Real-valued targets (count × outputs) for a regression read-out. */
  readonly targets?: Float32Array;
  /** Sequences: each row holds its example's time steps (data/sequence.ts). */
  readonly sequence?: SequenceShape;
  /** Redraws the examples for `epoch` (generated tasks). */
  readonly refresh?: (epoch: number) => void;
}

/** What a scoring step adds to the input and labels: sequences' length, regression targets. */
interface Extras {
  readonly steps?: number;
  readonly targets?: Float32Array;
}

/** The step that only scores a minibatch. */
function scoringStimulus(step: number, rows: number, input: Float32Array, labels: Int32Array, extras: Extras): Stimulus {
  return { step, rows, input, labels, learnForward: false, probeDecoders: false, noise: 0, ...extras };
}

/**
 * mean ← (1/M) Σ_s p_s: the read-out's probabilities for `rows` rows averaged over `samples`
 * sweeps, each drawing fresh samples from the populations' streams.
 */
export function meanProbabilities(
  circuit: Circuit,
  rows: number,
  input: Float32Array,
  labels: Int32Array,
  samples: number,
  mean: Float32Array,
  extras: Extras = {},
): void {
  const k = kernels();
  const { readout } = circuit.network;
  const length = rows * readout.size;
  mean.fill(0, 0, length);
  // The read-out's activity holds its probabilities once the outcome has been scored.
  const subscription = circuit.outcome$.subscribe(() => k.axpby(length, 1 / samples, readout.activity, 1, mean, mean));
  for (let s = 0; s < samples; s++) circuit.step(scoringStimulus(s, rows, input, labels, extras));
  subscription.unsubscribe();
}

/**
 * Error rate and mean loss (cross-entropy, or a regression's squared error: readout-score.ts) of `examples`, with output probabilities averaged over
 * `samples` sweeps. With M > 1 the loss is −log p̄(label), p̄ floored at 1e-30 (float32 underflow).
 */
export function evaluate(circuit: Circuit, examples: Examples, batchSize: number, samples = 1): { error: number; loss: number } {
  const k = kernels();
  const { readout } = circuit.network;
  const classes = readout.size;
  const { features } = examples;
  const mean = new Float32Array(Math.min(batchSize, examples.count) * classes);
  let errors = 0;
  let loss = 0;
  let sweepLoss = 0;
  const losses = circuit.outcome$.subscribe((outcome) => (sweepLoss += outcome.loss));
  for (let start = 0; start < examples.count; start += batchSize) {
    const rows = Math.min(batchSize, examples.count - start);
    const labels = examples.labels.subarray(start, start + rows);
    const extras = {
      ...(examples.sequence ? { steps: sharedLength(examples.sequence, rows, (r) => start + r) } : {}),
      ...(examples.targets ? { targets: examples.targets.subarray(start * classes, (start + rows) * classes) } : {}),
    };
    meanProbabilities(circuit, rows, examples.images.subarray(start * features, (start + rows) * features), labels, samples, mean, extras);
    errors += readoutErrors(readout, rows, mean, labels, extras.targets);
    if (samples > 1 && extras.targets) loss += k.sumSquaredDifference(rows * classes, mean, extras.targets);
    else if (samples > 1) for (let r = 0; r < rows; r++) loss -= Math.log(Math.max(mean[r * classes + labels[r]], 1e-30));
  }
  losses.unsubscribe();
  return { error: errors / examples.count, loss: (samples > 1 ? loss : sweepLoss) / examples.count };
}
