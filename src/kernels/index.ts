/**
 * The kernels every layer above uses: chosen once per process by select.ts (Node: the native
 * addon, else WebAssembly, else the reference; APICAL_BACKEND and APICAL_ISA), or installed by the
 * host with useKernels (a browser, which loads its kernels asynchronously: wasm-browser.ts).
 */
import { BackendError } from './backend-error';
import { Kernels } from './kernels';
import { selectKernels } from './select';

export { Activation } from './kernels';
export type { Kernels } from './kernels';
export { referenceKernels } from './reference';
export { BackendError } from './backend-error';

let selected: Kernels | undefined;

/** The kernels every layer above uses. */
export function kernels(): Kernels {
  return (selected ??= selectKernels());
}

/** Installs `chosen` as the kernels of this process, before any kernel has run. */
export function useKernels(chosen: Kernels): void {
  if (selected !== undefined && selected !== chosen) throw new BackendError(`the ${selected.name} kernels are already in use`);
  selected = chosen;
}
