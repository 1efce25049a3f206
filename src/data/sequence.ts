/**
 * Sequences as data: example i is `lengths[i]` time steps of `width` inputs each, stored step after
 * step in its row of the data set (x_1, x_2, … x_T), zero-padded up to the row's `features`
 * = maxLength·width. A recurrent population reads one step of a minibatch per event; every
 * sequence of one minibatch has the same length (the task generators draw a length per block of
 * sequences, as Pascanu et al.'s generators draw one per minibatch).
 */
import { DataError } from './data-error';

export interface SequenceShape {
  /** Inputs per time step. */
  readonly width: number;
  /** The length T of each example's sequence. */
  readonly lengths: Int32Array;
}

/** The length shared by the examples `example(0)`, … `example(rows − 1)` of one minibatch; throws when they differ. */
export function sharedLength(shape: SequenceShape, rows: number, example: (row: number) => number): number {
  const length = shape.lengths[example(0)];
  for (let r = 1; r < rows; r++) {
    const other = shape.lengths[example(r)];
    if (other !== length) {
      throw new Error(`sequences ${example(0)} and ${example(r)} of one minibatch differ in length (${length}, ${other}): minibatches must not straddle length blocks (shuffle off, batch sizes as the data's blocks)`);
    }
  }
  return length;
}

/** Every example of `count` read as `steps` steps of features/steps inputs (sequential MNIST: 28 rows as 28 steps). */
export function fixedLengthSequences(count: number, features: number, steps: number, what: string): SequenceShape {
  if (!Number.isInteger(steps) || steps < 1 || features % steps !== 0) {
    throw new DataError(`${what}: ${features} features cannot be read as ${steps} steps of equal width`);
  }
  return { width: features / steps, lengths: new Int32Array(count).fill(steps) };
}
