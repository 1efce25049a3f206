/**
 * The NWB 2.x building blocks apical writes, as HDF5 groups, datasets and attributes (the NWB
 * schema, core 2.6.0 with hdmf-common 1.5: Rübel et al. 2022, "The Neurodata Without Borders
 * ecosystem for neurophysiological data science", eLife 11:e78362). Every typed object carries
 * `neurodata_type`, `namespace` and a fresh `object_id`; attribute types follow the schema
 * (float32 conversion, resolution, offset and rate; int32 interval).
 */
import type * as H5 from 'h5wasm';
import { randomUUID } from 'crypto';

export const NWB_VERSION = '2.6.0';

/** Marks `target` as an object of type `type` in `namespace` ("core" or "hdmf-common"). */
export function typed(target: H5.Group | H5.Dataset, type: string, namespace = 'core'): void {
  target.create_attribute('namespace', namespace);
  target.create_attribute('neurodata_type', type);
  target.create_attribute('object_id', randomUUID());
}

/** A group `name` of `parent`, typed when `type` is given. */
export function group(parent: H5.Group, name: string, type?: string, description?: string): H5.Group {
  const made = parent.create_group(name);
  if (type) typed(made, type);
  if (description !== undefined) made.create_attribute('description', description);
  return made;
}

/** Writes a scalar text dataset. */
export function text(parent: H5.Group, name: string, value: string): H5.Dataset {
  return parent.create_dataset({ name, data: value });
}

const f32 = (value: number): Float32Array => Float32Array.of(value);

/** The time axis of a TimeSeries: regular samples from `start` at `rate` Hz, or one timestamp per sample. */
export type Timing = { readonly start: number; readonly rate: number } | { readonly timestamps: Float64Array };

/**
 * A TimeSeries `name` under `parent`: `data` (first axis time) of `shape` in `unit`, its timing, a
 * description. Regular series store starting_time with its rate, others their timestamps.
 */
export function timeSeries(parent: H5.Group, name: string, data: Float64Array, shape: readonly number[], unit: string, timing: Timing, description: string): H5.Group {
  const series = group(parent, name, 'TimeSeries');
  series.create_attribute('description', description);
  series.create_attribute('comments', 'no comments');
  const values = series.create_dataset({ name: 'data', data, shape: [...shape] });
  values.create_attribute('unit', unit);
  values.create_attribute('conversion', f32(1), []);
  values.create_attribute('offset', f32(0), []);
  values.create_attribute('resolution', f32(-1), []);
  if ('rate' in timing) {
    const start = series.create_dataset({ name: 'starting_time', data: Float64Array.of(timing.start), shape: [] });
    start.create_attribute('rate', f32(timing.rate), []);
    start.create_attribute('unit', 'seconds');
  } else {
    const stamps = series.create_dataset({ name: 'timestamps', data: timing.timestamps });
    stamps.create_attribute('interval', Int32Array.of(1), []);
    stamps.create_attribute('unit', 'seconds');
  }
  return series;
}

/** A column of a DynamicTable (VectorData). */
export function column(table: H5.Group, name: string, data: Float64Array | BigInt64Array | string[], description: string): H5.Dataset {
  const made = table.create_dataset({ name, data });
  typed(made, 'VectorData', 'hdmf-common');
  made.create_attribute('description', description);
  return made;
}

/**
 * The Units table at /units: one row per unit, its spike times in one ragged column (spike_times
 * cut by spike_times_index: row r's spikes are spike_times[ends[r-1] : ends[r]]), plus text and
 * integer columns of one value per unit.
 */
export function unitsTable(
  root: H5.Group,
  spikeTimes: Float64Array,
  ends: BigUint64Array,
  columns: readonly { readonly name: string; readonly data: BigInt64Array | string[]; readonly description: string }[],
  description: string,
): H5.Group {
  const units = group(root, 'units', 'Units', description);
  units.create_attribute('colnames', ['spike_times', ...columns.map((c) => c.name)]);
  const ids = units.create_dataset({ name: 'id', data: BigInt64Array.from({ length: ends.length }, (_, r) => BigInt(r)) });
  typed(ids, 'ElementIdentifiers', 'hdmf-common');
  const times = column(units, 'spike_times', spikeTimes, 'the spike times of each unit, in seconds');
  const index = units.create_dataset({ name: 'spike_times_index', data: ends });
  typed(index, 'VectorIndex', 'hdmf-common');
  index.create_attribute('description', 'index into spike_times: row r ends before element r');
  index.create_attribute('target', times.create_reference());
  for (const c of columns) column(units, c.name, c.data, c.description);
  return units;
}
