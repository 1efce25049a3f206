/** DTP and TP targets against analytic values, the difference correction, decoder learning, locality. */
import * as math from 'mathjs';
import { Circuit } from '../src/engine/circuit';
import { DecoderPathway } from '../src/network/decoder';
import { exampleRuleSpec, ruleNames, RuleSpec } from '../src/rules';
import { randomBatch, smallCircuit, smallModel, stimulus } from './helpers';

const rows = 5;
const toRows = (a: Float32Array, cols: number, n = rows): number[][] =>
  Array.from({ length: n }, (_, i) => Array.from(a.subarray(i * cols, (i + 1) * cols)));

/** Gives every decoder g_l the exact inverse of a linear f_l: V = W⁻¹, c = −b·W⁻¹. */
function installExactInverses(circuit: Circuit): void {
  const { populations, feedback } = circuit.network;
  feedback.forEach((pathway, l) => {
    if (!(pathway instanceof DecoderPathway)) return;
    const { weights, bias, inSize } = populations[l - 1].projection;
    const inverse = math.inv(toRows(weights, inSize, inSize)) as number[][];
    const c = math.multiply(math.multiply(-1, Array.from(bias)) as number[], inverse) as number[];
    pathway.projection.weights.set(inverse.flat());
    pathway.projection.bias.set(c);
  });
}

function randomiseBiases(circuit: Circuit): void {
  circuit.network.populations.forEach((p, i) => p.projection.bias.forEach((_, j) => (p.projection.bias[j] = 0.1 * Math.sin(3 * i + j))));
}

describe('target propagation on a small invertible linear network', () => {
  const topStep = 0.5;
  const model = smallModel([4, 4, 4, 4, 3], 'linear', 'linear');
  const batch = randomBatch(rows, 4, 3);

  function run(rule: RuleSpec): Circuit {
    const circuit = smallCircuit(model, rule);
    randomiseBiases(circuit);
    installExactInverses(circuit);
    circuit.step(stimulus(batch, { learnForward: true }));
    return circuit;
  }

  // L: the minibatch's mean loss (topGradient 'batch-mean', the default) or each example's own ('example').
  it.each([
    ['dtp', 'batch-mean'],
    ['tp', 'batch-mean'],
    ['dtp', 'example'],
    ['tp', 'example'],
  ] as const)('%s targets (L the %s loss) equal the analytic ĥ_L = h_L − η̂∂L/∂h_L, ĥ_{l−1} = h_{l−1} + (ĥ_l − h_l)W_l⁻¹', (name, topGradient) => {
    const circuit = run({ name, topStep, topGradient, noise: 0.1 });
    const { hidden, readout } = circuit.network;
    // Forward pass and loss gradient in double precision.
    let h: number[][] = toRows(batch.input, 4);
    const activities: number[][][] = [];
    for (const p of hidden) {
      const w = toRows(p.projection.weights, p.size, p.projection.inSize);
      h = (math.add(math.multiply(h, w), Array(rows).fill(Array.from(p.projection.bias))) as number[][]);
      activities.push(h);
    }
    const wOut = toRows(readout.projection.weights, 3, 4);
    const scores = math.add(math.multiply(h, wOut), Array(rows).fill(Array.from(readout.projection.bias))) as number[][];
    const dScores = scores.map((row, i) => {
      const e = row.map((s) => Math.exp(s - Math.max(...row)));
      const total = e.reduce((a, b) => a + b, 0);
      return e.map((x, j) => (x / total - (j === batch.labels[i] ? 1 : 0)) / (topGradient === 'example' ? 1 : rows));
    });
    let shift = math.multiply(-topStep, math.multiply(dScores, math.transpose(wOut))) as number[][];
    for (let l = hidden.length; l >= 1; l--) {
      const expected = math.add(activities[l - 1], shift) as number[][];
      const actual = toRows(hidden[l - 1].target, 4);
      expected.forEach((row, i) => row.forEach((x, j) => expect(actual[i][j]).toBeCloseTo(x, 4)));
      if (l > 1) {
        const w = toRows(hidden[l - 1].projection.weights, 4, 4);
        shift = math.multiply(shift, math.inv(w)) as number[][];
      }
    }
  });
});

describe('the difference correction', () => {
  const model = smallModel([6, 5, 5, 5, 3], 'tanh');
  const batch = randomBatch(rows, 6, 3);

  /** Runs one step with a top step so small that ĥ_L = h_L; returns max |ĥ_l − h_l| per hidden layer. */
  function targetOffsets(name: 'dtp' | 'tp'): number[] {
    const circuit = smallCircuit(model, { name, topStep: 1e-30, noise: 0.1 });
    circuit.step(stimulus(batch, { learnForward: true }));
    return circuit.network.hidden.map((p) => {
      let worst = 0;
      for (let i = 0; i < rows * p.size; i++) worst = Math.max(worst, Math.abs(p.target[i] - p.activity[i]));
      return worst;
    });
  }

  it('cancels the decoders’ reconstruction error in DTP: ĥ_L = h_L gives ĥ_l = h_l at every layer', () => {
    for (const offset of targetOffsets('dtp')) expect(offset).toBeLessThan(1e-6);
  });

  it('is what TP lacks: with untrained decoders TP’s targets sit a reconstruction error away', () => {
    const offsets = targetOffsets('tp');
    expect(offsets[offsets.length - 1]).toBe(0);
    for (const offset of offsets.slice(0, -1)) expect(offset).toBeGreaterThan(0.05);
  });
});

describe('decoders', () => {
  it('learn: the reconstruction loss ‖g(f(h+ε)) − (h+ε)‖² falls while they train on probes', () => {
    const circuit = smallCircuit(smallModel([8, 12, 12, 12, 3], 'tanh'), { name: 'dtp', topStep: 0.1, noise: 0.3 }, {
      feedback: { name: 'rmsprop', lr: 0.003 },
    });
    const errors: number[] = [];
    circuit.reconstruction$.subscribe(({ error }) => errors.push(error));
    for (let step = 0; step < 300; step++) {
      circuit.step(stimulus(randomBatch(16, 8, 3, step), { probeDecoders: true, noise: 0.3 }));
    }
    const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
    const pathways = 2;
    expect(mean(errors.slice(-30 * pathways))).toBeLessThan(0.5 * mean(errors.slice(0, 5 * pathways)));
  });
});

describe('locality', () => {
  /** Every ArrayBuffer reachable from `value` through object properties. */
  function reachableBuffers(value: unknown, seen = new Set<unknown>(), found = new Set<ArrayBufferLike>()): Set<ArrayBufferLike> {
    if (value === null || typeof value !== 'object' || seen.has(value)) return found;
    seen.add(value);
    if (ArrayBuffer.isView(value)) {
      found.add(value.buffer);
      return found;
    }
    for (const key of Object.keys(value)) reachableBuffers((value as Record<string, unknown>)[key], seen, found);
    return found;
  }

  it.each(ruleNames.map(exampleRuleSpec))('rule $name reaches forward weights only if it declares weight (or sign) transport', (spec) => {
    const circuit = smallCircuit(smallModel([6, 5, 5, 5, 3], 'tanh'), spec);
    const { rule, network } = circuit;
    const weights = new Set(network.populations.map((p) => p.projection.weights.buffer));
    const reached = new Set<ArrayBufferLike>();
    for (const method of ['fromReadout', 'top', 'receive', 'descend'] as const) {
      const original = rule[method] as ((...args: unknown[]) => void) | undefined;
      if (!original) continue;
      (rule as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
        for (const buffer of reachableBuffers(args)) reached.add(buffer);
        return original.apply(rule, args);
      };
    }
    circuit.step(stimulus(randomBatch(rows, 6, 3), { learnForward: true }));
    expect(reached.size).toBeGreaterThan(0);
    const touchesWeights = [...reached].some((buffer) => weights.has(buffer));
    expect(touchesWeights).toBe(rule.uses.weightTransport || (rule.uses.signTransport ?? false));
  });
});
