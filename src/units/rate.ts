/**
 * Memoryless rate units y = f(a): the continuous populations of Lee et al. (2015) and of the
 * feedback-alignment papers. Derivatives are recovered from the output (see kernels.ts).
 */
import { Activation } from '../kernels';
import { rateUnit } from './unit';

/** y = tanh(a) ∈ (−1, 1); f'(a) = 1 − y². */
export const tanh = rateUnit('tanh', 'y = tanh(a)', Activation.Tanh);

/** y = 1/(1 + e^(−a)) ∈ (0, 1); f'(a) = y(1 − y). */
export const sigmoid = rateUnit('sigmoid', 'y = 1/(1 + exp(-a))', Activation.Sigmoid);

/** y = max(a, 0); f'(a) = [y > 0]. */
export const relu = rateUnit('relu', 'y = max(a, 0)', Activation.Relu);

/** y = a. */
export const linear = rateUnit('linear', 'y = a', Activation.Identity);
