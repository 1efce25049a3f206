/**
 * `apical export --nwb`: the NWB file holds exactly what the run's own monitor and record files
 * hold, read back with h5wasm here and with Debian's h5py (test/nwb/check_nwb.py: layout pynwb
 * requires, counts, times, traces); and a spiking population replays a file's spike trains step
 * for step.
 */
import type * as H5 from 'h5wasm';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { withHdf5Bytes } from '../src/data/hdf5';
import { readSpikeTrains } from '../src/data/spike-trains';
import { readMonitors } from '../src/report/monitor-data';
import { npy, npz } from './numpy-files';

const cli = path.resolve('dist/src/cli/main.js');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'apical-nwb-'));
const cuba = path.join(tmp, 'cuba');
const cubaNwb = path.join(tmp, 'cuba.nwb');
const rate = path.join(tmp, 'rate');
const rateNwb = path.join(tmp, 'rate.nwb');

function apical(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function ok(result: ReturnType<typeof apical>): string {
  if (result.status !== 0) throw new Error(`apical failed (${result.status}): ${result.stderr}`);
  return result.stdout;
}

/** Debian's python3 with h5py (python3-h5py), or null: the h5py checks are skipped. */
const python = spawnSync('/usr/bin/python3', ['-c', 'import h5py, numpy'], { encoding: 'utf8' }).status === 0 ? '/usr/bin/python3' : null;
if (!python) process.stderr.write('test/nwb: /usr/bin/python3 has no h5py (apt-get install python3-h5py): the h5py checks are skipped\n');
const withPython = python ? test : test.skip;

/**
 * The NWB schema's core namespace for hdmf's validator: test/nwb/nwb-schema/ holds nwb-schema 2.6.0's
 * core/ (neither Debian nor npm ships it; pynwb carries it, but pynwb is not in Debian 12);
 * APICAL_NWB_SCHEMA names another copy's core/nwb.namespace.yaml.
 */
const schema = process.env.APICAL_NWB_SCHEMA ?? 'test/nwb/nwb-schema/core/nwb.namespace.yaml';
const hdmf = python && spawnSync(python, ['-c', 'import hdmf'], { encoding: 'utf8' }).status === 0;
if (python && !hdmf) process.stderr.write('test/nwb: /usr/bin/python3 has no hdmf (apt-get install python3-hdmf): the schema validation is skipped\n');
const withSchema = hdmf ? test : test.skip;

beforeAll(() => {
  ok(apical('run', 'experiments/cuba.json', '--out', cuba));
  expect(ok(apical('export', cuba, '--nwb', cubaNwb))).toMatch(/^wrote .*cuba\.nwb \(4000 units, \d+ spikes, 4 time series; [\d.]+ MB\) in [\d.]+ s\n$/);
  const record = JSON.stringify({ activity: { every: 2, units: 4, examples: 2 } });
  ok(apical('run', 'experiments/mnist-dtp.json', '--epochs', '1', '--train-limit', '500', '--out', rate, '--set', `record=${record}`));
  ok(apical('export', rate, '--nwb', rateNwb));
}, 300000);

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Reads `file` with h5wasm and hands its root to `use`. */
const readNwb = <T>(file: string, use: (nwb: H5.File) => T): Promise<T> => withHdf5Bytes(fs.readFileSync(file), use);
const values = (nwb: H5.File, name: string): number[] => Array.from((nwb.get(name) as H5.Dataset).value as ArrayLike<number | bigint>, Number);

describe('apical export --nwb, read back with h5wasm', () => {
  test('the Units table holds every neuron of the spike monitor and its spike times, step × dt', async () => {
    const monitors = readMonitors(cuba)!;
    const [spikes] = monitors.spikes;
    const { times, ends, neurons, attrs } = await readNwb(cubaNwb, (nwb) => ({
      times: values(nwb, 'units/spike_times'),
      ends: values(nwb, 'units/spike_times_index'),
      neurons: values(nwb, 'units/neuron'),
      attrs: Object.fromEntries(['neurodata_type', 'namespace', 'nwb_version'].map((a) => [a, nwb.get_attribute(a, true)])),
    }));
    expect(attrs).toEqual({ neurodata_type: 'NWBFile', namespace: 'core', nwb_version: '2.6.0' });
    expect(ends).toHaveLength(spikes.size);
    expect(neurons).toEqual(Array.from({ length: spikes.size }, (_, n) => n));
    expect(times).toHaveLength(spikes.step.length);
    const expected: number[][] = Array.from({ length: spikes.size }, () => []);
    spikes.step.forEach((step, k) => expected[spikes.index[k]].push(step * monitors.dt));
    for (const neuron of [0, 1, 17, 3199, 3200, 3999]) expect(times.slice(neuron ? ends[neuron - 1] : 0, ends[neuron])).toEqual(expected[neuron]);
    expect(times).toEqual(expected.flat());
  });

  test('state traces and the population rate equal the monitor files', async () => {
    const monitors = readMonitors(cuba)!;
    const [trace] = monitors.states;
    const [rateMonitor] = monitors.rates;
    await readNwb(cubaNwb, (nwb) => {
      for (const v of trace.variables) {
        const data = nwb.get(`acquisition/trace_${v}/data`) as H5.Dataset;
        expect(data.shape).toEqual([trace.rows, trace.indices.length]);
        expect(data.value).toEqual(trace.values[v]);
        expect(data.get_attribute('unit', true)).toBe(trace.units[v]);
      }
      expect((nwb.get('processing/spiking/rate/data') as H5.Dataset).value).toEqual(rateMonitor.rates);
      const start = nwb.get('processing/spiking/rate/starting_time') as H5.Dataset;
      expect(start.get_attribute('rate', true)).toBeCloseTo(1 / (rateMonitor.binSteps * monitors.dt), 3);
    });
  });

  test("a rate network's recorded activity and targets, samples × rows × units", async () => {
    const samples = fs.readFileSync(path.join(rate, 'record/activity.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const h3 = samples.filter((s) => s.population === 'h3');
    expect(h3.length).toBeGreaterThan(1);
    await readNwb(rateNwb, (nwb) => {
      const activity = nwb.get('processing/training/h3_activity/data') as H5.Dataset;
      expect(activity.shape).toEqual([h3.length, 2, 4]);
      expect(values(nwb, 'processing/training/h3_activity/data')).toEqual(h3.flatMap((s) => s.activity.flat()));
      expect(values(nwb, 'processing/training/h3_target/data')).toEqual(h3.flatMap((s) => s.target.flat()));
      expect(values(nwb, 'processing/training/h3_activity/timestamps')).toEqual(h3.map((s) => (s.epoch - 1) * s.steps + s.step));
      expect(nwb.get('units')).toBeNull();
      expect(JSON.parse((nwb.get('general/notes') as H5.Dataset).value as string)).toEqual(JSON.parse(fs.readFileSync(path.join(rate, 'config.json'), 'utf8')));
    });
  });
});

describe('apical export --nwb, read back with h5py', () => {
  withPython('the layout pynwb needs, and counts, times and traces equal the run files (CUBA)', () => {
    const result = spawnSync(python!, ['test/nwb/check_nwb.py', cubaNwb, cuba], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    const summary = JSON.parse(result.stdout);
    expect(summary.units).toBe(4000);
    expect(summary.spikes).toBe(readMonitors(cuba)!.spikes[0].step.length);
    expect(summary.series).toHaveLength(4);
  });

  withPython("the layout, and the recorded activity equals record/activity.jsonl (rate network)", () => {
    const result = spawnSync(python!, ['test/nwb/check_nwb.py', rateNwb, rate], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout).series).toContain('/processing/training/h7_target');
  });

  withPython('the check fails when a spike time is off', () => {
    const broken = path.join(tmp, 'broken.nwb');
    fs.copyFileSync(cubaNwb, broken);
    const edit = spawnSync(python!, ['-c', `import h5py; f = h5py.File('${broken}', 'r+'); f['units/spike_times'][5] += 1e-4; f.close()`], { encoding: 'utf8' });
    expect(edit.status).toBe(0);
    const result = spawnSync(python!, ['test/nwb/check_nwb.py', broken, cuba], { encoding: 'utf8' });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/spike times of neuron/);
  });

  withSchema('hdmf validates both files against the NWB core schema 2.6.0, and finds a missing identifier', () => {
    for (const file of [cubaNwb, rateNwb]) {
      const result = spawnSync(python!, ['test/nwb/validate_nwb.py', schema, file], { encoding: 'utf8' });
      expect(result.stdout.trim()).toBe('0 errors');
    }
    const broken = path.join(tmp, 'no-identifier.nwb');
    fs.copyFileSync(cubaNwb, broken);
    spawnSync(python!, ['-c', `import h5py; f = h5py.File('${broken}', 'r+'); del f['identifier']; f.close()`]);
    const result = spawnSync(python!, ['test/nwb/validate_nwb.py', schema, broken], { encoding: 'utf8' });
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/identifier/);
  });
});

/** A spiking experiment whose one population replays `replay` (size `size`), with a spike monitor. */
function replayExperiment(name: string, replay: unknown, size: number, duration = '1 s'): string {
  const file = path.join(tmp, `${name}.json`);
  const experiment = { kind: 'spiking', name, dt: '0.1 ms', duration, populations: [{ name: 'In', size, replay }], monitors: [{ kind: 'spikes', name: 'spikes', population: 'In' }] };
  fs.writeFileSync(file, JSON.stringify(experiment));
  return file;
}

describe('a spiking population replays recorded spike trains', () => {
  test("replaying the CUBA export, its spike monitor equals CUBA's step for step", async () => {
    const original = readMonitors(cuba)!.spikes[0];
    const trains = await readSpikeTrains(cubaNwb, 'P');
    expect(trains.times).toHaveLength(original.step.length);
    const out = path.join(tmp, 'replayed');
    ok(apical('run', replayExperiment('replay-cuba', { file: 'cuba.nwb', population: 'P' }, 4000), '--out', out));
    const replayed = readMonitors(out)!.spikes[0];
    expect(replayed.step).toEqual(original.step);
    expect(replayed.index).toEqual(original.index);
  });

  test('a .npy of times and indices (and an .npz of both) replays at the times rounded to the step', () => {
    fs.writeFileSync(path.join(tmp, 'spikes.npy'), npy([0.00031, 2, 0.0001, 0, 0.00049, 1, 0.0001, 2], [4, 2], '<f8'));
    fs.writeFileSync(path.join(tmp, 'spikes.npz'), npz({ times: npy([0.00031, 0.0001, 0.00049, 0.0001], [4], '<f8'), indices: npy([2, 0, 1, 2], [4], '<i8') }));
    for (const file of ['spikes.npy', 'spikes.npz']) {
      const out = path.join(tmp, `replayed-${file}`);
      ok(apical('run', replayExperiment(`replay-${file.replace('.', '-')}`, file, 3, '1 ms'), '--out', out));
      const { step, index } = readMonitors(out)!.spikes[0];
      expect(Array.from(step)).toEqual([1, 1, 3, 5]);
      expect(Array.from(index)).toEqual([0, 2, 2, 1]);
    }
  });

  test.each([
    ['a missing file', 'missing.nwb', 3, /missing\.nwb: missing data file/],
    ['unit indices beyond the population', 'spikes.npy', 2, /spikes\.npy: unit 2 is outside population "In" \(size 2\)/],
    ['negative times', 'negative.npy', 3, /negative\.npy: spike 1 has a negative time \(-0\.001 s\)/],
    ['two spikes of one unit in one step', 'twice.npy', 3, /twice\.npy: unit 0 spikes twice in step 1/],
  ])('%s: one line, exit status 2', (_, file, size, message) => {
    fs.writeFileSync(path.join(tmp, 'negative.npy'), npy([0.001, 0, -0.001, 1], [2, 2], '<f8'));
    fs.writeFileSync(path.join(tmp, 'twice.npy'), npy([0.0001, 0, 0.00012, 0], [2, 2], '<f8'));
    const result = apical('run', replayExperiment(`bad-${size}-${file.replace('.', '-')}`, file, size, '1 ms'), '--out', path.join(tmp, `bad-${file}-${size}`));
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(message);
  });

  test.each([
    ['neither a model nor a replay', {}, /\/populations\/0 needs either "model" or "replay"/],
    ['both', { model: 'models/neurons/cuba-lif.json', replay: 'spikes.npy' }, /\/populations\/0 needs either "model" or "replay"/],
    ['initial values for a replay', { replay: 'spikes.npy', init: { v: '0 mV' } }, /\/populations\/0\/init: a replaying population has no model/],
  ])('a population with %s is refused, one line', (name, fields, message) => {
    const file = path.join(tmp, `refused-${name.replace(/ /g, '-')}.json`);
    fs.writeFileSync(file, JSON.stringify({ kind: 'spiking', name: 'refused', dt: '0.1 ms', duration: '1 ms', populations: [{ name: 'In', size: 2, ...fields }] }));
    const result = apical('run', file, '--out', path.join(tmp, `refused-${name.replace(/ /g, '-')}`));
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(message);
  });

  test('an export of two populations replays one of them by name, and refuses to merge them', () => {
    fs.writeFileSync(path.join(tmp, 'a.npy'), npy([0.0001, 0, 0.0002, 1], [2, 2], '<f8'));
    fs.writeFileSync(path.join(tmp, 'b.npy'), npy([0.0003, 1], [1, 2], '<f8'));
    const two = path.join(tmp, 'two.json');
    const populations = [{ name: 'A', size: 2, replay: 'a.npy' }, { name: 'B', size: 2, replay: 'b.npy' }];
    const monitors = ['A', 'B'].map((p) => ({ kind: 'spikes', name: `spikes_${p}`, population: p }));
    fs.writeFileSync(two, JSON.stringify({ kind: 'spiking', name: 'two', dt: '0.1 ms', duration: '1 ms', populations, monitors }));
    ok(apical('run', two, '--out', path.join(tmp, 'two')));
    ok(apical('export', path.join(tmp, 'two'), '--nwb', path.join(tmp, 'two.nwb')));
    const merged = apical('run', replayExperiment('merged', 'two.nwb', 2, '1 ms'), '--out', path.join(tmp, 'merged'));
    expect(merged.status).toBe(2);
    expect(merged.stderr).toMatch(/two\.nwb: holds units of populations A, B; pick one with "population"/);
    const out = path.join(tmp, 'only-b');
    ok(apical('run', replayExperiment('only-b', { file: 'two.nwb', population: 'B' }, 2, '1 ms'), '--out', out));
    const { step, index } = readMonitors(out)!.spikes[0];
    expect([Array.from(step), Array.from(index)]).toEqual([[3], [1]]);
  });
});

describe('apical export: mistakes', () => {
  test.each([
    [['export', 'nowhere-at-all', '--nwb', 'x.nwb'], /nowhere-at-all: not a run directory/],
    [['export', '--nwb', 'x.nwb'], /export needs a run folder/],
    [['export', 'runs'], /export needs --nwb FILE/],
  ])('apical %j: one line, exit status 2', (args, message) => {
    const result = apical(...args);
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(message);
  });

  test('an NWB file that cannot be written: one line', () => {
    const result = apical('export', cuba, '--nwb', path.join(tmp, 'no-such-folder', 'x.nwb'));
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/no-such-folder\/x\.nwb: cannot write the NWB file \(ENOENT\)/);
  });
});
