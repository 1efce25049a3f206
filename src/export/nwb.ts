/**
 * `apical export <run-dir> --nwb FILE`: what a run recorded, as an NWB 2.x file (Neurodata Without
 * Borders on HDF5, written with h5wasm), for pynwb, Neo and Elephant:
 *
 *   /units                       Units table: every neuron of every spike monitor, its spike times
 *                                (step · dt, seconds); columns population and neuron (its index there)
 *   /acquisition/<mon>_<var>     TimeSeries per state monitor and variable: rows × recorded neurons,
 *                                SI units, every `every`-th step from 0
 *   /processing/spiking/<mon>    TimeSeries per rate monitor: Hz per bin, bins from 0
 *   /processing/training/<h>_activity, _top_down, _target
 *                                a rate network's record/activity.jsonl: samples × rows × units,
 *                                timestamps = training steps since the run began (one step counted
 *                                as one second of NWB's clock: a rate network has no physical time)
 *   /general/notes               the run's config.json, as it is; experiment_description and session_id
 *
 * A spiking DTP run's recorded trial (trial/) goes in the same places with names prefixed "trial_"
 * (Units' population "trial_<P>"). session_start_time is when the run began (config.json written).
 */
import type * as H5 from 'h5wasm';
import * as fs from 'fs';
import * as path from 'path';
import { randomUUID } from 'crypto';
import { hdf5Bytes } from '../data/hdf5';
import { ActivitySample } from '../record/formats';
import { MonitorData } from '../report/monitor-data';
import { readRun, RunFiles } from '../report/run-files';
import { group, NWB_VERSION, text, timeSeries, typed, unitsTable } from './nwb-objects';

/** The NWB file cannot be written (its folder is missing, the disk is full, …). */
export class ExportError extends Error {
  override readonly name = 'ExportError';
}

/** What an export wrote. */
export interface NwbExport {
  readonly file: string;
  readonly bytes: number;
  readonly units: number;
  readonly spikes: number;
  /** TimeSeries written. */
  readonly series: number;
}

/** A recording (monitors/ or trial/) and the prefix its names get. */
interface Recording {
  readonly prefix: string;
  readonly data: MonitorData;
}

function recordings(run: RunFiles): Recording[] {
  return [
    ...(run.monitors ? [{ prefix: '', data: run.monitors }] : []),
    ...(run.trial ? [{ prefix: 'trial_', data: run.trial }] : []),
  ];
}

/** The Units table of every spike monitor; returns units and spikes written. */
function writeUnits(root: H5.Group, all: readonly Recording[]): { units: number; spikes: number } {
  const times: number[] = [];
  const ends: bigint[] = [];
  const populations: string[] = [];
  const neurons: bigint[] = [];
  for (const { prefix, data } of all) {
    for (const monitor of data.spikes) {
      const perNeuron: number[][] = Array.from({ length: monitor.size }, () => []);
      for (let k = 0; k < monitor.step.length; k++) perNeuron[monitor.index[k]].push(monitor.step[k] * data.dt);
      perNeuron.forEach((spikes, neuron) => {
        for (const t of spikes) times.push(t);
        ends.push(BigInt(times.length));
        populations.push(prefix + monitor.population);
        neurons.push(BigInt(neuron));
      });
    }
  }
  if (ends.length === 0) return { units: 0, spikes: 0 };
  unitsTable(
    root,
    Float64Array.from(times),
    BigUint64Array.from(ends),
    [
      { name: 'population', data: populations, description: 'the population the unit belongs to' },
      { name: 'neuron', data: BigInt64Array.from(neurons), description: "the unit's index in its population" },
    ],
    'spiking neurons simulated by apical: every neuron of every spike monitor, silent ones included',
  );
  return { units: ends.length, spikes: times.length };
}

/** State and rate monitors as TimeSeries; returns how many. */
function writeMonitorSeries(acquisition: H5.Group, processing: () => H5.Group, all: readonly Recording[]): number {
  let series = 0;
  for (const { prefix, data } of all) {
    for (const m of data.states) {
      for (const v of m.variables) {
        const description = `${v} of neurons ${m.indices.join(', ')} of population ${m.population} (columns), every ${m.every} steps of ${data.dt} s (state monitor ${m.name})`;
        timeSeries(acquisition, `${prefix}${m.name}_${v}`, m.values[v], [m.rows, m.indices.length], m.units[v] ?? 'unknown', { start: 0, rate: 1 / (m.every * data.dt) }, description);
        series++;
      }
    }
    for (const m of data.rates) {
      const description = `population rate of ${m.population} in bins of ${m.binSteps} steps of ${data.dt} s (rate monitor ${m.name})`;
      timeSeries(processing(), `${prefix}${m.name}`, m.rates, [m.rates.length], 'Hz', { start: 0, rate: 1 / (m.binSteps * data.dt) }, description);
      series++;
    }
  }
  return series;
}

/** record/activity.jsonl as TimeSeries per population and signal; returns how many. */
function writeActivity(processing: () => H5.Group, samples: readonly ActivitySample[]): number {
  let series = 0;
  const byPopulation = new Map<string, ActivitySample[]>();
  for (const s of samples) byPopulation.set(s.population, [...(byPopulation.get(s.population) ?? []), s]);
  for (const [population, list] of byPopulation) {
    const rows = list[0].rows.length;
    const units = list[0].units.length;
    const timestamps = Float64Array.from(list, (s) => (s.epoch - 1) * s.steps + s.step);
    const signals: [string, (s: ActivitySample) => readonly (readonly number[])[] | null, string][] = [
      ['activity', (s) => s.activity, 'activity h'],
      ['top_down', (s) => s.topDown, 'top-down signal (DTP: target minus activity; BP: the gradient)'],
      ['target', (s) => s.target, 'target ĥ (NaN where the rule formed none)'],
    ];
    for (const [name, pick, what] of signals) {
      if (list.every((s) => pick(s) === null)) continue;
      const data = new Float64Array(list.length * rows * units).fill(NaN);
      list.forEach((s, k) => pick(s)?.forEach((row, r) => row.forEach((value, u) => (data[(k * rows + r) * units + u] = value))));
      const description = `${what} of ${population}: samples × minibatch rows ${list[0].rows.join(', ')} × units ${list[0].units.join(', ')}; timestamps are training steps since the run began (one step counted as one second)`;
      timeSeries(processing(), `${population}_${name}`, data, [list.length, rows, units], 'a.u.', { timestamps }, description);
      series++;
    }
  }
  return series;
}

/** Writes the NWB file `file` of the run in `dir`. */
export async function exportNwb(dir: string, file: string): Promise<NwbExport> {
  const run = readRun(dir);
  const configFile = path.join(dir, 'config.json');
  const started = (fs.existsSync(configFile) ? fs.statSync(configFile).mtime : fs.statSync(path.join(dir, 'metrics.jsonl')).mtime).toISOString();
  const all = recordings(run);
  let counts = { units: 0, spikes: 0 };
  let series = 0;
  const bytes = await hdf5Bytes((nwb) => {
    typed(nwb, 'NWBFile');
    nwb.create_attribute('nwb_version', NWB_VERSION);
    nwb.create_dataset({ name: 'file_create_date', data: [new Date().toISOString()] });
    text(nwb, 'identifier', randomUUID());
    text(nwb, 'session_description', String(run.config?.description || `apical run ${run.label}`));
    text(nwb, 'session_start_time', started);
    text(nwb, 'timestamps_reference_time', started);
    const acquisition = group(nwb, 'acquisition');
    group(nwb, 'analysis');
    const processingRoot = group(nwb, 'processing');
    const stimulus = group(nwb, 'stimulus');
    group(stimulus, 'presentation');
    group(stimulus, 'templates');
    const general = group(nwb, 'general');
    text(general, 'session_id', run.label);
    text(general, 'experiment_description', String(run.config?.name ?? run.label));
    text(general, 'data_collection', `simulated by apical ${run.config?.version ?? ''}`.trim());
    if (run.config) text(general, 'notes', JSON.stringify(run.config));
    const modules = new Map<string, H5.Group>();
    const module = (name: string, description: string) => (): H5.Group => {
      if (!modules.has(name)) modules.set(name, group(processingRoot, name, 'ProcessingModule', description));
      return modules.get(name)!;
    };
    counts = writeUnits(nwb, all);
    series = writeMonitorSeries(acquisition, module('spiking', 'population rates of the spiking monitors'), all);
    series += writeActivity(module('training', "a rate network's recorded activity, top-down signals and targets"), run.activity);
  });
  try {
    fs.writeFileSync(file, bytes);
  } catch (error) {
    throw new ExportError(`${file}: cannot write the NWB file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  return { file, bytes: bytes.length, ...counts, series };
}
