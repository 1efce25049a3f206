/**
 * The linear read-out of a regression: y_j = a_j, trained by the squared error against real-valued
 * targets, L = Σ_j (y_j − t_j)², whose gradient at the summed input is 2(y − t) (the adding problem's
 * read-out in Pascanu et al. 2013 and Manchev & Spratling 2020: "lastLinear" with MSE).
 */
import { Activation } from '../kernels';
import { Unit } from './unit';

export const linearReadout: Unit = {
  name: 'linear-readout',
  equation: 'y_j = a_j',
  activation: Activation.Identity,
  readout: true,
  loss: 'squared-error',
  random: false,
  derivative: 'true',
  step(_k, length, a, y) {
    if (y !== a) y.set(a.subarray(0, length));
  },
  derive(_k, length, _a, _y, g, d) {
    if (d !== g) d.set(g.subarray(0, length));
  },
};
