/**
 * Backend selection in Node: `native` (the addon's fastest instruction set on this CPU, see
 * native.ts) when the addon built and loads; else `wasm` (the same kernels compiled to WebAssembly
 * SIMD and committed, see wasm.ts) with a one-line note; `reference` (plain TypeScript) only if
 * neither loads. APICAL_BACKEND=native|wasm|reference forces a backend and
 * APICAL_ISA=avx512|avx2|neon|generic an instruction set of the native one; asking for one that is
 * unavailable stops with a one-line BackendError saying why.
 *
 * A browser bundle (web/bundle.ts) puts select-browser.ts in this file's place.
 */
import { BackendError } from './backend-error';
import { Kernels } from './kernels';
import { loadNativeKernels } from './native';
import { referenceKernels } from './reference';
import { loadWasmKernels } from './wasm';

const BACKENDS = ['native', 'wasm', 'reference'];

/** The backend this process runs (see the file comment). */
export function selectKernels(): Kernels {
  const wanted = process.env.APICAL_BACKEND || undefined;
  if (wanted !== undefined && !BACKENDS.includes(wanted)) {
    throw new BackendError(`APICAL_BACKEND must be one of ${BACKENDS.join(', ')}; got "${wanted}"`);
  }
  if (wanted === 'reference') return referenceKernels;
  if (wanted !== 'wasm') {
    const native = loadNativeKernels();
    if (typeof native !== 'string') return native;
    if (wanted === 'native') throw new BackendError(`APICAL_BACKEND=native but ${native}`);
    process.stderr.write(`apical: ${native}; using the WebAssembly kernels\n`);
  }
  const wasm = loadWasmKernels();
  if (typeof wasm !== 'string') return wasm;
  if (wanted === 'wasm') throw new BackendError(`APICAL_BACKEND=wasm but ${wasm}`);
  process.stderr.write(`apical: ${wasm}; using the slow TypeScript reference kernels\n`);
  return referenceKernels;
}
