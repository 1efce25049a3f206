/**
 * The seed's layer-wise auto-encoder objective (dtp `autoEncoder` λ; Bengio 2014): each decoder's
 * probe also trains the encoder below it on the reconstruction loss L = mean ‖g_l(f_l(h̃)) − h̃‖².
 * Checked against finite differences of L itself, and by what it promises: the reconstructions
 * get better than with the decoders learning alone.
 */
import { Circuit } from '../src/engine/circuit';
import { ModelSpec } from '../src/network/spec';
import { RuleSpec } from '../src/rules';
import { ConfigError, loadExperiment } from '../src/experiment/experiment';
import { randomBatch, smallCircuit, stimulus, withRules } from './helpers';

/** 6-5-4-(3): tanh populations whose decoders read h itself, so that L is differentiable in W_2. */
const net: ModelSpec = {
  name: 'ae-net',
  input: 6,
  layers: [{ size: 5, units: 'tanh' }, { size: 4, units: 'tanh' }, { size: 3, units: 'softmax' }],
  init: { name: 'orthogonal' },
  feedback: { units: 'tanh' },
};
const batch = randomBatch(8, 6, 3, 5);

/** One probing step (no noise, so that L is a function of the weights); returns g_l's reconstruction errors. */
function probe(circuit: Circuit, noise = 0): Map<string, number> {
  const errors = new Map<string, number>();
  const sub = circuit.reconstruction$.subscribe(({ pathway, error }) => errors.set(pathway, error));
  circuit.step(stimulus(batch, { probeDecoders: true, noise }));
  sub.unsubscribe();
  return errors;
}

describe('the auto-encoder objective on the encoder (dtp autoEncoder)', () => {
  const rule: RuleSpec = { name: 'dtp', topStep: 1, noise: 0, autoEncoder: 1 };

  it('trains W_2 along −∂L/∂W_2 of g_2’s reconstruction loss (finite differences)', () => {
    const circuit = smallCircuit(net, rule);
    probe(circuit);
    const w2 = circuit.network.hidden[1].projection;
    const analytic = Array.from(w2.weightGrad);
    const bias = Array.from(w2.biasGrad);
    const eps = 1e-2;
    const lossAt = (param: Float32Array, i: number, shift: number): number => {
      const kept = param[i];
      param[i] = kept + shift;
      const loss = probe(circuit).get('g2')!;
      param[i] = kept;
      return loss;
    };
    for (const [param, grads] of [[w2.weights, analytic], [w2.bias, bias]] as const) {
      for (let i = 0; i < param.length; i += 3) {
        const numeric = (lossAt(param, i, eps) - lossAt(param, i, -eps)) / (2 * eps);
        expect(Math.abs(numeric - grads[i])).toBeLessThan(2e-3 + 2e-2 * Math.abs(numeric));
      }
    }
    expect(Math.max(...analytic.map(Math.abs))).toBeGreaterThan(1e-3);
  });

  it('scales with λ, and leaves the encoder untouched at λ = 0', () => {
    const grad = (autoEncoder: number) => {
      const circuit = smallCircuit(net, { ...rule, autoEncoder });
      const w2 = circuit.network.hidden[1].projection;
      w2.weightGrad.fill(0);
      probe(circuit);
      return Array.from(w2.weightGrad);
    };
    const one = grad(1);
    grad(0.25).forEach((v, i) => expect(v).toBeCloseTo(0.25 * one[i], 6));
    expect(grad(0).every((v) => v === 0)).toBe(true);
  });

  it('reconstructs better than the decoders learning alone, probed with noise', () => {
    const sgd = { name: 'sgd', lr: 0.05 } as const;
    const train = (autoEncoder: number) => {
      const circuit = smallCircuit(net, { ...rule, noise: 0.1, autoEncoder }, { forward: sgd, feedback: sgd });
      let last = new Map<string, number>();
      for (let step = 0; step < 300; step++) last = probe(circuit, 0.1);
      return last;
    };
    const alone = train(0);
    const both = train(1);
    // g_2 reconstructs h_1 (the decoder of the only pair of hidden populations): 0.131 against 0.156.
    expect(both.get('g2')!).toBeLessThan(0.9 * alone.get('g2')!);
  });

  it('refuses a population whose unit is not a rate unit, naming it', () => {
    const bernoulli: ModelSpec = { ...net, layers: [{ size: 5, units: 'tanh' }, { size: 4, units: { name: 'bernoulli', derivative: 'identity' } }, { size: 3, units: 'softmax' }] };
    expect(() => smallCircuit(bernoulli, rule)).toThrow('population h2 needs a rate unit, got bernoulli');
  });
});

describe('experiment files', () => {
  const file = withRules('experiments/mnist-sign-depth4.json', 'apical-ae-');

  it('takes autoEncoder for dtp and refuses it for drl, which replaces the one-layer probes', () => {
    expect(loadExperiment(file({ name: 'dtp', topStep: 1, noise: 0.1, autoEncoder: 0.5 })).rule).toMatchObject({ autoEncoder: 0.5 });
    const f = file({ name: 'drl', topStep: 1, noise: 0.1, autoEncoder: 0.5 });
    expect(() => loadExperiment(f)).toThrow(ConfigError);
    expect(() => loadExperiment(f)).toThrow(`${f}: /rule has an unknown field "autoEncoder"`);
  });
});
