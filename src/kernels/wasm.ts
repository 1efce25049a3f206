/**
 * The WebAssembly backend in Node: the committed module wasm/apical_kernels.wasm (see
 * wasm-module.ts), read from the package, so that a user without a C++ toolchain (or whose addon
 * failed to build or load) still runs compiled SIMD kernels, not the TypeScript reference. Its
 * second thread is a Node worker (wasm-helper.ts).
 */
import * as fs from 'fs';
import * as path from 'path';
import { packageRoot } from './native';
import { startHelper, wasmThreads } from './wasm-helper';
import { WasmInstance, WasmKernels } from './wasm-module';

export type { WasmKernels } from './wasm-module';

/** The committed module's path. */
export function wasmModulePath(): string {
  return path.join(packageRoot(), 'wasm', 'apical_kernels.wasm');
}

/**
 * Loads the WebAssembly kernels (named `wasm`) on `threads` threads (default: wasmThreads(), from
 * APICAL_WASM_THREADS and the cores available; 2 starts the helper thread), or returns the reason
 * they are unavailable. A bad APICAL_WASM_THREADS throws a BackendError. Each call loads a new,
 * independent instance.
 */
export function loadWasmKernels(threads: 1 | 2 = wasmThreads()): WasmKernels | string {
  const file = wasmModulePath();
  if (!fs.existsSync(file)) return `the WebAssembly kernels are missing (${file})`;
  try {
    const instance = new WasmInstance(new WebAssembly.Module(fs.readFileSync(file)));
    if (threads === 2) startHelper(instance);
    return instance.kernels();
  } catch (error) {
    return `the WebAssembly kernels failed to load: ${(error as Error).message.split('\n')[0]}`;
  }
}
