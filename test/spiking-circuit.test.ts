/**
 * Spiking DTP runs through the same circuit, trainer and session as the rate rules, so what watches a
 * rate run watches it with no spiking-specific code: alignment metrics, the activity recorder, and
 * the divergence guard, on small spiking DTP runs from experiment files.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadExperiment } from '../src/experiment/experiment';
import { rateKind } from '../src/session/rate';
import { runSession } from '../src/session/session';
import { spikingDtpFile } from './helpers';

const root = path.join(__dirname, '..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'apical-spiking-circuit-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const base = JSON.parse(fs.readFileSync(path.join(root, 'experiments', 'mnist-spiking-dtp.json'), 'utf8'));

/** A small spiking DTP experiment file (30-20 LIF, 5 + 30 ms phases at 200 Hz: rates in steps of 1/6) with `extra` over it. */
const file = (name: string, extra: Record<string, unknown>): string => spikingDtpFile(tmp, name, [30, 20], { epochs: 1, seed: 4 }, extra);

const lines = (f: string): Record<string, any>[] => fs.readFileSync(f, 'utf8').trim().split('\n').map((l) => JSON.parse(l)); // eslint-disable-line @typescript-eslint/no-explicit-any

describe('a small spiking DTP run with alignment metrics and an activity recorder', () => {
  const out = path.join(tmp, 'watched');
  let metrics: Record<string, any>[] = []; // eslint-disable-line @typescript-eslint/no-explicit-any
  beforeAll(async () => {
    const f = file('watched', { metrics: { alignmentEvery: 2 }, record: { traces: 1, activity: { every: 3, units: 8, examples: 2 } } });
    await runSession(rateKind, loadExperiment(f), { out, force: false });
    metrics = lines(path.join(out, 'metrics.jsonl'));
  }, 60000);

  it('samples alignment every 2 learning steps: the top target points down the loss gradient, every update angle is measured', () => {
    const samples = metrics[0].alignment;
    expect(samples.map((s: { step: number }) => s.step)).toEqual([2, 4, 6, 8, 10]);
    for (const s of samples) {
      // ĥ_L − h_L = −η̂·m·∂Loss/∂h_L: no angle at all, up to rounding.
      expect(s.target_angle.h2).toBeLessThan(0.01);
      // Below, the decoded target and the straight-through gradient are measured, whatever their angle.
      expect(s.target_angle.h1).toBeGreaterThan(0);
      expect(s.target_angle.h1).toBeLessThan(180);
      for (const name of ['W1', 'W2']) {
        expect(s.update_angle[name]).toBeGreaterThan(0);
        expect(s.update_angle[name]).toBeLessThan(180);
      }
    }
  });

  it('records the spike-count rates, the top-down signal and the targets of both populations', () => {
    const samples = lines(path.join(out, 'record', 'activity.jsonl'));
    expect(samples.map((s) => `${s.step} ${s.population}`)).toEqual(['0 h1', '0 h2', '3 h1', '3 h2', '6 h1', '6 h2', '9 h1', '9 h2']);
    for (const sample of samples) {
      const rates = sample.activity.flat() as number[];
      // A rate is a spike count over the 30 ms window at 200 Hz: a multiple of 1/6.
      for (const h of rates) expect(Math.abs(h * 6 - Math.round(h * 6))).toBeLessThan(1e-3);
      expect(rates.some((h) => h > 0)).toBe(true);
      expect(sample.target).not.toBeNull();
    }
    // The targets of h2 are its rates moved against the loss gradient that arrived as its top-down signal.
    const top = samples.find((s) => s.population === 'h2')!;
    const [h, d, t] = [top.activity[0], top.topDown[0], top.target[0]];
    h.forEach((v: number, u: number) => expect(t[u]).toBeCloseTo(v - 0.5 * 20 * d[u], 3));
  });
});

it('the divergence guard stops a spiking DTP run whose read-out blows up, naming the population', async () => {
  const huge = { name: 'sgd', lr: 1e300 };
  const f = file('diverging', { optimizer: { forward: base.optimizer.forward, feedback: base.optimizer.feedback, readout: huge } });
  const { summary } = await runSession(rateKind, loadExperiment(f), { out: path.join(tmp, 'diverging'), force: false });
  expect(summary.diverged).toBe(true);
  expect(summary.divergence).toMatchObject({ population: 'out', epoch: 1 });
}, 60000);
