/** A whole run on a 2,000-image subset of MNIST: it learns, writes its run directory, and repeats bit for bit. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runExperiment } from '../src/session/kinds';
import { loadExperiment } from '../src/experiment/experiment';
import { Network } from '../src/network/network';

const timing = new Set(['seconds', 'eval_seconds']);

function readMetrics(dir: string): Record<string, unknown>[] {
  return fs
    .readFileSync(path.join(dir, 'metrics.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));
}

const withoutTiming = (record: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(record).filter(([key]) => !timing.has(key)));

describe('apical run on 2,000 MNIST images', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'apical-e2e-'));
  const experiment = loadExperiment('experiments/mnist-dtp.json', { epochs: 3, trainLimit: 2000, seed: 11 });

  it('learns with DTP (test error far below chance), writes every output, and the same seed repeats exactly', async () => {
    const first = path.join(root, 'first');
    const second = path.join(root, 'second');
    const summary = await runExperiment(experiment, { out: first, force: false });
    await runExperiment(experiment, { out: second, force: false });

    expect(summary.epochs_completed).toBe(3);
    expect(summary.final!.test_error).toBeLessThan(0.3);

    const metrics = readMetrics(first);
    expect(metrics).toHaveLength(3);
    for (const record of metrics) {
      for (const key of ['epoch', 'train_error', 'valid_error', 'test_error', 'loss', 'seconds']) expect(record).toHaveProperty(key);
      expect(Object.keys(record.reconstruction_error as object)).toEqual(['g2', 'g3', 'g4', 'g5', 'g6', 'g7']);
    }
    expect(readMetrics(second).map(withoutTiming)).toEqual(metrics.map(withoutTiming));

    const config = JSON.parse(fs.readFileSync(path.join(first, 'config.json'), 'utf8'));
    expect(config.training).toMatchObject({ epochs: 3, seed: 11, batchSize: 100 });
    expect(config.model.layers).toHaveLength(2);
    const saved = JSON.parse(fs.readFileSync(path.join(first, 'summary.json'), 'utf8'));
    expect(saved).toMatchObject({ seed: 11, epochs_completed: 3, interrupted: false });

    const manifest = JSON.parse(fs.readFileSync(path.join(first, 'weights', 'manifest.json'), 'utf8'));
    const w1 = manifest.weights.find((w: { name: string }) => w.name === 'W1');
    expect(w1.shape).toEqual([784, 240]);
    expect(fs.statSync(path.join(first, 'weights', w1.file)).size).toBe(784 * 240 * 4);
    expect(manifest.weights.map((w: { name: string }) => w.name)).toContain('V7');
    for (const entry of manifest.weights) {
      const a = fs.readFileSync(path.join(first, 'weights', entry.file));
      expect(a.equals(fs.readFileSync(path.join(second, 'weights', entry.file)))).toBe(true);
    }
  });

  it('a different seed gives a different run', async () => {
    const other = await runExperiment({ ...experiment, training: { ...experiment.training, epochs: 1, seed: 12 } }, { out: path.join(root, 'other'), force: false });
    const same = await runExperiment({ ...experiment, training: { ...experiment.training, epochs: 1 } }, { out: path.join(root, 'same'), force: false });
    expect(other.final!.train_error).not.toEqual(same.final!.train_error);
  });

  it('keeps frozen parameters at their initial values', async () => {
    const frozen = loadExperiment('experiments/mnist-dtp-released.json', { epochs: 1, trainLimit: 500 });
    const out = path.join(root, 'frozen');
    await runExperiment(frozen, { out, force: false });
    const initial = new Network(frozen.model, { seed: frozen.training.seed, maxRows: 1, feedback: 'decoder' });
    const saved = (name: string): Float32Array => new Float32Array(new Uint8Array(fs.readFileSync(path.join(out, 'weights', `${name}.f32`))).buffer);
    expect(saved('W6')).toEqual(initial.populations[5].projection.weights);
    expect(saved('b5')).toEqual(initial.populations[4].projection.bias);
    expect(saved('W5')).not.toEqual(initial.populations[4].projection.weights);
  });

  it('learns with BP and with TP’s decoders running', async () => {
    for (const name of ['bp', 'tp']) {
      const e = loadExperiment(`experiments/mnist-${name}.json`, { epochs: 1, trainLimit: 2000 });
      const summary = await runExperiment(e, { out: path.join(root, name), force: false });
      expect(summary.final!.test_error).not.toBeNull();
      if (name === 'bp') expect(summary.final!.test_error).toBeLessThan(0.3);
    }
  });
});
