/**
 * A learned feedback pathway g_l: a decoder from population l back to population l−1,
 *   g_l(h_l) = unit(h_l·V_l + c_l),
 * trained as a denoising auto-encoder's decoder (Bengio 2014; Lee et al. 2015, eq. 14): population
 * l−1 is probed with noisy activity h̃ = h_{l−1} + ε, population l responds with f_l(h̃), and the
 * decoder learns to map the response back to the probe,
 *   L_inv = mean over the batch of ‖g_l(f_l(h̃)) − h̃‖².
 * The decoder sees only what reaches it: the probe and the response. It never reads W_l.
 * As a denoising decoder (`probes(site, 0, true)`) it learns to map the response back to the clean
 * activity instead, L_inv = mean ‖g_l(f_l(h̃)) − h_{l−1}‖², the de-noising auto-encoder training that
 * Bartunov et al. (2018, NeurIPS, appendix 5.1) use for SDTP and AO-SDTP, where DTP's (Lee et al.
 * 2015) preserves the noise.
 *
 * An input transform T makes it decode T(h_l) instead of h_l, g_l(h_l) = unit(T(h_l)·V_l + c_l):
 * Lee et al.'s discrete network reads sign(h_2) (§3.2), while the target it forms stays in the
 * continuous space of h_{l−1}. A random transform draws from the pathway's own stream ("g2/input").
 *
 * A centre c ≠ 0 (dtp's `decoderCentre`) makes it read a centred code,
 *   g_l(h_l) = unit((T(h_l) − c·1)·V_l + c_l),
 * in the probes as in the targets. The functions it can represent are the same (c_l absorbs
 * −c·1ᵀV_l); what changes is the learning: the gradient ∂V_l = (X − c)ᵀ·Δ has no component along
 * 11ᵀ from an error shared by every unit of a row when the code's mean is c. A decoder reading
 * samples in {0, 1} of positive sigmoid activities (c = ½) then needs no positive mean weight to
 * reproduce them (its bias does), so a step shared by every unit of h_l is not passed down with its
 * sign kept while the straight-through gradient flips it (issue 17, RESULTS.md "Why the targets
 * alternate at γ = 1"). The centre may also be a running one, one value per unit of h_l (an
 * `InputCentre`, input-centre.ts): the running mean of the code, shared with the population above,
 * which reads the same code minus it (dtp's `decoderCentre` "mean"); its moves shift c_l so that g_l
 * keeps its function, as they shift the forward projection's bias.
 *
 * The input decoder g_1 may also learn to fill in a view of the input that can go missing
 * (`blankInProbes`): in every other row of its probes (rows 1, 3, 5, …) the view's features are
 * zeroed before f_1 responds, while g_1 still learns to reconstruct the whole probe, as Ngiam et
 * al. (2011, "Multimodal Deep Learning", ICML) train a bimodal auto-encoder with one modality
 * zeroed in part of its examples; engine/missing-view.ts uses it.
 *
 * With an encoder weight λ > 0 (dtp's `autoEncoder`), the probe also trains the encoder f_l, so
 * that the pair is a denoising auto-encoder trained on both sides, the seed's layer-wise objective
 * (Bengio 2014, §3–4: each layer's f_l learns so that g_l can reconstruct its noisy input):
 *   ∂W_l = λ·x̃ᵀ·[(Δ_g·V_lᵀ) ∘ f_l'(ã_l)],  ∂b_l = λ·1ᵀ·[…],
 * where Δ_g is the decoder's pre-activation error on L_inv and x̃ what population l−1 sent for the
 * probe. The gradient passes back through the decoder's weights V_l (inside the layer pair, as in
 * any auto-encoder) and straight through the decoder's input transform; it is applied with f_l's own
 * optimiser in the learning phase, as a step of its own.
 */
import { Activation, kernels } from '../kernels';
import { RngState } from '../kernels/random';
import { Unit } from '../units';
import { differenceReconstructionDelta } from './difference-reconstruction';
import { InputCentre } from './input-centre';
import { Pathway, PathwayOptimizers, PathwaySite, Probe } from './pathway';
import { Population } from './population';
import { Projection } from './projection';

export class DecoderPathway implements Pathway {
  readonly kind = 'decoder' as const;
  /** h̃: the noisy probe of the population below. */
  readonly probe: Float32Array;
  /** f_l(h̃): the response of the population above. */
  readonly response: Float32Array;
  /** What the population below sent for the probe (its output transform of h̃, or h̃ itself). */
  readonly sentProbe: Float32Array;
  /** Whether the input transform is applied (off while a continuous twin is trained). */
  transforms = true;
  private readonly activation: Activation;
  /** What the projection reads, T(h) − c, when there is a transform or a centre. */
  private readonly transformed: Float32Array;
  private readonly stacked: Float32Array;
  private readonly decoded: Float32Array;
  private readonly delta: Float32Array;
  /** Gradients are waiting to be applied in the learning phase. */
  private pending = false;
  /** Stacked pre-activation errors of the difference reconstruction loss (allocated on first use). */
  private differenceDelta: Float32Array | undefined;
  /** The input view [start, end) blanked in every other probe row, and the blanked probe (input decoder only). */
  private blanking: { readonly start: number; readonly end: number; readonly probe: Float32Array } | null = null;
  /** The encoder f_l's auto-encoder gradients, waiting for the learning phase (allocated on first use). */
  private encoder: { projection: Projection; weightGrad: Float32Array; biasGrad: Float32Array; delta: Float32Array; pending: boolean } | undefined;

  constructor(
    /** V_l: weights from population l (aboveSize) to population l−1 (belowSize). */
    readonly projection: Projection,
    readonly unit: Unit,
    maxRows: number,
    /** The pathway's stream, for a random input transform. */
    readonly stream: RngState,
    /** T: applied to what the decoder reads (none: it reads h_l). */
    readonly inputUnit?: Unit,
    /** c: subtracted from every element the decoder reads, T(h_l) − c (0: none), or a running centre per unit of h_l. */
    readonly centre: number | InputCentre = 0,
  ) {
    if (unit.activation === undefined) throw new Error(`decoder ${projection.name}: feedback units must be rate units (tanh, sigmoid, relu, linear), got ${unit.name}`);
    this.activation = unit.activation;
    const { inSize: aboveSize, outSize: belowSize } = projection;
    this.transformed = new Float32Array(inputUnit || centre !== 0 ? 2 * maxRows * aboveSize : 0);
    this.sentProbe = new Float32Array(maxRows * belowSize);
    this.probe = new Float32Array(maxRows * belowSize);
    this.response = new Float32Array(maxRows * aboveSize);
    this.stacked = new Float32Array(2 * maxRows * aboveSize);
    this.decoded = new Float32Array(2 * maxRows * belowSize);
    this.delta = new Float32Array(maxRows * belowSize);
  }

  projections(): readonly Projection[] {
    return [this.projection];
  }

  setOptimizers({ feedback, frozen }: PathwayOptimizers): void {
    this.projection.setOptimizer(feedback, frozen(this.projection));
  }

  setTransforms(on: boolean): void {
    this.transforms = on;
  }

  /**
   * The one-layer probe (part of the forward sweep, once population l−1 has fired): noise injected
   * at population l−1 (stream "<h_{l−1}>/noise"; the input decoder g_1 probes the input itself, which
   * has no output transform), h̃ = h_{l−1} + ε; population l responds with f_l(h̃); g_l learns to
   * reconstruct h̃, or h_{l−1} when `denoising`.
   */
  probes({ above, below, state }: PathwaySite, encoderWeight = 0, denoising = false): Probe[] {
    const noise = state.stream(`${below ? below.name : 'input'}/noise`);
    const k = kernels();
    if (encoderWeight > 0 && above.unit.activation === undefined) {
      throw new Error(`the auto-encoder objective trains f_${above.index} through its unit's derivative: population ${above.name} needs a rate unit, got ${above.unit.name}`);
    }
    return [
      {
        after: above.index - 1,
        pathway: `g${above.index}`,
        run: ({ rows, input, noise: sd }) => {
          const clean = below ? below.activity : input;
          k.addGaussianNoise(rows * this.projection.outSize, clean, sd, noise, this.probe);
          const sent = below ? below.send(rows, this.probe, this.sentProbe) : this.blankedProbe(rows);
          above.respond(rows, sent, this.response);
          const error = this.learnFromProbe(rows, denoising ? clean : this.probe);
          if (encoderWeight > 0) this.learnEncoder(rows, above, sent, encoderWeight);
          return error;
        },
      },
    ];
  }

  /** Blank the input view [start, end) in every other row of the probes f_1 responds to (the input decoder g_1 only). */
  blankInProbes(start: number, end: number): void {
    this.blanking = { start, end, probe: new Float32Array(this.probe.length) };
  }

  /** The probe f_1 responds to: h̃ itself, or h̃ with the view blanked in rows 1, 3, 5, …. */
  private blankedProbe(rows: number): Float32Array {
    if (!this.blanking) return this.probe;
    const { start, end, probe } = this.blanking;
    const width = this.projection.outSize;
    probe.set(this.probe.subarray(0, rows * width));
    for (let r = 1; r < rows; r += 2) probe.fill(0, r * width + start, r * width + end);
    return probe;
  }

  /** One optimiser step, if a probe left gradients (learning phase); then the encoder's, if it learns too. */
  applyGradients(): void {
    if (this.pending) this.projection.applyGradients();
    this.pending = false;
    const { encoder } = this;
    if (!encoder?.pending) return;
    encoder.projection.weightGrad.set(encoder.weightGrad);
    encoder.projection.biasGrad.set(encoder.biasGrad);
    encoder.projection.applyGradients();
    encoder.pending = false;
  }

  /** out ← g_l(source) for `rows` rows; returns what the projection read (T(source) − c, T(source) or source). */
  decode(rows: number, source: Float32Array, out: Float32Array): Float32Array {
    const length = rows * this.projection.inSize;
    let read = source;
    if (this.inputUnit && this.transforms) {
      this.inputUnit.step(kernels(), length, source, this.transformed, this.stream);
      read = this.transformed;
    }
    if (this.centre !== 0) {
      this.subtractCentre(length, read, this.transformed);
      read = this.transformed;
    }
    this.projection.respond(rows, read, this.activation, out);
    return read;
  }

  /** out ← v − c over `length` elements, rows of h_l's size (out may alias v). */
  subtractCentre(length: number, v: Float32Array, out: Float32Array): void {
    const { centre } = this;
    if (typeof centre !== 'number') centre.subtract(length / this.projection.inSize, v, out);
    else for (let i = 0; i < length; i++) out[i] = v[i] - centre;
  }

  /**
   * out ← g_l(a) − g_l(b): the difference DTP sends down (Lee et al. 2015, eq. 13).
   * Both decodes run as one stacked product [a; b]·V.
   */
  decodeDifference(rows: number, a: Float32Array, b: Float32Array, out: Float32Array): void {
    const width = this.projection.inSize;
    const below = this.projection.outSize;
    this.stacked.set(a.subarray(0, rows * width), 0);
    this.stacked.set(b.subarray(0, rows * width), rows * width);
    this.decode(2 * rows, this.stacked, this.decoded);
    kernels().axpby(
      rows * below,
      1,
      this.decoded,
      -1,
      this.decoded.subarray(rows * below, 2 * rows * below),
      out,
    );
  }

  /**
   * out ← g_l(T(b) + a − b) − g_l(T(b)): the difference read straight through the decoder's input
   * transform T (dtp's `straightThrough`, issue 17). The decoder reads what population l sends, T(b)
   * for its activity b, displaced by the target step a − b that reached l, as the straight-through
   * estimator passes a change through a discrete unit unchanged (Bengio, Léonard & Courville 2013,
   * arXiv 1308.3432). Where T(a) = T(b) (no sign flips) g_l(T(a)) − g_l(T(b)) is zero; this is not.
   * Without a transform it is `decodeDifference`. With a centre both reads are T(b) − c + a − b and T(b) − c.
   */
  decodeStraightThrough(rows: number, a: Float32Array, b: Float32Array, out: Float32Array): void {
    const length = rows * this.projection.inSize;
    const below = this.projection.outSize;
    const k = kernels();
    const sent = this.stacked.subarray(length, 2 * length);
    if (this.inputUnit && this.transforms) this.inputUnit.step(k, length, b, sent, this.stream);
    else sent.set(b.subarray(0, length));
    k.axpby(length, 1, a, -1, b, this.stacked);
    k.axpby(length, 1, sent, 1, this.stacked, this.stacked);
    if (this.centre !== 0) this.subtractCentre(2 * length, this.stacked, this.stacked);
    this.projection.respond(2 * rows, this.stacked, this.activation, this.decoded);
    k.axpby(rows * below, 1, this.decoded, -1, this.decoded.subarray(rows * below, 2 * rows * below), out);
  }

  /**
   * Gradients of the difference reconstruction loss L = mean ‖(g(a) − g(b)) − d‖² (Meulemans et al.
   * 2020, DRL; difference-reconstruction.ts) for signals a, b read by g and the displacement d of
   * the population below; returns L.
   */
  learnDifference(rows: number, a: Float32Array, b: Float32Array, displacement: Float32Array): number {
    const width = this.projection.inSize;
    this.stacked.set(a.subarray(0, rows * width), 0);
    this.stacked.set(b.subarray(0, rows * width), rows * width);
    const read = this.decode(2 * rows, this.stacked, this.decoded);
    this.differenceDelta ??= new Float32Array(this.decoded.length);
    const loss = differenceReconstructionDelta(this.activation, rows, this.projection.outSize, this.decoded, displacement, this.differenceDelta);
    this.projection.accumulateGradients(2 * rows, read, this.differenceDelta);
    this.pending = true;
    return loss;
  }

  /**
   * The encoder's auto-encoder gradients (see the head of this file) from the probe just learned
   * from: `sent` is x̃, what population l−1 sent for the probe; Δ_g is still in `delta`.
   */
  private learnEncoder(rows: number, above: Population, sent: Float32Array, weight: number): void {
    const k = kernels();
    const { inSize: aboveSize, outSize: belowSize } = this.projection;
    const encoder = (this.encoder ??= {
      projection: above.projection,
      weightGrad: new Float32Array(above.projection.weights.length),
      biasGrad: new Float32Array(aboveSize),
      delta: new Float32Array(this.response.length),
      pending: false,
    });
    // ∂L/∂f(x̃) = Δ_g·V_lᵀ (straight through the decoder's input transform), then through f_l's unit.
    k.gemm(false, true, rows, aboveSize, belowSize, weight, this.delta, this.projection.weights, 0, encoder.delta);
    k.deltaFromGrad(above.unit.activation!, rows * aboveSize, this.response, encoder.delta, encoder.delta);
    k.gemm(true, false, belowSize, aboveSize, rows, 1, sent, encoder.delta, 0, encoder.weightGrad);
    k.columnSums(rows, aboveSize, 1, encoder.delta, 0, encoder.biasGrad);
    encoder.pending = true;
  }

  /**
   * Gradients of the reconstruction loss for the response now in `response`, reconstructing
   * `target` (the probe h̃ itself by default); returns the batch-mean reconstruction error
   * mean_i ‖g(f(h̃_i)) − target_i‖².
   */
  learnFromProbe(rows: number, target: Float32Array = this.probe): number {
    const k = kernels();
    const length = rows * this.projection.outSize;
    const read = this.decode(rows, this.response, this.decoded);
    const error = k.sumSquaredDifference(length, this.decoded, target) / rows;
    k.deltaFromTarget(this.activation, length, 2 / rows, this.decoded, target, this.delta);
    this.projection.accumulateGradients(rows, read, this.delta);
    this.pending = true;
    return error;
  }
}
