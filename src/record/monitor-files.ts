/**
 * Monitors on disk, in a run directory's monitors/ folder: little-endian typed binary files plus
 * monitors/manifest.json, which says what each file holds:
 *
 *   { "dt": 0.0001,                     seconds per step
 *     "steps": 10000,                   steps simulated
 *     "monitors": [
 *       { "name": "spikes", "kind": "spikes", "population": "P", "size": 4000, "count": 22925,
 *         "files": { "step": "spikes.step.u32", "index": "spikes.index.u32" } },
 *             count uint32 steps and neuron indices; spike time = step · dt
 *       { "name": "trace", "kind": "state", "population": "P", "variables": ["v"], "units": { "v": "volt" },
 *         "indices": [0, 1], "every": 10, "rows": 1000, "files": { "v": "trace.v.f64" } },
 *             float64 rows × indices, row-major, SI units; row r sampled at step r · every
 *       { "name": "rate", "kind": "rate", "population": "P", "bin_steps": 10, "bins": 1000,
 *         "file": "rate.rate.f64" } ] }
 *             float64 Hz per bin
 * Read them with numpy (`np.fromfile(f, '<u4')`, `'<f8'`) or Node (`new Float64Array(buffer)`).
 */
import * as fs from 'fs';
import * as path from 'path';
import { describeUnit } from '../equations/dimensions';
import { RateMonitor } from './rate-monitor';
import { SpikeMonitor } from './spike-monitor';
import { StateMonitor } from './state-monitor';

export type Monitor = SpikeMonitor | StateMonitor | RateMonitor;

const write = (file: string, a: Uint32Array | Float64Array): void =>
  fs.writeFileSync(file, new Uint8Array(a.buffer, a.byteOffset, a.byteLength));

/** The folder a streaming spike monitor writes into while running. */
export const monitorFolder = (runDir: string, name = 'monitors'): string => path.join(runDir, name);

/** Closes the monitors, writes their arrays and the manifest into `<runDir>/<name>/` (default monitors/). */
export function writeMonitors(runDir: string, monitors: readonly Monitor[], dt: number, steps: number, name = 'monitors'): string {
  const folder = monitorFolder(runDir, name);
  fs.mkdirSync(folder, { recursive: true });
  const entries = monitors.map((m) => {
    m.close();
    const base = { name: m.name, kind: m.kind, population: m.group.name };
    if (m instanceof SpikeMonitor) {
      const files = { step: `${m.name}.step.u32`, index: `${m.name}.index.u32` };
      if (!m.stream) {
        const { steps: s, indices } = m.spikes();
        write(path.join(folder, files.step), s);
        write(path.join(folder, files.index), indices);
      }
      return { ...base, size: m.group.size, count: m.count, files };
    }
    if (m instanceof StateMonitor) {
      const files = Object.fromEntries(m.variables.map((v) => [v, `${m.name}.${v}.f64`]));
      m.variables.forEach((v, k) => write(path.join(folder, files[v]), m.values[k].subarray(0, m.rows * m.indices.length)));
      const units = Object.fromEntries(m.variables.map((v) => [v, describeUnit(m.group.compiled.model.variables.find((x) => x.name === v)!.unit)]));
      return { ...base, variables: m.variables, units, indices: Array.from(m.indices), every: m.every, rows: m.rows, files };
    }
    const file = `${m.name}.rate.f64`;
    write(path.join(folder, file), m.rates);
    return { ...base, bin_steps: m.binSteps, bins: m.rates.length, file };
  });
  fs.writeFileSync(path.join(folder, 'manifest.json'), JSON.stringify({ dt, steps, monitors: entries }, null, 2) + '\n');
  return folder;
}
