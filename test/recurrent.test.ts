/**
 * Recurrent populations and the rules that learn through time: the forward recurrence against a
 * plain loop, BPTT against finite differences, TPTT's targets against the difference correction
 * computed by hand, random feedback through time, and the error of a rule that does not learn
 * through time.
 */
import { Circuit } from '../src/engine/circuit';
import { fillNormal, streamState } from '../src/kernels/random';
import { InverseTransitionPathway } from '../src/network/inverse-transition';
import { RecurrentPopulation } from '../src/network/recurrent-population';
import { ModelSpec } from '../src/network/spec';
import { createRule, RuleSpec } from '../src/rules';
import { expectFiniteDifferenceGradients, smallCircuit, stimulus } from './helpers';

const width = 3;
const hidden = 4;
const classes = 3;
const steps = 5;
const rows = 6;

function recurrentModel(units: ModelSpec['layers'][number]['units'] = 'tanh'): ModelSpec {
  return {
    name: 'srn',
    input: width,
    layers: [
      { size: hidden, units, recurrent: { init: { name: 'orthogonal', gain: 0.9 } } },
      { size: classes, units: 'softmax' },
    ],
    init: { name: 'glorot' },
    feedback: { units: 'tanh' },
  };
}

/** `rows` Gaussian sequences of `steps` steps (row-major, each row its steps one after the other) and random labels. */
function sequences(seed = 3): { input: Float32Array; labels: Int32Array } {
  const rng = streamState(seed, 'test/sequences');
  const input = new Float32Array(rows * steps * width);
  fillNormal(rng, input.length, input);
  return { input, labels: Int32Array.from({ length: rows }, (_, r) => r % classes) };
}

function recurrentOf(circuit: Circuit): RecurrentPopulation {
  const population = circuit.network.recurrent;
  if (!population) throw new Error('no recurrent population');
  return population;
}

/** h_t for every step by a plain loop: h_t = f(x_t·W + h_{t−1}·U + b), h_{−1} = 0. */
function referenceStates(population: RecurrentPopulation, input: Float32Array, f: (a: number) => number): Float64Array[] {
  const { weights, bias } = population.projection;
  const out: Float64Array[] = [];
  let previous = new Float64Array(rows * hidden);
  for (let t = 0; t < steps; t++) {
    const h = new Float64Array(rows * hidden);
    for (let r = 0; r < rows; r++) {
      for (let j = 0; j < hidden; j++) {
        let a = bias[j];
        for (let i = 0; i < width; i++) a += input[r * steps * width + t * width + i] * weights[i * hidden + j];
        for (let i = 0; i < hidden; i++) a += previous[r * hidden + i] * weights[(width + i) * hidden + j];
        h[r * hidden + j] = f(a);
      }
    }
    out.push(h);
    previous = h;
  }
  return out;
}

function lossOf(circuit: Circuit, batch: { input: Float32Array; labels: Int32Array }): number {
  let loss = NaN;
  const subscription = circuit.outcome$.subscribe((o) => (loss = o.loss / o.stimulus.rows));
  circuit.step(stimulus(batch, { steps }));
  subscription.unsubscribe();
  return loss;
}

describe('a recurrent population', () => {
  it.each([
    ['tanh', Math.tanh],
    [{ name: 'sign', derivative: 'identity' as const }, (a: number) => (a >= 0 ? 1 : -1)],
  ] as const)('steps through a sequence as h_t = f(x_t W + h_{t−1} U + b) (%j units)', (units, f) => {
    const circuit = smallCircuit(recurrentModel(units), { name: 'bptt' }, { maxSteps: steps });
    const batch = sequences();
    circuit.step(stimulus(batch, { steps }));
    const population = recurrentOf(circuit);
    const expected = referenceStates(population, batch.input, f);
    for (let t = 0; t < steps; t++) {
      const h = population.stateAt(t, rows);
      for (let i = 0; i < rows * hidden; i++) expect(h[i]).toBeCloseTo(expected[t][i], 5);
    }
    // The read-out fired once, on the last state.
    for (let i = 0; i < rows * hidden; i++) expect(population.activity[i]).toBeCloseTo(expected[steps - 1][i], 5);
  });

  it('steps stochastic units too (Bernoulli samples, learning by TPTT through a straight-through derivative)', () => {
    const circuit = smallCircuit(recurrentModel({ name: 'bernoulli', derivative: 'sigmoid' }), { name: 'tptt', topStep: 0.5, noise: 0.1 }, { maxSteps: steps });
    circuit.step(stimulus(sequences(), { learnForward: true, probeDecoders: true, noise: 0.1, steps }));
    const population = recurrentOf(circuit);
    const states = population.states.subarray(0, steps * rows * hidden);
    expect(new Set(states)).toEqual(new Set([0, 1]));
    expect(population.deltas.subarray(0, steps * rows * hidden).every(Number.isFinite)).toBe(true);
  });

  it('sends one event per step up from the input, and one from the last step above it', () => {
    const circuit = smallCircuit(recurrentModel(), { name: 'bptt' }, { maxSteps: steps });
    const counts = circuit.activity$.map(() => 0);
    const subscriptions = circuit.activity$.map((a$, l) => a$.subscribe(() => counts[l]++));
    circuit.step(stimulus(sequences(), { steps }));
    for (const s of subscriptions) s.unsubscribe();
    expect(counts).toEqual([steps, steps, 1]);
  });

  it.each(['bptt', 'tptt'] as const)('keeps its steps for as many rows as it is given: after a smaller minibatch, a larger one learns as in a fresh circuit, bit for bit (%s)', (name) => {
    // lr = 0: the learning phase computes the gradients and leaves the weights as they are.
    const rule: RuleSpec = name === 'tptt' ? { name, topStep: 0.5, noise: 0 } : { name };
    const flags = { learnForward: true, probeDecoders: name === 'tptt', steps };
    const grown = smallCircuit(recurrentModel(), rule, { maxSteps: steps });
    const fresh = smallCircuit(recurrentModel(), rule, { maxSteps: steps });
    const batch = sequences();
    const few = { input: batch.input.slice(0, 2 * steps * width), labels: batch.labels.slice(0, 2) };
    grown.step(stimulus(few, flags));
    for (const circuit of [grown, fresh]) circuit.step(stimulus(batch, flags));
    const bits = (circuit: Circuit): Buffer[] => {
      const population = recurrentOf(circuit);
      const length = steps * rows * hidden;
      const projections = circuit.network.projections();
      return [population.states.subarray(0, length), population.targets.subarray(0, length), population.deltas.subarray(0, length), ...projections.map((p) => p.weightGrad)].map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength));
    };
    const [mine, theirs] = [bits(grown), bits(fresh)];
    expect(mine.length).toBe(name === 'tptt' ? 6 : 5);
    mine.forEach((buffer, i) => expect(buffer.equals(theirs[i])).toBe(true));
  });

  it('refuses a rule that does not learn through time, in one line', () => {
    expect(() => smallCircuit(recurrentModel(), { name: 'bp' }, { maxSteps: steps })).toThrow(/^rule bp does not learn through time; recurrent population h1 needs one that does \(bptt, tptt, fa-tt\)$/);
  });
});

describe('back-propagation through time', () => {
  it('gives the finite-difference gradient of W, U, b and the read-out', () => {
    const circuit = smallCircuit(recurrentModel(), { name: 'bptt' }, { maxSteps: steps });
    const batch = sequences();
    // lr = 0: the learning phase computes the gradients and leaves the weights as they are.
    circuit.step(stimulus(batch, { learnForward: true, steps }));
    const checked = expectFiniteDifferenceGradients(circuit, () => lossOf(circuit, batch));
    expect(checked).toBe((width + hidden) * hidden + hidden + hidden * classes + classes);
  });

  it('reaches back to the first step (a gradient on the first input weights through U)', () => {
    const circuit = smallCircuit(recurrentModel(), { name: 'bptt' }, { maxSteps: steps });
    circuit.step(stimulus(sequences(), { learnForward: true, steps }));
    const population = recurrentOf(circuit);
    const first = population.at(population.deltas, 0, rows, hidden);
    expect(Math.max(...first.map(Math.abs))).toBeGreaterThan(1e-4);
  });
});

describe('feedback alignment through time', () => {
  it('carries the error back through a fixed random matrix, never through U', () => {
    const circuit = smallCircuit(recurrentModel(), { name: 'fa-tt' }, { maxSteps: steps });
    const population = recurrentOf(circuit);
    circuit.step(stimulus(sequences(), { learnForward: true, steps }));
    const pathway = circuit.network.temporal as unknown as { matrix: Float32Array };
    const b = pathway.matrix;
    // Δ_{t−1} = (Δ_t Bᵀ) ∘ (1 − h_{t−1}²), by hand, for the step before the last.
    const last = population.at(population.deltas, steps - 1, rows, hidden);
    const before = population.at(population.deltas, steps - 2, rows, hidden);
    const h = population.stateAt(steps - 2, rows);
    for (let r = 0; r < rows; r++) {
      for (let i = 0; i < hidden; i++) {
        let g = 0;
        for (let j = 0; j < hidden; j++) g += last[r * hidden + j] * b[i * hidden + j];
        expect(before[r * hidden + i]).toBeCloseTo(g * (1 - h[r * hidden + i] ** 2), 6);
      }
    }
    expect(Array.from(b)).not.toEqual(Array.from(population.recurrentWeights));
  });
});

describe('target propagation through time', () => {
  const topStep = 0.5;

  it('forms ĥ_{t−1} = h_{t−1} − G(x_t, h_t) + G(x_t, ĥ_t) from ĥ_T = h_T − α ∂L/∂h_T, and Δ_t = 2/(mn)(h_t − ĥ_t)(1 − h_t²)', () => {
    const circuit = smallCircuit(recurrentModel(), { name: 'tptt', topStep, noise: 0 }, { maxSteps: steps });
    const batch = sequences();
    circuit.step(stimulus(batch, { learnForward: true, steps }));
    const population = recurrentOf(circuit);
    const inverse = circuit.network.temporal as InverseTransitionPathway;
    const { weights: w } = population.projection;
    const { weights: v, bias: c } = inverse.projection;
    const { weights: wOut, bias: bOut } = circuit.network.readout.projection;
    const h = (t: number): Float32Array => population.stateAt(t, rows);
    const x = (r: number, t: number, i: number): number => batch.input[r * steps * width + t * width + i];
    // G(x_t, s) = tanh(x_t W + s V + c), with W the transition's input weights.
    const g = (r: number, t: number, s: ArrayLike<number>, j: number): number => {
      let a = c[j];
      for (let i = 0; i < width; i++) a += x(r, t, i) * w[i * hidden + j];
      for (let i = 0; i < hidden; i++) a += s[i] * v[(width + i) * hidden + j];
      return Math.tanh(a);
    };
    // ĥ_T from the cross-entropy's gradient at h_T (mean over rows).
    let target: Float64Array = new Float64Array(rows * hidden);
    const last = h(steps - 1);
    for (let r = 0; r < rows; r++) {
      const scores = Array.from({ length: classes }, (_, k) => {
        let a = bOut[k];
        for (let j = 0; j < hidden; j++) a += last[r * hidden + j] * wOut[j * classes + k];
        return a;
      });
      const max = Math.max(...scores);
      const sum = scores.reduce((s, a) => s + Math.exp(a - max), 0);
      const error = scores.map((a, k) => (Math.exp(a - max) / sum - (k === batch.labels[r] ? 1 : 0)) / rows);
      for (let j = 0; j < hidden; j++) {
        let grad = 0;
        for (let k = 0; k < classes; k++) grad += error[k] * wOut[j * classes + k];
        target[r * hidden + j] = last[r * hidden + j] - topStep * grad;
      }
    }
    for (let t = steps - 1; t >= 0; t--) {
      const got = population.at(population.targets, t, rows, hidden);
      for (let i = 0; i < rows * hidden; i++) expect(got[i]).toBeCloseTo(target[i], 5);
      const delta = population.at(population.deltas, t, rows, hidden);
      const ht = h(t);
      for (let i = 0; i < rows * hidden; i++) expect(delta[i]).toBeCloseTo((2 / (rows * hidden)) * (ht[i] - target[i]) * (1 - ht[i] ** 2), 6);
      if (t === 0) break;
      const next = new Float64Array(rows * hidden);
      const below = h(t - 1);
      for (let r = 0; r < rows; r++) {
        const hRow = ht.subarray(r * hidden, (r + 1) * hidden);
        const targetRow = target.subarray(r * hidden, (r + 1) * hidden);
        for (let j = 0; j < hidden; j++) next[r * hidden + j] = below[r * hidden + j] - g(r, t, hRow, j) + g(r, t, targetRow, j);
      }
      target = next;
    }
  });

  it('with ĥ_T = h_T (no error) every target is the state itself, whatever G is (the difference correction)', () => {
    const circuit = smallCircuit(recurrentModel(), { name: 'tptt', topStep: 1e-30, noise: 0 }, { maxSteps: steps });
    circuit.step(stimulus(sequences(), { learnForward: true, steps }));
    const population = recurrentOf(circuit);
    for (let t = 0; t < steps; t++) {
      const target = population.at(population.targets, t, rows, hidden);
      const h = population.stateAt(t, rows);
      for (let i = 0; i < rows * hidden; i++) expect(target[i]).toBeCloseTo(h[i], 6);
    }
  });

  it('trains G to invert the transition on noisy states: its reconstruction error falls', () => {
    const circuit = smallCircuit(recurrentModel(), { name: 'tptt', topStep, noise: 0.3 }, { maxSteps: steps, feedback: { name: 'sgd', lr: 0.5, momentum: 0.9 } });
    const errors: number[] = [];
    const subscription = circuit.reconstruction$.subscribe((r) => errors.push(r.error));
    const batch = sequences();
    for (let i = 0; i < 200; i++) circuit.step(stimulus(batch, { probeDecoders: true, noise: 0.3, steps }));
    subscription.unsubscribe();
    const mean = (xs: number[]): number => xs.reduce((s, e) => s + e, 0) / xs.length;
    expect(errors).toHaveLength(200);
    expect(mean(errors.slice(-20))).toBeLessThan(0.5 * mean(errors.slice(0, 5)));
  });

  it('with inputWeights "bptt" trains W by the gradient through time (as bptt) and U, b by the local losses (as tptt)', () => {
    const batch = sequences();
    const gradientsOf = (rule: RuleSpec) => {
      const circuit = smallCircuit(recurrentModel(), rule, { maxSteps: steps });
      circuit.step(stimulus(batch, { learnForward: true, steps }));
      const { weightGrad, biasGrad } = recurrentOf(circuit).projection;
      return { w: weightGrad.slice(0, width * hidden), u: weightGrad.slice(width * hidden), b: biasGrad.slice() };
    };
    const mixed = gradientsOf({ name: 'tptt', topStep, noise: 0, inputWeights: 'bptt' });
    const exact = gradientsOf({ name: 'bptt' });
    const local = gradientsOf({ name: 'tptt', topStep, noise: 0 });
    expect(Math.max(...exact.w.map(Math.abs))).toBeGreaterThan(1e-3);
    for (let i = 0; i < exact.w.length; i++) expect(mixed.w[i]).toBeCloseTo(exact.w[i], 6);
    expect(mixed.u).toEqual(local.u);
    expect(mixed.b).toEqual(local.b);
    expect(mixed.w).not.toEqual(local.w);
  });

  it('declares the BPTT input weights as weight transport and a derivative chain', () => {
    expect(createRule({ name: 'tptt', topStep, noise: 0 }).uses).toMatchObject({ weightTransport: false, derivativeChain: false });
    expect(createRule({ name: 'tptt', topStep, noise: 0, inputWeights: 'bptt' }).uses).toMatchObject({ weightTransport: true, derivativeChain: true });
  });
});
