/**
 * The difference reconstruction loss (Meulemans et al. 2020, §4, "DRL"): a feedback pathway g that
 * carries differences is trained so that the difference it sends for a perturbation reproduces the
 * perturbation itself,
 *   L = mean over the batch of ‖(g(a) − g(b)) − d‖²,
 * where b is the clean signal g reads, a the signal after a probe displaced the population below by
 * d. Both decodes are one stacked product [a; b]·V, so the gradients are one stacked product too.
 */
import { Activation, kernels } from '../kernels';

/**
 * From `decoded` = [g(a); g(b)] (2·rows × size) and the displacement d (rows × size): writes the
 * pre-activation errors of the stacked rows into `delta` (2·rows × size),
 *   [(2/m)·e ∘ g'(a-rows) ; −(2/m)·e ∘ g'(b-rows)],  e = g(a) − g(b) − d,
 * and returns L.
 */
export function differenceReconstructionDelta(
  activation: Activation,
  rows: number,
  size: number,
  decoded: Float32Array,
  displacement: Float32Array,
  delta: Float32Array,
): number {
  const k = kernels();
  const n = rows * size;
  const e = delta.subarray(0, n);
  const second = delta.subarray(n, 2 * n);
  k.axpby(n, 1, decoded, -1, decoded.subarray(n, 2 * n), e);
  k.axpby(n, 1, e, -1, displacement, e);
  let loss = 0;
  for (let i = 0; i < n; i++) loss += e[i] * e[i];
  k.axpby(n, -2 / rows, e, 0, e, second);
  k.axpby(n, 2 / rows, e, 0, e, e);
  k.deltaFromGrad(activation, n, decoded, e, e);
  k.deltaFromGrad(activation, n, decoded.subarray(n, 2 * n), second, second);
  return loss / rows;
}
