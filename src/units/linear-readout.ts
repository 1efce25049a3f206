/**
 * The linear read-out of a regression: y_j = a_j, trained by the squared error against real-valued
 * targets, L = Σ_j (y_j − t_j)², whose gradient at the summed input is 2(y − t) (the adding problem's
 * read-out in Pascanu et al. 2013 and Manchev & Spratling 2020: "lastLinear" with MSE).
 */
import { readoutUnit } from './readout';

export const linearReadout = readoutUnit('linear-readout', 'y_j = a_j', 'squared-error');
