/**
 * Output and input transforms: Lee et al.'s (2015) discrete network rebuilt at toy size with known
 * weights, its forward sweep, DTP targets and gradients checked against a hand computation; what
 * back-propagation passes through a sign with its true derivative (nothing) and with a
 * straight-through one (the surrogate); and the error when a rule needs a derivative a unit lacks.
 */
import { Circuit } from '../src/engine/circuit';
import { DecoderPathway } from '../src/network/decoder';
import { ModelSpec } from '../src/network/spec';
import { randomBatch, smallCircuit, stimulus } from './helpers';
import { UnitSpec } from '../src/units';

type Matrix = number[][];
const matmul = (a: Matrix, b: Matrix): Matrix => a.map((row) => b[0].map((_, j) => row.reduce((s, v, i) => s + v * b[i][j], 0)));
const transpose = (a: Matrix): Matrix => a[0].map((_, j) => a.map((row) => row[j]));
const addBias = (a: Matrix, b: number[]): Matrix => a.map((row) => row.map((v, j) => v + b[j]));
const map = (a: Matrix, f: (v: number, i: number, j: number) => number): Matrix => a.map((row, i) => row.map((v, j) => f(v, i, j)));
const sign = (v: number): number => (v > 0 ? 1 : -1);
const rowsOf = (flat: Float32Array, rows: number, cols: number): Matrix =>
  Array.from({ length: rows }, (_, i) => Array.from(flat.subarray(i * cols, (i + 1) * cols)));

/** 3 inputs → h1 (4, tanh, sends sign) → h2 (4, tanh) → 2-way softmax; decoder g2 reads sign(h2). */
function leeNet(send: UnitSpec = 'sign'): ModelSpec {
  return {
    name: 'lee-discrete-toy',
    input: 3,
    layers: [
      { size: 4, units: 'tanh', send },
      { size: 4, units: 'tanh' },
      { size: 2, units: 'softmax' },
    ],
    init: { name: 'orthogonal' },
    feedback: { units: 'tanh', input: 'sign' },
  };
}

/** Known weights: W[i][j] = scale·sin(seed + 1.7i + 0.9j), biases 0.1·cos(seed + j). */
function setWeights(circuit: Circuit): { W: Matrix[]; b: number[][]; V: Matrix; c: number[] } {
  const fill = (w: Float32Array, rows: number, cols: number, seed: number): Matrix => {
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) w[i * cols + j] = 1.3 * Math.sin(seed + 1.7 * i + 0.9 * j);
    return rowsOf(w, rows, cols);
  };
  const bias = (b: Float32Array, seed: number): number[] => {
    b.forEach((_, j) => (b[j] = 0.1 * Math.cos(seed + j)));
    return Array.from(b);
  };
  const { populations, feedback } = circuit.network;
  const W = populations.map((p, l) => fill(p.projection.weights, p.projection.inSize, p.projection.outSize, l + 1));
  const b = populations.map((p, l) => bias(p.projection.bias, l + 1));
  // Back-propagation's pathway is W2's transpose: only DTP has a decoder to set.
  const decoder = feedback[2]!;
  if (!(decoder instanceof DecoderPathway)) return { W, b, V: [], c: [] };
  const V = fill(decoder.projection.weights, 4, 4, 7);
  const c = bias(decoder.projection.bias, 7);
  return { W, b, V, c };
}

const x: Matrix = [
  [0.5, -1.2, 0.3],
  [-0.7, 0.4, 1.1],
];
const labels = Int32Array.of(1, 0);
const batch = { input: Float32Array.from(x.flat()), labels };

/** The forward sweep and the loss gradient at h2, by hand. */
function byHand(w: ReturnType<typeof setWeights>) {
  const h1 = map(addBias(matmul(x, w.W[0]), w.b[0]), Math.tanh);
  const s1 = map(h1, sign);
  const h2 = map(addBias(matmul(s1, w.W[1]), w.b[1]), Math.tanh);
  const scores = addBias(matmul(h2, w.W[2]), w.b[2]);
  const p = scores.map((row) => {
    const e = row.map((v) => Math.exp(v - Math.max(...row)));
    return e.map((v) => v / e.reduce((s, u) => s + u, 0));
  });
  const dScores = map(p, (v, i, j) => (v - (labels[i] === j ? 1 : 0)) / x.length);
  const dH2 = matmul(dScores, transpose(w.W[2]));
  return { h1, s1, h2, dH2 };
}

function expectClose(actual: Float32Array, expected: Matrix, digits = 5): void {
  expected.flat().forEach((v, i) => expect(actual[i]).toBeCloseTo(v, digits));
}

describe("Lee et al.'s discrete network", () => {
  it('sends sign(h1) up, decodes sign(h2), and forms DTP targets in the continuous space', () => {
    const topStep = 5;
    const circuit = smallCircuit(leeNet(), { name: 'dtp', topStep, noise: 0 });
    const w = setWeights(circuit);
    const [h1, h2] = circuit.network.hidden;
    const { s1, dH2, ...hand } = byHand(w);
    circuit.stimulus$.next(stimulus(batch, { learnForward: true }));

    expectClose(h1.activity, hand.h1);
    expectClose(h1.sent, s1);
    expectClose(h2.activity, hand.h2);
    // ĥ2 = h2 − η̂ ∂L/∂h2;  ĥ1 = h1 + g2(ĥ2) − g2(h2), g2(h) = tanh(sign(h)·V2 + c2).
    const target2 = map(hand.h2, (v, i, j) => v - topStep * dH2[i][j]);
    const g2 = (h: Matrix): Matrix => map(addBias(matmul(map(h, sign), w.V), w.c), Math.tanh);
    const flips = target2.flat().filter((v, i) => sign(v) !== sign(hand.h2.flat()[i])).length;
    expect(flips).toBeGreaterThan(0); // the decoder's sign input actually changes
    const [gTarget, gActivity] = [g2(target2), g2(hand.h2)];
    const target1 = map(hand.h1, (v, i, j) => v + gTarget[i][j] - gActivity[i][j]);
    expectClose(h2.target, target2);
    expectClose(h1.target, target1);
    // W2 learns from what h1 sent: ∂W2 = sign(h1)ᵀ·Δ2, Δ2 = (2/m)(h2 − ĥ2)(1 − h2²).
    const delta2 = map(hand.h2, (v, i, j) => (2 / x.length) * (v - target2[i][j]) * (1 - v * v));
    circuit.learn$.next();
    expectClose(h2.projection.weightGrad, matmul(transpose(s1), delta2));
  });

  it("probes its decoder with f2(sign(h1 + ε)) and trains it on sign of the response", () => {
    const circuit = smallCircuit(leeNet(), { name: 'dtp', topStep: 1, noise: 0.3 });
    const w = setWeights(circuit);
    const decoder = circuit.network.feedback[2]!;
    if (!(decoder instanceof DecoderPathway)) throw new Error('expected a decoder');
    circuit.stimulus$.next(stimulus(batch, { probeDecoders: true, noise: 0.3 }));
    const probe = rowsOf(decoder.probe, 2, 4);
    const response = map(addBias(matmul(map(probe, sign), w.W[1]), w.b[1]), Math.tanh);
    expectClose(decoder.response, response);
    // ∂V2 = sign(response)ᵀ·(2/m)(g − h̃)(1 − g²), g = tanh(sign(response)·V2 + c2).
    const decoded = map(addBias(matmul(map(response, sign), w.V), w.c), Math.tanh);
    const delta = map(decoded, (g, i, j) => (2 / x.length) * (g - probe[i][j]) * (1 - g * g));
    expectClose(decoder.projection.weightGrad, matmul(transpose(map(response, sign)), delta));
  });
});

describe('back-propagation through a sign', () => {
  const learn = (send: UnitSpec) => {
    const circuit = smallCircuit(leeNet(send), { name: 'bp' }, { forward: { name: 'sgd', lr: 0.1 } });
    const w = setWeights(circuit);
    const before = circuit.network.populations.map((p) => Float32Array.from(p.projection.weights));
    circuit.step(stimulus(batch, { learnForward: true }));
    const moved = circuit.network.populations.map((p, l) => p.projection.weights.some((v, i) => v !== before[l][i]));
    return { circuit, w, moved };
  };

  it('with the true derivative (zero) leaves the weights under the sign unchanged', () => {
    const { moved } = learn('sign');
    expect(moved).toEqual([false, true, true]);
    const bigger = smallCircuit(leeNet(), { name: 'bp' }, { forward: { name: 'rmsprop', lr: 0.01 } });
    const before = Float32Array.from(bigger.network.populations[0].projection.weights);
    for (let s = 0; s < 5; s++) bigger.step(stimulus(randomBatch(16, 3, 2, s), { learnForward: true }));
    expect(bigger.network.populations[0].projection.weights).toEqual(before);
  });

  it.each([
    ['identity', (_h: number) => 1],
    ['tanh', (h: number) => 1 - Math.tanh(h) ** 2],
  ])('with a straight-through %s derivative passes that surrogate: Δ1 = (Δ2 W2ᵀ) ∘ T′(h1) ∘ (1 − h1²)', (derivative, surrogate) => {
    const { circuit, w, moved } = learn({ name: 'sign', derivative: derivative as 'identity' | 'tanh' });
    expect(moved).toEqual([true, true, true]);
    const { h1, h2, dH2 } = byHand(w);
    const delta2 = map(h2, (v, i, j) => dH2[i][j] * (1 - v * v));
    const dX1 = matmul(delta2, transpose(w.W[1]));
    const delta1 = map(h1, (v, i, j) => dX1[i][j] * surrogate(v) * (1 - v * v));
    expectClose(circuit.network.hidden[0].delta, delta1);
  });

  it('stops, naming the population and the unit, when a rule needs a derivative the unit lacks', () => {
    expect(() => learn('sample')).toThrow('rule bp: population h1: output transform sample declares no derivative');
    const sigmoidUnits: ModelSpec = { ...leeNet(), layers: [{ size: 4, units: 'bernoulli' }, { size: 4, units: 'tanh' }, { size: 2, units: 'softmax' }] };
    expect(() => smallCircuit(sigmoidUnits, { name: 'dtp', topStep: 1, noise: 0 })).toThrow('rule dtp: population h1: unit bernoulli declares no derivative');
    // DTP forms its targets before the transform, so it needs no derivative of a sample.
    expect(() => smallCircuit(leeNet('sample'), { name: 'dtp', topStep: 1, noise: 0 })).not.toThrow();
  });

  it('sends h1 itself while the continuous twin trains', () => {
    const circuit = smallCircuit(leeNet(), { name: 'bp' });
    const w = setWeights(circuit);
    circuit.network.setTransforms(false);
    circuit.stimulus$.next(stimulus(batch));
    const { h1 } = byHand(w);
    const h2 = map(addBias(matmul(h1, w.W[1]), w.b[1]), Math.tanh);
    expectClose(circuit.network.hidden[1].activity, h2);
  });
});
