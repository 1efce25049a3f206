/**
 * numpy's own array files: .npy (one array: a magic string, a header dict naming dtype, order and
 * shape, then the elements; "NEP 1 — A simple file format for NumPy arrays"), parsed with npyjs,
 * and .npz (a zip archive of NAME.npy files, numpy.savez / savez_compressed; ./zip.ts). Only real
 * numbers in C order are taken: the simulator's inputs and labels.
 */
import { parse } from 'npyjs';
import { DataError } from './data-error';
import { readDataFile } from './read-file';
import { readZip } from './zip';

/** A numeric array: its shape, numpy dtype without byte order ("f4", "u1", "i8") and elements in C order. */
export interface NumericArray {
  readonly shape: readonly number[];
  readonly dtype: string;
  readonly data: ArrayLike<number>;
}

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
const REAL_DTYPE = /^([iu][1248]|f[248])$/;

/** The numeric array in .npy bytes; `label` starts each error message. */
export function parseNpy(bytes: Uint8Array, label: string): NumericArray {
  let array: ReturnType<typeof parse>;
  try {
    array = parse(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length) as ArrayBuffer);
  } catch (error) {
    throw new DataError(`${label}: not a .npy array (${(error as Error).message})`);
  }
  const { shape, dtype, fortranOrder, data } = array;
  if (fortranOrder) throw new DataError(`${label}: Fortran order; save it in C order (numpy.ascontiguousarray)`);
  if (!REAL_DTYPE.test(dtype)) throw new DataError(`${label}: dtype ${dtype} is not a real number type`);
  const elements = data instanceof BigInt64Array || data instanceof BigUint64Array ? Float64Array.from(data, Number) : (data as unknown as ArrayLike<number>);
  return { shape, dtype, data: elements };
}

/** The index of the first NaN or infinite value, or -1. */
export function firstNonFinite(values: ArrayLike<number>): number {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) return i;
  return -1;
}

/**
 * The arrays of a .npy or .npz file (told apart by their first bytes, not their names): an .npz's
 * by name without ".npy", a .npy's single array under the name "".
 */
export function readArrays(file: string): Map<string, NumericArray> {
  const bytes = readDataFile(file);
  if (!ZIP_MAGIC.every((b, i) => bytes[i] === b)) return new Map([['', parseNpy(bytes, file)]]);
  const arrays = new Map<string, NumericArray>();
  for (const [name, entry] of readZip(bytes, file)) {
    if (name.endsWith('.npy')) arrays.set(name.slice(0, -4), parseNpy(entry, `${file}: array ${name.slice(0, -4)}`));
  }
  return arrays;
}
