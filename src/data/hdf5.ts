/**
 * HDF5 through h5wasm (the HDF5 C library compiled to WebAssembly): the files NWB is written in.
 * h5wasm ships as an ES module only; its self-contained browser bundle (dist/iife/h5wasm.js, the
 * WebAssembly inlined) is evaluated here instead, so CommonJS code and jest load it alike. Files
 * live in h5wasm's in-memory file system: read one by copying its bytes in, write one by copying
 * them out.
 */
import * as fs from 'fs';
import * as path from 'path';
import type * as H5 from 'h5wasm';

export type Hdf5 = typeof H5;

const BUNDLE = path.join('node_modules', 'h5wasm', 'dist', 'iife', 'h5wasm.js');

/** The bundle, found the way Node finds a package: in node_modules/ of this folder or one above. */
function bundleFile(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const file = path.join(dir, BUNDLE);
    if (fs.existsSync(file)) return file;
    if (path.dirname(dir) === dir) throw new Error('h5wasm is not installed (npm install)');
  }
}

let loaded: Promise<Hdf5> | null = null;

/** h5wasm, ready (loaded once per process). */
export function hdf5(): Promise<Hdf5> {
  if (!loaded) {
    const h5wasm = new Function(`${fs.readFileSync(bundleFile(), 'utf8')}\nreturn h5wasm;`)() as Hdf5;
    loaded = h5wasm.ready.then(() => h5wasm);
  }
  return loaded;
}

let files = 0;

/** Opens `bytes` (an HDF5 file's contents) read-only, gives the file to `use`, and frees it. */
export async function withHdf5Bytes<T>(bytes: Uint8Array, use: (file: H5.File) => T): Promise<T> {
  const h5 = await hdf5();
  const name = `/read-${files++}.h5`;
  h5.FS!.writeFile(name, bytes);
  const file = new h5.File(name, 'r');
  try {
    return use(file);
  } finally {
    file.close();
    h5.FS!.unlink(name);
  }
}

/** Builds a new HDF5 file with `fill` and returns its bytes. */
export async function hdf5Bytes(fill: (file: H5.File, h5: Hdf5) => void): Promise<Uint8Array> {
  const h5 = await hdf5();
  const name = `/write-${files++}.h5`;
  const file = new h5.File(name, 'w');
  try {
    fill(file, h5);
  } finally {
    file.close();
  }
  const bytes = h5.FS!.readFile(name);
  h5.FS!.unlink(name);
  return bytes;
}
