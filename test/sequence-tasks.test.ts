/**
 * The generated long-range tasks (Pascanu et al. 2013's generators, as Manchev & Spratling 2020 use
 * them): what each sequence holds, the statistics of the classes and lengths, determinism by seed,
 * the one-line errors of malformed settings, and a tiny run through the command line that learns.
 */
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Dataset } from '../src/data/dataset';
import { generateTask, TaskOptions } from '../src/data/sequence-tasks';
import { ConfigError, loadExperiment } from '../src/experiment/experiment';
import { expectDataError, runMetrics } from './helpers';

const base: TaskOptions = { task: 'temporal-order', minLength: 20, maxLength: 30, train: 400, valid: 4000, test: 0, trainBlock: 20, evalBlock: 50, seed: 5 };

/** The symbol at each step of example i (−1 where a step is not one-hot). */
function symbols(data: Dataset, i: number): number[] {
  const width = data.sequence!.width;
  const length = data.sequence!.lengths[i];
  const row = data.images.subarray(i * data.features, (i + 1) * data.features);
  return Array.from({ length }, (_, t) => {
    const step = row.subarray(t * width, (t + 1) * width);
    const ones = step.filter((v) => v === 1).length;
    const zeros = step.filter((v) => v === 0).length;
    return ones === 1 && zeros === width - 1 ? step.indexOf(1) : -1;
  });
}

/** Whether two arrays hold the same bytes. */
function same(a: Float32Array, b: Float32Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

function classShares(data: Dataset): number[] {
  const counts = new Array(data.classes).fill(0);
  for (const label of data.labels) counts[label]++;
  return counts.map((c) => c / data.count);
}

describe('temporal order', () => {
  it.each([
    ['temporal-order', [0.1, 0.5]],
    ['temporal-order-3bit', [0.1, 0.3, 0.6]],
  ] as const)('%s: A or B in each window, distractors elsewhere, the class their order, classes equally likely', (task, windows) => {
    const { valid } = generateTask({ ...base, task });
    expect(valid.classes).toBe(2 ** windows.length);
    expect(valid.sequence!.width).toBe(6);
    for (let i = 0; i < valid.count; i++) {
      const s = symbols(valid, i);
      const T = s.length;
      if (s.includes(-1)) expect(i).toBe('one-hot steps');
      const marked = s.flatMap((symbol, t) => (symbol < 2 ? [t] : []));
      if (marked.length !== windows.length) expect({ example: i, marked }).toHaveLength(windows.length);
      const inWindows = marked.every((t, k) => t >= Math.floor(windows[k] * T) && t < Math.floor(windows[k] * T) + Math.floor(T / 10));
      if (!inWindows) expect({ example: i, marked, T }).toBe('A/B only inside their windows');
      if (valid.labels[i] !== marked.reduce((label, t, k) => label + (s[t] << k), 0)) expect({ example: i, label: valid.labels[i] }).toBe('the order of A/B');
      // Padding after the sequence is zero.
      if (!valid.images.subarray(i * valid.features + T * 6, (i + 1) * valid.features).every((v) => v === 0)) expect(i).toBe('zero padding');
    }
    for (const share of classShares(valid)) expect(Math.abs(share - 1 / valid.classes)).toBeLessThan(0.03);
  });

  it('draws one length per block of sequences, uniform over [min, max) as the released code does', () => {
    const { valid } = generateTask(base);
    const lengths = valid.sequence!.lengths;
    const seen = new Set<number>();
    for (let block = 0; block < valid.count / base.evalBlock; block++) {
      const first = lengths[block * base.evalBlock];
      for (let r = 0; r < base.evalBlock; r++) expect(lengths[block * base.evalBlock + r]).toBe(first);
      expect(first).toBeGreaterThanOrEqual(20);
      expect(first).toBeLessThan(30);
      seen.add(first);
    }
    expect(seen.size).toBeGreaterThan(6);
    expect(valid.features).toBe(30 * 6);
  });
});

describe('adding', () => {
  it('marks one value in [0, T/10) and one in [T/10, T/2); the target is their mean; blocks stretched by under 10%', () => {
    const { valid } = generateTask({ ...base, task: 'adding', minLength: 50, maxLength: 50, valid: 1000 });
    expect(valid.classes).toBe(1);
    expect(valid.features).toBe(54 * 2);
    const targets = valid.targets!;
    const lengths = new Set<number>();
    let sum = 0;
    for (let i = 0; i < valid.count; i++) {
      const T = valid.sequence!.lengths[i];
      lengths.add(T);
      const row = valid.images.subarray(i * valid.features, (i + 1) * valid.features);
      const marked = Array.from({ length: T }, (_, t) => t).filter((t) => row[t * 2] === 1);
      const values = Array.from({ length: T }, (_, t) => row[t * 2 + 1]);
      const ok =
        marked.length === 2 &&
        marked[0] < Math.floor(T / 10) &&
        marked[1] >= Math.floor(T / 10) &&
        marked[1] < Math.floor(T / 10) + Math.floor(0.4 * T) &&
        values.every((v) => v > 0 && v < 1) &&
        Math.abs(targets[i] - (values[marked[0]] + values[marked[1]]) / 2) < 1e-6 &&
        valid.labels[i] === 0;
      if (!ok) expect({ example: i, T, marked }).toBe('two markers in their windows, the target their mean');
      sum += targets[i];
    }
    expect([...lengths].every((T) => T >= 50 && T < 55)).toBe(true);
    expect(lengths.size).toBeGreaterThan(1);
    expect(Math.abs(sum / valid.count - 0.5)).toBeLessThan(0.02);
  });
});

describe('random permutation', () => {
  it('starts with 0 or 1, its class; every other symbol in 2…99', () => {
    const { valid } = generateTask({ ...base, task: 'permutation', valid: 2000 });
    expect(valid.classes).toBe(100);
    for (let i = 0; i < valid.count; i++) {
      const s = symbols(valid, i);
      if (s.includes(-1) || s[0] !== valid.labels[i] || !s.slice(1).every((symbol) => symbol >= 2 && symbol <= 99)) expect({ example: i, s }).toBe('0/1 then 2…99');
    }
    const shares = classShares(valid);
    expect(Math.abs(shares[0] - 0.5)).toBeLessThan(0.03);
    expect(shares[0] + shares[1]).toBe(1);
  });
});

describe('generation from the seed', () => {
  it('gives the same sequences for the same seed and epoch, others for another seed or epoch', () => {
    const a = generateTask(base);
    const b = generateTask(base);
    const c = generateTask({ ...base, seed: 6 });
    expect(same(a.valid.images, b.valid.images)).toBe(true);
    expect(same(a.train.images, b.train.images)).toBe(true);
    expect(Array.from(a.valid.labels)).toEqual(Array.from(b.valid.labels));
    expect(same(a.valid.images, c.valid.images)).toBe(false);
    const first = Float32Array.from(a.train.images);
    a.train.refresh!(2);
    expect(same(a.train.images, first)).toBe(false);
    a.train.refresh!(1);
    expect(same(a.train.images, first)).toBe(true);
  });
});

describe('malformed task settings', () => {
  it.each([
    [{ minLength: 0 }, 'task temporal-order: minLength must be a positive integer, got 0'],
    [{ minLength: 40, maxLength: 30 }, 'task temporal-order: minLength 40 is above maxLength 30'],
    [{ minLength: 5, maxLength: 5 }, 'task temporal-order: minLength 5 is below 10, the shortest sequence it is defined for'],
    [{ task: 'parity' as TaskOptions['task'] }, 'unknown task "parity" (known: temporal-order, temporal-order-3bit, adding, permutation)'],
  ])('%j: one line', (change, message) => {
    expectDataError(() => generateTask({ ...base, ...change }), message);
  });
});

describe('a task through the command line', () => {
  const cli = path.resolve('dist/src/cli/main.js');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'apical-tasks-'));
  const apical = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });

  it.each([
    ['data.minLength=0', 'experiments/seq-temporal-order-tptt.json: /data/minLength must be at least 1, got 0'],
    ['data.maxLength=5', 'experiments/seq-temporal-order-tptt.json: /data/minLength 10 is above /data/maxLength 5'],
    ['data.task="parity"', 'experiments/seq-temporal-order-tptt.json: /data/task "parity" is not a known task (one of temporal-order, temporal-order-3bit, adding, permutation)'],
  ])('--set %s: one line', (setting, message) => {
    expect(() => loadExperiment('experiments/seq-temporal-order-tptt.json', { set: [setting] })).toThrow(new ConfigError(message));
  });

  it.each(['tptt', 'bptt'])('%s learns temporal order at T = 10 within two epochs of fresh sequences (chance: 75%% error)', (rule) => {
    const out = path.join(tmp, rule);
    const result = apical('run', `experiments/seq-temporal-order-${rule}.json`, '--epochs', '2', '--out', out);
    expect(result.status).toBe(0);
    const summary = JSON.parse(fs.readFileSync(path.join(out, 'summary.json'), 'utf8'));
    expect(summary.final.test_error).toBeLessThan(0.2);
  });

  it('tptt beats the adding problem’s baseline at T = 10 (predicting 0.5: 36% of sequences off by a squared error above 0.04)', () => {
    const out = path.join(tmp, 'adding');
    const result = apical('run', 'experiments/seq-adding-tptt.json', '--epochs', '2', '--out', out);
    expect(result.status).toBe(0);
    const summary = JSON.parse(fs.readFileSync(path.join(out, 'summary.json'), 'utf8'));
    expect(summary.final.test_error).toBeLessThan(0.25);
  });

  it('a linear read-out on a classification task: one line, exit status 2', () => {
    const json = JSON.parse(fs.readFileSync('experiments/seq-adding-bptt.json', 'utf8'));
    json.model = { ...JSON.parse(fs.readFileSync('models/srn-tanh-100-adding.json', 'utf8')), input: 6 };
    json.data.task = 'temporal-order';
    const file = path.join(tmp, 'linear-classes.json');
    fs.writeFileSync(file, JSON.stringify(json));
    const result = apical('run', file, '--out', path.join(tmp, 'never'));
    expect(result.status).toBe(2);
    expect(result.stderr.trim()).toBe(`apical: ${file}: model "srn-tanh-100-adding" ends in a linear-readout, which needs real-valued targets (a regression task such as "adding"); these data have labels`);
  });

  it('stopped by SIGTERM mid-run and resumed, ends bit-identical to a run never stopped (the epoch’s sequences redrawn from the seed)', async () => {
    const args = ['experiments/seq-temporal-order-tptt.json', '--epochs', '4', '--set', 'rule.noise=0.1', '--set', 'data.sequences={"train":400,"valid":200,"test":200}', '--set', 'training.evalBatchSize=200'];
    const straight = path.join(tmp, 'straight');
    expect(apical('run', ...args, '--out', straight).status).toBe(0);
    const stopped = path.join(tmp, 'stopped');
    const child = spawn(process.execPath, [cli, 'run', ...args, '--out', stopped]);
    let stdout = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      if (/^epoch +1\//m.test(stdout)) child.kill('SIGTERM');
    });
    await new Promise((resolve) => child.on('close', resolve));
    expect(runMetrics(stopped).length).toBeLessThan(4);
    expect(apical('resume', stopped).status).toBe(0);
    expect(runMetrics(stopped)).toEqual(runMetrics(straight));
  });

  it('the committed experiment files resolve with their defaults', () => {
    const experiment = loadExperiment('experiments/seq-temporal-order-tptt.json');
    expect(experiment.data).toMatchObject({ source: 'task', task: 'temporal-order', trainBlock: 20, evalBlock: 1000, seed: 1 });
  });
});
