/**
 * Backend selection: `native` (the addon's fastest instruction set on this CPU, see native.ts) when
 * the addon built and loads; else `wasm` (the same kernels compiled to WebAssembly SIMD and
 * committed, see wasm.ts) with a one-line note; `reference` (plain TypeScript) only if neither
 * loads. APICAL_BACKEND=native|wasm|reference forces a backend and APICAL_ISA=avx512|avx2|neon|generic
 * an instruction set of the native one; asking for one that is unavailable stops with a one-line
 * BackendError saying why.
 */
import { BackendError } from './backend-error';
import { Kernels } from './kernels';
import { loadNativeKernels } from './native';
import { referenceKernels } from './reference';
import { loadWasmKernels } from './wasm';

export { Activation } from './kernels';
export type { Kernels } from './kernels';
export { referenceKernels } from './reference';
export { BackendError } from './backend-error';

const BACKENDS = ['native', 'wasm', 'reference'];

let selected: Kernels | undefined;

/** The kernels every layer above uses. */
export function kernels(): Kernels {
  if (selected) return selected;
  const wanted = process.env.APICAL_BACKEND || undefined;
  if (wanted !== undefined && !BACKENDS.includes(wanted)) {
    throw new BackendError(`APICAL_BACKEND must be one of ${BACKENDS.join(', ')}; got "${wanted}"`);
  }
  if (wanted === 'reference') return (selected = referenceKernels);
  if (wanted !== 'wasm') {
    const native = loadNativeKernels();
    if (typeof native !== 'string') return (selected = native);
    if (wanted === 'native') throw new BackendError(`APICAL_BACKEND=native but ${native}`);
    process.stderr.write(`apical: ${native}; using the WebAssembly kernels\n`);
  }
  const wasm = loadWasmKernels();
  if (typeof wasm !== 'string') return (selected = wasm);
  if (wanted === 'wasm') throw new BackendError(`APICAL_BACKEND=wasm but ${wasm}`);
  process.stderr.write(`apical: ${wasm}; using the slow TypeScript reference kernels\n`);
  return (selected = referenceKernels);
}
