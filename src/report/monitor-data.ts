/**
 * Reading a spiking run's monitors back (monitors/manifest.json and its little-endian binary files;
 * the format is written by record/monitor-files.ts): spikes as (step, index) arrays, sampled state
 * variables, binned population rates.
 */
import * as fs from 'fs';
import * as path from 'path';

export interface SpikeData {
  readonly name: string;
  readonly population: string;
  readonly size: number;
  readonly step: Uint32Array;
  readonly index: Uint32Array;
}

export interface StateData {
  readonly name: string;
  readonly population: string;
  readonly variables: readonly string[];
  /** Variable → unit name ("volt", "1", …). */
  readonly units: Readonly<Record<string, string>>;
  readonly indices: readonly number[];
  readonly every: number;
  readonly rows: number;
  /** Variable → rows × indices, row-major, SI units. */
  readonly values: Readonly<Record<string, Float64Array>>;
}

export interface RateData {
  readonly name: string;
  readonly population: string;
  readonly binSteps: number;
  /** Hz per bin. */
  readonly rates: Float64Array;
}

export interface MonitorData {
  /** Seconds per step. */
  readonly dt: number;
  readonly steps: number;
  readonly spikes: readonly SpikeData[];
  readonly states: readonly StateData[];
  readonly rates: readonly RateData[];
}

function typed<T extends Uint32Array | Float64Array>(file: string, kind: { new (buffer: ArrayBuffer): T }): T {
  const bytes = fs.readFileSync(file);
  const copy = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  return new kind(copy);
}

/**
 * The monitors of run directory `dir` (its `monitors/` folder, or another such as a spiking DTP
 * run's recorded `trial/`), or null if it has none.
 */
export function readMonitors(dir: string, name = 'monitors'): MonitorData | null {
  const folder = path.join(dir, name);
  const manifestFile = path.join(folder, 'manifest.json');
  if (!fs.existsSync(manifestFile)) return null;
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
  const spikes: SpikeData[] = [];
  const states: StateData[] = [];
  const rates: RateData[] = [];
  for (const m of manifest.monitors ?? []) {
    if (m.kind === 'spikes') {
      spikes.push({
        name: m.name,
        population: m.population,
        size: m.size,
        step: typed(path.join(folder, m.files.step), Uint32Array),
        index: typed(path.join(folder, m.files.index), Uint32Array),
      });
    } else if (m.kind === 'state') {
      const values: Record<string, Float64Array> = {};
      for (const v of m.variables) values[v] = typed(path.join(folder, m.files[v]), Float64Array);
      states.push({ name: m.name, population: m.population, variables: m.variables, units: m.units ?? {}, indices: m.indices, every: m.every, rows: m.rows, values });
    } else if (m.kind === 'rate') {
      rates.push({ name: m.name, population: m.population, binSteps: m.bin_steps, rates: typed(path.join(folder, m.file), Float64Array) });
    }
  }
  return { dt: manifest.dt, steps: manifest.steps, spikes, states, rates };
}
