/**
 * Data sets beyond MNIST behind the one door, data/source.ts: numpy arrays (.npy pairs, .npz
 * archives, stored and deflated), CIFAR-10's binary batches and Fashion-MNIST, read from small
 * files written here byte for byte in their formats; each fault a one-line DataError naming the file.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import { DEBIAN_FASHION_MNIST_DIR, loadFashionMnist } from '../src/data/fashion-mnist';
import { MNIST_FILES } from '../src/data/mnist';
import { DataSource, loadData } from '../src/data/source';
import { Splits } from '../src/data/splits';
import { ConfigError, loadExperiment } from '../src/experiment/experiment';
import { expectDataError } from './helpers';
import { npy, npz } from './numpy-files';

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'apical-datasets-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function write(name: string, bytes: Buffer): string {
  const file = path.join(tmp, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, bytes);
  return file;
}

/** N examples of shape [2, 3]: example i holds 10·i + j at element j; label i mod 3. */
const N = 20;
const xValues = Array.from({ length: N * 6 }, (_, k) => 10 * Math.floor(k / 6) + (k % 6));
const yValues = Array.from({ length: N }, (_, i) => i % 3);

const npySource = (over: Partial<Extract<DataSource, { source: 'npy' }>>): DataSource => ({
  source: 'npy',
  train: { x: write('x.npy', npy(xValues, [N, 2, 3])), y: write('y.npy', npy(yValues, [N], '<i8')) },
  test: 0.25,
  validation: 3,
  classes: null,
  trainLimit: null,
  ...over,
});

/** The example values of a split, by example, and its labels. */
function contents(splits: Splits, split: 'train' | 'valid' | 'test'): { first: number[]; labels: number[] } {
  const d = splits[split];
  return { first: Array.from({ length: d.count }, (_, i) => d.images[i * d.features]), labels: Array.from(d.labels) };
}

describe('npy source', () => {
  it('flattens each example, takes classes from the labels, and cuts [train | validation | test] in file order', () => {
    const splits = loadData(npySource({}));
    expect(splits.train.features).toBe(6);
    expect(splits.train.classes).toBe(3);
    expect(splits.trainingFileCount).toBe(N);
    // test: the last 5 (a quarter of 20); validation: the 3 before; train: the first 12.
    expect(contents(splits, 'test').first).toEqual([150, 160, 170, 180, 190]);
    expect(contents(splits, 'valid').first).toEqual([120, 130, 140]);
    expect(splits.train.count).toBe(12);
    expect(Array.from(splits.train.images.subarray(6, 12))).toEqual([10, 11, 12, 13, 14, 15]);
    expect(contents(splits, 'train').labels).toEqual(yValues.slice(0, 12));
    expect(splits.test.name).toBe('npy-test');
  });

  it('takes a validation fraction and a training limit', () => {
    const splits = loadData(npySource({ validation: 0.2, trainLimit: 4, test: 0.5 }));
    // 10 examples stay before the test half; 0.2 of them validate: 2.
    expect(contents(splits, 'valid').first).toEqual([80, 90]);
    expect(contents(splits, 'train').first).toEqual([0, 10, 20, 30]);
    expect(splits.test.count).toBe(10);
  });

  it('reads the test split from its own files, and a given class count', () => {
    const test = { x: write('tx.npy', npy([1.5, 2.5, 3.5, 4.5, 5.5, 6.5], [1, 6], '<f8')), y: write('ty.npy', npy([7], [1, 1], '|u1')) };
    const splits = loadData(npySource({ test, classes: 10, validation: 0 }));
    expect(splits.train.count).toBe(N);
    expect(splits.valid.count).toBe(0);
    expect(Array.from(splits.test.images)).toEqual([1.5, 2.5, 3.5, 4.5, 5.5, 6.5]);
    expect(Array.from(splits.test.labels)).toEqual([7]);
    expect(splits.train.classes).toBe(10);
  });

  it.each([
    ['stored', false],
    ['deflated', true],
  ])('reads an .npz archive (%s) with x_train, y_train, x_test, y_test as keras writes them', (_, compressed) => {
    const archive = npz(
      {
        x_train: npy(xValues, [N, 6], '|u1'),
        y_train: npy(yValues, [N], '<f4'),
        x_test: npy([9, 8, 7, 6, 5, 4], [1, 6], '<i4'),
        y_test: npy([4], [1], '<i4'),
      },
      compressed,
    );
    const splits = loadData(npySource({ train: write(`keras-${compressed}.npz`, archive), test: null, validation: 0.1 }));
    expect(splits.train.count).toBe(18);
    expect(contents(splits, 'valid').first).toEqual([180, 190]);
    expect(Array.from(splits.test.images)).toEqual([9, 8, 7, 6, 5, 4]);
    expect(splits.test.classes).toBe(5);
  });

  it('matches what numpy itself writes, when numpy is installed', () => {
    const script = `import numpy as np; x = np.arange(24, dtype=np.float32).reshape(4, 3, 2) / 8; np.savez_compressed(${JSON.stringify(path.join(tmp, 'numpy.npz'))}, x=x, y=np.array([2, 0, 1, 2]))`;
    const python = spawnSync('python3', ['-c', script], { encoding: 'utf8' });
    if (python.status !== 0) return console.log(`numpy not available (${python.stderr.trim().split('\n').pop() ?? python.error}); the check against numpy's own files is skipped`);
    const splits = loadData(npySource({ train: path.join(tmp, 'numpy.npz'), test: 0.25, validation: 0 }));
    expect(splits.train.features).toBe(6);
    expect(Array.from(splits.train.images)).toEqual(Array.from({ length: 18 }, (_, k) => k / 8));
    expect(Array.from(splits.train.labels)).toEqual([2, 0, 1]);
    expect(Array.from(splits.test.images)).toEqual(Array.from({ length: 6 }, (_, k) => (18 + k) / 8));
  });

  it.each([
    ['x and y of different lengths', () => npySource({ train: { x: write('x.npy', npy(xValues, [N, 6])), y: write('y5.npy', npy([0, 1, 2, 0, 1], [5], '<i4')) } }), [/y5\.npy/, /5 labels but .*x\.npy has 20 examples/]],
    ['a negative label', () => npySource({ train: { x: write('x.npy', npy(xValues, [N, 6])), y: write('yneg.npy', npy([...yValues.slice(0, 19), -1], [N], '<i4')) } }), [/yneg\.npy/, /label at index 19 is -1, expected 0\.\.2/]],
    ['a label beyond the classes given', () => npySource({ classes: 2 }), [/y\.npy/, /label at index 2 is 2, expected 0\.\.1/]],
    ['a label that is not an integer', () => npySource({ train: { x: write('x.npy', npy(xValues, [N, 6])), y: write('yfrac.npy', npy([0.5, ...yValues.slice(1)], [N], '<f8')) } }), [/yfrac\.npy/, /label at index 0 is 0\.5, not an integer/]],
    ['a NaN input', () => npySource({ train: { x: write('xnan.npy', npy([...xValues.slice(0, 13), NaN, ...xValues.slice(14)], [N, 6])), y: write('y.npy', npy(yValues, [N], '<i4')) } }), [/xnan\.npy/, /example 2 holds NaN/]],
    ['boolean inputs', () => npySource({ train: { x: write('xbool.npy', npy(xValues.map((v) => v % 2), [N, 6], '|b1')), y: write('y.npy', npy(yValues, [N], '<i4')) } }), [/xbool\.npy/, /dtype b1 is not a real number type/]],
    ['complex inputs', () => npySource({ train: { x: write('xc.npy', npy([...xValues, ...xValues], [N, 6], '<c8')), y: write('y.npy', npy(yValues, [N], '<i4')) } }), [/xc\.npy/, /dtype c8 is not a real number type/]],
    ['Fortran order', () => npySource({ train: { x: write('xf.npy', npy(xValues, [N, 6], '<f4', true)), y: write('y.npy', npy(yValues, [N], '<i4')) } }), [/xf\.npy/, /Fortran order/]],
    ['a missing file', () => npySource({ train: { x: path.join(tmp, 'absent.npy'), y: write('y.npy', npy(yValues, [N], '<i4')) } }), [/absent\.npy: missing data file/]],
    ['a file that is neither', () => npySource({ train: { x: write('text.npy', Buffer.from('hello')), y: write('y.npy', npy(yValues, [N], '<i4')) } }), [/text\.npy: not a \.npy array/]],
    ['an .npz without x and y', () => npySource({ train: write('other.npz', npz({ a: npy([1], [1]) })), test: 0.5 }), [/other\.npz: needs arrays x and y \(or x_train and y_train\); it holds a/]],
    ['an .npz without a test split', () => npySource({ train: write('xy.npz', npz({ x: npy(xValues, [N, 6]), y: npy(yValues, [N], '<i4') })), test: null }), [/xy\.npz: no test split/, /data\.test/]],
    ['test examples of another size', () => npySource({ test: { x: write('t4.npy', npy([1, 2, 3, 4], [1, 4])), y: write('t4y.npy', npy([0], [1], '<i4')) } }), [/t4\.npy: its examples have 4 features, but the training data's have 6/]],
    ['a test fraction leaving nothing to test', () => npySource({ test: 0.01 }), [/npy test size 0\.01/, /no test data/]],
    ['a damaged .npz', () => npySource({ train: write('cut.npz', npz({ x: npy(xValues, [N, 6]), y: npy(yValues, [N], '<i4') }, true).subarray(0, 200)), test: 0.5 }), [/cut\.npz: not a zip archive/]],
  ])('one line naming the file for %s', (_, source, fragments) => {
    expectDataError(() => loadData((source as () => DataSource)()), ...(fragments as RegExp[]));
  });
});

/** A CIFAR-10 record: label, then 3,072 pixel bytes, pixel k = (seed + k) mod 256. */
function record(label: number, seed: number): Buffer {
  return Buffer.from([label, ...Array.from({ length: 3072 }, (_, k) => (seed + k) % 256)]);
}

function writeCifar(dir: string, perBatch = 2, change: (name: string, bytes: Buffer) => Buffer = (_, b) => b): string {
  const folder = path.join(tmp, dir);
  fs.mkdirSync(folder, { recursive: true });
  for (let b = 1; b <= 5; b++) {
    const name = `data_batch_${b}.bin`;
    const bytes = Buffer.concat(Array.from({ length: perBatch }, (_, r) => record((b * perBatch + r) % 10, b * 10 + r)));
    fs.writeFileSync(path.join(folder, name), change(name, bytes));
  }
  fs.writeFileSync(path.join(folder, 'test_batch.bin'), change('test_batch.bin', Buffer.concat([record(9, 200), record(0, 201), record(5, 202)])));
  return folder;
}

describe('cifar10 source', () => {
  it('reads the five training batches in order and the test batch, scaled to [0, 1]', () => {
    const splits = loadData({ source: 'cifar10', dir: writeCifar('cifar'), validation: 3, trainLimit: null });
    expect(splits.train.features).toBe(3072);
    expect(splits.trainingFileCount).toBe(10);
    expect(splits.train.count).toBe(7);
    expect(Array.from(splits.train.labels)).toEqual([2, 3, 4, 5, 6, 7, 8]);
    expect(Array.from(splits.valid.labels)).toEqual([9, 0, 1]);
    // Training example 5 is batch 3's second record: pixel k is (31 + k) mod 256, over 255.
    expect(splits.train.images[5 * 3072 + 0]).toBe(Math.fround(31 / 255));
    expect(splits.train.images[5 * 3072 + 3071]).toBe(Math.fround(((31 + 3071) % 256) / 255));
    expect(Array.from(splits.test.labels)).toEqual([9, 0, 5]);
    expect(splits.test.images[2 * 3072 + 1]).toBe(Math.fround(203 / 255));
  });

  it.each([
    ['a record cut short', (name: string, b: Buffer) => (name === 'data_batch_2.bin' ? b.subarray(0, b.length - 1) : b), [/data_batch_2\.bin: 6145 bytes is not a whole number of CIFAR-10 records \(3073 bytes each/]],
    ['a label beyond 9', (name: string, b: Buffer) => (name === 'test_batch.bin' ? Buffer.concat([b.subarray(0, 3073), Buffer.from([10]), b.subarray(3074)]) : b), [/test_batch\.bin: label at index 1 is 10, expected 0\.\.9/]],
  ])('one line naming the file for %s', (name, change, fragments) => {
    const dir = writeCifar(`cifar-${name.replace(/ /g, '-')}`, 2, change);
    expectDataError(() => loadData({ source: 'cifar10', dir, validation: 1, trainLimit: null }), ...fragments);
  });

  it('names a missing batch file, and asks for the folder when none is given', () => {
    const dir = writeCifar('cifar-missing');
    fs.rmSync(path.join(dir, 'data_batch_4.bin'));
    expectDataError(() => loadData({ source: 'cifar10', dir, validation: 1, trainLimit: null }), /data_batch_4\.bin: missing data file/);
    expectDataError(() => loadData({ source: 'cifar10', dir: null, validation: 1, trainLimit: null }), /CIFAR-10 needs data\.dir/);
  });
});

/** MNIST's four files in IDX format (gzip, as Debian ships them), `count` examples, label i mod 10. */
function writeIdxQuartet(dir: string, count: number): string {
  const folder = path.join(tmp, dir);
  fs.mkdirSync(folder, { recursive: true });
  const idx = (dims: number[], data: number[]): Buffer => {
    const head = Buffer.alloc(4 + 4 * dims.length);
    head[2] = 0x08;
    head[3] = dims.length;
    dims.forEach((d, i) => head.writeUInt32BE(d, 4 + 4 * i));
    return zlib.gzipSync(Buffer.concat([head, Buffer.from(data)]));
  };
  const images = idx([count, 28, 28], Array.from({ length: count * 784 }, (_, k) => Math.floor(k / 784) * 20));
  const labels = idx([count], Array.from({ length: count }, (_, i) => i % 10));
  for (const [name, bytes] of [[MNIST_FILES.trainImages, images], [MNIST_FILES.trainLabels, labels], [MNIST_FILES.testImages, images], [MNIST_FILES.testLabels, labels]] as const) {
    fs.writeFileSync(path.join(folder, `${name}.gz`), bytes);
  }
  return folder;
}

describe('fashion-mnist source', () => {
  it('reads a folder of MNIST-layout IDX files, named as Fashion-MNIST', () => {
    const splits = loadData({ source: 'fashion-mnist', dir: writeIdxQuartet('fashion', 6), validation: 2, trainLimit: null });
    expect(splits.train.name).toBe('fashion-mnist-train');
    expect(splits.train.count).toBe(4);
    expect(splits.valid.images[0]).toBe(Math.fround(80 / 255));
    expect(Array.from(splits.test.labels)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  const installed = fs.existsSync(DEBIAN_FASHION_MNIST_DIR);
  it(`reads Debian's dataset-fashion-mnist (${installed ? 'installed' : 'not installed: checks the advice'})`, () => {
    if (!installed) {
      expectDataError(() => loadFashionMnist(), /Fashion-MNIST is not installed/, /apt-get install dataset-fashion-mnist/);
      return;
    }
    const splits = loadFashionMnist({ validation: 10000 });
    expect([splits.train.count, splits.valid.count, splits.test.count]).toEqual([50000, 10000, 10000]);
    expect(splits.train.features).toBe(784);
    // Each of the ten kinds of clothing has 6,000 training and 1,000 test images (Xiao et al., 2017).
    const counts = new Array(10).fill(0);
    for (const y of splits.test.labels) counts[y]++;
    expect(counts).toEqual(new Array(10).fill(1000));
  });
});

describe('experiment files', () => {
  function experiment(name: string, data: unknown): string {
    const json = JSON.parse(fs.readFileSync('experiments/mnist-dtp.json', 'utf8'));
    json.model = path.resolve('models/mnist-tanh-7x240.json');
    json.data = data;
    return write(path.join('experiments', `${name}.json`), Buffer.from(JSON.stringify(json)));
  }

  it("resolves an npy source's files against the experiment's folder, with a tenth for validation by default", () => {
    const file = experiment('own', { source: 'npy', train: { x: '../x.npy', y: '../y.npy' }, test: 'test.npz' });
    expect(loadExperiment(file).data).toEqual({ source: 'npy', train: { x: path.join(tmp, 'x.npy'), y: path.join(tmp, 'y.npy') }, test: path.join(tmp, 'experiments', 'test.npz'), validation: 0.1, classes: null, trainLimit: null });
  });

  it('keeps an MNIST experiment as it was, and gives CIFAR-10 5,000 validation images', () => {
    expect(loadExperiment(experiment('mnist', { source: 'mnist', validation: 10000 })).data).toEqual({ source: 'mnist', dir: null, validation: 10000, trainLimit: null });
    expect(loadExperiment(experiment('cifar', { source: 'cifar10', dir: '/d' })).data).toEqual({ source: 'cifar10', dir: '/d', validation: 5000, trainLimit: null });
  });

  it.each([
    ['an npy source without train', { source: 'npy', test: 0.2 }, {}, /\/data needs "train" for "source": "npy"/],
    ['npy fields on another source', { source: 'fashion-mnist', train: 'a.npz' }, {}, /\/data\/train is read only by "source": "npy"/],
    ['--data with an npy source', { source: 'npy', train: 'a.npz' }, { dataDir: '/d' }, /--data names a folder of a known data set/],
    ['a validation size that is neither count nor fraction', { source: 'mnist', validation: 1.5 }, {}, /\/data\/validation must be an integer count or a fraction below 1, got 1\.5/],
    ['an unknown source', { source: 'imagenet' }, {}, /\/data\/source must be one of "mnist", "fashion-mnist", "cifar10", "npy"/],
    ['a test fraction of 1', { source: 'npy', train: 'a.npz', test: 1 }, {}, /\/data\/test/],
  ])('one line for %s', (name, data, overrides, message) => {
    const file = experiment(name.replace(/\W+/g, '-'), data);
    expect(() => loadExperiment(file, overrides)).toThrow(ConfigError);
    expect(() => loadExperiment(file, overrides)).toThrow(message);
  });
});

describe('apical run on data of one\'s own', () => {
  const cli = path.resolve('dist/src/cli/main.js');
  const apical = (...args: string[]): ReturnType<typeof spawnSync> => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });

  /** Three clusters in 2×4 inputs, class c around +1 on its own pair of inputs: a task a small network learns at once. */
  function clusters(count: number, seed: number): { x: number[]; y: number[] } {
    let state = seed;
    const noise = (): number => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31 - 0.5) * 0.6;
    const y = Array.from({ length: count }, (_, i) => i % 3);
    const x = y.flatMap((c) => Array.from({ length: 8 }, (_, j) => (Math.floor(j / 2) === c ? 1 : 0) + noise()));
    return { x, y };
  }

  function experiment(name: string, model: { input: number; classes: number }): string {
    const train = clusters(600, 1);
    const test = clusters(150, 2);
    const archive = write(`${name}/clusters.npz`, npz({ x_train: npy(train.x, [600, 2, 4]), y_train: npy(train.y, [600], '<i8'), x_test: npy(test.x, [150, 2, 4]), y_test: npy(test.y, [150], '<i8') }, true));
    const json = {
      name,
      model: { name: 'small', input: model.input, layers: [{ size: 16, units: 'tanh' }, { size: model.classes, units: 'softmax' }], init: { name: 'orthogonal' } },
      data: { source: 'npy', train: path.basename(archive), validation: 0.1 },
      rule: { name: 'bp' },
      training: { epochs: 3, batchSize: 20, seed: 1, evalBatchSize: 100 },
      optimizer: { forward: { name: 'rmsprop', lr: 0.01, rho: 0.95, momentum: 0.9, epsilon: 0.001 } },
    };
    return write(`${name}/experiment.json`, Buffer.from(JSON.stringify(json)));
  }

  it('trains on an .npz file and learns its three classes', () => {
    const file = experiment('clusters', { input: 8, classes: 3 });
    const out = path.join(tmp, 'clusters-run');
    const run = apical('run', file, '--out', out);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const lines = fs.readFileSync(path.join(out, 'metrics.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line));
    expect(lines).toHaveLength(3);
    // Chance is 2/3 wrong; the clusters lie ±0.3 around corners 1.41 apart.
    expect(lines[2].test_error).toBeLessThan(0.05);
    expect(JSON.parse(fs.readFileSync(path.join(out, 'config.json'), 'utf8')).data.train).toBe(path.join(tmp, 'clusters', 'clusters.npz'));
  });

  it.each([
    ['inputs', { input: 784, classes: 3 }, 'takes 784 inputs but the data have 8 features'],
    ['classes', { input: 8, classes: 2 }, 'has 2 outputs but the data have 3 classes (labels 0..2)'],
  ])('stops with one line when the model does not fit the data (%s)', (name, model, message) => {
    const run = apical('run', experiment(`misfit-${name}`, model), '--out', path.join(tmp, `misfit-${name}-run`));
    expect(run.status).toBe(2);
    expect((run.stderr as string).trim().split('\n')).toEqual([expect.stringContaining(message)]);
  });
});
