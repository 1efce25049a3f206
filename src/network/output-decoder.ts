/**
 * A learned decoder from the network's output down to the top hidden population, as Meulemans et
 * al. (2020)'s released DTP and DRL networks have it: their read-out is a layer like the others,
 * with its own feedback weights, so the top hidden target is decoded from an output target,
 *   o = a_out (the read-out's scores, before the softmax),  ô = o − η̂·∂Loss/∂a_out,
 *   ĥ_L = h_L + g_{L+1}(ô) − g_{L+1}(o),   g_{L+1}(o) = unit(o·V + c),
 * where Lee et al. (2015) step h_L along the loss gradient through the read-out's weights. The
 * decoder (decoder.ts) learns like every DTP decoder: h_L is probed, h̃_L = h_L + ε, the read-out
 * responds with its scores, and g_{L+1} learns to map them back to h̃_L (or by the difference
 * reconstruction loss, under rule drl).
 *
 * The decoder reads scores, which the read-out's view no longer holds once the loss has turned them
 * into probabilities: the read-out's response to h_L is recomputed (the `scores` function the
 * network hands over, the same response its probes drive), never its weights.
 */
import { kernels } from '../kernels';
import { DecoderPathway } from './decoder';
import { Pathway, PathwayOptimizers, PathwaySite, Probe } from './pathway';
import { Projection } from './projection';

/** out ← the read-out's scores for the top hidden population's current activity (rows × classes). */
export type ReadoutScores = (rows: number, out: Float32Array) => void;

export class OutputDecoderPathway implements Pathway {
  readonly kind = 'output-decoder' as const;
  /** o: the read-out's scores for the current minibatch. */
  private readonly scores: Float32Array;
  /** [ô; o], decoded as one stacked product. */
  private readonly stepped: Float32Array;

  constructor(
    /** g_{L+1}: V from the read-out's classes to the top hidden population. */
    readonly decoder: DecoderPathway,
    maxRows: number,
    private readonly readoutScores: ReadoutScores,
  ) {
    const classes = decoder.projection.inSize;
    this.scores = new Float32Array(maxRows * classes);
    this.stepped = new Float32Array(maxRows * classes);
  }

  projections(): readonly Projection[] {
    return this.decoder.projections();
  }

  setOptimizers(optimizers: PathwayOptimizers): void {
    this.decoder.setOptimizers(optimizers);
  }

  setTransforms(on: boolean): void {
    this.decoder.setTransforms(on);
  }

  probes(site: PathwaySite): Probe[] {
    return this.decoder.probes(site);
  }

  applyGradients(): void {
    this.decoder.applyGradients();
  }

  /** out ← the read-out's current scores o (rows × classes). */
  currentScores(rows: number, out: Float32Array): void {
    this.readoutScores(rows, out);
  }

  /**
   * out ← g(ô) − g(o), ô = o − η̂·δ_out: the top hidden population's target difference, from the
   * read-out's error δ_out = ∂Loss/∂a_out (rows × classes) and the step η̂.
   */
  sendTargetDifference(rows: number, delta: Float32Array, step: number, out: Float32Array): void {
    const length = rows * this.decoder.projection.inSize;
    this.readoutScores(rows, this.scores);
    kernels().axpby(length, 1, this.scores, -step, delta, this.stepped);
    this.decoder.decodeDifference(rows, this.stepped, this.scores, out);
  }
}
