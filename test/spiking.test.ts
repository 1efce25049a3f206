/** Spiking networks: synapses and delays, seeds, monitors, CUBA against Brian2's figures, the CLI. */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { compileModel } from '../src/equations/compile';
import { evaluateConstants, ModelSpec, parseModel } from '../src/equations/model';
import { Simulation } from '../src/network/simulation';
import { buildSpiking } from '../src/experiment/build-spiking';
import { loadSpikingExperiment, SpikingExperiment } from '../src/experiment/spiking';
import { NeuronGroup } from '../src/network/neuron-group';
import { Synapses } from '../src/network/synapses';
import { writeMonitors } from '../src/record/monitor-files';
import { SpikeMonitor } from '../src/record/spike-monitor';
import { SpikeStatistics } from '../src/metrics/spike-statistics';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'apical-spiking-'));
const dt = 1e-4;
/** A file's bytes in a buffer of their own (Node pools small reads). */
const bytes = (file: string): ArrayBuffer => Uint8Array.from(fs.readFileSync(file)).buffer;

/** Neurons that spike in the steps where `fire` was set to 1 (then cleared by the reset). */
const generator: ModelSpec = { name: 'generator', equations: ['fire : 1'], threshold: 'fire > 0', reset: 'fire = 0' };
/** Neurons that only accumulate what synapses deliver. */
const accumulator: ModelSpec = { name: 'accumulator', equations: ['x : 1'] };

const make = (spec: ModelSpec, size: number, name = 'G'): NeuronGroup => new NeuronGroup(name, size, compileModel(parseModel(spec), dt), 1);

describe('synapses', () => {
  test('a spike sent through a delay of d steps arrives exactly d steps later, for every delay at once', () => {
    const source = make(generator, 1, 'S');
    const target = make(accumulator, 6, 'T');
    const synapses = new Synapses({ name: 'D', source: 'S', target: 'T', model: 'w : 1', init: { w: 'j + 1' }, on_pre: 'x += w', delay: 'j * 0.5 ms', connect: {} }, source, target, new Map(), 1);
    expect(Array.from(synapses.delaySteps)).toEqual([0, 5, 10, 15, 20, 25]);
    const sim = new Simulation(dt, [source, target], [synapses]);
    const fireAt = [7, 30, 31];
    const x = target.variable('x');
    const history: number[][] = [];
    for (let s = 0; s < 70; s++) {
      if (fireAt.includes(s)) source.variable('fire')[0] = 1;
      sim.run(1);
      history.push(Array.from(x));
    }
    for (let j = 0; j < 6; j++) {
      const arrivals = history.map((row, s) => (s === 0 ? row[j] : row[j] - history[s - 1][j])).flatMap((inc, s) => (inc !== 0 ? [[s, inc]] : []));
      expect(arrivals).toEqual(fireAt.map((s) => [s + 5 * j, j + 1]));
    }
  });

  test('connectivity: probability p, fixed in-degree, and a condition', () => {
    const source = make(accumulator, 400, 'A');
    const target = make(accumulator, 300, 'B');
    const byP = new Synapses({ name: 'P', source: 'A', target: 'B', on_pre: 'x += 1', connect: { p: 0.05 } }, source, target, new Map(), 1);
    const mean = 0.05 * 400 * 300;
    expect(Math.abs(byP.size - mean)).toBeLessThan(5 * Math.sqrt(mean * 0.95));
    const byDegree = new Synapses({ name: 'K', source: 'A', target: 'B', on_pre: 'x += 1', connect: { indegree: 17, condition: 'i % 2 == 0' } }, source, target, new Map(), 1);
    const perTarget = new Map<number, number[]>();
    byDegree.post.forEach((j, k) => perTarget.set(j, [...(perTarget.get(j) ?? []), byDegree.pre[k]]));
    expect(perTarget.size).toBe(300);
    for (const partners of perTarget.values()) {
      expect(new Set(partners).size).toBe(17);
      expect(partners.every((i) => i % 2 === 0)).toBe(true);
    }
    const self = make(accumulator, 50, 'C');
    const noSelf = new Synapses({ name: 'N', source: 'C', target: 'C', on_pre: 'x += 1', connect: { condition: 'i != j' } }, self, self, new Map(), 1);
    expect(noSelf.size).toBe(50 * 49);
    expect(Array.from(noSelf.pre).some((i, k) => noSelf.post[k] === i)).toBe(false);
  });

  test('an on-spike effect in the wrong unit is reported', () => {
    const source = make(generator, 1, 'S');
    const lif = make({ name: 'lif', equations: ['dv/dt = -v / (10 ms) : volt'] }, 1, 'T');
    expect(() => new Synapses({ name: 'E', source: 'S', target: 'T', on_pre: 'v += 2 ms', connect: {} }, source, lif, new Map(), 1)).toThrow(
      'synapses "E", on_pre, "v += 2 ms": the target is volt but the right side is second',
    );
  });
});

/** CUBA from experiments/cuba.json, scaled to n neurons (80% excitatory), for `duration`. */
function cuba(n: number, seed: number, duration: string, monitors = true): SpikingExperiment {
  const experiment = loadSpikingExperiment('experiments/cuba.json', { seed, duration });
  return {
    ...experiment,
    parameters: { ...experiment.parameters, Ne: Math.round(0.8 * n) },
    populations: experiment.populations.map((p) => ({ ...p, size: n })),
    monitors: monitors ? experiment.monitors.filter((m) => m.kind !== 'state' || n > 3201) : [],
  };
}

/** Every spike as "step:index", and the final state. */
function simulate(experiment: SpikingExperiment): { spikes: string[]; state: Float64Array[]; run: ReturnType<typeof buildSpiking> } {
  const run = buildSpiking(experiment);
  const spikes: string[] = [];
  const group = run.simulation.groups[0];
  group.spikes$.subscribe(({ step, indices }) => indices.forEach((i) => spikes.push(`${step}:${i}`)));
  run.simulation.run(run.steps);
  return { spikes, state: group.state, run };
}

describe('CUBA', () => {
  test('the same seed gives the same spikes; another seed other spikes', () => {
    const a = simulate(cuba(1000, 1, '200 ms'));
    const b = simulate(cuba(1000, 1, '200 ms'));
    const c = simulate(cuba(1000, 2, '200 ms'));
    expect(a.spikes.length).toBeGreaterThan(100);
    expect(b.spikes).toEqual(a.spikes);
    expect(c.spikes).not.toEqual(a.spikes);
  });

  test('monitors do not change the simulation, and record what happened', () => {
    const without = simulate(cuba(1000, 3, '200 ms', false));
    const withMonitors = simulate({
      ...cuba(1000, 3, '200 ms'),
      monitors: [
        { kind: 'spikes', name: 'spikes', population: 'P', stream: false },
        { kind: 'state', name: 'trace', population: 'P', variables: ['v', 'ge'], indices: [5, 900], every: 7 },
        { kind: 'rate', name: 'rate', population: 'P', bin: '10 ms' },
      ],
    });
    expect(withMonitors.spikes).toEqual(without.spikes);
    withMonitors.state.forEach((values, k) => expect(Buffer.from(values.buffer).equals(Buffer.from(without.state[k].buffer))).toBe(true));

    const { run } = withMonitors;
    const folder = writeMonitors(tmp, run.monitors, run.dt, run.steps);
    const manifest = JSON.parse(fs.readFileSync(path.join(folder, 'manifest.json'), 'utf8'));
    const [spikes, trace, rate] = manifest.monitors;
    const steps = new Uint32Array(bytes(path.join(folder, spikes.files.step)));
    const indices = new Uint32Array(bytes(path.join(folder, spikes.files.index)));
    expect(spikes.count).toBe(without.spikes.length);
    expect(Array.from(steps, (s, k) => `${s}:${indices[k]}`)).toEqual(without.spikes);
    expect(trace.rows).toBe(Math.ceil(2000 / 7));
    const v = new Float64Array(bytes(path.join(folder, trace.files.v)));
    expect(v.length).toBe(trace.rows * 2);
    expect(v[(trace.rows - 1) * 2 + 1]).toBeLessThan(-0.05); // within [Vr, Vt] after the last reset
    expect(trace.units.v).toBe('volt');
    const rates = new Float64Array(bytes(path.join(folder, rate.file)));
    expect(rates.length).toBe(20);
    const total = rates.reduce((a, r) => a + r * 1000 * 0.01, 0);
    expect(total).toBeCloseTo(without.spikes.length, 6);
  });

  test('a streaming spike monitor writes the same spikes as one kept in memory', () => {
    const run = buildSpiking(cuba(1000, 4, '300 ms', false));
    const group = run.simulation.groups[0];
    const stem = path.join(tmp, 'streamed');
    const streamed = new SpikeMonitor('streamed', group, stem);
    const kept = new SpikeMonitor('kept', group);
    run.simulation.run(run.steps);
    streamed.close();
    kept.close();
    const { steps, indices } = kept.spikes();
    expect(steps.length).toBeGreaterThan(1024); // more than one buffer's worth went to disk
    expect(Buffer.from(bytes(`${stem}.step.u32`)).equals(Buffer.from(steps.buffer, steps.byteOffset, steps.byteLength))).toBe(true);
    expect(Buffer.from(bytes(`${stem}.index.u32`)).equals(Buffer.from(indices.buffer, indices.byteOffset, indices.byteLength))).toBe(true);
    expect(streamed.count).toBe(steps.length);
  });

  test('4000 neurons for 1 s fire at Brian2\'s rate (≈ 5.6 Hz, within 10%) in the irregular regime', () => {
    const run = buildSpiking(cuba(4000, 1, '1 s', false));
    const statistics = new SpikeStatistics(run.simulation.groups);
    run.simulation.run(run.steps);
    const { spikes, mean_rate_hz, isi_cv } = statistics.total(run.steps);
    expect(Math.abs(mean_rate_hz - 5.6) / 5.6).toBeLessThan(0.1);
    expect(spikes).toBe(Math.round(mean_rate_hz * 4000));
    expect(isi_cv).toBeGreaterThan(0.3);
  });
});

describe('apical run with a spiking experiment', () => {
  const cli = path.resolve('dist/src/cli/main.js');
  const apical = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });

  test('writes summary.json, one metrics line per 100 ms, and the monitors', () => {
    const file = path.join(tmp, 'cuba-short.json');
    const json = JSON.parse(fs.readFileSync('experiments/cuba.json', 'utf8'));
    fs.writeFileSync(file, JSON.stringify({ ...json, duration: '300 ms', populations: json.populations.map((p: any) => ({ ...p, model: path.resolve('models/neurons/cuba-lif.json') })) }));
    const out = path.join(tmp, 'run');
    const result = apical('run', file, '--out', out);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const summary = JSON.parse(fs.readFileSync(path.join(out, 'summary.json'), 'utf8'));
    for (const key of ['spikes', 'mean_rate_hz', 'isi_cv', 'wall_seconds']) expect(typeof summary[key]).toBe('number');
    const lines = fs.readFileSync(path.join(out, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(3);
    expect(lines.reduce((a, l) => a + l.spikes, 0)).toBe(summary.spikes);
    expect(fs.existsSync(path.join(out, 'monitors', 'manifest.json'))).toBe(true);
  });

  test('--set reaches a spiking experiment: its duration from the command line', () => {
    const out = path.join(tmp, 'run-set');
    const result = apical('run', 'experiments/cuba.json', '--out', out, '--set', 'duration=200 ms');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const lines = fs.readFileSync(path.join(out, 'metrics.jsonl'), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(2);
    const config = JSON.parse(fs.readFileSync(path.join(out, 'config.json'), 'utf8'));
    expect(config.duration).toBe('200 ms');
    const bad = apical('run', 'experiments/cuba.json', '--out', path.join(tmp, 'run-set-bad'), '--set', 'duration.unit=1');
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim().split('\n')).toEqual(['apical: --set duration.unit=1: /duration in experiments/cuba.json is not an object']);
  });

  test('an equation whose units disagree stops with one line and status 2', () => {
    const file = path.join(tmp, 'bad.json');
    const json = JSON.parse(fs.readFileSync('experiments/cuba.json', 'utf8'));
    const model = JSON.parse(fs.readFileSync('models/neurons/cuba-lif.json', 'utf8'));
    model.equations[1] = 'dge/dt = -ge : volt';
    fs.writeFileSync(file, JSON.stringify({ ...json, populations: json.populations.map((p: any) => ({ ...p, model })) }));
    const result = apical('run', file, '--out', path.join(tmp, 'bad-run'));
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split('\n')).toEqual(['apical: model "cuba-lif", "dge/dt = -ge : volt": the left side is volt/second but the right side is volt']);
  });
});

test('constants may use earlier ones and units', () => {
  const c = evaluateConstants({ a: '2 mV', b: 'a * 3', n: 4 }, 'here');
  expect((c.get('b') as any).value).toBeCloseTo(0.006, 15);
});
