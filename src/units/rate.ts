/**
 * Memoryless rate units y = f(a): the continuous populations of Lee et al. (2015) and of the
 * feedback-alignment papers. Derivatives are recovered from the output (see kernels.ts).
 */
import { Activation } from '../kernels';
import { Unit } from './unit';

/** y = tanh(a) ∈ (−1, 1); f'(a) = 1 − y². */
export const tanh: Unit = { name: 'tanh', equation: 'y = tanh(a)', activation: Activation.Tanh, readout: false };

/** y = 1/(1 + e^(−a)) ∈ (0, 1); f'(a) = y(1 − y). */
export const sigmoid: Unit = {
  name: 'sigmoid',
  equation: 'y = 1/(1 + exp(-a))',
  activation: Activation.Sigmoid,
  readout: false,
};

/** y = max(a, 0); f'(a) = [y > 0]. */
export const relu: Unit = { name: 'relu', equation: 'y = max(a, 0)', activation: Activation.Relu, readout: false };

/** y = a. */
export const linear: Unit = { name: 'linear', equation: 'y = a', activation: Activation.Identity, readout: false };
