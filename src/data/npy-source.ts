/**
 * A data set of one's own as numpy arrays (`"source": "npy"`): inputs x of shape [N, ...] (each
 * example flattened in C order into the product of the other dimensions, taken as they are, not
 * scaled) and integer labels y of shape [N] or [N, 1] (any integer dtype, or floats holding
 * integers). A split is two .npy files `{ "x": …, "y": … }` or one .npz holding arrays x and y
 * (or x_train and y_train / x_test and y_test, as keras.datasets' mnist.npz). The test split is
 * its own files, the x_test / y_test of the training .npz, or a fraction of the training file
 * held out from its end; validation is cut before it (./splits.ts). The class count is the
 * largest label plus one, unless given.
 */
import { DataError } from './data-error';
import { firstNonFinite, NumericArray, readArrays } from './npy';
import { checkLabels, cutTail, Examples, heldOut, rows, splitTraining, Splits } from './splits';

/** x and y of one split: two .npy files, or an .npz file holding both. */
export type NpyPair = string | { readonly x: string; readonly y: string };

export interface NpyOptions {
  readonly train: NpyPair;
  /** Its own files, or the fraction of the training file held out for testing; null: the training .npz's x_test and y_test. */
  readonly test: NpyPair | number | null;
  /** Examples held out for validation before the test part: a count, or a fraction below 1. */
  readonly validation: number;
  /** Labels are 0..classes-1; null: the largest label plus one. */
  readonly classes: number | null;
  readonly trainLimit?: number;
  /** If given, the validation examples are drawn at random under this seed (./splits.ts) instead of taken from the end. */
  readonly validationSeed?: number;
}

/** One split's arrays and the files they came from. */
interface Pair {
  readonly x: NumericArray;
  readonly y: NumericArray;
  readonly xFile: string;
  readonly yFile: string;
}

/** The npy data set's train / valid / test splits. */
export function loadNpy(options: NpyOptions): Splits {
  const whole = readPair(options.train, ['x', 'y'], ['x_train', 'y_train']);
  const given = testPair(options);
  const classes = options.classes ?? 1 + Math.max(maxLabel(whole), given ? maxLabel(given) : 0);
  const file = examples(whole, classes);
  const [training, test] = given ? [file, examples(given, classes)] : testTail(file, options.test as number);
  if (given && test.features !== training.features) {
    throw new DataError(`${given.xFile}: its examples have ${test.features} features, but the training data's have ${training.features}`);
  }
  const { train, valid } = splitTraining('npy', training, options);
  return { train, valid, test: rows(test, 'test', 0, test.labels.length), trainingFileCount: whole.y.shape[0] };
}

/** The test split's own arrays, or null when it is a fraction of the training file. */
function testPair({ train, test }: NpyOptions): Pair | null {
  if (typeof test === 'number') return null;
  if (test !== null) return readPair(test, ['x', 'y'], ['x_test', 'y_test']);
  const advice = 'give data.test (its own files, or a fraction of the training data)';
  if (typeof train !== 'string') throw new DataError(`${train.x}: no test split: ${advice}`);
  return readPair(train, ['x_test', 'y_test'], [], `no test split: it holds no x_test and y_test arrays; ${advice}`);
}

function testTail(file: Examples, fraction: number): [Examples, Examples] {
  const count = heldOut('npy test size', fraction, file.labels.length);
  if (count < 1 || count >= file.labels.length) {
    throw new DataError(`npy test size ${fraction} of ${file.file}'s ${file.labels.length} examples leaves ${count === 0 ? 'no test' : 'no training'} data`);
  }
  return cutTail(file, count);
}

/**
 * x and y of a split: from two files, or from the first of the name pairs `names`, `alternative`
 * an .npz holds. `missing` ends the error when the .npz holds neither.
 */
function readPair(files: NpyPair, names: [string, string], alternative: string[], missing?: string): Pair {
  if (typeof files !== 'string') return { x: single(files.x), y: single(files.y), xFile: files.x, yFile: files.y };
  const arrays = readArrays(files);
  const [x, y] = [names, alternative].find((pair) => pair.length === 2 && pair.every((name) => arrays.has(name))) ?? [];
  if (x === undefined || y === undefined) {
    const held = [...arrays.keys()].map((name) => name || '(a single .npy array)').join(', ') || 'none';
    throw new DataError(`${files}: ${missing ?? `needs arrays ${names.join(' and ')}${alternative.length ? ` (or ${alternative.join(' and ')})` : ''}`}; it holds ${held}`);
  }
  return { x: arrays.get(x)!, y: arrays.get(y)!, xFile: `${files}: array ${x}`, yFile: `${files}: array ${y}` };
}

/** The one array of a .npy file. */
function single(file: string): NumericArray {
  const arrays = readArrays(file);
  const array = arrays.get('');
  if (!array) throw new DataError(`${file}: an .npz archive where one .npy array is needed; name the .npz as the split itself`);
  return array;
}

function maxLabel({ y }: Pair): number {
  let max = 0;
  for (let i = 0; i < y.data.length; i++) max = Math.max(max, y.data[i]);
  return max;
}

/** The pair's examples, checked: one label per example, integer labels in range, finite inputs. */
function examples({ x, y, xFile, yFile }: Pair, classes: number): Examples {
  if (x.shape.length < 1) throw new DataError(`${xFile}: a scalar; x needs one row per example (shape [N, ...])`);
  if (y.shape.length < 1 || y.shape.length > 2 || (y.shape.length === 2 && y.shape[1] !== 1)) {
    throw new DataError(`${yFile}: labels of shape [${y.shape.join(', ')}]; y needs shape [N] or [N, 1]`);
  }
  const count = x.shape[0];
  if (y.shape[0] !== count) throw new DataError(`${yFile}: ${y.shape[0]} labels but ${xFile} has ${count} examples`);
  if (count === 0) throw new DataError(`${xFile}: no examples`);
  checkLabels(yFile, y.data, classes);
  const features = x.shape.slice(1).reduce((product, n) => product * n, 1);
  const values = Float32Array.from(x.data);
  const bad = firstNonFinite(values);
  if (bad >= 0) throw new DataError(`${xFile}: example ${Math.floor(bad / features)} holds ${values[bad]}`);
  return { name: 'npy', file: yFile, values, labels: Int32Array.from(y.data), features, classes, divisor: 1 };
}
