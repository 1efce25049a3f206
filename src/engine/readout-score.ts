/**
 * How the read-out scores a minibatch, by its loss:
 *  - cross-entropy (softmax): L = −Σ_i log p[i, label_i], errors = rows whose arg-max is not the label;
 *  - squared error (linear-readout, a regression): L = Σ_i ‖y_i − t_i‖², errors = rows with
 *    ‖y_i − t_i‖² > 0.04, the released TPTT code's criterion for the adding problem (Manchev &
 *    Spratling 2020; Hochreiter & Schmidhuber 1997 bound the absolute error by 0.04).
 * The gradient of the batch-mean loss at the read-out's summed input is (p − onehot)/m or 2(y − t)/m.
 */
import { kernels } from '../kernels';
import { oneHot } from '../network/one-hot';
import { Population } from '../network/population';
import { Stimulus } from './events';

/** A regression row counts as an error above this squared error. */
export const REGRESSION_TOLERANCE = 0.04;

/** The real-valued targets a regression read-out needs, or an error naming what is missing. */
function targetsOf(stimulus: { readonly targets?: Float32Array }): Float32Array {
  if (!stimulus.targets) throw new Error('a linear-readout needs real-valued targets (a regression task such as "adding"); these data have labels only');
  return stimulus.targets;
}

/**
 * Scores the read-out's activity (its probabilities once scored, for softmax) against the
 * minibatch's labels or targets; with `learn`, writes ∂(mean loss)/∂a to its delta and the
 * one-hot label or the targets to its target.
 */
export function scoreMinibatch(readout: Population, stimulus: Stimulus, learn: boolean): { loss: number; errors: number } {
  const k = kernels();
  const { rows, labels } = stimulus;
  const scores = readout.activity;
  const length = rows * readout.size;
  if (readout.unit.loss === 'squared-error') {
    const targets = targetsOf(stimulus);
    const errors = regressionErrors(rows, readout.size, scores, targets);
    const loss = k.sumSquaredDifference(length, scores, targets);
    if (learn) {
      k.axpby(length, 2 / rows, scores, -2 / rows, targets, readout.delta);
      readout.target.set(targets.subarray(0, length));
    }
    return { loss, errors };
  }
  const errors = k.countErrors(rows, readout.size, scores, labels);
  const loss = k.softmaxCrossEntropy(rows, readout.size, scores, labels, scores, 1, learn ? readout.delta : null);
  if (learn) oneHot(rows, readout.size, labels, readout.target);
  return { loss, errors };
}

/** Errors of outputs `mean` (rows × size): misclassified rows, or regression rows off by more than the tolerance. */
export function readoutErrors(readout: Population, rows: number, mean: Float32Array, labels: Int32Array, targets: Float32Array | undefined): number {
  if (readout.unit.loss === 'squared-error') return regressionErrors(rows, readout.size, mean, targetsOf({ targets }));
  return kernels().countErrors(rows, readout.size, mean, labels);
}

function regressionErrors(rows: number, size: number, y: Float32Array, t: Float32Array): number {
  let errors = 0;
  for (let r = 0; r < rows; r++) {
    let squared = 0;
    for (let j = r * size; j < (r + 1) * size; j++) squared += (y[j] - t[j]) ** 2;
    if (squared > REGRESSION_TOLERANCE) errors++;
  }
  return errors;
}
