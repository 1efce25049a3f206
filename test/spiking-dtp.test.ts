/** A spiking network learns MNIST digits from top-down currents (src/rules/spiking-dtp.ts), through the circuit. */
import * as path from 'path';
import { loadMnist, subset } from '../src/data/mnist';
import { evaluate } from '../src/engine/evaluation';
import { loadNeuronModel } from '../src/experiment/spiking';
import { SpikingPhases } from '../src/network/spiking-phases';
import { spikingDtpCircuit, spikingTrials } from './helpers';

const model = (name: string) => loadNeuronModel(path.join(__dirname, '..', 'models', 'neurons', `${name}.json`));
const adam = (lr: number) => ({ name: 'adam' as const, lr });

function build(seed: number, forwardLr: number, batch: number, encoder: string | null) {
  return spikingDtpCircuit((e) => ({
    ...e,
    settle: '5 ms',
    count: '30 ms',
    network: { ...e.network, layers: [100, 100], encoder: encoder ? model(encoder) : null },
    rule: { ...e.rule, topStep: 2, apicalGain: 3, targetPhases: 'joint', lrDecay: 1 },
    optimizer: { forward: adam(forwardLr), feedback: adam(1e-3), readout: adam(3e-3) },
    training: { ...e.training, seed, batchSize: batch },
  }));
}

/** Test error on 300 test digits before and after 3 epochs on 400 training digits. */
function trainAndTest(forwardLr: number): { before: number; after: number } {
  const data = loadMnist({ validation: 0, trainLimit: 400 });
  const test = subset(data.test, 300);
  const circuit = build(1, forwardLr, 10, null);
  const before = evaluate(circuit, test, 10).error;
  for (let epoch = 0; epoch < 3; epoch++) {
    for (let i = 0; i < data.train.count; i += 10) spikingTrials(circuit, data.train.images.subarray(i * 784, (i + 10) * 784), data.train.labels.subarray(i, i + 10), 10);
  }
  return { before, after: evaluate(circuit, test, 10).error };
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
  const batched = build(2, 1e-3, 3, encoder);
  spikingTrials(batched, data.train.images.subarray(0, 3 * 784), labels, 3, false);
  const single = build(2, 1e-3, 1, encoder);
  const phases = (c: typeof single) => c.network.clocks[0] as SpikingPhases;
  for (let r = 0; r < 3; r++) {
    spikingTrials(single, data.train.images.subarray(r * 784, (r + 1) * 784), labels.subarray(r, r + 1), 1, false);
    for (const l of [1, 2]) {
      const forward = single.network.hidden[l - 1].activity;
      const target = phases(single).targetPhaseRates(l);
      expect(Array.from(batched.network.hidden[l - 1].activity.subarray(r * 100, (r + 1) * 100))).toEqual(Array.from(forward));
      expect(Array.from(phases(batched).targetPhaseRates(l).subarray(r * 100, (r + 1) * 100))).toEqual(Array.from(target));
      // The apical current moves some rates (the test would pass vacuously if both phases were silent).
      if (r === 0 && l === 2) expect(target.some((v, j) => v !== forward[j])).toBe(true);
    }
  }
});
