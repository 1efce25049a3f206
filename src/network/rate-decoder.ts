/**
 * A learned decoder between the spike-count rates of two spiking populations, l → l−1 (spiking DTP,
 * rules/spiking-dtp.ts):
 *   g_l(h) = sigmoid(h·V_l + c_l),
 * sending the difference target ĥ_{l−1} = h_{l−1} + g_l(ĥ_l) − g_l(h_l) (Lee et al. 2015, eq. 13).
 * It learns from what it sees, pairs of rates (h_l, h_{l−1}) of one trial's phases: the forward
 * phase's, and those of the phase whose apical drive perturbed h_{l−1}, the spiking counterpart of
 * DTP's injected noise, by the reconstruction loss mean over the batch of ‖g_l(h_l) − h_{l−1}‖².
 * V_l (n_l × n_{l−1}, input-major) and c_l are handed in with their gradients and optimisers by the
 * learner that schedules their learning rates and registers them.
 */
import { Activation, kernels } from '../kernels';
import { Optimizer } from '../optim/optimizer';
import { Pathway } from './pathway';

/** A learned array, its gradient and its optimiser. */
export interface LearnedArray {
  readonly param: Float32Array;
  readonly grad: Float32Array;
  readonly optimizer: Optimizer;
}

/** Rates of every population (index 0: the input), rows × n each. */
export type PhaseRates = readonly Float32Array[];

export class RateDecoderPathway implements Pathway {
  readonly kind = 'rate-decoder' as const;
  private readonly plus: Float32Array;
  private readonly minus: Float32Array;

  constructor(
    /** l: the population it leaves. */
    readonly index: number,
    readonly aboveSize: number,
    readonly belowSize: number,
    /** V_l and c_l. */
    readonly weights: LearnedArray,
    readonly bias: LearnedArray,
    maxRows: number,
  ) {
    this.plus = new Float32Array(maxRows * belowSize);
    this.minus = new Float32Array(maxRows * belowSize);
  }

  /** out ← h_below + g(ĥ_above) − g(h_above) for `rows` rows. */
  sendTarget(rows: number, targetAbove: Float32Array, above: Float32Array, below: Float32Array, out: Float32Array): void {
    const k = kernels();
    const { aboveSize, belowSize, plus, minus } = this;
    k.dense(rows, belowSize, aboveSize, targetAbove, this.weights.param, this.bias.param, Activation.Sigmoid, plus);
    k.dense(rows, belowSize, aboveSize, above, this.weights.param, this.bias.param, Activation.Sigmoid, minus);
    k.addDifference(rows * belowSize, below, plus, minus, out);
  }

  /**
   * One optimiser step on the reconstruction loss of `m` trials' pairs (h_l from `pairs[i][0]`,
   * h_{l−1} from `pairs[i][1]`), the gradients of every pair summed.
   */
  learnFromPairs(m: number, pairs: readonly (readonly [PhaseRates, PhaseRates])[]): void {
    const k = kernels();
    const { index: l, aboveSize, belowSize, weights, bias } = this;
    const [y, d] = [this.plus, this.minus];
    weights.grad.fill(0);
    bias.grad.fill(0);
    for (const [above, below] of pairs) {
      k.dense(m, belowSize, aboveSize, above[l], weights.param, bias.param, Activation.Sigmoid, y);
      k.deltaFromTarget(Activation.Sigmoid, m * belowSize, 1 / m, y, below[l - 1], d);
      k.gemm(true, false, aboveSize, belowSize, m, 1, above[l], d, 1, weights.grad);
      k.columnSums(m, belowSize, 1, d, 1, bias.grad);
    }
    weights.optimizer.step(weights.grad);
    bias.optimizer.step(bias.grad);
  }
}
