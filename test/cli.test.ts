/** The command line: a user's mistake gets one line naming what is wrong and exit status 2. */
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { defaultMnistDir, MNIST_FILES } from '../src/data/mnist';
import { loadExperiment } from '../src/experiment/experiment';
import { runMetrics } from './helpers';

const cli = path.resolve('dist/src/cli/main.js');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'apical-cli-'));

function apical(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function writeExperiment(name: string, change: (json: Record<string, any>) => void): string {
  const json = JSON.parse(fs.readFileSync('experiments/mnist-dtp.json', 'utf8'));
  json.model = path.resolve('models/mnist-tanh-7x240.json');
  change(json);
  const file = path.join(tmp, `${name}.json`);
  fs.writeFileSync(file, JSON.stringify(json));
  return file;
}

/** A copy of MNIST's folder (links) with one file replaced by `bytes`. */
function dataDirWith(file: string, bytes: Buffer | null): string {
  const dir = fs.mkdtempSync(path.join(tmp, 'data-'));
  for (const name of Object.values(MNIST_FILES)) {
    if (name !== file) fs.symlinkSync(path.join(defaultMnistDir(), name), path.join(dir, name));
    else if (bytes) fs.writeFileSync(path.join(dir, name), bytes);
  }
  return dir;
}

function expectOneLineError(result: ReturnType<typeof apical>, ...fragments: string[]): void {
  expect(result.status).toBe(2);
  const lines = result.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^apical: /);
  for (const fragment of fragments) expect(lines[0]).toContain(fragment);
}

describe('apical CLI errors', () => {
  beforeAll(() => {
    if (!fs.existsSync(cli)) throw new Error(`${cli} is missing: npm test builds it (npm run build)`);
  });

  it('names a missing experiment file', () => expectOneLineError(apical('run', path.join(tmp, 'nope.json')), 'nope.json', 'no such file'));

  it('names a file that is not JSON', () => {
    const file = path.join(tmp, 'broken.json');
    fs.writeFileSync(file, '{ "name": ');
    expectOneLineError(apical('run', file), 'broken.json', 'not valid JSON');
  });

  it.each([
    ['a field of the wrong type', (j: any) => (j.training.epochs = 'ten'), '/training/epochs', 'must be integer'],
    ['an unknown field', (j: any) => (j.training.epoks = 3), '/training', 'unknown field "epoks"'],
    ['an unknown rule', (j: any) => (j.rule.name = 'magic'), '/rule/name', 'must be one of'],
    ['a missing rule setting', (j: any) => delete j.rule.topStep, '/rule', "must have required property 'topStep'"],
    ['a negative learning rate', (j: any) => (j.optimizer.forward.lr = -1), '/optimizer/forward/lr', 'must be > 0'],
    ['a frozen parameter the network lacks', (j: any) => (j.training.frozen = ['W9']), '/training/frozen', '"W9"', 'W1, b1'],
    ['a missing model file', (j: any) => (j.model = 'no-model.json'), 'no-model.json', 'cannot read the model spec'],
    ['a bad model layer', (j: any) => (j.model = { name: 'm', input: 784, layers: [{ size: 0, units: 'tanh' }, { size: 10, units: 'softmax' }] }), '/model/layers/0/size', 'must be >= 1'],
    ['a model that does not fit the data', (j: any) => (j.model = { name: 'm', input: 100, layers: [{ size: 5, units: 'tanh' }, { size: 10, units: 'softmax' }] }), 'takes 100 inputs', '784 features'],
    ['a derivative the rule needs but the unit lacks', (j: any) => ((j.rule = { name: 'bp' }), (j.model = { name: 'm', input: 784, layers: [{ size: 5, units: 'sigmoid', send: 'sample' }, { size: 10, units: 'softmax' }] })), 'rule bp: population h1: output transform sample declares no derivative'],
    ['an unknown derivative', (j: any) => (j.model = { name: 'm', input: 784, layers: [{ size: 5, units: { name: 'sign', derivative: 'magic' } }, { size: 10, units: 'softmax' }] }), '/model/layers/0/units'],
    ['a missing view without a learned input decoder', (j: any) => ((j.rule = { name: 'bp' }), (j.training.missingView = { split: 392, missing: 2 })), '/training/missingView', 'rule bp learns none'],
    ['a missing view that leaves a view empty', (j: any) => (j.training.missingView = { split: 784, missing: 2 }), '/training/missingView/split 784', 'the data have 784 features'],
    ['TPTT input weights by BPTT under another hidden layer', (j: any) => (j.rule = { name: 'tptt', topStep: 0.1, noise: 0, inputWeights: 'bptt' }), '/rule/inputWeights "bptt"', 'must be the only hidden layer', 'has 7'],
    ['a missing view that is neither view', (j: any) => (j.training.missingView = { split: 392, missing: 3 }), '/training/missingView/missing', 'must be one of'],
  ] as [string, (json: any) => unknown, ...string[]][])('names %s', (name, change, ...fragments) => {
    const file = writeExperiment(name.replace(/ /g, '-'), change);
    expectOneLineError(apical('run', file, '--epochs', '1', '--train-limit', '100', '--out', path.join(tmp, `out-${name}`)), ...fragments);
  });

  it.each([
    ['--epochs', 'abc', '--epochs must be a positive integer'],
    ['--seed', '-3', '--seed'],
    ['--frobnicate', '1', "Unknown option '--frobnicate'"],
  ])('names a bad flag %s %s', (flag, value, fragment) => {
    expectOneLineError(apical('run', 'experiments/mnist-dtp.json', flag, value), fragment);
  });

  it.each([
    ['a missing data file', MNIST_FILES.trainLabels, null, 'train-labels-idx1-ubyte'],
    ['a wrong magic number', MNIST_FILES.testImages, Buffer.from([0x12, 0x34, 8, 3, 0, 0, 0, 0]), 't10k-images-idx3-ubyte', 'magic'],
    ['a truncated file', MNIST_FILES.testLabels, Buffer.from([0, 0, 8, 1, 0, 0, 39, 16, 1, 2, 3]), 't10k-labels-idx1-ubyte'],
    ['a label count that does not match the images', MNIST_FILES.testLabels, Buffer.concat([Buffer.from([0, 0, 8, 1, 0, 0, 0, 3]), Buffer.from([1, 2, 3])]), '3'],
  ] as [string, string, Buffer | null, ...string[]][])('names %s given with --data', (_what, file, bytes, ...fragments) => {
    const dir = dataDirWith(file, bytes);
    expectOneLineError(apical('run', 'experiments/mnist-dtp.json', '--epochs', '1', '--data', dir, '--out', path.join(tmp, `out-${file}`)), ...fragments);
  });

  it.each([
    ['without =', 'optimizer.forward.lr', 'expected field.path=value'],
    ['through a field that is not an object', 'model.layers=3', '/model in', 'is not an object'],
    ['to a value the schema refuses', 'optimizer.forward.lr=-1', '/optimizer/forward/lr', 'must be > 0'],
    ['to an unknown field', 'training.epoks=3', '/training', 'unknown field "epoks"'],
  ])('names a --set %s', (_what, setting, ...fragments) => {
    expectOneLineError(apical('run', 'experiments/mnist-dtp.json', '--set', setting, '--out', path.join(tmp, 'out-set')), ...fragments);
  });

  it('--set gives the same run as the file edited by hand, and config.json says so', () => {
    const edited = writeExperiment('edited', (j) => {
      j.optimizer.forward.lr = 0.005;
      j.training.shuffle = true;
    });
    const plain = writeExperiment('plain', () => undefined);
    const args = ['--epochs', '1', '--train-limit', '200', '--force'];
    expect(apical('run', edited, ...args, '--out', path.join(tmp, 'edited')).status).toBe(0);
    expect(apical('run', plain, ...args, '--set', 'optimizer.forward.lr=5e-3', '--set', 'training.shuffle=true', '--out', path.join(tmp, 'set')).status).toBe(0);
    const config = JSON.parse(fs.readFileSync(path.join(tmp, 'set', 'config.json'), 'utf8'));
    expect(config.optimizer.forward.lr).toBe(0.005);
    expect(config.training.shuffle).toBe(true);
    expect(runMetrics(path.join(tmp, 'set'))).toEqual(runMetrics(path.join(tmp, 'edited')));
  });

  it('--set field=null removes the field, as if the file did not have it', () => {
    const file = path.join('experiments', 'lesion-feedback.json');
    const loaded = loadExperiment(file);
    expect(loaded.lesion).not.toBeNull();
    const removed = loadExperiment(file, { set: ['lesion=null', 'record.reconstructions=null'] });
    expect(removed.lesion).toBeNull();
    expect(Object.keys(removed.record!)).toEqual(['activity', 'weights']);
    expect({ ...removed, lesion: loaded.lesion, record: loaded.record }).toEqual(loaded);
  });

  it('never overwrites a finished run without --force', () => {
    const out = path.join(tmp, 'kept');
    fs.mkdirSync(out);
    fs.writeFileSync(path.join(out, 'summary.json'), '{"precious": true}');
    expectOneLineError(apical('run', 'experiments/mnist-dtp.json', '--out', out), 'already holds a run', '--force');
    expect(fs.readFileSync(path.join(out, 'summary.json'), 'utf8')).toBe('{"precious": true}');
  });

  it('on Ctrl-C stops, keeps every finished epoch, and writes the weights and an interrupted summary', async () => {
    const out = path.join(tmp, 'interrupted');
    const child = spawn(process.execPath, [cli, 'run', 'experiments/mnist-dtp.json', '--train-limit', '300', '--epochs', '1000', '--out', out]);
    let stdout = '';
    let interrupted = false;
    const status = await new Promise<number | null>((resolve) => {
      child.stdout.on('data', (chunk) => {
        stdout += chunk;
        if (!interrupted && /epoch +2\//.test(stdout)) interrupted = child.kill('SIGINT');
      });
      child.on('exit', resolve);
    });
    expect(status).toBe(130);
    const summary = JSON.parse(fs.readFileSync(path.join(out, 'summary.json'), 'utf8'));
    expect(summary.interrupted).toBe(true);
    expect(summary.epochs_completed).toBeGreaterThanOrEqual(2);
    expect(fs.readFileSync(path.join(out, 'metrics.jsonl'), 'utf8').trim().split('\n')).toHaveLength(summary.epochs_completed);
    expect(fs.existsSync(path.join(out, 'weights', 'manifest.json'))).toBe(true);
  });

  it('prints usage for no command and its version', () => {
    expectOneLineError({ ...apical(), stderr: apical().stderr.split('\n')[0] }, 'usage: apical run');
    expect(apical('--version').stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
