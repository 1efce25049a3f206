/**
 * A missing modality (the seed's last open question; issue #18 item 5): the input carries two views
 * of a sample, x = [x₁, x₂], x₁ the features [0, split) and x₂ the features [split, n) (the top and
 * bottom halves of a digit). The network is trained with both (or, as the baseline, with the view
 * that will go missing always blank); at test one view is missing, and the learned input decoder
 * fills it in, target-propagation style: g₁, DTP's inverse of the first layer trained as a
 * denoising auto-encoder on the probes (Bengio 2014; Lee et al. 2015, eq. 14; network/decoder.ts),
 * with the view blanked in half of its probes so that it learns to fill it in (Ngiam et al. 2011;
 * decoder.ts, blankInProbes), reconstructs the missing view from the representation the present
 * view drives,
 *   x⁽⁰⁾ = [x₁, 0],   x⁽ᵏ⁺¹⁾ = [x₁, g₁(f₁(x⁽ᵏ⁾))₂]   (k = 0 … K − 1, K = `fillSteps`),
 * the present view clamped at every step, as a denoising auto-encoder imputes (Vincent et al. 2010).
 * The test set is scored three ways: with both views, with the missing view zero-filled, and
 * filled in; and the filled view's squared error against the true one is measured beside the
 * zero-fill's. (Manchev & Spratling's multi-modal follow-up, nmanchev/MM-TPTT-RNN, learns
 * multi-modal *output* distributions with TPTT; the missing *input* view is this project's setting.)
 */
import { kernels } from '../kernels';
import { DecoderPathway } from '../network/decoder';
import { Network } from '../network/network';
import { Circuit } from './circuit';
import { evaluate, Examples } from './evaluation';

export interface MissingViewSpec {
  /** The first feature of the second view: x₁ = x[0, split), x₂ = x[split, n). */
  readonly split: number;
  /** The view missing at test (1 or 2). */
  readonly missing: 1 | 2;
  /** K: decode-and-clamp steps of the fill-in. */
  readonly fillSteps: number;
  /** Train with both views ('both'), or with the missing view always blank ('present': the one-view baseline). */
  readonly trainOn: 'both' | 'present';
}

/** The test scores with a view missing: classification error zero-filled and filled in, and the missing view's mean squared error per example under each. */
export interface MissingViewScores {
  readonly test_error_zero_filled: number;
  readonly test_error_filled_in: number;
  readonly missing_view_sse_zero_filled: number;
  readonly missing_view_sse_filled_in: number;
}

/** The missing view's features [start, end) of an input of `features`. */
export function missingFeatures(spec: MissingViewSpec, features: number): { readonly start: number; readonly end: number } {
  if (!Number.isInteger(spec.split) || spec.split < 1 || spec.split >= features) {
    throw new RangeError(`missing view: split ${spec.split} must cut the input's ${features} features into two non-empty views (1 … ${features - 1})`);
  }
  return spec.missing === 1 ? { start: 0, end: spec.split } : { start: spec.split, end: features };
}

export class MissingView {
  /** The missing view's features [start, end). */
  readonly start: number;
  readonly end: number;
  private blanked: Float32Array;

  constructor(
    readonly spec: MissingViewSpec,
    readonly features: number,
  ) {
    ({ start: this.start, end: this.end } = missingFeatures(spec, features));
    this.blanked = new Float32Array(0);
  }

  /** `rows` rows of `input` with the missing view zeroed, in a buffer this object owns (grown as needed). */
  blank(rows: number, input: Float32Array): Float32Array {
    const length = rows * this.features;
    if (this.blanked.length < length) this.blanked = new Float32Array(length);
    const out = this.blanked.subarray(0, length);
    out.set(input.subarray(0, length));
    for (let r = 0; r < rows; r++) out.fill(0, r * this.features + this.start, r * this.features + this.end);
    return out;
  }

  /**
   * x⁽ᴷ⁾ in place for `rows` rows of x (the missing view zero on entry): K times, the missing view
   * ← g₁(f₁(x))'s, the present one untouched. `hidden` and `decoded` are scratch of rows × |h₁| and
   * rows × n.
   */
  fillIn(network: Network, rows: number, x: Float32Array, hidden: Float32Array, decoded: Float32Array): void {
    const decoder = inputDecoder(network);
    const { features, start, end } = this;
    for (let k = 0; k < this.spec.fillSteps; k++) {
      network.hidden[0].respond(rows, x, hidden);
      decoder.decode(rows, hidden, decoded);
      for (let r = 0; r < rows; r++) x.set(decoded.subarray(r * features + start, r * features + end), r * features + start);
    }
  }

  /** The test scores of `examples` (see MissingViewScores), in minibatches of `batchSize`, averaging `samples` sweeps. */
  score(circuit: Circuit, examples: Examples, batchSize: number, samples: number): MissingViewScores {
    const { network } = circuit;
    const { count, features } = examples;
    const zeroFilled = this.blank(count, examples.images).slice();
    const filledIn = zeroFilled.slice();
    const rowsAtOnce = Math.min(batchSize, count);
    const hidden = new Float32Array(rowsAtOnce * network.hidden[0].size);
    const decoded = new Float32Array(rowsAtOnce * features);
    for (let start = 0; start < count; start += batchSize) {
      const rows = Math.min(batchSize, count - start);
      this.fillIn(network, rows, filledIn.subarray(start * features, (start + rows) * features), hidden, decoded);
    }
    return {
      test_error_zero_filled: evaluate(circuit, { ...examples, images: zeroFilled }, batchSize, samples).error,
      test_error_filled_in: evaluate(circuit, { ...examples, images: filledIn }, batchSize, samples).error,
      missing_view_sse_zero_filled: this.squaredError(examples.images, zeroFilled, count),
      missing_view_sse_filled_in: this.squaredError(examples.images, filledIn, count),
    };
  }

  /** Σ over the missing view's features of (x − x̂)², mean over `count` examples. */
  private squaredError(truth: Float32Array, estimate: Float32Array, count: number): number {
    const { features, start, end } = this;
    const k = kernels();
    let sum = 0;
    for (let r = 0; r < count; r++) sum += k.sumSquaredDifference(end - start, truth.subarray(r * features + start, r * features + end), estimate.subarray(r * features + start, r * features + end));
    return sum / count;
  }
}

/** The network's learned decoder g₁ from h₁ back to the input. */
function inputDecoder(network: Network): DecoderPathway {
  const decoder = network.feedback[1];
  if (!(decoder instanceof DecoderPathway)) throw new Error('missing view: the network has no learned input decoder g1 to fill a view in with (a rule with learned decoders, a feed-forward first layer)');
  return decoder;
}
