/**
 * The native backend: a C++ N-API addon (native/*.cc, built by binding.gyp during `npm install`)
 * with SIMD micro-kernels and a second worker thread for large products. The kernels are compiled
 * once per instruction set (AVX-512, AVX2+FMA and baseline x86-64; NEON on arm64) and the addon
 * offers every set this CPU runs; each exports functions with exactly the signatures of the
 * Kernels interface. The fastest set is used unless APICAL_ISA names another.
 */
import * as fs from 'fs';
import * as path from 'path';
import { BackendError } from './backend-error';
import { Kernels } from './kernels';
import { float32SpikeProduct } from './spike-product';

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

/** What the addon exports (native/binding.cc). */
export interface NativeAddon {
  /** Kernel functions per instruction set this CPU runs. */
  readonly paths: Record<string, Omit<Kernels, 'name' | 'spikeProduct'>>;
  /** Names of those sets, fastest first. */
  readonly isas: string[];
  /** Every set compiled into the addon. */
  readonly compiled: string[];
  /** What the CPU has, e.g. "avx2, generic (AVX2+FMA, no AVX-512)". */
  readonly cpu: string;
}

/** The instruction sets the native kernels know, fastest first. */
export const ISAS = ['avx512', 'avx2', 'neon', 'generic'] as const;

/** Loads the addon, or returns the reason it is unavailable. */
export function loadNativeAddon(): NativeAddon | string {
  const file = nativeAddonPath();
  if (!fs.existsSync(file)) return `the native addon was not built (${file} is missing)`;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(file) as NativeAddon;
  } catch (error) {
    return `the native addon failed to load: ${(error as Error).message.split('\n')[0]}`;
  }
}

/**
 * The native kernels of instruction set `isa` (default: APICAL_ISA if set, else the fastest this
 * CPU runs), named `native-<isa>`; or the reason they are unavailable. Asking for a set the CPU
 * lacks throws, naming what it has.
 */
export function loadNativeKernels(isa: string | undefined = process.env.APICAL_ISA || undefined): Kernels | string {
  if (isa !== undefined && !(ISAS as readonly string[]).includes(isa)) {
    throw new BackendError(`APICAL_ISA must be one of ${ISAS.join(', ')}; got "${isa}"`);
  }
  const addon = loadNativeAddon();
  if (typeof addon === 'string') return addon;
  const chosen = isa ?? addon.isas[0];
  const functions = addon.paths[chosen];
  if (!functions) {
    const what = addon.compiled.includes(chosen) ? 'this CPU lacks it' : 'it is not compiled for this architecture';
    throw new BackendError(`APICAL_ISA=${chosen} is not available: ${what}; this CPU has ${addon.cpu}`);
  }
  return { ...functions, spikeProduct: float32SpikeProduct, name: `native-${chosen}` };
}
