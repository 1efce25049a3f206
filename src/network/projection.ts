/**
 * A projection: the synapses from a population of `inSize` units onto one of `outSize` units,
 * a weight matrix W (inSize×outSize, input-major) and a bias b, so that for a minibatch X the
 * summed input is A = X·W + 1·bᵀ. Forward projections f_l and feedback pathways g_l are both
 * projections; only the direction differs.
 *
 * A projection also holds its gradient buffers and its optimisers, so that learning allocates
 * nothing per batch. Its weights, bias and optimiser buffers are registered in the run's state
 * (state/registry.ts) as "W3", "b3", "W3/avg", "b3/avg", … so checkpoints hold them.
 */
import { Activation, kernels } from '../kernels';
import { streamState } from '../kernels/random';
import { createOptimizer, Optimizer, OptimizerSpec } from '../optim/optimizer';
import { StateRegistry } from '../state/registry';
import { initialise, InitSpec } from './init';

export class Projection {
  readonly weights: Float32Array;
  readonly bias: Float32Array;
  readonly weightGrad: Float32Array;
  readonly biasGrad: Float32Array;
  private optimizers: { weights: Optimizer; bias: Optimizer } | undefined;

  /** The bias's name in weight files: "b3" for W3, "c3" for V3. */
  readonly biasName: string;

  constructor(
    /** The weights' name in weight files and logs, e.g. "W3" (forward) or "V3" (decoder). */
    readonly name: string,
    readonly inSize: number,
    readonly outSize: number,
    init: InitSpec,
    /** The run's state; the initial weights are drawn from the stream "<name>/init" of its seed. */
    private readonly state: StateRegistry,
  ) {
    this.biasName = name.replace(/^W/, 'b').replace(/^V/, 'c');
    this.weights = state.register(name, new Float32Array(inSize * outSize));
    this.bias = state.register(this.biasName, new Float32Array(outSize));
    this.weightGrad = new Float32Array(inSize * outSize);
    this.biasGrad = new Float32Array(outSize);
    initialise(init, inSize, outSize, streamState(state.seed, `${name}/init`), this.weights);
  }

  /** Y ← f(X·W + b) for an m-row minibatch X. */
  respond(m: number, input: Float32Array, activation: Activation, out: Float32Array): void {
    kernels().dense(m, this.outSize, this.inSize, input, this.weights, this.bias, activation, out);
  }

  /**
   * `respond` to an input assembled from two blocks, in one kernel call: input ← [a, b] row by row
   * (a: m rows of `width` at row stride `stride`; b: m × (inSize − width), or zeros when null), then
   * out ← f(input·W + b).
   */
  respondToPair(m: number, width: number, a: Float32Array, stride: number, b: Float32Array | null, input: Float32Array, activation: Activation, out: Float32Array): void {
    kernels().denseConcat(m, width, this.inSize - width, this.outSize, a, stride, b, input, this.weights, this.bias, activation, out);
  }

  /**
   * Gradients from the pre-activation error Δ (m×outSize) of an m-row minibatch X:
   * ∂W = Xᵀ·Δ, ∂b = 1ᵀ·Δ. Δ already carries the loss's 1/m.
   */
  accumulateGradients(m: number, input: Float32Array, delta: Float32Array): void {
    const k = kernels();
    k.gemm(true, false, this.inSize, this.outSize, m, 1, input, delta, 0, this.weightGrad);
    k.columnSums(m, this.outSize, 1, delta, 0, this.biasGrad);
  }

  /**
   * Sets the optimiser used by `applyGradients` (new state buffers). A frozen part keeps its
   * values: its gradients are still computed, never applied.
   */
  setOptimizer(spec: OptimizerSpec, frozen: { weights?: boolean; bias?: boolean } = {}): void {
    const frozenOptimizer: Optimizer = { step: () => undefined, state: {} };
    this.optimizers = {
      weights: frozen.weights ? frozenOptimizer : createOptimizer(spec, this.weights),
      bias: frozen.bias ? frozenOptimizer : createOptimizer(spec, this.bias),
    };
    for (const [param, optimizer] of [[this.name, this.optimizers.weights], [this.biasName, this.optimizers.bias]] as const) {
      for (const [buffer, data] of Object.entries(optimizer.state)) this.state.register(`${param}/${buffer}`, data, { replace: true });
    }
  }

  /** One optimiser step from the gradients last accumulated. */
  applyGradients(): void {
    if (!this.optimizers) throw new Error(`projection ${this.name} has no optimiser`);
    this.optimizers.weights.step(this.weightGrad);
    this.optimizers.bias.step(this.biasGrad);
  }
}
