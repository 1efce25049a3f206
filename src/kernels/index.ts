/**
 * Backend selection. `native` when the addon built, else `reference` with a one-line warning.
 * APICAL_BACKEND=reference|native forces a choice (forcing native fails loudly if it is missing).
 */
import { Kernels } from './kernels';
import { loadNativeKernels } from './native';
import { referenceKernels } from './reference';

export { Activation } from './kernels';
export type { Kernels } from './kernels';
export { referenceKernels } from './reference';

let selected: Kernels | undefined;

/** The kernels every layer above uses. */
export function kernels(): Kernels {
  if (selected) return selected;
  const wanted = process.env.APICAL_BACKEND;
  if (wanted !== undefined && wanted !== 'native' && wanted !== 'reference') {
    throw new Error(`APICAL_BACKEND must be "native" or "reference", got "${wanted}"`);
  }
  if (wanted === 'reference') return (selected = referenceKernels);
  const native = loadNativeKernels();
  if (typeof native !== 'string') return (selected = native);
  if (wanted === 'native') throw new Error(`APICAL_BACKEND=native but ${native}`);
  process.stderr.write(`apical: ${native}; using the slow TypeScript reference kernels\n`);
  return (selected = referenceKernels);
}
