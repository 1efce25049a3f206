/** SDTP, AO-SDTP and conditional decoders: targets from the label without any gradient. */
import { Circuit } from '../src/engine/circuit';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ConfigError, loadExperiment } from '../src/experiment/experiment';
import { streamState } from '../src/kernels/random';
import { initialise } from '../src/network/init';
import { TopDecoderPathway } from '../src/network/top-decoder';
import { ModelSpec } from '../src/network/spec';
import { RuleSpec } from '../src/rules';
import { randomBatch, smallCircuit, smallModel, stimulus } from './helpers';

const rows = 6;

/** Top hidden target minus activity, ĥ_L − h_L, after one learning step on `batch`. */
function topShift(circuit: Circuit, batch: { input: Float32Array; labels: Int32Array }): Float32Array {
  circuit.step(stimulus(batch, { learnForward: true }));
  const top = circuit.network.hidden[circuit.network.hidden.length - 1];
  return Float32Array.from({ length: rows * top.size }, (_, i) => top.target[i] - top.activity[i]);
}

/** V's rows for decoder input `j` (the decoder is linear: g(u) = u·V + c). */
function decoderRow(pathway: TopDecoderPathway<'top-decoder' | 'conditional-decoder' | 'auxiliary-decoder'>, j: number): Float32Array {
  const n = pathway.hiddenSize;
  return pathway.projection.weights.subarray(j * n, (j + 1) * n);
}

describe('SDTP', () => {
  const model = smallModel([8, 7, 6, 5, 3], 'tanh', 'linear');

  it('forms ĥ_L = h_L + g(onehot(y)) − g(p) (linear decoder: (onehot(y) − p)·V)', () => {
    const circuit = smallCircuit(model, { name: 'sdtp', noise: 0.1 });
    const batch = randomBatch(rows, 8, 3);
    const shift = topShift(circuit, batch);
    const pathway = circuit.network.readoutFeedback as TopDecoderPathway<'top-decoder'>;
    const p = circuit.network.readout.activity;
    for (let r = 0; r < rows; r++) {
      for (let i = 0; i < 5; i++) {
        let expected = 0;
        for (let c = 0; c < 3; c++) expected += ((batch.labels[r] === c ? 1 : 0) - p[r * 3 + c]) * decoderRow(pathway, c)[i];
        expect(shift[r * 5 + i]).toBeCloseTo(expected, 5);
      }
    }
  });

  it('AO-SDTP: the auxiliary features cancel in the difference, so the shift is SDTP’s for the same V', () => {
    const circuit = smallCircuit(model, { name: 'ao-sdtp', noise: 0.1 });
    const batch = randomBatch(rows, 8, 3);
    const shift = topShift(circuit, batch);
    const pathway = circuit.network.readoutFeedback as TopDecoderPathway<'auxiliary-decoder'>;
    expect(pathway.sideSize).toBeGreaterThan(0);
    const p = circuit.network.readout.activity;
    for (let r = 0; r < rows; r++) {
      let expected = 0;
      for (let c = 0; c < 3; c++) expected += ((batch.labels[r] === c ? 1 : 0) - p[r * 3 + c]) * decoderRow(pathway, c)[2];
      expect(shift[r * 5 + 2]).toBeCloseTo(expected, 5);
    }
  });

  it('AO-SDTP with `auxiliaryFeatures` K and a tanh decoder: ĥ_L − h_L = g(onehot(y), a) − g(p, a), a = tanh(h_L·R), R of K columns', () => {
    const features = 9;
    const tanhModel = smallModel([8, 7, 6, 5, 3], 'tanh', 'tanh');
    const circuit = smallCircuit(tanhModel, { name: 'ao-sdtp', noise: 0.1, auxiliaryFeatures: features });
    const batch = randomBatch(rows, 8, 3);
    const shift = topShift(circuit, batch);
    const { readout, hidden } = circuit.network;
    const pathway = circuit.network.readoutFeedback as TopDecoderPathway<'auxiliary-decoder'>;
    expect(pathway.sideSize).toBe(features);
    expect(pathway.projection.weights.length).toBe((3 + features) * 5);
    // R drawn as the pathway draws it: the model's init from the stream "V<read-out>/auxiliary".
    const R = new Float32Array(5 * features);
    initialise({ name: 'orthogonal' }, 5, features, streamState(7, `V${readout.index}/auxiliary`), R);
    const h = hidden[hidden.length - 1].activity;
    const p = readout.activity;
    const decode = (r: number, first: (c: number) => number, i: number): number => {
      let u = pathway.projection.bias[i];
      for (let c = 0; c < 3; c++) u += first(c) * decoderRow(pathway, c)[i];
      for (let k = 0; k < features; k++) {
        let a = 0;
        for (let j = 0; j < 5; j++) a += h[r * 5 + j] * R[j * features + k];
        u += Math.tanh(a) * decoderRow(pathway, 3 + k)[i];
      }
      return Math.tanh(u);
    };
    let largest = 0;
    for (let r = 0; r < rows; r++) {
      for (let i = 0; i < 5; i++) {
        const expected = decode(r, (c) => (batch.labels[r] === c ? 1 : 0), i) - decode(r, (c) => p[r * 3 + c], i);
        expect(shift[r * 5 + i]).toBeCloseTo(expected, 5);
        largest = Math.max(largest, Math.abs(expected));
      }
    }
    expect(largest).toBeGreaterThan(1e-3);
  });
});

describe('the auxiliaryFeatures setting in an experiment file', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'apical-auxiliary-'));
  let files = 0;
  const file = (rule: Record<string, unknown>): string => {
    const json = JSON.parse(fs.readFileSync('experiments/bartunov-mnist/ao-sdtp-tuned.json', 'utf8'));
    json.model = path.resolve('models/mnist-tanh-5x256.json');
    json.rule = rule;
    const out = path.join(tmp, `${rule.name}-${++files}.json`);
    fs.writeFileSync(out, JSON.stringify(json));
    return out;
  };

  it('is taken by ao-sdtp as a positive integer and refused, in one line naming it, elsewhere', () => {
    expect(loadExperiment(file({ name: 'ao-sdtp', noise: 0.1, auxiliaryFeatures: 512 })).rule).toMatchObject({ auxiliaryFeatures: 512 });
    for (const [rule, message] of [
      [{ name: 'sdtp', noise: 0.1, auxiliaryFeatures: 512 }, '/rule/auxiliaryFeatures is not allowed here'],
      [{ name: 'conditional', noise: 0.1, auxiliaryFeatures: 512 }, '/rule/auxiliaryFeatures is not allowed here'],
      [{ name: 'ao-sdtp', noise: 0.1, auxiliaryFeatures: 0 }, '/rule/auxiliaryFeatures must be >= 1'],
      [{ name: 'ao-sdtp', noise: 0.1, auxiliaryFeatures: 1.5 }, '/rule/auxiliaryFeatures must be integer'],
    ] as const) {
      const f = file(rule);
      expect(() => loadExperiment(f)).toThrow(ConfigError);
      expect(() => loadExperiment(f)).toThrow(`${f}: ${message}`);
    }
  });
});

describe('conditional decoders', () => {
  const model = smallModel([8, 7, 6, 5, 3], 'tanh', 'linear');

  it('move the target with the side information: ĥ_L(y) − ĥ_L(y′) = (onehot(y) − onehot(y′))·V_side', () => {
    const batch = randomBatch(rows, 8, 3);
    const other = { input: batch.input, labels: batch.labels.map((y) => (y + 1) % 3) };
    const a = smallCircuit(model, { name: 'conditional', noise: 0.1 });
    const b = smallCircuit(model, { name: 'conditional', noise: 0.1 });
    const top = a.network.hidden[a.network.hidden.length - 1];
    a.step(stimulus(batch, { learnForward: true }));
    b.step(stimulus(other, { learnForward: true }));
    const targetA = a.network.hidden[2].target;
    const targetB = b.network.hidden[2].target;
    const pathway = a.network.readoutFeedback as TopDecoderPathway<'conditional-decoder'>;
    for (let r = 0; r < rows; r++) {
      const side = (c: number) => decoderRow(pathway, 3 + c);
      for (let i = 0; i < top.size; i++) {
        const expected = side(batch.labels[r])[i] - side(other.labels[r])[i];
        expect(targetA[r * top.size + i] - targetB[r * top.size + i]).toBeCloseTo(expected, 5);
      }
    }
    // And the target is the reconstruction itself: with the same label, ĥ_L = g(p, onehot(y)).
    const p = a.network.readout.activity;
    for (let i = 0; i < top.size; i++) {
      let g = pathway.projection.bias[i] + decoderRow(pathway, 3 + batch.labels[0])[i];
      for (let c = 0; c < 3; c++) g += p[c] * decoderRow(pathway, c)[i];
      expect(targetA[i]).toBeCloseTo(g, 5);
    }
  });
});

describe('no gradient anywhere', () => {
  /** Hidden populations send sign(h), declared with no derivative: no gradient can pass them. */
  const model: ModelSpec = {
    name: 'sign-net',
    input: 12,
    layers: [
      { size: 24, units: 'tanh', send: { name: 'sign', derivative: 'none' } },
      { size: 24, units: 'tanh', send: { name: 'sign', derivative: 'none' } },
      { size: 3, units: 'softmax' },
    ],
    init: { name: 'orthogonal' },
    feedback: { units: 'tanh' },
  };

  /** A fixed random teacher's labels for Gaussian inputs. */
  function teacherBatch(seed: number): { input: Float32Array; labels: Int32Array } {
    const { input } = randomBatch(32, 12, 3, seed);
    const labels = Int32Array.from({ length: 32 }, (_, r) => {
      const score = [0, 1, 2].map((c) => input.subarray(r * 12, r * 12 + 12).reduce((s, x, j) => s + x * Math.sin(1 + c * 12 + j), 0));
      return score.indexOf(Math.max(...score));
    });
    return { input, labels };
  }

  function trainingError(spec: RuleSpec, hiddenLr: number): number {
    const circuit = smallCircuit(model, spec, { forward: { name: 'adam', lr: 0.01 }, feedback: { name: 'adam', lr: 0.003 } });
    circuit.network.hidden.forEach((p) => p.projection.setOptimizer({ name: 'adam', lr: hiddenLr }));
    let errors = 0;
    const sub = circuit.outcome$.subscribe((o) => (errors += o.stimulus.learnForward ? o.errors : 0));
    for (let step = 0; step < 600; step++) {
      if (step === 500) errors = 0;
      circuit.step(stimulus(teacherBatch(step % 50), { learnForward: true, probeDecoders: true, noise: 0.3 }));
    }
    sub.unsubscribe();
    return errors / (100 * 32);
  }

  it('back-propagation refuses the network', () => {
    expect(() => smallCircuit(model, { name: 'bp' })).toThrow(/declares no derivative/);
  });

  it.each(['sdtp', 'conditional'] as const)('%s trains the hidden populations through it: lower error than with them frozen', (name) => {
    const learned = trainingError({ name, noise: 0.3 }, 0.003);
    const frozen = trainingError({ name, noise: 0.3 }, 0);
    expect(learned).toBeLessThan(frozen - 0.05);
  });
});
