/**
 * Backend selection in a browser, in select.ts's place in a browser bundle (web/bundle.ts): a page
 * has no files to load kernels from synchronously and no environment to read, so it loads the
 * WebAssembly kernels itself (wasm-browser.ts) and installs them with useKernels before anything runs.
 */
import { BackendError } from './backend-error';
import { Kernels } from './kernels';

export function selectKernels(): Kernels {
  throw new BackendError('in a browser the kernels are loaded first (loadBrowserWasmKernels) and installed with useKernels');
}
