/**
 * The C++ compiler behind the native code generator (cpp.ts), run while apical runs: generated
 * source becomes a shared library built with g++ for the instruction set of the machine it runs
 * on (-march=native, asked of g++ at run time, never at npm install), cached on disk by a hash of
 * (source, compiler version, flags, CPU features) as Brian2 and NEST cache their generated code,
 * and loaded through the native addon (native/spiking.cc).
 *
 * Floating point as written: -ffp-contract=off (no fused multiply-add) and no -ffast-math, so every
 * operation rounds as JavaScript's does and the compiled loops give the JavaScript loops' bits;
 * -fno-math-errno / -fno-trapping-math only let g++ vectorise the loops.
 *
 * APICAL_CXX names the compiler (default g++); APICAL_CACHE_DIR the cache folder (default
 * ~/.cache/apical/spiking, or under the system's temporary folder when home is not writable).
 */
import { spawnSync } from 'child_process';
import { createHash, randomUUID } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadNativeAddon } from '../kernels/native';

/** A loaded generated library, or its arrays bound for calls (opaque; pass back to the addon). */
export type NativeLibrary = object;
export type NativeBinding = object;

/**
 * What the addon's `spiking` object offers (native/spiking.cc): a loop's arrays are bound once
 * (checked and kept alive), each step's call passes only what changes.
 */
export interface SpikingAddon {
  load(file: string): NativeLibrary;
  bindUpdate(library: NativeLibrary, n: number, state: readonly Float64Array[], refractory: Int32Array, stream: Uint32Array, spikes: Uint32Array): NativeBinding;
  update(binding: NativeBinding, n: number, step: number): number;
  bindStatements(library: NativeLibrary, n: number, state: readonly Float64Array[], stream: Uint32Array): NativeBinding;
  statements(binding: NativeBinding, indices: Uint32Array, count: number, step: number): void;
  bindDeliver(
    library: NativeLibrary, rowStart: Uint32Array, post: Uint32Array, synapse: readonly Float64Array[], pre: readonly Float64Array[], target: readonly Float64Array[],
    nPre: number, nPost: number, synapses: number,
  ): NativeBinding;
  deliver(binding: NativeBinding, spikes: Uint32Array, count: number): void;
  bindStep(update: NativeBinding, reset: NativeBinding, deliveries: readonly NativeBinding[]): NativeBinding;
  step(binding: NativeBinding, n: number, step: number, resetCount: number, resetStep: number): number;
}

export const compilerFlags = ['-O3', '-march=native', '-std=c++17', '-shared', '-fPIC', '-ffp-contract=off', '-fno-math-errno', '-fno-trapping-math', '-fno-exceptions'];

export interface NativeCompiler {
  /** The compiler's first line of `--version` and the CPU it targets, for messages and benchmarks. */
  readonly description: string;
  readonly addon: SpikingAddon;
  /** Compiles (or finds in the cache) and loads `source`. */
  load(source: string): NativeLibrary;
}

/** The CPU's model and feature flags (Linux: /proc/cpuinfo), part of the cache key. */
function cpuFeatures(): string {
  const model = os.cpus()[0]?.model ?? 'unknown';
  try {
    const info = fs.readFileSync('/proc/cpuinfo', 'utf8');
    const flags = /^(flags|Features)\s*:(.*)$/m.exec(info)?.[2].trim() ?? '';
    return `${os.arch()} ${model} ${flags}`;
  } catch {
    return `${os.arch()} ${model}`;
  }
}

function writableCache(): string {
  const candidates = process.env.APICAL_CACHE_DIR ? [process.env.APICAL_CACHE_DIR] : [path.join(os.homedir(), '.cache', 'apical', 'spiking'), path.join(os.tmpdir(), `apical-spiking-${os.userInfo().uid}`)];
  for (const dir of candidates) {
    try {
      fs.mkdirSync(dir, { recursive: true });
      fs.accessSync(dir, fs.constants.W_OK);
      return dir;
    } catch {
      // next candidate
    }
  }
  throw new Error(`apical: no writable cache folder for compiled loops (tried ${candidates.join(', ')}; set APICAL_CACHE_DIR)`);
}

let found: NativeCompiler | string | undefined;

/** The compiler and the addon, or the one-line reason the native code generator is unavailable. */
export function nativeCompiler(): NativeCompiler | string {
  if (found !== undefined) return found;
  const addon = loadNativeAddon();
  const cxx = process.env.APICAL_CXX || 'g++';
  const version = spawnSync(cxx, ['--version'], { encoding: 'utf8' });
  if (typeof addon === 'string') found = addon;
  else if (!('spiking' in addon)) found = 'the native addon predates compiled spiking loops (run `npm rebuild`)';
  else if (version.status !== 0 || version.error) found = `no C++ compiler (${cxx} --version failed; install g++ or set APICAL_CXX)`;
  else {
    const spiking = (addon as unknown as { spiking: SpikingAddon }).spiking;
    const compiler = version.stdout.split('\n')[0].trim();
    const key = [compiler, compilerFlags.join(' '), cpuFeatures()].join('\n');
    let cache: string | undefined;
    found = {
      description: `${compiler}, ${compilerFlags.join(' ')}`,
      addon: spiking,
      load(source: string): NativeLibrary {
        cache ??= writableCache();
        const hash = createHash('sha256').update(source).update('\0').update(key).digest('hex').slice(0, 32);
        const library = path.join(cache, `${hash}.so`);
        if (!fs.existsSync(library)) {
          // Built under a name unique to this build (process and random suffix: threads share a pid) and
          // renamed into place, so processes compiling the same model at once never load half a file.
          const partial = path.join(cache, `${hash}.${process.pid}.${randomUUID()}`);
          fs.writeFileSync(`${partial}.cc`, source);
          const built = spawnSync(cxx, [...compilerFlags, '-o', `${partial}.so`, `${partial}.cc`], { encoding: 'utf8' });
          fs.rmSync(`${partial}.cc`, { force: true });
          if (built.status !== 0) throw new Error(`apical: ${cxx} failed on a generated spiking loop: ${(built.stderr || String(built.error)).trim().split('\n').slice(0, 5).join(' | ')}`);
          fs.renameSync(`${partial}.so`, library);
        }
        return spiking.load(library);
      },
    };
  }
  return found;
}
