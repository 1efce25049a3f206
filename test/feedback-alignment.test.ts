/** Feedback alignment and its relatives against back-propagation, which each becomes when B = W. */
import { Circuit } from '../src/engine/circuit';
import { FixedFeedbackPathway } from '../src/network/fixed-feedback';
import { MirrorFeedbackPathway } from '../src/network/mirror-feedback';
import { SignFeedbackPathway } from '../src/network/sign-feedback';
import { OptimizerSpec } from '../src/optim/optimizer';
import { RuleSpec } from '../src/rules';
import { randomBatch, smallCircuit, smallModel, stimulus } from './helpers';

const model = smallModel([7, 6, 5, 4, 3], 'tanh');

function gradients(circuit: Circuit): Float32Array[] {
  return circuit.network.populations.flatMap((p) => [Float32Array.from(p.projection.weightGrad), Float32Array.from(p.projection.biasGrad)]);
}

function weights(circuit: Circuit): Float32Array[] {
  return circuit.network.populations.map((p) => Float32Array.from(p.projection.weights));
}

/** Every feedback matrix B_l of `circuit` set to its population's forward weights W_l. */
function mirrorForwardWeights(circuit: Circuit): void {
  const { network } = circuit;
  network.feedback.forEach((pathway, l) => {
    if (pathway instanceof FixedFeedbackPathway || pathway instanceof MirrorFeedbackPathway) pathway.matrix.set(network.populations[l - 1].projection.weights);
  });
  const top = network.readoutFeedback;
  if (top instanceof FixedFeedbackPathway || top instanceof MirrorFeedbackPathway) top.matrix.set(network.readout.projection.weights);
}

function bpAndRule(spec: RuleSpec, optimizer: OptimizerSpec = { name: 'sgd', lr: 0 }, sizes = model): [Circuit, Circuit] {
  return [smallCircuit(sizes, { name: 'bp' }, { forward: optimizer }), smallCircuit(sizes, spec, { forward: optimizer })];
}

describe('feedback alignment', () => {
  it('with B = W gives exactly back-propagation’s updates', () => {
    const [bp, fa] = bpAndRule({ name: 'fa' });
    mirrorForwardWeights(fa);
    const batch = randomBatch(9, 7, 3);
    bp.step(stimulus(batch, { learnForward: true }));
    fa.step(stimulus(batch, { learnForward: true }));
    expect(gradients(fa)).toEqual(gradients(bp));
  });

  it('with its own random B differs from back-propagation, and B never changes', () => {
    const [bp, fa] = bpAndRule({ name: 'fa' }, { name: 'sgd', lr: 0.1 });
    const before = Float32Array.from((fa.network.feedback[2] as FixedFeedbackPathway<'random'>).matrix);
    const batch = randomBatch(9, 7, 3);
    bp.step(stimulus(batch, { learnForward: true }));
    fa.step(stimulus(batch, { learnForward: true }));
    expect(gradients(fa)[0]).not.toEqual(gradients(bp)[0]);
    expect((fa.network.feedback[2] as FixedFeedbackPathway<'random'>).matrix).toEqual(before);
  });
});

describe('direct feedback alignment', () => {
  it('with one hidden layer and B = W_out equals back-propagation', () => {
    const oneHidden = smallModel([7, 6, 3], 'tanh');
    const [bp, dfa] = bpAndRule({ name: 'dfa' }, { name: 'sgd', lr: 0 }, oneHidden);
    (dfa.network.readoutFeedback as FixedFeedbackPathway<'direct'>).matrix.set(dfa.network.readout.projection.weights);
    const batch = randomBatch(9, 7, 3);
    bp.step(stimulus(batch, { learnForward: true }));
    dfa.step(stimulus(batch, { learnForward: true }));
    expect(gradients(dfa)).toEqual(gradients(bp));
  });

  it('sends the read-out’s error to every hidden population: Δ_l = (e·B_lᵀ) ∘ f′(a_l)', () => {
    const dfa = smallCircuit(model, { name: 'dfa' });
    const batch = randomBatch(4, 7, 3);
    dfa.step(stimulus(batch, { learnForward: true }));
    const { network } = dfa;
    const e = network.readout.delta;
    network.hidden.forEach((p) => {
      const pathway = (p.index === network.hidden.length ? network.readoutFeedback : network.feedback[p.index + 1]) as FixedFeedbackPathway<'direct'>;
      for (let r = 0; r < 4; r++) {
        for (let j = 0; j < p.size; j++) {
          let g = 0;
          for (let c = 0; c < 3; c++) g += e[r * 3 + c] * pathway.matrix[j * 3 + c];
          const y = p.activity[r * p.size + j];
          expect(p.delta[r * p.size + j]).toBeCloseTo(g * (1 - y * y), 6);
        }
      }
    });
  });
});

describe('sign symmetry', () => {
  it.each([false, true])('sends through a B with W’s signs (random magnitudes: %s), magnitudes fixed, as W changes', (random) => {
    const circuit = smallCircuit(model, { name: random ? 'sign-symmetry-random' : 'sign-symmetry' }, { forward: { name: 'sgd', lr: 0.5 } });
    const pathway = circuit.network.feedback[3] as SignFeedbackPathway<'sign' | 'sign-random'>;
    const magnitudes = Float32Array.from(pathway.matrix, Math.abs);
    for (let step = 0; step < 5; step++) {
      circuit.step(stimulus(randomBatch(9, 7, 3, step), { learnForward: true }));
      pathway.refresh();
      const w = circuit.network.populations[2].projection.weights;
      for (let i = 0; i < w.length; i++) expect(Math.sign(pathway.matrix[i])).toBe(Math.sign(w[i]));
      expect(Float32Array.from(pathway.matrix, Math.abs)).toEqual(magnitudes);
      if (!random) expect(magnitudes.every((m) => m === 1)).toBe(true);
    }
  });
});

describe('Kolen-Pollack', () => {
  const sgd: OptimizerSpec = { name: 'sgd', lr: 0.2, weightDecay: 0.05 };

  it('started from B = W stays equal to back-propagation, step after step', () => {
    const [bp, kp] = bpAndRule({ name: 'kp' }, sgd);
    mirrorForwardWeights(kp);
    for (let step = 0; step < 6; step++) {
      const batch = randomBatch(9, 7, 3, step);
      bp.step(stimulus(batch, { learnForward: true }));
      kp.step(stimulus(batch, { learnForward: true }));
      expect(weights(kp)).toEqual(weights(bp));
    }
  });

  it('from random B: B − W shrinks by exactly (1 − lr·λ) per step, so B converges to W', () => {
    const kp = smallCircuit(model, { name: 'kp' }, { forward: sgd });
    const gap = (): number => {
      const pathway = kp.network.feedback[3] as MirrorFeedbackPathway;
      const w = kp.network.populations[2].projection.weights;
      return Math.sqrt(pathway.matrix.reduce((s, b, i) => s + (b - w[i]) ** 2, 0));
    };
    const start = gap();
    expect(start).toBeGreaterThan(0.5);
    for (let step = 0; step < 20; step++) kp.step(stimulus(randomBatch(9, 7, 3, step), { learnForward: true }));
    expect(gap() / start).toBeCloseTo((1 - 0.2 * 0.05) ** 20, 4);
  });
});
