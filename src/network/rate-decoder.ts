/**
 * A learned decoder between the spike-count rates of two spiking populations, l → l−1 (spiking DTP,
 * rules/spiking-dtp.ts):
 *   g_l(h) = unit(h·V_l + c_l)    (sigmoid: rates lie in [0, 1]),
 * sending the difference target ĥ_{l−1} = h_{l−1} + g_l(ĥ_l) − g_l(h_l) (Lee et al. 2015, eq. 13).
 * It learns from what it sees once the populations have settled (population-clock.ts), pairs of
 * rates (h_l, h_{l−1}): the forward phase's, and those of the phase whose apical drive perturbed
 * h_{l−1} (the spiking counterpart of DTP's injected noise), by the reconstruction loss, mean over
 * the batch, of ‖g_l(h_l) − h_{l−1}‖², the gradients of both pairs summed.
 */
import { Activation, kernels } from '../kernels';
import { Unit } from '../units';
import { Pathway, PathwayOptimizers, SettledPhases } from './pathway';
import { Projection } from './projection';

export class RateDecoderPathway implements Pathway {
  readonly kind = 'rate-decoder' as const;
  private readonly activation: Activation;
  private readonly plus: Float32Array;
  private readonly minus: Float32Array;
  /** Gradients are waiting to be applied in the learning phase. */
  private pending = false;

  constructor(
    /** l: the population it leaves. */
    readonly index: number,
    /** V_l (n_l × n_{l−1}, input-major) and c_l. */
    readonly projection: Projection,
    unit: Unit,
    maxRows: number,
  ) {
    if (unit.activation === undefined) throw new Error(`decoder ${projection.name}: feedback units must be rate units (tanh, sigmoid, relu, linear), got ${unit.name}`);
    this.activation = unit.activation;
    this.plus = new Float32Array(maxRows * projection.outSize);
    this.minus = new Float32Array(maxRows * projection.outSize);
  }

  projections(): readonly Projection[] {
    return [this.projection];
  }

  setOptimizers(optimizers: PathwayOptimizers): void {
    this.projection.setOptimizer(optimizers.feedback, optimizers.frozen(this.projection));
  }

  /** out ← h_below + g(ĥ_above) − g(h_above) for `rows` rows. */
  sendTarget(rows: number, targetAbove: Float32Array, above: Float32Array, below: Float32Array, out: Float32Array): void {
    const { projection, plus, minus } = this;
    projection.respond(rows, targetAbove, this.activation, plus);
    projection.respond(rows, above, this.activation, minus);
    kernels().addDifference(rows * projection.outSize, below, plus, minus, out);
  }

  /** Gradients of the reconstruction loss of the forward pair and the perturbed pair of `m` rows. */
  settled(m: number, phases: SettledPhases): void {
    const k = kernels();
    const { index: l, projection } = this;
    const { inSize: aboveSize, outSize: belowSize, weightGrad, biasGrad } = projection;
    const [y, d] = [this.plus, this.minus];
    weightGrad.fill(0);
    biasGrad.fill(0);
    for (const [above, below] of [[phases.forward, phases.forward], [phases.perturbed, phases.target]]) {
      projection.respond(m, above[l], this.activation, y);
      k.deltaFromTarget(this.activation, m * belowSize, 1 / m, y, below[l - 1], d);
      k.gemm(true, false, aboveSize, belowSize, m, 1, above[l], d, 1, weightGrad);
      k.columnSums(m, belowSize, 1, d, 1, biasGrad);
    }
    this.pending = true;
  }

  applyGradients(): void {
    if (!this.pending) return;
    this.projection.applyGradients();
    this.pending = false;
  }
}
