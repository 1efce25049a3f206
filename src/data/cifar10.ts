/**
 * CIFAR-10 in its binary version (A. Krizhevsky, "Learning Multiple Layers of Features from Tiny
 * Images", 2009; https://www.cs.toronto.edu/~kriz/cifar.html): data_batch_1.bin … data_batch_5.bin
 * (50,000 training images) and test_batch.bin (10,000), each a run of 3,073-byte records:
 *
 *   byte 0        the label, 0..9
 *   bytes 1-3072  the 32×32 image: 1,024 red, then 1,024 green, then 1,024 blue bytes, rows in order
 *
 * An image becomes 3,072 inputs in the file's order (channel, row, column), scaled to [0, 1]; the
 * last `validation` training images (5,000 unless told) validate (./splits.ts).
 */
import * as path from 'path';
import { DataError } from './data-error';
import { readDataFile } from './read-file';
import { checkLabels, Examples, rows, SplitOptions, splitTraining, Splits } from './splits';

export const CIFAR10_TRAIN_FILES = [1, 2, 3, 4, 5].map((i) => `data_batch_${i}.bin`);
export const CIFAR10_TEST_FILE = 'test_batch.bin';
export const CIFAR10_FEATURES = 3 * 32 * 32;
export const CIFAR10_CLASSES = 10;
export const CIFAR10_VALIDATION = 5000;
const RECORD = 1 + CIFAR10_FEATURES;

/** CIFAR-10's train / valid / test splits from the six batch files in `dir`. */
export function loadCifar10(dir: string, split: SplitOptions): Splits {
  const training = batches(CIFAR10_TRAIN_FILES.map((name) => path.join(dir, name)), path.join(dir, 'data_batch_[1-5].bin'));
  const { train, valid } = splitTraining('CIFAR-10', training, split);
  const test = batches([path.join(dir, CIFAR10_TEST_FILE)], path.join(dir, CIFAR10_TEST_FILE));
  return { train, valid, test: rows(test, 'test', 0, test.labels.length), trainingFileCount: training.labels.length };
}

/** The records of `files`, one after another, as pixel bytes and labels; `label` names them all. */
function batches(files: string[], label: string): Examples {
  const contents = files.map((file) => {
    const bytes = readDataFile(file);
    if (bytes.length === 0 || bytes.length % RECORD !== 0) {
      throw new DataError(`${file}: ${bytes.length} bytes is not a whole number of CIFAR-10 records (${RECORD} bytes each: 1 label, ${CIFAR10_FEATURES} pixels)`);
    }
    return bytes;
  });
  const count = contents.reduce((sum, bytes) => sum + bytes.length / RECORD, 0);
  const values = new Uint8Array(count * CIFAR10_FEATURES);
  const labels = new Uint8Array(count);
  let example = 0;
  contents.forEach((bytes, f) => {
    const first = example;
    for (let at = 0; at < bytes.length; at += RECORD, example++) {
      labels[example] = bytes[at];
      values.set(bytes.subarray(at + 1, at + RECORD), example * CIFAR10_FEATURES);
    }
    checkLabels(files[f], labels.subarray(first, example), CIFAR10_CLASSES);
  });
  return { name: 'cifar10', file: label, values, labels, features: CIFAR10_FEATURES, classes: CIFAR10_CLASSES, divisor: 255 };
}
