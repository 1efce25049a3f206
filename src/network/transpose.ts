/**
 * The feedback pathway of back-propagation: the transpose of the forward weights, δ_{l−1}-to-be
 * = Δ_l · W_lᵀ. Reading W_l from the feedback side is *weight transport* (Grossberg 1987;
 * Lillicrap et al. 2016): the one non-local wiring in apical, and rules that use it declare it.
 */
import { kernels } from '../kernels';
import { ErrorPathway } from './pathway';
import { Projection } from './projection';

export class TransposePathway implements ErrorPathway {
  readonly kind = 'transpose' as const;

  constructor(
    /** The forward projection f_l whose weights this pathway reads. */
    private readonly forward: Projection,
  ) {}

  /** out ← Δ·W_lᵀ: the gradient at h_{l−1} from the pre-activation error Δ at population l. */
  send(rows: number, delta: Float32Array, out: Float32Array): void {
    const { inSize, outSize } = this.forward;
    kernels().gemm(false, true, rows, inSize, outSize, 1, delta, this.forward.weights, 0, out);
  }
}
