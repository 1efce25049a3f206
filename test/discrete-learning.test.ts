/**
 * The seed paper's claim at toy size: DTP trains the layer under a sign unit, which back-propagation
 * with the true (zero) derivative cannot. A 20-input, 4-class problem whose classes are linear in
 * the input (label = argmax x·T for a random T) must pass through 6 sign units; with W1 frozen at
 * its random start those 6 bits keep too little of the input, so only learning W1 solves it.
 */
import { lastValueFrom, toArray } from 'rxjs';
import { fillNormal, streamState } from '../src/kernels/random';
import { train } from '../src/engine/trainer';
import { ModelSpec } from '../src/network/spec';
import { RuleSpec } from '../src/rules';
import { smallCircuit } from './helpers';

const [inputs, classes, count] = [20, 4, 600];

function teacherData(seed: number) {
  const rng = streamState(seed, 'test/teacher');
  const teacher = new Float32Array(inputs * classes);
  fillNormal(rng, teacher.length, teacher);
  const images = new Float32Array(count * inputs);
  fillNormal(rng, images.length, images);
  const labels = Int32Array.from({ length: count }, (_, r) => {
    let best = 0;
    let bestScore = -Infinity;
    for (let c = 0; c < classes; c++) {
      let score = 0;
      for (let i = 0; i < inputs; i++) score += images[r * inputs + i] * teacher[i * classes + c];
      if (score > bestScore) [best, bestScore] = [c, score];
    }
    return best;
  });
  return { images, labels, count, features: inputs };
}

const model: ModelSpec = {
  name: 'discrete-toy',
  input: inputs,
  layers: [
    { size: 6, units: 'tanh', send: 'sign' },
    { size: 32, units: 'tanh' },
    { size: classes, units: 'softmax' },
  ],
  init: { name: 'orthogonal' },
  feedback: { units: 'tanh', input: 'sign' },
};

async function trainingErrors(rule: RuleSpec, epochs: number) {
  const circuit = smallCircuit(model, rule, {
    seed: 3,
    maxRows: count,
    forward: { name: 'rmsprop', lr: 0.003 },
    feedback: { name: 'rmsprop', lr: 0.002 },
  });
  const w1 = Float32Array.from(circuit.network.populations[0].projection.weights);
  const plan = { epochs, batchSize: 50, schedule: 'alternating' as const, shuffle: false, evalBatchSize: count, seed: 3 };
  const events = await lastValueFrom(train(circuit, { train: teacherData(9) }, plan).pipe(toArray()));
  const errors = events.flatMap((e) => (e.kind === 'epoch' ? [e.record.train_error] : []));
  const w1Moved = circuit.network.populations[0].projection.weights.some((v, i) => v !== w1[i]);
  return { errors, w1Moved };
}

describe('a discrete network', () => {
  it('DTP trains the layer under the sign and reaches a training error that true-derivative BP cannot', async () => {
    const epochs = 40;
    const dtp = await trainingErrors({ name: 'dtp', topStep: 5, noise: 0.3 }, epochs);
    const bp = await trainingErrors({ name: 'bp' }, epochs);
    expect(bp.w1Moved).toBe(false);
    expect(dtp.w1Moved).toBe(true);
    const final = (e: number[]): number => Math.min(...e.slice(-5));
    expect(final(dtp.errors)).toBeLessThan(0.5 * dtp.errors[0]);
    expect(final(dtp.errors)).toBeLessThan(final(bp.errors) - 0.1);
  });
});
