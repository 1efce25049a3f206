/**
 * Sign-symmetric feedback (Liao, Leibo & Poggio 2016; Xiao et al. 2018): the pathway knows only the
 * *signs* of the forward weights,
 *   'sign'         (uSF)  B = sign(W)
 *   'sign-random'  (frSF) B = |R| ∘ sign(W), R drawn once from the pathway's own stream,
 * and sends out = Δ·Bᵀ. Reading the signs is a weak form of weight transport, declared by the rules
 * that use it. B is refreshed from W at every send, as W changes.
 */
import { kernels } from '../kernels';
import { RngState } from '../kernels/random';
import { initialise, InitSpec } from './init';
import { ErrorPathway } from './pathway';
import { Projection } from './projection';

export class SignFeedbackPathway<K extends 'sign' | 'sign-random'> implements ErrorPathway {
  /** B, in the forward weights' layout (inSize × outSize). */
  readonly matrix: Float32Array;
  private readonly magnitudes: Float32Array | null;

  constructor(
    readonly kind: K,
    /** The forward projection whose signs this pathway reads. */
    private readonly forward: Projection,
    init: InitSpec,
    rng: RngState,
  ) {
    const { inSize, outSize } = forward;
    this.matrix = new Float32Array(inSize * outSize);
    if (kind === 'sign-random') {
      this.magnitudes = new Float32Array(inSize * outSize);
      initialise(init, inSize, outSize, rng, this.magnitudes);
      for (let i = 0; i < this.magnitudes.length; i++) this.magnitudes[i] = Math.abs(this.magnitudes[i]);
    } else {
      this.magnitudes = null;
    }
    this.refresh();
  }

  /** B ← sign(W) (∘ |R|). */
  refresh(): void {
    const w = this.forward.weights;
    const b = this.matrix;
    const r = this.magnitudes;
    for (let i = 0; i < b.length; i++) b[i] = Math.sign(w[i]) * (r ? r[i] : 1);
  }

  /** B from W's current signs. */
  feedbackMatrix(): Float32Array {
    this.refresh();
    return this.matrix;
  }

  /** out ← Δ·Bᵀ with B built from W's current signs. */
  send(rows: number, delta: Float32Array, out: Float32Array): void {
    this.refresh();
    const { inSize, outSize } = this.forward;
    kernels().gemm(false, true, rows, inSize, outSize, 1, delta, this.matrix, 0, out);
  }
}
