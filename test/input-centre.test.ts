/**
 * A population's input centring (a layer's `inputCentre`; network/input-centre.ts): h_l =
 * f((x − c)·W_l + b_l), with b_l shifted by c·W_l at construction and by (c′ − c)·W_l whenever a
 * running centre moves, so the function is the uncentred network's; its projection learns from
 * x − c. Checked against a hand computation of the forward output, the gradient, the running
 * centre's step, and the decoders reading the code minus the same running centre (dtp
 * `decoderCentre` "mean"); and by what it is for (issue 17): forward matrices of a sigmoid net
 * sending Bernoulli samples, trained by straight-through BP, learn a negative mean weight reading
 * the samples as they are, and a several times smaller one reading them minus their running mean.
 */
import * as fs from 'fs';
import { ConfigError, loadExperiment } from '../src/experiment/experiment';
import { DecoderPathway } from '../src/network/decoder';
import { InputCentreSpec } from '../src/network/input-centre';
import { Network } from '../src/network/network';
import { ModelSpec } from '../src/network/spec';
import { createRule } from '../src/rules';
import { withRules } from './helpers';

/** 3-2-(2): a sigmoid population reading 3 inputs, the read-out reading it; h1 centres its input with `centre`. */
function tinyNet(centre?: InputCentreSpec): ModelSpec {
  return {
    name: 'tiny',
    input: 3,
    layers: [{ size: 2, units: 'sigmoid', ...(centre === undefined ? {} : { inputCentre: centre }) }, { size: 2, units: 'softmax' }],
    init: { name: 'orthogonal' },
  };
}

const network = (model: ModelSpec, decoderCentre?: number | 'mean'): Network => {
  const rule = createRule({ name: 'dtp', topStep: 1, noise: 0.1, ...(decoderCentre === undefined ? {} : { decoderCentre }) });
  return new Network(model, { seed: 5, maxRows: 8, feedback: rule.feedback, decoderCentre: rule.decoderCentre });
};

const W = [0.3, -0.7, 0.2, 0.5, -0.1, 0.4]; // 3 × 2, input-major
const x = [1, 0, 1, 0, 1, 1]; // two rows of samples
const sigmoid = (a: number) => 1 / (1 + Math.exp(-a));

/** sigmoid((x − c)·W + b) for one row, by hand. */
const byHand = (row: number[], c: number[], b: number[]): number[] =>
  [0, 1].map((j) => sigmoid(b[j] + row.reduce((sum, xi, i) => sum + (xi - c[i]) * W[i * 2 + j], 0)));

describe('a population reading a centred input', () => {
  it('computes sigmoid((x − c)·W + b), its bias shifted by c·W at construction: the uncentred network', () => {
    const plain = network(tinyNet());
    const centred = network(tinyNet(0.5));
    const [p, q] = [plain.hidden[0], centred.hidden[0]];
    expect(Array.from(q.projection.weights)).toEqual(Array.from(p.projection.weights));
    const shift = [0, 1].map((j) => [0, 1, 2].reduce((sum, i) => sum + 0.5 * p.projection.weights[i * 2 + j], 0));
    q.projection.bias.forEach((b, j) => expect(b).toBeCloseTo(p.projection.bias[j] + shift[j], 6));
    const input = Float32Array.from(x);
    const a = Array.from(p.fire(2, input).subarray(0, 4));
    const b = Array.from(q.fire(2, input).subarray(0, 4));
    b.forEach((v, i) => expect(v).toBeCloseTo(a[i], 6));

    q.projection.weights.set(W);
    q.projection.bias.set([0.1, -0.2]);
    const out = q.fire(2, input);
    const expected = [...byHand(x.slice(0, 3), [0.5, 0.5, 0.5], [0.1, -0.2]), ...byHand(x.slice(3), [0.5, 0.5, 0.5], [0.1, -0.2])];
    expected.forEach((v, i) => expect(out[i]).toBeCloseTo(v, 6));
    const probe = new Float32Array(4);
    q.respond(2, input, probe);
    expected.forEach((v, i) => expect(probe[i]).toBeCloseTo(v, 6));
  });

  it('learns along (x − c)ᵀ·Δ and 1ᵀ·Δ', () => {
    const q = network(tinyNet(0.25)).hidden[0];
    q.fire(2, Float32Array.from(x));
    const delta = [0.3, -0.1, 0.2, 0.4];
    q.delta.set(delta);
    q.accumulateGradients();
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 2; j++) expect(q.projection.weightGrad[i * 2 + j]).toBeCloseTo((x[i] - 0.25) * delta[j] + (x[3 + i] - 0.25) * delta[2 + j], 6);
    }
    expect(Array.from(q.projection.biasGrad)).toEqual([0.3 + 0.2, -0.1 + 0.4].map(Math.fround));
  });

  it('moves a running centre by α(x̄ − c) after a learning step, its bias keeping the function', () => {
    const q = network(tinyNet({ start: 0.5, rate: 0.1 })).hidden[0];
    q.projection.weights.set(W);
    q.projection.bias.set([0.1, -0.2]);
    const input = Float32Array.from(x);
    const before = Float32Array.from(q.fire(2, input).subarray(0, 4));
    q.trackInputCentre();
    const c = [0.5 + 0.1 * (0.5 - 0.5), 0.5 + 0.1 * (0.5 - 0.5), 0.5 + 0.1 * (1 - 0.5)]; // column means 0.5, 0.5, 1
    Array.from(q.inputCentre!.values).forEach((v, i) => expect(v).toBeCloseTo(c[i], 6));
    const b = [0, 1].map((j) => [0.1, -0.2][j] + [0, 1, 2].reduce((sum, i) => sum + (c[i] - 0.5) * W[i * 2 + j], 0));
    Array.from(q.projection.bias).forEach((v, j) => expect(v).toBeCloseTo(b[j], 6));
    const after = q.fire(2, input);
    before.forEach((v, i) => expect(after[i]).toBeCloseTo(v, 6));
    expect(after[0]).toBeCloseTo(byHand(x.slice(0, 3), c, b)[0], 6);
  });

  it('keeps a fixed centre fixed, and registers only a running one as state', () => {
    const fixed = network(tinyNet(0.5));
    fixed.hidden[0].fire(2, Float32Array.from(x));
    fixed.hidden[0].trackInputCentre();
    expect(Array.from(fixed.hidden[0].inputCentre!.values)).toEqual([0.5, 0.5, 0.5]);
    expect(fixed.state.arrays().some(({ name }) => name.endsWith('/centre'))).toBe(false);
    const running = network(tinyNet({ start: 0.5, rate: 0.1 }));
    expect(running.state.arrays().find(({ name }) => name === 'h1/centre')?.data).toBe(running.hidden[0].inputCentre!.values);
  });
});

describe('decoders reading the code minus its running mean (decoderCentre "mean")', () => {
  /** 4-3-3-(2): h2 and the read-out centre their inputs with running centres; g2 reads h2's code. */
  const model = (centre: InputCentreSpec): ModelSpec => ({
    name: 'chain',
    input: 4,
    layers: [
      { size: 3, units: 'sigmoid' },
      { size: 3, units: 'sigmoid', inputCentre: centre },
      { size: 2, units: 'softmax', inputCentre: centre },
    ],
    init: { name: 'orthogonal' },
  });

  it('read h_l − c with the centre of the population above, starting as with c fixed at its start, and keeping g_l when it moves', () => {
    const net = network(model({ start: 0.5, rate: 0.2 }), 'mean');
    const decoder = net.feedback[2] as DecoderPathway;
    expect(decoder.centre).toBe(net.readout.inputCentre);
    const fixed = network(model({ start: 0.5, rate: 0.2 }), 0.5).feedback[2] as DecoderPathway;
    expect(Array.from(decoder.projection.bias)).toEqual(Array.from(fixed.projection.bias));
    expect(Array.from(decoder.projection.weights)).toEqual(Array.from(fixed.projection.weights));
    const V = [0.3, -0.7, 0.2, 0.5, 0.1, -0.4, 0.6, 0.2, -0.3];
    decoder.projection.weights.set(V);
    decoder.projection.bias.set([0.05, -0.1, 0.2]);
    const h = Float32Array.from([0.9, 0.1, 0.4]);
    const c = Array.from(net.readout.inputCentre!.values);
    const out = new Float32Array(3);
    decoder.decode(1, h, out);
    [0, 1, 2].forEach((j) => expect(out[j]).toBeCloseTo(Math.tanh([0.05, -0.1, 0.2][j] + [0, 1, 2].reduce((s, i) => s + (h[i] - c[i]) * V[i * 3 + j], 0)), 6));
    net.readout.fire(1, Float32Array.from([1, 0, 1]));
    net.readout.trackInputCentre();
    expect(net.readout.inputCentre!.values[1]).toBeCloseTo(0.5 - 0.2 * 0.5, 6);
    const moved = new Float32Array(3);
    decoder.decode(1, h, moved);
    out.forEach((v, j) => expect(moved[j]).toBeCloseTo(v, 6));
  });

  it('need a running centre above, named in one line', () => {
    expect(() => network(model(0.5), 'mean')).toThrow('decoderCentre "mean": decoder g2 reads the code of h2, whose reader out has no running inputCentre');
  });
});

describe('an error shared by the batch (issue 17: the forward matrices\' common mode)', () => {
  // Δ_r = d for every row r: ∂W = (X − 1cᵀ)ᵀ·1dᵀ = (Σ_r (x_r − c))·dᵀ, which every weight of a unit
  // shares in sign when the inputs are non-negative and c = 0, and which is zero when c is the batch mean.
  const d = [0.3, -0.2];
  const shared = (centre?: InputCentreSpec): Float32Array => {
    const q = network(tinyNet(centre)).hidden[0];
    const input = Float32Array.from(x);
    q.fire(2, input);
    q.trackInputCentre(); // rate 1: c ← the batch mean
    q.fire(2, input);
    q.delta.set([...d, ...d]);
    q.accumulateGradients();
    return q.projection.weightGrad;
  };

  it('moves every weight of a unit the same way reading the samples, and no weight reading them minus their batch mean', () => {
    const sums = [1, 1, 2]; // Σ_r x_r
    shared().forEach((g, k) => expect(g).toBeCloseTo(sums[Math.floor(k / 2)] * d[k % 2], 6));
    shared({ start: 0, rate: 1 }).forEach((g) => expect(Math.abs(g)).toBeLessThan(1e-7));
  });
});

describe('the inputCentre field', () => {
  const file = withRules('experiments/depth8-stochastic-st.json', 'apical-input-centre-');
  const withLayers = (layers: unknown[]): string => {
    const path = file({ name: 'dtp', topStep: 1, noise: 0.1, decoderCentre: 'mean' });
    const json = JSON.parse(fs.readFileSync(path, 'utf8'));
    json.model.layers = layers;
    fs.writeFileSync(path, JSON.stringify(json));
    return path;
  };
  const hidden = { units: 'sigmoid', send: 'sample', size: 240 };

  it('takes a number or { start, rate } on a layer, and refuses anything else in one line naming it', () => {
    const running = { start: 0.5, rate: 0.01 };
    const ok = loadExperiment(withLayers([hidden, { ...hidden, inputCentre: running }, { size: 10, units: 'softmax', inputCentre: running }]));
    expect(ok.model.layers[1]).toMatchObject({ inputCentre: running });
    expect(ok.rule).toMatchObject({ decoderCentre: 'mean' });
    const bad = withLayers([hidden, { ...hidden, inputCentre: { start: 0.5 } }, { size: 10, units: 'softmax' }]);
    expect(() => loadExperiment(bad)).toThrow(ConfigError);
    expect(() => loadExperiment(bad)).toThrow(/\/model\/layers\/1\/inputCentre/);
  });
});
