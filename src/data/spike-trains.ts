/**
 * Recorded spike trains to replay: every spike as a (time, unit) pair, read from
 *
 *   - an NWB file's Units table (/units: spike_times, cut per unit by spike_times_index; the unit's
 *     number is its `neuron` column where apical's export wrote one, else its id), optionally only
 *     the rows whose `population` column names `population`;
 *   - a .npy of shape (n, 2): column 0 the times in seconds, column 1 the unit indices; or an .npz
 *     with arrays `times` and `indices` of one length.
 *
 * Times must be finite and not negative, indices whole numbers from 0.
 */
import type * as H5 from 'h5wasm';
import * as path from 'path';
import { DataError } from './data-error';
import { withHdf5Bytes } from './hdf5';
import { firstNonFinite, NumericArray, readArrays } from './npy';
import { readDataFile } from './read-file';

export interface SpikeTrains {
  /** Seconds, one per spike. */
  readonly times: Float64Array;
  /** The unit that fired each spike. */
  readonly units: Uint32Array;
}

/** The spikes in `file` (.nwb, .npy or .npz), of population `population` only when given (NWB). */
export async function readSpikeTrains(file: string, population?: string): Promise<SpikeTrains> {
  const read = path.extname(file).toLowerCase() === '.nwb' ? await readNwbUnits(file, population) : readNpySpikes(file);
  const times = Float64Array.from(read.times);
  const units = Float64Array.from(read.units);
  const bad = firstNonFinite(times);
  if (bad >= 0) throw new DataError(`${file}: spike ${bad} has time ${times[bad]}`);
  const negative = times.findIndex((t) => t < 0);
  if (negative >= 0) throw new DataError(`${file}: spike ${negative} has a negative time (${times[negative]} s)`);
  const unit = units.findIndex((u) => !Number.isInteger(u) || u < 0);
  if (unit >= 0) throw new DataError(`${file}: spike ${unit} has unit index ${units[unit]}, not a whole number from 0`);
  return { times, units: Uint32Array.from(units) };
}

/** Column `name` of `units` as numbers, or null when the table has no such column. */
function column(units: H5.Group, name: string): ArrayLike<number> | null {
  const dataset = units.get(name);
  if (!dataset || !('shape' in dataset)) return null;
  const value = (dataset as H5.Dataset).value;
  return ArrayBuffer.isView(value) ? Array.from(value as ArrayLike<number | bigint>, Number) : null;
}

async function readNwbUnits(file: string, population?: string): Promise<{ times: ArrayLike<number>; units: ArrayLike<number> }> {
  const bytes = readDataFile(file);
  return withHdf5Bytes(bytes, (nwb) => {
    const table = nwb.get('units');
    if (!table || !('keys' in table)) throw new DataError(`${file}: no Units table (/units)`);
    const units = table as H5.Group;
    const spikeTimes = column(units, 'spike_times');
    const ends = column(units, 'spike_times_index');
    const ids = column(units, 'neuron') ?? column(units, 'id');
    if (!spikeTimes || !ends || !ids) throw new DataError(`${file}: /units needs spike_times, spike_times_index and id`);
    if (ends.length !== ids.length) throw new DataError(`${file}: /units/spike_times_index has ${ends.length} rows, /units/id ${ids.length}`);
    const populations = units.get('population') ? ((units.get('population') as H5.Dataset).value as string[]) : null;
    if (population !== undefined && !populations) throw new DataError(`${file}: /units has no population column to pick "${population}" from`);
    const named = [...new Set(populations ?? [])];
    if (population === undefined && named.length > 1) throw new DataError(`${file}: holds units of populations ${named.join(', ')}; pick one with "population"`);
    if (population !== undefined && !populations!.includes(population)) {
      throw new DataError(`${file}: no units of population "${population}" (there are ${named.join(', ')})`);
    }
    const times: number[] = [];
    const indices: number[] = [];
    for (let row = 0, start = 0; row < ends.length; start = ends[row], row++) {
      if (population !== undefined && populations![row] !== population) continue;
      for (let k = start; k < ends[row]; k++) {
        times.push(spikeTimes[k]);
        indices.push(ids[row]);
      }
    }
    return { times, units: indices };
  });
}

function readNpySpikes(file: string): { times: ArrayLike<number>; units: ArrayLike<number> } {
  const arrays = readArrays(file);
  const pair = arrays.get('');
  if (pair) {
    if (pair.shape.length !== 2 || pair.shape[1] !== 2) throw new DataError(`${file}: shape (${pair.shape.join(', ')}), expected (n, 2): times in seconds, unit indices`);
    const n = pair.shape[0];
    return { times: Float64Array.from({ length: n }, (_, k) => pair.data[2 * k]), units: Float64Array.from({ length: n }, (_, k) => pair.data[2 * k + 1]) };
  }
  const times = arrays.get('times');
  const units = arrays.get('indices');
  if (!times || !units) throw new DataError(`${file}: needs arrays "times" and "indices" (has ${[...arrays.keys()].join(', ') || 'none'})`);
  const length = (a: NumericArray): number => a.data.length;
  if (length(times) !== length(units)) throw new DataError(`${file}: ${length(times)} times but ${length(units)} indices`);
  return { times: times.data, units: units.data };
}
