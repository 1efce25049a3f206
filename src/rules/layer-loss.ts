/**
 * The layer-local loss of target propagation (Lee et al. 2015, eq. 11):
 *   L_l = mean over the batch of ‖h_l − ĥ_l‖²,  Δ_l = ∂L_l/∂a_l = (2/m)·(h_l − ĥ_l) ∘ f'(a_l),
 * which updates only population l's incoming weights. The target lives in the space of h_l, before
 * any output transform, so only the unit's own derivative enters.
 */
import { kernels } from '../kernels';
import { LocalView } from './rule';

export function layerLossDelta(at: LocalView, rows: number): void {
  const length = rows * at.size;
  kernels().axpby(length, 2 / rows, at.activity, -2 / rows, at.target, at.delta);
  at.throughUnit(length, at.delta, at.delta);
}
