/**
 * Side information: one vector per training example that reaches a conditional decoder beside the
 * top activity (Bengio 2014, arXiv 1407.7906, §9: an auto-encoder conditioned on another modality).
 * Without any, the decoder reads the one-hot label. An experiment supplies it in `data.side`:
 *  - `{ "embedding": [[…], …] }`: one vector per class, s = E[y] (e.g. a coarse code of the digit);
 *  - `{ "file": "side.npy" }`: one row per image of the MNIST training file, in that file's order
 *    (a 2-D numeric .npy array in C order, as numpy.save writes it); the training split's rows are
 *    used, so a validation split or a training limit keeps every image with its own vector.
 * The mean vector of each class, S̄, comes with it: p·S̄ is what the read-out's belief p predicts.
 */
import * as fs from 'fs';
import { DataError } from './data-error';
import { firstNonFinite, parseNpy } from './npy';

export type SideSpec = { readonly embedding: readonly (readonly number[])[] } | { readonly file: string };

export interface SideInformation {
  /** Values per example. */
  readonly size: number;
  /** count × size, row-major, row i for training example i. */
  readonly values: Float32Array;
  /** S̄: classes × size, the mean of `values` over each class's examples. */
  readonly meanByClass: Float32Array;
}

/**
 * The side information `spec` gives the first `labels.length` images of a training file of
 * `fileCount` images; `where` names the field for error messages.
 */
export function loadSideInformation(spec: SideSpec, labels: Int32Array, classes: number, fileCount: number, where: string): SideInformation {
  const { size, rows } = 'embedding' in spec ? embedding(spec.embedding, labels, classes, where) : fromFile(spec.file, labels.length, fileCount, where);
  return { size, values: rows, meanByClass: classMeans(rows, size, labels, classes) };
}

function embedding(vectors: readonly (readonly number[])[], labels: Int32Array, classes: number, where: string): { size: number; rows: Float32Array } {
  if (vectors.length !== classes) throw new DataError(`${where}/embedding has ${vectors.length} vectors; it needs one per class (${classes})`);
  const size = vectors[0].length;
  const ragged = vectors.findIndex((v) => v.length !== size);
  if (ragged >= 0) throw new DataError(`${where}/embedding/${ragged} has ${vectors[ragged].length} values; every vector needs the first one's ${size}`);
  const rows = new Float32Array(labels.length * size);
  labels.forEach((y, i) => rows.set(vectors[y], i * size));
  return { size, rows };
}

function fromFile(file: string, count: number, fileCount: number, where: string): { size: number; rows: Float32Array } {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (error) {
    throw new DataError(`${where}/file ${file}: cannot read it (${(error as NodeJS.ErrnoException).code})`);
  }
  const { shape, data } = parseNpy(bytes, `${where}/file ${file}`);
  if (shape.length !== 2) throw new DataError(`${where}/file ${file}: a 2-D array (images × values) is needed, found shape [${shape.join(', ')}]`);
  const [images, size] = shape;
  if (images !== fileCount) throw new DataError(`${where}/file ${file}: ${images} rows; it needs one per image of the training file (${fileCount})`);
  const rows = Float32Array.from(data).subarray(0, count * size);
  const bad = firstNonFinite(rows);
  if (bad >= 0) throw new DataError(`${where}/file ${file}: row ${Math.floor(bad / size)} holds ${rows[bad]}`);
  return { size, rows: rows.slice() };
}

function classMeans(rows: Float32Array, size: number, labels: Int32Array, classes: number): Float32Array {
  const sums = new Float64Array(classes * size);
  const counts = new Float64Array(classes);
  labels.forEach((y, i) => {
    counts[y]++;
    for (let j = 0; j < size; j++) sums[y * size + j] += rows[i * size + j];
  });
  return Float32Array.from(sums, (sum, i) => (counts[Math.floor(i / size)] > 0 ? sum / counts[Math.floor(i / size)] : 0));
}
