/**
 * Stochastic evaluation (Lee et al. 2015, §3.3): the M-sample evaluation's output probabilities are
 * the mean of M single-sample evaluations', and its error is the arg-max error of that mean.
 */
import { evaluate, meanProbabilities } from '../src/engine/evaluation';
import { kernels } from '../src/kernels';
import { ModelSpec } from '../src/network/spec';
import { randomBatch, smallCircuit } from './helpers';

const stochasticNet: ModelSpec = {
  name: 'stochastic-toy',
  input: 6,
  layers: [
    { size: 8, units: 'sigmoid', send: 'sample', repeat: 2 },
    { size: 3, units: 'softmax' },
  ],
  init: { name: 'glorot', gain: 3 },
};

describe('M-sample evaluation', () => {
  const rows = 20;
  const samples = 7;
  const batch = randomBatch(rows, 6, 3, 4);
  const circuit = () => smallCircuit(stochasticNet, { name: 'dtp', topStep: 1, noise: 0 }, { seed: 21 });

  it('averages the output probabilities of M single-sample sweeps', () => {
    const mean = new Float32Array(rows * 3);
    meanProbabilities(circuit(), rows, batch.input, batch.labels, samples, mean);

    const single = circuit();
    const singles: Float32Array[] = [];
    for (let s = 0; s < samples; s++) {
      const p = new Float32Array(rows * 3);
      meanProbabilities(single, rows, batch.input, batch.labels, 1, p);
      singles.push(p);
    }
    // The sweeps really differ (the samples are fresh each time)…
    expect(singles.some((p) => p.some((v, i) => v !== singles[0][i]))).toBe(true);
    // …and their mean is the M-sample output.
    mean.forEach((v, i) => expect(v).toBeCloseTo(singles.reduce((sum, p) => sum + p[i], 0) / samples, 6));

    const examples = { images: batch.input, labels: batch.labels, count: rows, features: 6 };
    const { error, loss } = evaluate(circuit(), examples, rows, samples);
    expect(error).toBe(kernels().countErrors(rows, 3, mean, batch.labels) / rows);
    const expectedLoss = Array.from(batch.labels).reduce((sum, label, r) => sum - Math.log(mean[r * 3 + label]), 0) / rows;
    expect(loss).toBeCloseTo(expectedLoss, 5);
  });
});
