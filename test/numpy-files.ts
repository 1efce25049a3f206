/**
 * numpy's file formats written from a test, byte for byte as numpy.save and numpy.savez write
 * them (NEP 1: "\x93NUMPY", version 1.0, a little-endian uint16 header length, a Python dict
 * padded with spaces to a multiple of 64 bytes and ended by "\n", then the elements in C order;
 * an .npz is a zip archive of NAME.npy entries, stored or deflated).
 */
import * as zlib from 'zlib';

/** The typed array each dtype is written from. */
const arrays = {
  '<f4': Float32Array,
  '<f8': Float64Array,
  '<i4': Int32Array,
  '<i8': BigInt64Array,
  '|u1': Uint8Array,
  '|b1': Uint8Array,
  '<c8': Float32Array,
} as const;

export type Descr = keyof typeof arrays;

/** The bytes of a .npy file holding `values` of `shape` as `descr` (e.g. "<f4"). */
export function npy(values: ArrayLike<number>, shape: number[], descr: Descr = '<f4', fortran = false): Buffer {
  const Typed = arrays[descr];
  const data = Typed === BigInt64Array ? BigInt64Array.from(Array.from(values), (v) => BigInt(v)) : (Typed as Float32ArrayConstructor).from(values);
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': ${fortran ? 'True' : 'False'}, 'shape': ${shapeText}, }`;
  header += ' '.repeat(64 - ((10 + header.length + 1) % 64 || 64)) + '\n';
  const preamble = Buffer.alloc(10);
  Buffer.from([0x93, ...Buffer.from('NUMPY'), 1, 0]).copy(preamble);
  preamble.writeUInt16LE(header.length, 8);
  return Buffer.concat([preamble, Buffer.from(header, 'latin1'), Buffer.from(data.buffer, data.byteOffset, data.byteLength)]);
}

/** The bytes of an .npz archive of `entries` (name → .npy bytes), deflated when `compressed` (numpy.savez_compressed). */
export function npz(entries: Record<string, Buffer>, compressed = false): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const [name, raw] of Object.entries(entries)) {
    const fileName = Buffer.from(`${name}.npy`);
    const data = compressed ? zlib.deflateRawSync(raw) : raw;
    const fields = (header: Buffer, at: number): void => {
      header.writeUInt16LE(20, at); // version needed
      header.writeUInt16LE(0, at + 2); // flags
      header.writeUInt16LE(compressed ? 8 : 0, at + 4);
      header.writeUInt32LE(0, at + 6); // time and date
      header.writeUInt32LE(zlib.crc32(raw), at + 10);
      header.writeUInt32LE(data.length, at + 14);
      header.writeUInt32LE(raw.length, at + 18);
      header.writeUInt16LE(fileName.length, at + 22);
    };
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    fields(local, 4);
    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(0x02014b50, 0);
    entry.writeUInt16LE(20, 4); // version made by
    fields(entry, 6);
    entry.writeUInt32LE(offset, 42);
    locals.push(local, fileName, data);
    central.push(entry, fileName);
    offset += local.length + fileName.length + data.length;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(entries).length, 8);
  end.writeUInt16LE(Object.keys(entries).length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}
