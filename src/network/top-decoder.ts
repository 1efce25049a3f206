/**
 * A learned decoder from the read-out down to the top hidden population, g_{L+1}, reading the
 * read-out's probabilities p and, for two of its kinds, a side input s:
 *   g(p, s) = unit([p ; s]·V + c)
 *  - 'top-decoder'         no side input (SDTP, Bartunov et al. 2018);
 *  - 'auxiliary-decoder'   s = tanh(h_L·R), fixed random auxiliary output features of h_L, R drawn
 *                          from the pathway's own stream ("V6/auxiliary") (AO-SDTP, Bartunov et al.);
 *  - 'conditional-decoder' s = side information (Bengio 2014, §9: an auto-encoder conditioned
 *                          on another modality): the one-hot label by default, or any vector per
 *                          example that the experiment supplies (a SideChannel of that width).
 * It is trained like every decoder, as a denoising auto-encoder: h_L is probed with noise,
 * h̃_L = h_L + ε, the read-out responds with p̃ = softmax(f_out(h̃_L)), and g learns
 *   L_inv = mean over the batch of ‖g(p̃, s̃) − h̃_L‖²,
 * with s̃ the auxiliary features of h̃_L or the probe's side information. It never reads W_out.
 * As a denoising decoder (`probes(site, true)`) it reconstructs the clean h_L instead,
 * L_inv = mean ‖g(p̃, s̃) − h_L‖² (Bartunov et al. 2018, appendix 5.1: SDTP and AO-SDTP).
 */
import { Activation, kernels } from '../kernels';
import { streamState } from '../kernels/random';
import { StateRegistry } from '../state/registry';
import { Unit } from '../units';
import { initialise, InitSpec } from './init';
import { oneHot } from './one-hot';
import { Minibatch, Pathway, PathwayOptimizers, PathwaySite, Probe, SideChannel } from './pathway';
import { Projection } from './projection';

export type { SideChannel } from './pathway';

export type TopDecoderKind = 'top-decoder' | 'auxiliary-decoder' | 'conditional-decoder';

/**
 * Default width of AO-SDTP's auxiliary output features: Bartunov et al. (2018) do not give it for
 * MNIST (512 on CIFAR, §3.2); a choice, documented in RESULTS.md. The rule option
 * `auxiliaryFeatures` sets it.
 */
export const AUXILIARY_FEATURES = 64;

export class TopDecoderPathway<K extends TopDecoderKind> implements Pathway {
  readonly projection: Projection;
  /** h̃_L: the noisy probe of the top hidden population. */
  readonly probe: Float32Array;
  /** What the top population sent for the probe (its output transform of h̃_L, or h̃_L). */
  readonly sentProbe: Float32Array;
  /** p̃: the read-out's probabilities for the probe. */
  readonly response: Float32Array;
  readonly sideSize: number;
  /** A gradient is waiting for the learning phase. */
  private pending = false;
  private readonly activation: Activation;
  private readonly auxiliary: Float32Array | null;
  /** s: the auxiliary features of a batch (rows × sideSize), AO-SDTP only. */
  private readonly features: Float32Array;
  private readonly input: Float32Array;
  private readonly decoded: Float32Array;
  private readonly delta: Float32Array;
  /** s: the current minibatch's side information (rows × sideSize; conditional decoders), from `receiveSide`. */
  readonly side: Float32Array;
  /** S̄ (classes × sideSize): the mean side vector of each class. */
  private readonly meanByClass: Float32Array;
  /** p·S̄ for a minibatch (rows × sideSize). */
  private readonly belief: Float32Array;
  /** The one-hot label of a minibatch, the side information of a conditional decoder when the data supply none. */
  private readonly labelSide: Float32Array;

  constructor(
    readonly kind: K,
    name: string,
    readonly classes: number,
    readonly hiddenSize: number,
    unit: Unit,
    init: InitSpec,
    state: StateRegistry,
    maxRows: number,
    channel: SideChannel | null = null,
    auxiliaryFeatures = AUXILIARY_FEATURES,
  ) {
    if (unit.activation === undefined) throw new Error(`decoder ${name}: feedback units must be rate units, got ${unit.name}`);
    this.activation = unit.activation;
    const conditional = kind === 'conditional-decoder';
    if (!Number.isInteger(auxiliaryFeatures) || auxiliaryFeatures < 1) throw new Error(`decoder ${name}: auxiliary features must be a positive integer, got ${auxiliaryFeatures}`);
    this.sideSize = kind === 'auxiliary-decoder' ? auxiliaryFeatures : conditional ? (channel?.size ?? classes) : 0;
    const width = classes + this.sideSize;
    this.projection = new Projection(name, width, hiddenSize, init, state);
    this.auxiliary = kind === 'auxiliary-decoder' ? new Float32Array(hiddenSize * auxiliaryFeatures) : null;
    if (this.auxiliary) initialise(init, hiddenSize, auxiliaryFeatures, streamState(state.seed, `${name}/auxiliary`), this.auxiliary);
    this.features = new Float32Array(this.auxiliary ? maxRows * auxiliaryFeatures : 0);
    this.probe = new Float32Array(maxRows * hiddenSize);
    this.sentProbe = new Float32Array(maxRows * hiddenSize);
    this.response = new Float32Array(maxRows * classes);
    this.input = new Float32Array(2 * maxRows * width);
    this.decoded = new Float32Array(2 * maxRows * hiddenSize);
    this.delta = new Float32Array(maxRows * hiddenSize);
    this.side = new Float32Array(conditional ? maxRows * this.sideSize : 0);
    this.belief = new Float32Array(conditional ? maxRows * this.sideSize : 0);
    this.labelSide = new Float32Array(conditional ? maxRows * classes : 0);
    this.meanByClass = channel?.meanByClass ?? Float32Array.from({ length: conditional ? classes * classes : 0 }, (_, i) => (i % (classes + 1) === 0 ? 1 : 0));
    if (conditional && this.meanByClass.length !== classes * this.sideSize) {
      throw new Error(`decoder ${name}: side information of ${this.sideSize} values needs ${classes} class means of that width`);
    }
  }

  projections(): readonly Projection[] {
    return [this.projection];
  }

  setOptimizers({ feedback, frozen }: PathwayOptimizers): void {
    this.projection.setOptimizer(feedback, frozen(this.projection));
  }

  /** A conditional decoder reads the minibatch's side information: the stimulus's own, else the one-hot label. */
  present({ rows, labels, side }: Minibatch): void {
    if (this.kind !== 'conditional-decoder') return;
    if (side) this.receiveSide(rows, side);
    else {
      oneHot(rows, this.classes, labels, this.labelSide);
      this.receiveSide(rows, this.labelSide);
    }
  }

  /**
   * The probe (once h_L has fired): noise injected at h_L (stream "<h_L>/noise"), the read-out's
   * probabilities respond, g_{L+1} learns to reconstruct h̃_L, or h_L when `denoising`.
   */
  probes({ above: readout, below: top, state }: PathwaySite, denoising = false): Probe[] {
    if (!top) throw new Error(`decoder ${this.projection.name} reaches the top hidden population`);
    const noise = state.stream(`${top.name}/noise`);
    const k = kernels();
    return [
      {
        after: top.index,
        pathway: `g${readout.index}`,
        run: (batch) => {
          const { rows, labels } = batch;
          k.addGaussianNoise(rows * top.size, top.activity, batch.noise, noise, this.probe);
          readout.respond(rows, top.send(rows, this.probe, this.sentProbe), this.response);
          k.softmaxCrossEntropy(rows, readout.size, this.response, labels, this.response, 1, null);
          this.present(batch);
          return this.learnFromProbe(rows, denoising ? top.activity : this.probe);
        },
      },
    ];
  }

  /** Side information arrives for the current minibatch (rows × sideSize, or longer). */
  receiveSide(rows: number, side: Float32Array): void {
    const length = rows * this.sideSize;
    if (side.length < length) {
      throw new Error(`decoder ${this.projection.name} reads ${this.sideSize} values of side information per example; it was given ${side.length / rows}`);
    }
    this.side.set(side.subarray(0, length));
  }

  /** p·S̄ (rows × sideSize): the side information the read-out's belief p predicts. */
  expectedSide(rows: number, p: Float32Array): Float32Array {
    const out = this.belief.subarray(0, rows * this.sideSize);
    kernels().dense(rows, this.sideSize, this.classes, p, this.meanByClass, null, Activation.Identity, out);
    return out;
  }

  /**
   * Writes rows [offset, offset + rows) of the decoder's input: [p ; s], with s the auxiliary
   * features of `h`, or the side matrix `side` (rows × sideSize).
   */
  private fill(offset: number, rows: number, p: Float32Array, h: Float32Array, side: Float32Array | null): void {
    const width = this.classes + this.sideSize;
    const k = kernels();
    const n = this.sideSize;
    const aux = this.auxiliary ? this.features.subarray(0, rows * n) : null;
    if (aux) k.dense(rows, n, this.hiddenSize, h, this.auxiliary!, null, Activation.Tanh, aux);
    const s = aux ?? side;
    if (n > 0 && !s) throw new Error(`decoder ${this.projection.name} (${this.kind}) needs side information`);
    for (let r = 0; r < rows; r++) {
      const row = (offset + r) * width;
      this.input.set(p.subarray(r * this.classes, (r + 1) * this.classes), row);
      if (s) this.input.set(s.subarray(r * n, (r + 1) * n), row + this.classes);
    }
  }

  /**
   * out ← g(a, sideA) − g(b, sideB) for read-out vectors a, b (rows × classes), the side inputs
   * being side matrices or, for auxiliary features, those of the clean top activity `h`; with `b`
   * null, out ← g(a, sideA) − h.
   */
  decodeDifference(
    rows: number,
    a: Float32Array,
    sideA: Float32Array | null,
    b: Float32Array | null,
    sideB: Float32Array | null,
    h: Float32Array,
    out: Float32Array,
  ): void {
    const n = this.hiddenSize;
    this.fill(0, rows, a, h, sideA);
    if (b) this.fill(rows, rows, b, h, sideB);
    const stacked = b ? 2 * rows : rows;
    this.projection.respond(stacked, this.input, this.activation, this.decoded);
    kernels().axpby(rows * n, 1, this.decoded, -1, b ? this.decoded.subarray(rows * n, 2 * rows * n) : h, out);
  }

  /**
   * Gradients of the reconstruction loss for the probe now in `probe`/`response` (with the side
   * information last received), reconstructing `target` (the probe h̃_L itself by default);
   * returns its batch mean.
   */
  learnFromProbe(rows: number, target: Float32Array = this.probe): number {
    const k = kernels();
    const length = rows * this.hiddenSize;
    this.fill(0, rows, this.response, this.probe, this.side);
    this.projection.respond(rows, this.input, this.activation, this.decoded);
    const error = k.sumSquaredDifference(length, this.decoded, target) / rows;
    k.deltaFromTarget(this.activation, length, 2 / rows, this.decoded, target, this.delta);
    this.projection.accumulateGradients(rows, this.input, this.delta);
    this.pending = true;
    return error;
  }

  /** One optimiser step, if a probe left gradients (learning phase). */
  applyGradients(): void {
    if (!this.pending) return;
    this.projection.applyGradients();
    this.pending = false;
  }
}
