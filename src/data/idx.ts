/**
 * Reader for the IDX file format, the container used by the MNIST database
 * (Y. LeCun, C. Cortes, C. J. C. Burges, "THE MNIST DATABASE of handwritten
 * digits", http://yann.lecun.com/exdb/mnist/).
 *
 * Layout of an IDX file (all integers big-endian):
 *
 *   bytes 0-1   0x00 0x00                 (always zero)
 *   byte  2     TT  element type:  0x08 unsigned byte, 0x09 signed byte,
 *                                  0x0B int16, 0x0C int32, 0x0D float32,
 *                                  0x0E float64
 *   byte  3     DD  number of dimensions
 *   then        DD uint32 sizes, one per dimension (outermost first)
 *   then        the elements, row-major (last dimension varies fastest)
 *
 * So the magic number reads 0x0000TTDD; MNIST images are 0x00000803
 * (unsigned bytes, dims [N, 28, 28]) and labels 0x00000801 (dims [N]).
 *
 * Only the unsigned-byte type (0x08) is supported, which is all MNIST uses.
 * Files may be stored raw or gzip-compressed (as distributed on LeCun's
 * page); compression is detected from the gzip magic bytes 1f 8b, not from
 * the file name.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import { DataError, errorText } from './data-error';

export { DataError } from './data-error';

/** An n-dimensional array of unsigned bytes read from an IDX file. */
export interface IdxArray {
  /** Size of each dimension, outermost first. */
  dims: number[];
  /** Elements in row-major order; length is the product of `dims`. */
  data: Uint8Array;
}

/** IDX element type codes (third magic byte) and their meaning, for error messages. */
const IDX_TYPES: Record<number, string> = {
  0x08: 'unsigned byte',
  0x09: 'signed byte',
  0x0b: 'int16',
  0x0c: 'int32',
  0x0d: 'float32',
  0x0e: 'float64',
};

const UBYTE = 0x08;

function hex32(n: number): string {
  return '0x' + (n >>> 0).toString(16).padStart(8, '0');
}

function hex8(n: number): string {
  return '0x' + n.toString(16).padStart(2, '0');
}

/** True if the buffer starts with the gzip magic bytes 1f 8b. */
export function isGzip(buf: Uint8Array): boolean {
  return buf.length >= 2 && buf[0] === 0x1f && buf[1] === 0x8b;
}

/**
 * Return the path of `baseName` in `dir`, or of `baseName + '.gz'` if only the
 * compressed file exists. The uncompressed file wins when both exist.
 * Throws a DataError naming both candidates when neither exists.
 */
export function resolveIdxFile(dir: string, baseName: string): string {
  const raw = path.join(dir, baseName);
  const gz = raw + '.gz';
  if (isFile(raw)) return raw;
  if (isFile(gz)) return gz;
  throw new DataError(`missing data file: neither ${raw} nor ${gz} exists`);
}

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

/**
 * Read an IDX file of unsigned bytes. `file` may be raw or gzip-compressed;
 * if `file` does not exist but `file + '.gz'` does, the latter is read.
 * Throws DataError on a missing file, a short header, a wrong magic number,
 * truncated (or over-long) data, or a corrupt gzip stream.
 */
export function readIdx(file: string): IdxArray {
  let actual = file;
  if (!isFile(file)) {
    if (isFile(file + '.gz')) actual = file + '.gz';
    else throw new DataError(`${file}: missing data file (no such file, nor ${file}.gz)`);
  }
  let buf: Buffer;
  try {
    buf = fs.readFileSync(actual);
  } catch (e) {
    throw new DataError(`${actual}: cannot read file: ${errorText(e)}`);
  }
  return parseIdx(buf, actual);
}

/**
 * Parse IDX bytes already in memory (raw or gzip-compressed). `label` names
 * the source in error messages. The returned data is a view into the
 * (decompressed) buffer, not a copy.
 */
export function parseIdx(bytes: Uint8Array, label: string): IdxArray {
  let buf = bytes;
  if (isGzip(buf)) {
    try {
      buf = zlib.gunzipSync(buf);
    } catch (e) {
      throw new DataError(`${label}: corrupt gzip data: ${errorText(e)}`);
    }
  }
  if (buf.length < 4) {
    throw new DataError(
      `${label}: file too short for an IDX header (${buf.length} bytes, need at least 4 for the magic number)`,
    );
  }
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const magic = view.getUint32(0, false);
  const type = buf[2];
  const ndims = buf[3];
  if (buf[0] !== 0 || buf[1] !== 0) {
    throw new DataError(
      `${label}: wrong magic number ${hex32(magic)}, expected 0x0000TTDD (first two bytes zero), ` +
        `e.g. 0x00000801 or 0x00000803 for unsigned-byte data`,
    );
  }
  if (type !== UBYTE) {
    const known = IDX_TYPES[type];
    const what = known ? `element type ${hex8(type)} (${known}) is not supported` : `unknown element type ${hex8(type)}`;
    throw new DataError(
      `${label}: wrong magic number ${hex32(magic)}: ${what}, expected 0x000008DD (unsigned byte, 0x08)`,
    );
  }
  if (ndims === 0) {
    throw new DataError(`${label}: wrong magic number ${hex32(magic)}: zero dimensions, expected at least 1`);
  }
  const headerLen = 4 + 4 * ndims;
  if (buf.length < headerLen) {
    throw new DataError(
      `${label}: file too short for its IDX header (${buf.length} bytes, header with ${ndims} dimensions needs ${headerLen})`,
    );
  }
  const dims: number[] = [];
  let count = 1;
  for (let i = 0; i < ndims; i++) {
    const d = view.getUint32(4 + 4 * i, false);
    dims.push(d);
    count *= d;
  }
  const have = buf.length - headerLen;
  if (have < count) {
    throw new DataError(
      `${label}: truncated data: header promises ${count} bytes of data (dims [${dims.join(', ')}]) but only ${have} are present`,
    );
  }
  if (have > count) {
    throw new DataError(
      `${label}: ${have - count} unexpected trailing bytes: header promises ${count} bytes of data (dims [${dims.join(', ')}]) but ${have} are present`,
    );
  }
  const data = new Uint8Array(buf.buffer, buf.byteOffset + headerLen, count);
  return { dims, data };
}
