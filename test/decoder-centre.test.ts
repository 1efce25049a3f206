/**
 * Decoders reading a centred code (dtp `decoderCentre` c; network/decoder.ts): g_l(h) =
 * unit((T(h) − c)·V_l + c_l), in the probes and in the targets. Checked against a hand computation
 * of the decoder's output, its straight-through difference and its gradient, and by what it is for
 * (issue 17): decoders of a sigmoid net sending Bernoulli samples, trained on their probes, learn a
 * positive mean weight reading the samples as they are, and a several times smaller one reading
 * them minus ½.
 */
import { DecoderPathway } from '../src/network/decoder';
import { ModelSpec } from '../src/network/spec';
import { createRule, RuleSpec } from '../src/rules';
import { ConfigError, loadExperiment } from '../src/experiment/experiment';
import { randomBatch, smallCircuit, stimulus, stochasticNet, withRules } from './helpers';

/** 4-3-2-(2): tanh populations; the decoder g_2 reads sign(h_2) (a deterministic transform). */
const signNet: ModelSpec = {
  name: 'sign-net',
  input: 4,
  layers: [{ size: 3, units: 'tanh' }, { size: 2, units: 'tanh' }, { size: 2, units: 'softmax' }],
  init: { name: 'orthogonal' },
  feedback: { units: 'tanh', input: 'sign' },
};


const c = 0.5;
const V = [0.3, -0.7, 0.2, 0.5, 0.1, -0.4]; // 2 × 3, input-major
const bias = [0.05, -0.1, 0.2];

/** tanh((x − c)·V + bias) for one row x of h_2's size, by hand. */
function byHand(x: number[]): number[] {
  return [0, 1, 2].map((j) => Math.tanh(bias[j] + x.reduce((sum, xi, i) => sum + (xi - c) * V[i * 3 + j], 0)));
}

function centredDecoder(): DecoderPathway {
  const circuit = smallCircuit(signNet, { name: 'dtp', topStep: 1, noise: 0.1, straightThrough: true, decoderCentre: c });
  const decoder = circuit.network.feedback[2] as DecoderPathway;
  decoder.projection.weights.set(V);
  decoder.projection.bias.set(bias);
  return decoder;
}

describe('a decoder reading a centred code', () => {
  const h = [0.4, -0.2, -0.9, 0.6]; // two rows of h_2
  const target = [0.8, -0.5, 0.1, -1.1];

  it('decodes unit((sign(h) − c)·V + b)', () => {
    const decoder = centredDecoder();
    expect(decoder.centre).toBe(c);
    const out = new Float32Array(6);
    decoder.decode(2, Float32Array.from(h), out);
    const expected = [...byHand([1, -1]), ...byHand([-1, 1])];
    out.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 6));
  });

  it('sends g(sign(h) − c + ĥ − h) − g(sign(h) − c) straight through', () => {
    const decoder = centredDecoder();
    const out = new Float32Array(6);
    decoder.decodeStraightThrough(2, Float32Array.from(target), Float32Array.from(h), out);
    const sent = [1, -1, -1, 1];
    const displaced = sent.map((s, i) => s + target[i] - h[i]);
    const expected = [0, 1].flatMap((r) => {
      const a = byHand(displaced.slice(2 * r, 2 * r + 2));
      const b = byHand(sent.slice(2 * r, 2 * r + 2));
      return a.map((v, j) => v - b[j]);
    });
    out.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 6));
  });

  it('learns from the probe along (sign(f(h̃)) − c)ᵀ·Δ, Δ = 2/rows·(g − h̃)∘(1 − g²)', () => {
    const decoder = centredDecoder();
    decoder.response.set(h);
    const probe = [0.2, -0.3, 0.4, -0.6, 0.1, 0.5];
    decoder.probe.set(probe);
    decoder.learnFromProbe(2);
    const g = [...byHand([1, -1]), ...byHand([-1, 1])];
    const delta = g.map((v, i) => (2 / 2) * (v - probe[i]) * (1 - v * v));
    const read = [1 - c, -1 - c, -1 - c, 1 - c];
    const grad = decoder.projection.weightGrad;
    for (let i = 0; i < 2; i++) {
      for (let j = 0; j < 3; j++) {
        const expected = read[i] * delta[j] + read[2 + i] * delta[3 + j];
        expect(grad[i * 3 + j]).toBeCloseTo(expected, 5);
      }
    }
  });
});

/** How far the mean entry of V_l moved over 300 probe steps, in units of its initial rms, for V_2 … V_4 of the stochastic net. */
function decoderMeanShifts(rule: RuleSpec): number[] {
  const sgd = { name: 'sgd', lr: 0.1 } as const;
  const circuit = smallCircuit(stochasticNet(24), rule, { feedback: sgd });
  const decoders = [2, 3, 4].map((l) => (circuit.network.feedback[l] as DecoderPathway).projection.weights);
  const mean = (w: Float32Array) => w.reduce((s, v) => s + v, 0) / w.length;
  const before = decoders.map(mean);
  const rms = decoders.map((w) => Math.sqrt(w.reduce((s, v) => s + v * v, 0) / w.length));
  const batch = randomBatch(32, 5, 3, 11);
  for (let step = 0; step < 300; step++) circuit.step(stimulus(batch, { step, probeDecoders: true, noise: 0.1 }));
  return decoders.map((w, i) => (mean(w) - before[i]) / rms[i]);
}

describe('the common mode of decoders reading Bernoulli samples (issue 17)', () => {
  const rule: RuleSpec = { name: 'dtp', topStep: 1, noise: 0.1, straightThrough: true };

  it('grows positive reading the samples in {0, 1}, and several times less reading them minus ½', () => {
    const plain = decoderMeanShifts(rule);
    const centred = decoderMeanShifts({ ...rule, decoderCentre: 0.5 });
    // Measured: +0.083, +0.070, +0.091 of the initial rms against +0.028, −0.0003, +0.017.
    for (const m of plain) expect(m).toBeGreaterThan(0.05);
    for (const m of centred) expect(Math.abs(m)).toBeLessThan(Math.min(...plain) / 2);
  });
});

describe('the decoderCentre option', () => {
  const file = withRules('experiments/depth8-stochastic-st.json', 'apical-centre-');

  it('is declared by dtp for `apical rules`', () => {
    const options = createRule({ name: 'dtp', topStep: 1, noise: 0.1 }).options ?? [];
    expect(options.some((line) => line.startsWith('decoderCentre c:'))).toBe(true);
  });

  it('is taken by dtp as a number and refused otherwise, in one line naming the field', () => {
    expect(loadExperiment(file({ name: 'dtp', topStep: 1, noise: 0.1, decoderCentre: 0.5 })).rule).toMatchObject({ decoderCentre: 0.5 });
    const text = file({ name: 'dtp', topStep: 1, noise: 0.1, decoderCentre: 'half' });
    expect(() => loadExperiment(text)).toThrow(ConfigError);
    expect(() => loadExperiment(text)).toThrow(/decoderCentre/);
    const drl = file({ name: 'drl', topStep: 1, noise: 0.1, decoderCentre: 0.5 });
    expect(() => loadExperiment(drl)).toThrow(`${drl}: /rule has an unknown field "decoderCentre"`);
  });
});
