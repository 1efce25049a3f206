/**
 * The softmax read-out: y_j = e^(a_j) / Σ_k e^(a_k), trained by cross-entropy against the label,
 * L = −log y_label, whose gradient at the summed input is y − onehot(label).
 */
import { Activation } from '../kernels';
import { Unit } from './unit';

export const softmax: Unit = {
  name: 'softmax',
  equation: 'y_j = exp(a_j) / sum_k exp(a_k)',
  activation: Activation.Identity,
  readout: true,
};
