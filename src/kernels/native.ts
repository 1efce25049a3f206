/**
 * The native backend: a C++ N-API addon (native/*.cc, built by binding.gyp during
 * `npm install`) with SIMD micro-kernels and a second worker thread for large products.
 * It exports functions with exactly the signatures of the Kernels interface.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Kernels } from './kernels';

/** The folder holding package.json, found from this file whether run from src/ or dist/src/. */
export function packageRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`apical: cannot find package.json above ${__dirname}`);
    dir = parent;
  }
  return dir;
}

/** The compiled addon's path. */
export function nativeAddonPath(): string {
  return path.join(packageRoot(), 'build', 'Release', 'apical_native.node');
}

/** Loads the native kernels, or returns the reason they are unavailable. */
export function loadNativeKernels(): Kernels | string {
  const file = nativeAddonPath();
  if (!fs.existsSync(file)) return `the native addon was not built (${file} is missing)`;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const addon = require(file) as Omit<Kernels, 'name'>;
    return { ...addon, name: 'native' } as Kernels;
  } catch (error) {
    return `the native addon failed to load: ${(error as Error).message}`;
  }
}
