/**
 * Spiking DTP's targets go through the same rule seam as the rate rules, so the rate lesion
 * (experiment/lesion.ts) acts on its decoder pathways unchanged: silencing g_2 leaves population 1
 * without a target (ĥ_1 = h_1), no apical drive, no rate change, so W_1 and b_1 stop learning while
 * everything above goes on — as in the rate lesion test (test/lesion.test.ts).
 */
import * as path from 'path';
import { FeedbackLesion } from '../src/experiment/lesion';
import { loadNeuronModel } from '../src/experiment/spiking';
import { nextInt, nextUniform, streamState } from '../src/kernels/random';
import { SpikingNetwork } from '../src/network/spiking-network';
import { SpikingDtp } from '../src/rules/spiking-dtp';
import { StateRegistry } from '../src/state/registry';

const lif = loadNeuronModel(path.join(__dirname, '..', 'models', 'neurons', 'lif-apical.json'));
const input = 20;
const rows = 10;

function build(): SpikingDtp {
  const network = new SpikingNetwork({ input, layers: [30, 30], batch: rows, dt: 1e-3, neuron: lif, encoder: null, inputRate: 100, maxRate: 200, seed: 5 });
  const adam = { name: 'adam' as const, lr: 3e-3 };
  return new SpikingDtp(network, {
    topStep: 0.5, apicalGain: 3, settleSteps: 5, countSteps: 30, targetPhases: 'joint', lrDecay: 1,
    forward: adam, feedback: adam, readout: adam, initScale: 1.5, initBias: 0.8, seed: 5, classes: 3,
  });
}

/** Every learned array after 6 minibatches of trials (with g2 silenced from the start, or not). */
function train(silenceG2: boolean): { before: Record<string, Float32Array>; after: Record<string, Float32Array> } {
  const dtp = build();
  if (silenceG2) {
    const lesion = new FeedbackLesion({ pathway: 'g2', mode: 'silence' }, { feedback: dtp.feedback, state: new StateRegistry(5) }, { name: 'sgd', lr: 0 }, { name: 'orthogonal' }, 5);
    dtp.rule = lesion.wrap(dtp.rule);
    lesion.start();
  }
  const snapshot = () => Object.fromEntries(dtp.optimizers.map((o) => [o.name, Float32Array.from(o.param)]));
  const before = snapshot();
  const rng = streamState(6, 'test/spiking-lesion');
  const x = new Float32Array(rows * input);
  const labels = new Int32Array(rows);
  for (let step = 0; step < 6; step++) {
    for (let i = 0; i < x.length; i++) x[i] = nextUniform(rng);
    for (let r = 0; r < rows; r++) labels[r] = nextInt(rng, 3);
    dtp.trials(x, labels, rows);
  }
  return { before, after: snapshot() };
}

describe('a silenced spiking feedback pathway', () => {
  const intact = train(false);
  const lesioned = train(true);

  it('stops learning below it, exactly', () => {
    expect(lesioned.after.W1).toEqual(lesioned.before.W1);
    expect(lesioned.after.b1).toEqual(lesioned.before.b1);
  });

  it('leaves learning above it, and the intact network learns at every layer', () => {
    for (const name of ['W2', 'b2', 'readout/W', 'g2/V']) expect(lesioned.after[name]).not.toEqual(lesioned.before[name]);
    for (const name of ['W1', 'b1', 'W2', 'readout/W', 'g2/V']) expect(intact.after[name]).not.toEqual(intact.before[name]);
  });
});
