/**
 * The softmax read-out: y_j = e^(a_j) / Σ_k e^(a_k), trained by cross-entropy against the label,
 * L = −log y_label, whose gradient at the summed input is y − onehot(label). Its projection passes
 * the summed input through unchanged (identity); the kernels' softmaxCrossEntropy normalises rows.
 */
import { Activation } from '../kernels';
import { Unit } from './unit';

export const softmax: Unit = {
  name: 'softmax',
  equation: 'y_j = exp(a_j) / sum_k exp(a_k)',
  activation: Activation.Identity,
  readout: true,
  random: false,
  derivative: 'true',
  step(_k, length, a, y) {
    // Rows are not known here: the read-out's step is the identity; normalisation happens with the loss.
    if (y !== a) y.set(a.subarray(0, length));
  },
  // The read-out's delta comes from the loss directly (y − onehot), never through this.
  derive(_k, length, _a, _y, g, d) {
    if (d !== g) d.set(g.subarray(0, length));
  },
};
