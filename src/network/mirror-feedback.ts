/**
 * Kolen-Pollack feedback (Kolen & Pollack 1994; Akrout et al. 2019): a learned matrix B that
 * receives the same update as the forward weights W it mirrors, from the signals at its own two
 * ends — the activity h_{l−1} of the population below and the error Δ_l of the one above:
 *   ∂B = h_{l−1}ᵀ·Δ_l  (= ∂W),   ΔB = ΔW,  both with the same weight decay,
 * so B − W shrinks by the decay every step and B converges to W (i.e. Bᵀ to the transpose used by
 * back-propagation) without ever reading W. B is stored in W's layout; it sends out = Δ·Bᵀ and is
 * initialised from its own stream ("B3/init").
 */
import { kernels } from '../kernels';
import { streamState } from '../kernels/random';
import { createOptimizer, Optimizer } from '../optim/optimizer';
import { StateRegistry } from '../state/registry';
import { initialise, InitSpec } from './init';
import { ErrorPathway, PathwayOptimizers } from './pathway';

export class MirrorFeedbackPathway implements ErrorPathway {
  readonly kind = 'mirror' as const;
  readonly matrix: Float32Array;
  private readonly grad: Float32Array;
  private optimizer: Optimizer | undefined;
  /** A gradient is waiting for the learning phase. */
  private pending = false;

  constructor(
    readonly name: string,
    readonly inSize: number,
    readonly outSize: number,
    init: InitSpec,
    /** The run's state: B and its optimiser's buffers are registered there (checkpoints). */
    private readonly state: StateRegistry,
  ) {
    this.matrix = state.register(name, new Float32Array(inSize * outSize));
    this.grad = new Float32Array(inSize * outSize);
    initialise(init, inSize, outSize, streamState(state.seed, `${name}/init`), this.matrix);
  }

  /** The optimiser of the forward weights it mirrors (same rule, same weight decay, own state). */
  setOptimizers({ forward }: PathwayOptimizers): void {
    this.optimizer = createOptimizer(forward, this.matrix);
    for (const [buffer, data] of Object.entries(this.optimizer.state)) this.state.register(`${this.name}/${buffer}`, data, { replace: true });
  }

  /** out ← Δ·Bᵀ. */
  send(rows: number, delta: Float32Array, out: Float32Array): void {
    kernels().gemm(false, true, rows, this.inSize, this.outSize, 1, delta, this.matrix, 0, out);
  }

  /** ∂B ← h_belowᵀ·Δ_above, the forward projection's own gradient, from this pathway's two ends. */
  learn(rows: number, below: Float32Array, delta: Float32Array): void {
    kernels().gemm(true, false, this.inSize, this.outSize, rows, 1, below, delta, 0, this.grad);
    this.pending = true;
  }

  feedbackMatrix(): Float32Array {
    return this.matrix;
  }

  /** One optimiser step, if it learned this step (learning phase). */
  applyGradients(): void {
    if (!this.pending) return;
    if (!this.optimizer) throw new Error(`feedback matrix ${this.name} has no optimiser`);
    this.optimizer.step(this.grad);
    this.pending = false;
  }
}
