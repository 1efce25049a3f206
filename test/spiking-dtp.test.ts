/** A spiking network learns MNIST digits from top-down currents (src/rules/spiking-dtp.ts). */
import * as path from 'path';
import { loadMnist, subset } from '../src/data/mnist';
import { loadNeuronModel } from '../src/experiment/spiking';
import { SpikingNetwork } from '../src/network/spiking-network';
import { SpikingDtp } from '../src/rules/spiking-dtp';
import { spikingError } from '../src/session/spiking-dtp-trial';

const model = (name: string) => loadNeuronModel(path.join(__dirname, '..', 'models', 'neurons', `${name}.json`));

function build(seed: number, forwardLr: number, batch: number, encoder: string | null): SpikingDtp {
  const network = new SpikingNetwork({
    input: 784, layers: [100, 100], batch, dt: 1e-3, neuron: model('lif-apical'), encoder: encoder ? model(encoder) : null, inputRate: 100, maxRate: 200, seed,
  });
  const adam = (lr: number) => ({ name: 'adam' as const, lr });
  return new SpikingDtp(network, {
    topStep: 2, apicalGain: 3, settleSteps: 5, countSteps: 30, targetPhases: 'joint', lrDecay: 1,
    forward: adam(forwardLr), feedback: adam(1e-3), readout: adam(3e-3), initScale: 1.5, initBias: 0.8, seed, classes: 10,
  });
}

/** Test error on 300 test digits before and after 3 epochs on 400 training digits. */
function trainAndTest(forwardLr: number): { before: number; after: number } {
  const data = loadMnist({ validation: 0, trainLimit: 400 });
  const test = subset(data.test, 300);
  const rule = build(1, forwardLr, 10, null);
  const before = spikingError(rule, test);
  for (let epoch = 0; epoch < 3; epoch++) {
    for (let i = 0; i < data.train.count; i += 10) rule.trials(data.train.images.subarray(i * 784, (i + 10) * 784), data.train.labels.subarray(i, i + 10), 10);
  }
  return { before, after: spikingError(rule, test) };
}

test('two-phase trials with top-down currents: the hidden layers learn, error falls far below chance', () => {
  const learning = trainAndTest(2e-3);
  // Control: the same trials with the hidden layers' learning rate ~0, only the read-out learns.
  const readoutOnly = trainAndTest(1e-9);
  expect(learning.before).toBeGreaterThan(0.7);
  expect(learning.after).toBeLessThan(0.3);
  expect(readoutOnly.after - learning.after).toBeGreaterThan(0.15);
});

test.each([['input currents', null], ['regular encoder', 'regular']])('a batch of trials gives each trial the rates it has alone (%s)', (_, encoder) => {
  const data = loadMnist({ validation: 0, trainLimit: 3 });
  const labels = data.train.labels.subarray(0, 3);
  const batched = build(2, 1e-3, 3, encoder).trials(data.train.images.subarray(0, 3 * 784), labels, 3, false);
  const single = build(2, 1e-3, 1, encoder);
  for (let r = 0; r < 3; r++) {
    const alone = single.trials(data.train.images.subarray(r * 784, (r + 1) * 784), labels.subarray(r, r + 1), 1, false);
    for (const l of [1, 2]) {
      expect(Array.from(batched.forward[l].subarray(r * 100, (r + 1) * 100))).toEqual(Array.from(alone.forward[l]));
      expect(Array.from(batched.target[l].subarray(r * 100, (r + 1) * 100))).toEqual(Array.from(alone.target[l]));
      // The apical current moves some rates (the test would pass vacuously if both phases were silent).
      if (r === 0 && l === 2) expect(alone.target[l].some((v, j) => v !== alone.forward[l][j])).toBe(true);
    }
  }
});
