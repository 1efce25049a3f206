/** A spiking network learns MNIST digits from top-down currents (src/rules/spiking-dtp.ts). */
import * as path from 'path';
import { loadMnist, subset } from '../src/data/mnist';
import { loadNeuronModel } from '../src/experiment/spiking';
import { SpikingNetwork } from '../src/network/spiking-network';
import { SpikingDtp } from '../src/rules/spiking-dtp';
import { spikingError } from '../src/cli/run-spiking-dtp';

const model = (name: string) => loadNeuronModel(path.join(__dirname, '..', 'models', 'neurons', `${name}.json`));

function build(seed: number, forwardLr: number): SpikingDtp {
  const network = new SpikingNetwork({ input: 784, layers: [100, 100], dt: 1e-3, neuron: model('lif-apical'), encoder: model('regular'), inputRate: 100, maxRate: 200, seed });
  const adam = (lr: number) => ({ name: 'adam' as const, lr });
  return new SpikingDtp(network, {
    topStep: 2, apicalGain: 3, batchSize: 10, settleSteps: 5, countSteps: 30,
    forward: adam(forwardLr), feedback: adam(1e-3), readout: adam(3e-3), initScale: 1.5, initBias: 0.8, seed,
  });
}

/** Test error on 300 test digits before and after 3 epochs on 400 training digits. */
function trainAndTest(forwardLr: number): { before: number; after: number } {
  const data = loadMnist({ validation: 0, trainLimit: 400 });
  const test = subset(data.test, 300);
  const rule = build(1, forwardLr);
  const before = spikingError(rule, test);
  const x = new Float32Array(784);
  for (let epoch = 0; epoch < 3; epoch++) {
    for (let i = 0; i < data.train.count; i++) {
      x.set(data.train.images.subarray(i * 784, (i + 1) * 784));
      rule.trial(x, data.train.labels[i]);
    }
  }
  rule.learn();
  return { before, after: spikingError(rule, test) };
}

test('two-phase trials with top-down currents: the hidden layers learn, error falls far below chance', () => {
  const learning = trainAndTest(2e-3);
  // Control: the same trials with the hidden layers' learning rate ~0, only the read-out learns.
  const readoutOnly = trainAndTest(1e-9);
  expect(learning.before).toBeGreaterThan(0.7);
  expect(learning.after).toBeLessThan(0.45);
  expect(readoutOnly.after - learning.after).toBeGreaterThan(0.15);
});
