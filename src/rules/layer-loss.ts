/**
 * The layer-local loss of target propagation (Lee et al. 2015, eq. 11):
 *   L_l = mean over the batch of ‖h_l − ĥ_l‖²,  Δ_l = ∂L_l/∂a_l = (2/m)·(h_l − ĥ_l) ∘ f'(a_l),
 * which updates only population l's incoming weights.
 */
import { kernels } from '../kernels';
import { LocalView } from './rule';

export function layerLossDelta(at: LocalView, rows: number): void {
  kernels().deltaFromTarget(at.activation, rows * at.size, 2 / rows, at.activity, at.target, at.delta);
}
