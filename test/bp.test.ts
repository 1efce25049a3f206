/** Back-propagation through the circuit against central finite differences of the loss. */
import { meanLoss, randomBatch, smallCircuit, smallModel, stimulus } from './helpers';

describe('back-propagation', () => {
  it.each(['tanh', 'sigmoid', 'linear'])('gives the finite-difference gradient of every weight and bias (%s units)', (units) => {
    const circuit = smallCircuit(smallModel([6, 5, 4, 3], units), { name: 'bp' });
    const batch = randomBatch(8, 6, 3);
    // lr = 0: the learning phase computes gradients and leaves the weights as they are.
    circuit.step(stimulus(batch, { learnForward: true }));
    for (const population of circuit.network.populations) {
      const { projection } = population;
      for (const [param, grad] of [
        [projection.weights, projection.weightGrad],
        [projection.bias, projection.biasGrad],
      ] as const) {
        for (let i = 0; i < param.length; i++) {
          const saved = param[i];
          const eps = 1e-2;
          param[i] = saved + eps;
          const up = meanLoss(circuit, batch);
          param[i] = saved - eps;
          const down = meanLoss(circuit, batch);
          param[i] = saved;
          const numeric = (up - down) / (2 * eps);
          expect(Math.abs(grad[i] - numeric)).toBeLessThan(5e-4 + 2e-2 * Math.abs(numeric));
        }
      }
    }
  });
});
