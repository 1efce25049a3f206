/**
 * The compiled C++ loops (issue 16, src/equations/cpp.ts) against the JavaScript loops, the
 * reference: every spike (step and index) and every final value of every neuron and synapse
 * variable equal to the bit, on a network that exercises what the loops do — Euler integration
 * with rand() in the equations (one thread, the seeded stream in neuron order), rand() in a
 * threshold, two-statement resets, refractoriness, an exactly integrated population large enough
 * to be split between the two threads, per-synapse variables drawn at random and changed by
 * on_pre, delays in several groups, a presynaptic variable written by on_pre (one thread), and
 * deliveries large enough to be split by target, Poisson counts drawn in the equations (Brunel's
 * neuron, poisson() in its external drive). And the backend choice: a missing compiler falls
 * back with one line; a forced but unavailable backend is one line and exit 2. And the cache: two
 * processes compiling the same model into the same empty cache at once both run, leaving one
 * library per loop and no partial file.
 */
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { nativeCompiler } from '../src/equations/compiler';
import { buildSpiking } from '../src/experiment/build-spiking';
import { SpikingExperiment } from '../src/experiment/spiking';

const root = path.resolve(__dirname, '..');
const cli = path.join(root, 'dist/src/cli/main.js');
const available = typeof nativeCompiler() !== 'string';
const maybe = available ? test : test.skip;

const adaptive = {
  name: 'noisy-adaptive-lif',
  equations: ['dv/dt = (El - v - a + sigma * (rand() - 0.5)) / taum : volt (unless refractory)', 'da/dt = -a / taua : volt', 'ge : volt'],
  parameters: { taum: '10 ms', taua: '50 ms', El: '-45 mV', Vt: '-50 mV', Vr: '-65 mV', sigma: '40 mV', b: '1 mV' },
  threshold: 'v > Vt and rand() < 0.8',
  reset: 'v = Vr; a += b',
  refractory: '2 ms',
  method: 'euler' as const,
};

const cuba = {
  name: 'cuba-lif',
  equations: ['dv/dt = (ge + gi - (v - El)) / taum : volt (unless refractory)', 'dge/dt = -ge / taue : volt', 'dgi/dt = -gi / taui : volt'],
  parameters: { taum: '20 ms', taue: '5 ms', taui: '10 ms', Vt: '-50 mV', Vr: '-60 mV', El: '-52 mV' },
  threshold: 'v > Vt',
  reset: 'v = Vr',
  refractory: '5 ms',
  method: 'exact' as const,
};

const brunel = JSON.parse(fs.readFileSync(path.join(root, 'models/neurons/brunel-lif.json'), 'utf8'));

const experiment: SpikingExperiment = {
  kind: 'spiking',
  name: 'native-vs-javascript',
  description: '',
  file: 'test',
  dt: '0.1 ms',
  duration: '40 ms',
  seed: 7,
  parameters: { wmax: '0.4 mV' },
  populations: [
    { name: 'A', model: adaptive, size: 1000, parameters: {}, init: { v: 'Vr + rand() * (Vt - Vr)', a: '0 mV', ge: '0 mV' } },
    { name: 'B', model: cuba, size: 20000, parameters: {}, init: { v: '-60 mV + rand() * 12 mV', ge: '0 mV', gi: '0 mV' } },
    { name: 'C', model: brunel, size: 500, parameters: {}, init: { v: 'rand() * 20 mV', ready: '1' } },
  ],
  synapses: [
    { name: 'AB', source: 'A', target: 'B', model: 'w : volt', init: { w: 'rand() * wmax' }, on_pre: 'ge += w; w *= 0.99', delay: 'rand() * 3 ms', connect: { p: 0.05 } },
    { name: 'BB', source: 'B', target: 'B', on_pre: 'gi -= 0.2 * mV', delay: '1 ms', connect: { condition: 'i != j', p: 0.004 } },
    { name: 'AA', source: 'A', target: 'A', on_pre: 'v += 0.1 * mV; a_pre += 0.01 * mV', connect: { p: 0.02 } },
    { name: 'CC', source: 'C', target: 'C', on_pre: 'v -= 0.5 * mV * ready', delay: '1.5 ms', connect: { indegree: 50 } },
  ],
  monitors: [],
  metrics: { bin: '10 ms' },
};

/**
 * The same network without delays, every synapse into a group listed no later than its source: each
 * population's step then runs as one call into the addon (update, deliveries, deferred reset).
 */
const undelayed: SpikingExperiment = {
  ...experiment,
  name: 'native-vs-javascript-fused',
  populations: experiment.populations.map((p) => (p.name === 'B' ? { ...p, size: 4000 } : p)),
  synapses: [
    { name: 'AA', source: 'A', target: 'A', model: 'w : volt', init: { w: 'rand() * wmax' }, on_pre: 'v += w; w *= 0.99; a_pre += 0.01 * mV', connect: { p: 0.02 } },
    { name: 'BA', source: 'B', target: 'A', on_pre: 'ge += 0.01 * mV', connect: { p: 0.001 } },
    { name: 'BB', source: 'B', target: 'B', on_pre: 'gi -= 0.2 * mV', connect: { condition: 'i != j', p: 0.004 } },
    { name: 'CC', source: 'C', target: 'C', on_pre: 'v -= 0.5 * mV * ready', connect: { indegree: 50 } },
  ],
};

/**
 * Every spike as (step, population, index), every variable's final values and, with `ticks`, the
 * sum of every group's first variable after each step's resets (tick$), under `backend`.
 */
function simulate(backend: 'javascript' | 'native', network = experiment, ticks = false): { spikes: number[]; state: Float64Array[]; sums: number[]; fused: boolean } {
  const saved = process.env.APICAL_SPIKING_BACKEND;
  process.env.APICAL_SPIKING_BACKEND = backend;
  try {
    const run = buildSpiking(network);
    const spikes: number[] = [];
    const sums: number[] = [];
    run.simulation.groups.forEach((group, g) => group.spikes$.subscribe((e) => e.indices.forEach((i) => spikes.push(e.step, g, i))));
    if (ticks) run.simulation.tick$.subscribe(() => run.simulation.groups.forEach((group) => sums.push(group.state[0].reduce((a, b) => a + b, 0))));
    // Two runs: a deferred reset must be made at the end of each.
    run.simulation.run(Math.floor(run.steps / 2));
    run.simulation.run(run.steps - Math.floor(run.steps / 2));
    const state = [...run.simulation.groups.flatMap((group) => group.state), ...run.simulation.synapses.flatMap((s) => s.variables)];
    return { spikes, state, sums, fused: run.simulation.fused };
  } finally {
    if (saved === undefined) delete process.env.APICAL_SPIKING_BACKEND;
    else process.env.APICAL_SPIKING_BACKEND = saved;
  }
}

describe('compiled spiking loops', () => {
  maybe('give the JavaScript loops\' spikes and state to the bit', () => {
    const reference = simulate('javascript');
    const native = simulate('native');
    expect(native.fused).toBe(false);
    // Enough activity that every path runs: A spikes most steps, B's deliveries exceed the split size.
    expect(reference.spikes.length / 3).toBeGreaterThan(5000);
    expect(native.spikes.length).toBe(reference.spikes.length);
    expect(native.spikes).toEqual(reference.spikes);
    native.state.forEach((values, k) => expect(Buffer.from(values.buffer).equals(Buffer.from(reference.state[k].buffer))).toBe(true));
  });

  maybe('a whole step per call (no delays) gives the JavaScript loops\' spikes and state to the bit, with or without tick subscribers', () => {
    for (const ticks of [false, true]) {
      const reference = simulate('javascript', undelayed, ticks);
      const native = simulate('native', undelayed, ticks);
      expect([reference.fused, native.fused]).toEqual([false, true]);
      expect(reference.spikes.length / 3).toBeGreaterThan(4000);
      expect(native.spikes).toEqual(reference.spikes);
      expect(native.sums).toEqual(reference.sums);
      expect(native.sums.length).toBe(ticks ? 3 * 400 : 0);
      native.state.forEach((values, k) => expect(Buffer.from(values.buffer).equals(Buffer.from(reference.state[k].buffer))).toBe(true));
    }
  });

  test('a missing compiler falls back to JavaScript with one line; a forced native backend then stops with one line', () => {
    const args = [cli, 'run', path.join(root, 'experiments/cuba.json'), '--set', 'duration=10 ms', '--out', path.join(require('os').tmpdir(), `apical-native-${process.pid}`), '--force'];
    const fallback = spawnSync(process.execPath, args, { encoding: 'utf8', env: { ...process.env, APICAL_CXX: '/nonexistent/g++', APICAL_SPIKING_BACKEND: '' } });
    expect(fallback.status).toBe(0);
    expect(fallback.stderr.trim().split('\n')).toEqual(['apical: spiking loops run as JavaScript: no C++ compiler (/nonexistent/g++ --version failed; install g++ or set APICAL_CXX)']);
    const forced = spawnSync(process.execPath, args, { encoding: 'utf8', env: { ...process.env, APICAL_CXX: '/nonexistent/g++', APICAL_SPIKING_BACKEND: 'native' } });
    expect(forced.status).toBe(2);
    expect(forced.stderr.trim()).toBe('apical: APICAL_SPIKING_BACKEND=native is not available: no C++ compiler (/nonexistent/g++ --version failed; install g++ or set APICAL_CXX)');
    const unknown = spawnSync(process.execPath, args, { encoding: 'utf8', env: { ...process.env, APICAL_SPIKING_BACKEND: 'fast' } });
    expect(unknown.status).toBe(2);
    expect(unknown.stderr.trim()).toBe('apical: APICAL_SPIKING_BACKEND must be one of javascript, native; got "fast"');
  });

  maybe('two processes compiling the same model at once share the cache safely', async () => {
    const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'apical-cache-'));
    const run = (k: number): Promise<number | null> =>
      new Promise((resolve) => {
        const out = `${cache}-run${k}`;
        const child = spawn(process.execPath, [cli, 'run', path.join(root, 'experiments/cuba.json'), '--set', 'duration=10 ms', '--out', out, '--force'], {
          env: { ...process.env, APICAL_CACHE_DIR: cache, APICAL_SPIKING_BACKEND: 'native' },
          stdio: 'ignore',
        });
        child.once('exit', (status) => {
          fs.rmSync(out, { recursive: true, force: true });
          resolve(status);
        });
      });
    try {
      expect(await Promise.all([run(1), run(2)])).toEqual([0, 0]);
      const files = fs.readdirSync(cache);
      expect(files.length).toBeGreaterThan(0);
      expect(files.filter((f) => !/^[0-9a-f]{32}\.so$/.test(f))).toEqual([]);
    } finally {
      fs.rmSync(cache, { recursive: true, force: true });
    }
  }, 60000);
});
