/** Back-propagation through the circuit against central finite differences of the loss. */
import { expectFiniteDifferenceGradients, meanLoss, randomBatch, smallCircuit, smallModel, stimulus } from './helpers';

describe('back-propagation', () => {
  it.each(['tanh', 'sigmoid', 'linear'])('gives the finite-difference gradient of every weight and bias (%s units)', (units) => {
    const circuit = smallCircuit(smallModel([6, 5, 4, 3], units), { name: 'bp' });
    const batch = randomBatch(8, 6, 3);
    // lr = 0: the learning phase computes gradients and leaves the weights as they are.
    circuit.step(stimulus(batch, { learnForward: true }));
    expect(expectFiniteDifferenceGradients(circuit, () => meanLoss(circuit, batch))).toBeGreaterThan(0);
  });
});
