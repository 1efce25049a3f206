/**
 * The softmax read-out: y_j = e^(a_j) / Σ_k e^(a_k), trained by cross-entropy against the label,
 * L = −log y_label, whose gradient at the summed input is y − onehot(label). Its projection passes
 * the summed input through unchanged (identity); the kernels' softmaxCrossEntropy normalises rows.
 */
import { readoutUnit } from './readout';

export const softmax = readoutUnit('softmax', 'y_j = exp(a_j) / sum_k exp(a_k)');
