/**
 * Side information for conditional decoders beyond the one-hot label: any vector per example
 * (data.side: an embedding per class, or a .npy file with one row per training image) reaches
 * the top decoder with its minibatch, and the target moves with it.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { dump } from 'npyjs';
import { loadMnist } from '../src/data/mnist';
import { TopDecoderPathway } from '../src/network/top-decoder';
import { randomBatch, runMetrics, smallCircuit, smallModel, stimulus } from './helpers';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'apical-side-'));
const cli = path.resolve('dist/src/cli/main.js');

describe('a conditional decoder reading a side vector that is not the label', () => {
  const model = smallModel([8, 7, 6, 5, 3], 'tanh', 'linear');
  const rows = 6;
  // Two values per example; S̄ (3 classes × 2) as the channel declares it.
  const side = { size: 2, meanByClass: Float32Array.from([0.5, -1, 2, 0.25, -0.75, 1.5]) };
  const s = Float32Array.from({ length: rows * 2 }, (_, i) => Math.sin(3 * i + 1));

  /** ĥ_L and h_L after one learning step with side information `s`. */
  function topAfterStep(difference: boolean): { target: Float32Array; activity: Float32Array; pathway: TopDecoderPathway<'conditional-decoder'>; p: Float32Array } {
    const circuit = smallCircuit(model, { name: 'conditional', noise: 0.1, difference }, { side });
    circuit.step({ ...stimulus(randomBatch(rows, 8, 3), { learnForward: true }), side: s });
    const top = circuit.network.hidden[2];
    return { target: top.target, activity: top.activity, pathway: circuit.network.readoutFeedback as TopDecoderPathway<'conditional-decoder'>, p: circuit.network.readout.activity };
  }

  /** The linear decoder's weight from input j to top unit i. */
  const v = (pathway: TopDecoderPathway<'conditional-decoder'>, j: number, i: number): number => pathway.projection.weights[j * 5 + i];

  it('plain form: ĥ_L = p·V_p + s·V_s + c', () => {
    const { target, pathway, p } = topAfterStep(false);
    expect(pathway.sideSize).toBe(2);
    for (let r = 0; r < rows; r++) {
      for (let i = 0; i < 5; i++) {
        let g = pathway.projection.bias[i];
        for (let c = 0; c < 3; c++) g += p[r * 3 + c] * v(pathway, c, i);
        for (let j = 0; j < 2; j++) g += s[r * 2 + j] * v(pathway, 3 + j, i);
        expect(target[r * 5 + i]).toBeCloseTo(g, 5);
      }
    }
  });

  it('difference form: ĥ_L − h_L = (s − p·S̄)·V_s, the move beyond what the belief predicts', () => {
    const { target, activity, pathway, p } = topAfterStep(true);
    for (let r = 0; r < rows; r++) {
      for (let i = 0; i < 5; i++) {
        let expected = 0;
        for (let j = 0; j < 2; j++) {
          let predicted = 0;
          for (let c = 0; c < 3; c++) predicted += p[r * 3 + c] * side.meanByClass[c * 2 + j];
          expected += (s[r * 2 + j] - predicted) * v(pathway, 3 + j, i);
        }
        expect(target[r * 5 + i] - activity[r * 5 + i]).toBeCloseTo(expected, 5);
      }
    }
  });
});

describe('data.side from the command line', () => {
  const conditional = { name: 'conditional', noise: 0.1, difference: true };
  const experiment = (name: string, side?: unknown, rule: { name: string } = conditional): string => {
    const file = path.join(tmp, `${name}.json`);
    fs.writeFileSync(
      file,
      JSON.stringify({
        name,
        model: { name: 'tiny', input: 784, layers: [{ size: 24, units: 'tanh', repeat: 2 }, { size: 10, units: 'softmax' }] },
        data: { validation: 500, trainLimit: 600, ...(side ? { side } : {}) },
        rule,
        training: { epochs: 2, batchSize: 50, shuffle: true, evalBatchSize: 500, schedule: 'parallel' },
        optimizer: { forward: { name: 'adam', lr: 0.002 }, feedback: { name: 'adam', lr: 0.002 } },
      }),
    );
    return file;
  };
  const run = (file: string) => spawnSync(process.execPath, [cli, 'run', file, '--out', path.join(tmp, `run-${path.basename(file, '.json')}`), '--force'], { encoding: 'utf8' });
  const metrics = (file: string) => runMetrics(path.join(tmp, `run-${path.basename(file, '.json')}`));
  const identity = Array.from({ length: 10 }, (_, c) => Array.from({ length: 10 }, (_, j) => (c === j ? 1 : 0)));
  const { train, trainingFileCount } = loadMnist({ validation: 500 });
  /** A .npy of one row per training image: the one-hot label, or `width` values of anything. */
  const npy = (name: string, rows: number, width: number, value: (i: number, j: number) => number): string => {
    const file = path.join(tmp, name);
    fs.writeFileSync(file, Buffer.from(dump(Float32Array.from({ length: rows * width }, (_, k) => value(Math.floor(k / width), k % width)), [rows, width])));
    return file;
  };

  it('the one-hot label given as an embedding, or as a .npy file per image, is the same run as the default, bit for bit', () => {
    const labels = train.labels;
    const oneHotFile = npy('one-hot.npy', trainingFileCount, 10, (i, j) => (i < labels.length && labels[i] === j ? 1 : 0));
    const files = [experiment('default'), experiment('embedded', { embedding: identity }), experiment('from-file', { file: oneHotFile })];
    for (const file of files) expect(run(file).status).toBe(0);
    expect(metrics(files[1])).toEqual(metrics(files[0]));
    expect(metrics(files[2])).toEqual(metrics(files[0]));
  });

  it('a different side vector is a different run (it reaches the decoder)', () => {
    const parity = experiment('parity', { embedding: identity.map((_, c) => [c % 2, c < 5 ? 1 : 0]) });
    expect(run(parity).status).toBe(0);
    expect(metrics(parity)).not.toEqual(metrics(path.join(tmp, 'default.json')));
  });

  it.each([
    ['a rule that reads no side information', experiment('bp-side', { embedding: identity }, { name: 'bp' }), /\/data\/side is read only by rules with side information .*rule bp has none/],
    ['an embedding with the wrong number of classes', experiment('short', { embedding: identity.slice(1) }), /\/data\/side\/embedding has 9 vectors; it needs one per class \(10\)/],
    ['a missing file', experiment('missing', { file: 'nowhere.npy' }), /\/data\/side\/file .*nowhere\.npy: cannot read it \(ENOENT\)/],
    ['a file that is not .npy', experiment('not-npy', { file: path.resolve('package.json') }), /package\.json: not a \.npy array/],
    ['a file with a row per image of the training split only', experiment('split-rows', { file: npy('split.npy', 50, 3, () => 0) }), /50 rows; it needs one per image of the training file \(60000\)/],
  ])('%s: one line naming the field, exit 2', (_, file, message) => {
    const ended = run(file);
    expect(ended.status).toBe(2);
    expect(ended.stderr.trim().split('\n')).toHaveLength(1);
    expect(ended.stderr).toMatch(message);
  });
});
