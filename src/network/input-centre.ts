/**
 * A population's input centring (a layer's `inputCentre`, issue 17): population l reads what the
 * population below sent minus a centre c, one value per input unit,
 *   h_l = f_l((x_{l−1} − c)·W_l + b_l),
 * in its forward sweep and in its responses to probes, and learns from the centred input,
 *   ∂W_l = (X − 1cᵀ)ᵀ·Δ,  ∂b_l = 1ᵀ·Δ.
 * Centring the inputs of every layer is the old remedy for a shared sign of the inputs (LeCun, Bottou,
 * Orr & Müller 1998, "Efficient BackProp", §4.3: inputs that are all positive make every weight of a
 * unit move in the same direction; Schraudolph 1998, "Centering neural network gradient factors"):
 * when c is the input's mean, an error Δ shared by the batch gives W_l no component along 11ᵀ, and
 * the bias learns it instead. In a sigmoid net sending Bernoulli samples in {0, 1}, that is the
 * forward matrices' common mode that turns the straight-through gradient's sign at every layer
 * (RESULTS.md, "Why the targets alternate at γ = 1").
 *
 * The function the network computes is not changed by the centre, only its learning (Raiko, Valpola &
 * LeCun 2012, "Deep learning made easier by linear transformations in perceptrons", AISTATS, whose
 * transformations keep the network's output): at construction the population's bias takes the shift,
 * b ← b + c·W, so the initial network is the uncentred one; and a running centre (a `rate` α) moves
 * after every forward learning step towards the batch mean x̄ of what arrived,
 *   c′ = c + α·(x̄ − c),  b ← b + (c′ − c)·W  for every projection reading the centred input,
 * the forward projection and the decoders that read the same code (dtp's `decoderCentre` "mean"). A
 * decoder starts unshifted, reading the code minus c₀ as dtp's `decoderCentre` c₀ has it (decoder.ts):
 * the two differ only in that this centre follows the code's mean.
 * A running centre is state carried from step to step: registered as "<population>/centre".
 */
import { StateRegistry } from '../state/registry';
import { Projection } from './projection';

/** A fixed centre c for every input unit, or a running mean starting at `start` with rate α per forward learning step. */
export type InputCentreSpec = number | { readonly start: number; readonly rate: number };

/**
 * What learned decoders read their code minus (dtp's `decoderCentre`, decoder.ts): a number c, or
 * 'mean', the running centre the population above reads the same code with (its layer's running
 * `inputCentre`), the code's running mean.
 */
export type DecoderCentreSpec = number | 'mean';

export class InputCentre {
  /** c, one value per input unit. */
  readonly values: Float32Array;
  /** α: how far c moves towards each batch's mean (0: a fixed centre). */
  readonly rate: number;
  /** The projections reading x − c, whose biases keep the function when c moves. */
  private readonly readers: Projection[] = [];
  /** c′ − c of the last step. */
  private readonly move: Float32Array;

  constructor(
    /** The population reading the centred input ("h3"): names its state. */
    population: string,
    width: number,
    spec: InputCentreSpec,
    state: StateRegistry,
  ) {
    const start = typeof spec === 'number' ? spec : spec.start;
    this.rate = typeof spec === 'number' ? 0 : spec.rate;
    this.values = new Float32Array(width).fill(start);
    if (this.rate > 0) state.register(`${population}/centre`, this.values);
    this.move = new Float32Array(this.rate > 0 ? width : 0);
  }

  /**
   * Adds a projection reading x − c (inSize = the width), whose bias follows every move of c; with
   * `keepInitial`, its bias also takes the shift c·W now, so it starts as the uncentred projection.
   */
  addReader(projection: Projection, keepInitial: boolean): void {
    if (projection.inSize !== this.values.length) throw new Error(`projection ${projection.name} reads ${projection.inSize} units, not the ${this.values.length} this centre has`);
    this.readers.push(projection);
    if (keepInitial) this.shiftBiases(this.values, [projection]);
  }

  /** out ← x − 1cᵀ for `rows` rows of x (out may alias x). */
  subtract(rows: number, x: Float32Array, out: Float32Array): void {
    const width = this.values.length;
    for (let r = 0; r < rows; r++) {
      const offset = r * width;
      for (let j = 0; j < width; j++) out[offset + j] = x[offset + j] - this.values[j];
    }
  }

  /**
   * A running centre's step towards the batch mean x̄, from `rows` rows of the centred input x − c
   * (c′ − c = α·mean(x − c)), every reader's bias shifted to keep its function (no-op for a fixed centre).
   */
  track(rows: number, centred: Float32Array): void {
    if (this.rate === 0 || rows === 0) return;
    const width = this.values.length;
    const move = this.move.fill(0);
    for (let r = 0; r < rows; r++) for (let j = 0; j < width; j++) move[j] += centred[r * width + j];
    for (let j = 0; j < width; j++) {
      const before = this.values[j];
      this.values[j] = before + (this.rate * move[j]) / rows;
      move[j] = this.values[j] - before;
    }
    this.shiftBiases(move, this.readers);
  }

  /** b ← b + d·W for each projection. */
  private shiftBiases(d: Float32Array, projections: readonly Projection[]): void {
    for (const { weights, bias, outSize } of projections) {
      for (let i = 0; i < d.length; i++) {
        if (d[i] === 0) continue;
        const row = i * outSize;
        for (let j = 0; j < outSize; j++) bias[j] += d[i] * weights[row + j];
      }
    }
  }
}
