/**
 * Reader for the ZIP container (PKWARE, "APPNOTE.TXT - .ZIP File Format Specification", 6.3),
 * as far as numpy's .npz files need it: numpy.savez stores each array as NAME.npy uncompressed
 * (method 0), numpy.savez_compressed deflates it (method 8, RFC 1951, inflated with Node's zlib).
 * The central directory at the end of the file is authoritative for names and sizes:
 *
 *   end of central directory   signature 0x06054b50; entries (uint16 at 10); directory offset (uint32 at 16)
 *   central directory entry    signature 0x02014b50; method (uint16 at 10); compressed size (uint32 at 20);
 *                              name length (28), extra length (30), comment length (32); local header offset (42); name (46)
 *   local header               signature 0x04034b50; name length (26), extra length (28); data at 30 + both
 *
 * Sizes or offsets of 0xFFFFFFFF are in the entry's ZIP64 extra field (id 0x0001), as numpy writes
 * them (force_zip64). All integers little-endian. Node's own zlib, not an npm package: these two
 * methods and one directory walk are all an .npz needs.
 */
import * as zlib from 'zlib';
import { DataError, errorText } from './data-error';

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const ZIP64_EXTRA = 0x0001;
const FULL32 = 0xffffffff;
const STORED = 0;
const DEFLATED = 8;

/** The entries of ZIP bytes by name, each decompressed. `file` names the archive in errors. */
export function readZip(bytes: Uint8Array, file: string): Map<string, Uint8Array> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = findEndOfDirectory(view, file);
  const entries = view.getUint16(end + 10, true);
  let at = view.getUint32(end + 16, true);
  const out = new Map<string, Uint8Array>();
  for (let i = 0; i < entries; i++) {
    if (at + 46 > view.byteLength || view.getUint32(at, true) !== CENTRAL) throw new DataError(`${file}: not a valid zip archive (central directory entry ${i} is damaged)`);
    const method = view.getUint16(at + 10, true);
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const name = Buffer.from(bytes.subarray(at + 46, at + 46 + nameLength)).toString('utf8');
    const zip64 = zip64Values(view, at + 46 + nameLength, extraLength);
    // The ZIP64 extra field holds, in this order, those of the sizes and the offset that overflowed.
    const uncompressed32 = view.getUint32(at + 24, true);
    const compressed32 = view.getUint32(at + 20, true);
    const offset32 = view.getUint32(at + 42, true);
    if (uncompressed32 === FULL32) zip64.shift();
    const size = compressed32 === FULL32 ? zip64.shift() : compressed32;
    const local = offset32 === FULL32 ? zip64.shift() : offset32;
    if (size === undefined || local === undefined) throw new DataError(`${file}: not a valid zip archive (entry ${name} lacks its ZIP64 sizes)`);
    out.set(name, entryData(bytes, view, local, size, method, `${file}: entry ${name}`));
    at += 46 + nameLength + extraLength + view.getUint16(at + 32, true);
  }
  return out;
}

function findEndOfDirectory(view: DataView, file: string): number {
  // The record is 22 bytes plus a comment of up to 65,535 bytes, at the very end.
  for (let at = view.byteLength - 22; at >= Math.max(0, view.byteLength - 22 - 0xffff); at--) {
    if (view.getUint32(at, true) === EOCD) return at;
  }
  throw new DataError(`${file}: not a zip archive (no end of central directory record), so not an .npz file`);
}

/** The 64-bit values of the ZIP64 extra field among the `length` bytes of extra fields at `at`. */
function zip64Values(view: DataView, at: number, length: number): number[] {
  for (let p = at; p + 4 <= at + length; ) {
    const id = view.getUint16(p, true);
    const size = view.getUint16(p + 2, true);
    if (id === ZIP64_EXTRA) return Array.from({ length: Math.floor(size / 8) }, (_, i) => Number(view.getBigUint64(p + 4 + 8 * i, true)));
    p += 4 + size;
  }
  return [];
}

function entryData(bytes: Uint8Array, view: DataView, local: number, size: number, method: number, where: string): Uint8Array {
  if (local + 30 > view.byteLength || view.getUint32(local, true) !== LOCAL) throw new DataError(`${where}: not a valid zip archive (local header missing)`);
  const start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
  if (start + size > bytes.length) throw new DataError(`${where}: truncated (${size} bytes promised, ${bytes.length - start} present)`);
  const data = bytes.subarray(start, start + size);
  if (method === STORED) return data;
  if (method !== DEFLATED) throw new DataError(`${where}: compression method ${method} is not supported (only stored and deflated, as numpy writes)`);
  try {
    return zlib.inflateRawSync(data);
  } catch (error) {
    throw new DataError(`${where}: corrupt deflate data (${errorText(error)})`);
  }
}
