/**
 * From the examples of a data file to the simulator's splits. A training file is cut in order:
 * its first examples train (all of them, or the first `trainLimit`), its last `validation` ones
 * validate (Lee, Zhang, Fischer & Bengio, 2015: MNIST's last 10,000 training images). With a
 * `validationSeed` the validation examples are drawn at random instead, as Meulemans et al. (2020)'s
 * code splits MNIST (their main.py: torch.utils.data.random_split(trainset, [55000, 5000]) under the
 * run's seed): a uniformly random permutation of the file (Fisher–Yates on the stream
 * "data/validation" of that seed), whose last `validation` examples validate and the others train,
 * each split kept in file order. Inputs are converted only for the examples kept, x / divisor into
 * a Float32Array (1/255 scales bytes to [0, 1]).
 */
import { shuffleInPlace, streamState } from '../kernels/random';
import { Dataset } from './dataset';
import { DataError } from './data-error';

/** The examples of one data file, in its order. */
export interface Examples {
  /** The data set's name ("mnist", "cifar10", "npy") and the file its errors name. */
  readonly name: string;
  readonly file: string;
  /** count × features, row-major. */
  readonly values: Uint8Array | Float32Array;
  readonly labels: Uint8Array | Int32Array;
  readonly features: number;
  readonly classes: number;
  /** Inputs are values / divisor: 255 for pixel bytes, 1 for numbers taken as they are. */
  readonly divisor: number;
}

/** The three splits a run uses, and the size of the training file they came from (side information has a row per image of it). */
export interface Splits {
  readonly train: Dataset;
  readonly valid: Dataset;
  readonly test: Dataset;
  readonly trainingFileCount: number;
}

/** How a training file is split: `validation` examples from its end (a count, or a fraction below 1), `trainLimit` of the rest. */
export interface SplitOptions {
  readonly validation: number;
  readonly trainLimit?: number;
  /** When given, the validation examples are drawn at random under this seed instead of taken from the end. */
  readonly validationSeed?: number;
}

/** The train and validation splits of a training file; `title` names the data set in errors ("MNIST"). */
export function splitTraining(title: string, examples: Examples, { validation, trainLimit, validationSeed }: SplitOptions): { train: Dataset; valid: Dataset } {
  const total = examples.labels.length;
  const held = heldOut(`${title} validation size`, validation, total);
  if (held >= total) throw new DataError(`${title} validation size ${validation} leaves no training data: ${examples.file} has only ${total} examples`);
  const trainTotal = total - held;
  if (trainLimit !== undefined && (!Number.isInteger(trainLimit) || trainLimit < 1)) {
    throw new DataError(`${title} trainLimit must be a positive integer, got ${trainLimit}`);
  }
  const trainCount = Math.min(trainLimit ?? trainTotal, trainTotal);
  if (validationSeed === undefined) return { train: rows(examples, 'train', 0, trainCount), valid: rows(examples, 'valid', trainTotal, held) };
  const order = Int32Array.from({ length: total }, (_, i) => i);
  shuffleInPlace(streamState(validationSeed, 'data/validation'), order);
  const inFileOrder = (picked: Int32Array): Int32Array => picked.slice().sort();
  const train = inFileOrder(order.subarray(0, trainTotal)).subarray(0, trainCount);
  return { train: pickRows(examples, 'train', train), valid: pickRows(examples, 'valid', inFileOrder(order.subarray(trainTotal))) };
}

/**
 * How many of `total` examples a size holds out: an integer is a count, a number in (0, 1) a
 * fraction (rounded to the nearest count). `what` names the size in errors.
 */
export function heldOut(what: string, size: number, total: number): number {
  if (Number.isInteger(size) && size >= 0) return size;
  if (size > 0 && size < 1) return Math.round(size * total);
  throw new DataError(`${what} must be a non-negative integer or a fraction below 1, got ${size}`);
}

/** Examples [start, start+count) as the data set `${name}-${split}`, with their own arrays. */
export function rows(examples: Examples, split: string, start: number, count: number): Dataset {
  return pickRows(examples, split, Int32Array.from({ length: count }, (_, i) => start + i));
}

/** The examples at `indices`, in that order, as the data set `${name}-${split}`, with their own arrays. */
export function pickRows(examples: Examples, split: string, indices: Int32Array): Dataset {
  const { features, divisor } = examples;
  const count = indices.length;
  const images = new Float32Array(count * features);
  const labels = new Int32Array(count);
  for (let r = 0; r < count; r++) {
    const from = indices[r] * features;
    for (let j = 0; j < features; j++) images[r * features + j] = examples.values[from + j] / divisor;
    labels[r] = examples.labels[indices[r]];
  }
  return { images, labels, count, features, classes: examples.classes, name: `${examples.name}-${split}` };
}

/** The last `count` examples apart from the others (views, no copy): [head, tail]. */
export function cutTail(examples: Examples, count: number): [Examples, Examples] {
  const at = examples.labels.length - count;
  const part = (from: number, to: number): Examples => ({
    ...examples,
    values: examples.values.subarray(from * examples.features, to * examples.features),
    labels: examples.labels.subarray(from, to),
  });
  return [part(0, at), part(at, examples.labels.length)];
}

/** Every label an integer in [0, classes); `file` is the labels' file. */
export function checkLabels(file: string, labels: ArrayLike<number>, classes: number): void {
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i];
    if (!Number.isInteger(y)) throw new DataError(`${file}: label at index ${i} is ${y}, not an integer`);
    if (y < 0 || y >= classes) throw new DataError(`${file}: label at index ${i} is ${y}, expected 0..${classes - 1}`);
  }
}
