/**
 * The remedies of issue 17 for target propagation through discrete layers, against what they
 * promise: per-layer step growth (the difference sent down from h_l scaled by γ, compounding),
 * targets projected onto the sent set, decoders read straight through the sent transform, and the experiment file's refusal of options a rule ignores.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Circuit } from '../src/engine/circuit';
import { ConfigError, loadExperiment } from '../src/experiment/experiment';
import { DecoderPathway } from '../src/network/decoder';
import { ModelSpec } from '../src/network/spec';
import { RuleSpec } from '../src/rules';
import { randomBatch, smallCircuit, stimulus } from './helpers';

const rows = 6;
/** 7-6-5-4-3: tanh populations sending sign(h) up; decoders read sign. */
const signNet: ModelSpec = {
  name: 'sign-net',
  input: 7,
  layers: [...[6, 5, 4].map((size) => ({ size, units: 'tanh', send: 'sign' })), { size: 3, units: 'softmax' }],
  init: { name: 'orthogonal' },
  feedback: { units: 'tanh', input: 'sign' },
};
const batch = randomBatch(rows, 7, 3, 11);

function stepped(rule: RuleSpec): Circuit {
  const circuit = smallCircuit(signNet, rule);
  circuit.step(stimulus(batch, { learnForward: true }));
  return circuit;
}

const step = (circuit: Circuit, l: number): number[] => {
  const p = circuit.network.hidden[l - 1];
  return Array.from({ length: rows * p.size }, (_, i) => p.target[i] - p.activity[i]);
};

describe('per-layer step growth γ (dtp stepGrowth)', () => {
  const base = { name: 'dtp', topStep: 3, noise: 0.1 } as const;
  const dtp = stepped(base);
  const grown = stepped({ ...base, stepGrowth: 4 });

  it('leaves the top target, and multiplies the first difference sent down by γ', () => {
    step(grown, 3).forEach((v, i) => expect(v).toBeCloseTo(step(dtp, 3)[i], 6));
    const first = step(grown, 2);
    step(dtp, 2).forEach((v, i) => expect(first[i]).toBeCloseTo(4 * v, 5));
    expect(first.some((v) => v !== 0)).toBe(true);
  });

  it('compounds: ĥ_1 − h_1 = γ·(g_2(ĥ_2) − g_2(h_2)) with ĥ_2 the grown target', () => {
    const h2 = grown.network.hidden[1];
    const g2 = grown.network.feedback[2] as DecoderPathway;
    const difference = new Float32Array(rows * 6);
    g2.decodeDifference(rows, h2.target, h2.activity, difference);
    step(grown, 1).forEach((v, i) => expect(v).toBeCloseTo(4 * difference[i], 5));
  });
});

describe('target steps capped per example (dtp stepClip)', () => {
  const base = { name: 'dtp', topStep: 3, noise: 0.1, stepGrowth: 4 } as const;
  const free = stepped(base);
  const rms = (values: number[]): number => Math.sqrt(values.reduce((sum, v) => sum + v * v, 0) / values.length);
  const rowsOf = (values: number[], size: number): number[][] => Array.from({ length: rows }, (_, r) => values.slice(r * size, (r + 1) * size));

  it('leaves the top target, and is DTP wherever a step is within the cap', () => {
    const loose = stepped({ ...base, stepClip: 1e6 });
    for (const l of [1, 2, 3]) expect(step(loose, l)).toEqual(step(free, l));
  });

  it('scales each row of the first step sent down to an rms of c where it was above c, keeping its direction', () => {
    const size = free.network.hidden[1].size;
    const unclipped = rowsOf(step(free, 2), size);
    const c = 0.5 * Math.max(...unclipped.map(rms)); // at least the largest row is cut
    const capped = rowsOf(step(stepped({ ...base, stepClip: c }), 2), size);
    expect(step(stepped({ ...base, stepClip: c }), 3)).toEqual(step(free, 3));
    let cut = 0;
    unclipped.forEach((row, r) => {
      if (rms(row) <= c) return expect(capped[r]).toEqual(row);
      cut++;
      expect(rms(capped[r])).toBeCloseTo(c, 5);
      const scale = capped[r][row.findIndex((v) => v !== 0)] / row[row.findIndex((v) => v !== 0)];
      row.forEach((v, i) => expect(capped[r][i]).toBeCloseTo(scale * v, 6));
    });
    expect(cut).toBeGreaterThan(0);
  });

  it('bounds every layer below the top, after the growth γ', () => {
    const c = 0.05;
    const capped = stepped({ ...base, stepClip: c });
    for (const l of [1, 2]) for (const row of rowsOf(step(capped, l), capped.network.hidden[l - 1].size)) expect(rms(row)).toBeLessThanOrEqual(c * (1 + 1e-6));
  });
});

describe('targets projected onto the sent set (project)', () => {
  it('sends each target through sign: ĥ_l ∈ {−1, +1}, the sign of the unprojected target (sign(0) = −1)', () => {
    const base = { name: 'dtp', topStep: 3, noise: 0.1 } as const;
    const plain = stepped(base);
    const projected = stepped({ ...base, project: true });
    const top = (c: Circuit) => c.network.hidden[2].target.subarray(0, rows * 4);
    expect(Array.from(top(projected))).toEqual(Array.from(top(plain), (v) => (v > 0 ? 1 : -1)));
    for (const p of projected.network.hidden) for (const v of p.target.subarray(0, rows * p.size)) expect(Math.abs(v)).toBe(1);
  });

  it('leaves populations without an output transform as DTP has them', () => {
    const tanhNet: ModelSpec = { ...signNet, layers: [...[6, 5, 4].map((size) => ({ size, units: 'tanh' })), { size: 3, units: 'softmax' }], feedback: { units: 'tanh' } };
    const run = (rule: RuleSpec) => {
      const c = smallCircuit(tanhNet, rule);
      c.step(stimulus(batch, { learnForward: true }));
      return c.network.hidden.map((p) => Array.from(p.target.subarray(0, rows * p.size)));
    };
    expect(run({ name: 'dtp', topStep: 3, noise: 0.1, project: true })).toEqual(run({ name: 'dtp', topStep: 3, noise: 0.1 }));
  });
});

describe('decoders read straight through the sent transform (dtp straightThrough)', () => {
  /** g(x) = tanh(x·V + c) for one row x, from the decoder's own weights (the reference). */
  const decode = (g: DecoderPathway, x: number[]): number[] => {
    const { outSize, weights, bias } = g.projection;
    return Array.from({ length: outSize }, (_, j) => Math.tanh(x.reduce((sum, xi, i) => sum + xi * weights[i * outSize + j], bias[j])));
  };
  // A top step too small to flip any sign: DTP's g(sign ĥ) − g(sign h) is then exactly zero.
  const base = { name: 'dtp', topStep: 0.01, noise: 0.1 } as const;
  const dtp = stepped(base);
  const through = stepped({ ...base, straightThrough: true });

  it('sends ĥ_{l−1} − h_{l−1} = g_l(sign(h_l) + ĥ_l − h_l) − g_l(sign(h_l)), row by row', () => {
    const h3 = through.network.hidden[2];
    const g3 = through.network.feedback[3] as DecoderPathway;
    const got = step(through, 2);
    for (let r = 0; r < rows; r += 1) {
      const h = Array.from(h3.activity.subarray(r * 4, r * 4 + 4));
      const sent = h.map((v) => (v > 0 ? 1 : -1));
      const moved = sent.map((s, i) => s + h3.target[r * 4 + i] - h[i]);
      const expected = decode(g3, moved).map((v, j) => v - decode(g3, sent)[j]);
      expected.forEach((v, j) => expect(got[r * 5 + j]).toBeCloseTo(v, 6));
    }
  });

  it('gives every layer a target where DTP gives the layers below h_{L−1} none', () => {
    expect(step(dtp, 3)).toEqual(step(through, 3));
    for (const l of [1, 2]) {
      expect(step(dtp, l).every((v) => v === 0)).toBe(true);
      expect(Math.min(...step(through, l).map(Math.abs))).toBeGreaterThan(0);
    }
  });

  it('is DTP when decoders read h itself (no input transform)', () => {
    const readH: ModelSpec = { ...signNet, feedback: { units: 'tanh' } };
    const targets = (rule: RuleSpec) => {
      const c = smallCircuit(readH, rule);
      c.step(stimulus(batch, { learnForward: true }));
      return c.network.hidden.map((p) => Array.from(p.target.subarray(0, rows * p.size)));
    };
    const plain = targets({ ...base, topStep: 3 });
    targets({ ...base, topStep: 3, straightThrough: true }).forEach((layer, l) => layer.forEach((v, i) => expect(v).toBeCloseTo(plain[l][i], 6)));
  });
});

describe('experiment files', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'apical-remedies-'));
  const file = (rule: Record<string, unknown>): string => {
    const json = JSON.parse(fs.readFileSync('experiments/mnist-sign-depth4.json', 'utf8'));
    json.model = { ...json.model };
    json.rule = rule;
    const out = path.join(tmp, `${rule.name}.json`);
    fs.writeFileSync(out, JSON.stringify(json));
    return out;
  };

  it('accepts the options where they act', () => {
    expect(loadExperiment(file({ name: 'dtp', topStep: 1, noise: 0.1, stepGrowth: 2, project: true, straightThrough: true })).rule).toMatchObject({ stepGrowth: 2, project: true, straightThrough: true });
  });

  it.each([
    [{ name: 'tp', topStep: 1, noise: 0.1, stepGrowth: 2 }, '/rule has an unknown field "stepGrowth"'],
    [{ name: 'ddtp-linear', topStep: 1, noise: 0.1, stepGrowth: 2 }, '/rule has an unknown field "stepGrowth"'],
    [{ name: 'tp', topStep: 1, noise: 0.1, project: true }, '/rule has an unknown field "project"'],
    [{ name: 'ddtp-linear', topStep: 1, noise: 0.1, straightThrough: true }, '/rule has an unknown field "straightThrough"'],
    [{ name: 'dtp', topStep: 1, noise: 0.1, stepGrowth: 0 }, '/rule/stepGrowth must be > 0'],
    [{ name: 'dtp', topStep: 1, noise: 0.1, stepClip: -1 }, '/rule/stepClip must be > 0'],
    [{ name: 'tp', topStep: 1, noise: 0.1, stepClip: 1 }, '/rule has an unknown field "stepClip"'],
  ])('refuses %j with a one-line error naming %s', (rule, where) => {
    const f = file(rule);
    expect(() => loadExperiment(f)).toThrow(ConfigError);
    expect(() => loadExperiment(f)).toThrow(`${f}: ${where}`);
  });
});
