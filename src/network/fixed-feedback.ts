/**
 * Fixed random feedback: a matrix B drawn once from the pathway's own seeded stream ("B3/init")
 * and never changed, carrying an error signal down in place of a forward matrix's transpose,
 *   out = Δ·Bᵀ.
 * B is stored like the forward weights it stands in for (inSize × outSize, input-major), so the
 * angle between B and W is taken elementwise.
 *  - 'random' (feedback alignment, Lillicrap et al. 2016): B_l has W_l's shape; Δ is the
 *    pre-activation error of the population above.
 *  - 'random-through-time' (feedback alignment through time): B in the recurrent weights U's shape,
 *    carrying step t's error to step t − 1 (out = Δ_t·Bᵀ).
 *  - 'direct' (direct feedback alignment, Nøkland 2016): B_l maps the read-out's error straight to
 *    population l (shape size_l × classes); Δ is the read-out's error at every layer.
 */
import { kernels } from '../kernels';
import { RngState } from '../kernels/random';
import { initialise, InitSpec } from './init';
import { ErrorPathway } from './pathway';
import { Projection } from './projection';

export class FixedFeedbackPathway<K extends 'random' | 'direct' | 'random-through-time'> implements ErrorPathway {
  /** B: belowSize × sourceSize, the layout of a forward matrix from below to the source. */
  readonly matrix: Float32Array;
  readonly sendMatrix: { readonly b: Float32Array; readonly transB: true };

  constructor(
    readonly kind: K,
    /** "B3": the name of the matrix and of its stream. */
    readonly name: string,
    /** Units of the population the signal arrives at. */
    readonly belowSize: number,
    /** Units of the error the signal is made of. */
    readonly sourceSize: number,
    init: InitSpec,
    rng: RngState,
  ) {
    this.matrix = new Float32Array(belowSize * sourceSize);
    initialise(init, belowSize, sourceSize, rng, this.matrix);
    this.sendMatrix = { b: this.matrix, transB: true };
  }

  /** B, when it stands in for `forward` (a direct pathway does only at the read-out, where its source is the read-out's error). */
  feedbackMatrix(forward: Projection): Float32Array | null {
    return this.sourceSize === forward.outSize ? this.matrix : null;
  }

  /** out ← Δ·Bᵀ for an error Δ of `rows` × sourceSize. */
  send(rows: number, delta: Float32Array, out: Float32Array): void {
    kernels().gemm(false, true, rows, this.belowSize, this.sourceSize, 1, delta, this.matrix, 0, out);
  }
}
