/**
 * Alignment metrics: how closely a rule's credit assignment follows back-propagation's, measured on
 * the batch it is learning from (Lillicrap et al. 2016, Fig. 2; Meulemans et al. 2020, §5).
 * Every `every` learning steps, after the top-down phase and before the learning phase:
 *  - update_angle[W_l]:  ∠(∂W_l of the rule, ∂W_l of back-propagation), both h_{l−1}ᵀ·Δ_l on this
 *    batch (the gradient each rule hands its optimiser), per hidden layer;
 *  - feedback_angle[W_l], feedback_norm_ratio[W_l]: ∠(B_l, W_l) and ‖B_l‖/‖W_l‖ for every feedback
 *    matrix standing in for a forward matrix of the same shape (fa, sign symmetry, kp; dfa's matrix
 *    from the read-out to h_L);
 *  - target_angle[h_l]: ∠(ĥ_l − h_l, −∂Loss/∂h_l) over the batch, for rules that form targets;
 *  - target_angle_st[h_l]: the same angle against the straight-through gradient, chained with
 *    dx/dh := 1 through every output transform (Bengio, Léonard & Courville 2013): where a layer
 *    sends sign or a sample, −∂Loss/∂h_l is zero or undefined below it, and this is the direction a
 *    target should still follow (Bengio 2014's question: do targets carry credit where gradients do not?);
 *  - target_rms[h_l]: ‖ĥ_l − h_l‖/√(rows·size), the size of the target step (0: no target below).
 * Angles are θ = arccos(a·b / (‖a‖‖b‖)) in degrees, in double precision; a zero or non-finite norm
 * gives NaN, written as the string "NaN" so that it is never mistaken for a number or a gap.
 * Back-propagation's deltas are computed here, in the instrument's own buffers: the rule never sees them.
 * A population whose activity has no unit derivative (a spiking population's spike-count rate) is
 * passed with f′ = 1, the straight-through estimate, so back-propagation's reference there is that
 * surrogate's. Below an output transform declaring no derivative (a sample) the true chain is
 * undefined: update_angle and target_angle there are NaN.
 */
import { Subscription } from 'rxjs';
import { Circuit } from '../engine/circuit';
import { kernels } from '../kernels';
import { Network } from '../network/network';
import { Pathway } from '../network/pathways';

export type Angle = number | 'NaN';

export interface AlignmentSample {
  /** Learning steps since training began (1-based). */
  readonly step: number;
  readonly update_angle: Record<string, Angle>;
  readonly feedback_angle: Record<string, Angle>;
  readonly feedback_norm_ratio: Record<string, Angle>;
  readonly target_angle: Record<string, Angle>;
  /** Absent from runs recorded before these were measured. */
  readonly target_angle_st?: Record<string, Angle>;
  readonly target_rms?: Record<string, Angle>;
}

/** θ(a, b) in degrees over the first `length` entries; NaN when a norm is zero or not finite. */
export function angleDegrees(length: number, a: ArrayLike<number>, b: ArrayLike<number>, negateB = false): number {
  let dot = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < length; i++) {
    dot += a[i] * b[i];
    aa += a[i] * a[i];
    bb += b[i] * b[i];
  }
  if (negateB) dot = -dot;
  const denominator = Math.sqrt(aa) * Math.sqrt(bb);
  if (!(denominator > 0) || !Number.isFinite(denominator) || !Number.isFinite(dot)) return NaN;
  return (Math.acos(Math.max(-1, Math.min(1, dot / denominator))) * 180) / Math.PI;
}

/** ‖a‖/‖b‖; NaN when ‖b‖ is zero or either is not finite. */
export function normRatio(length: number, a: ArrayLike<number>, b: ArrayLike<number>): number {
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < length; i++) {
    aa += a[i] * a[i];
    bb += b[i] * b[i];
  }
  const ratio = Math.sqrt(aa) / Math.sqrt(bb);
  return Number.isFinite(ratio) ? ratio : NaN;
}

/** √(mean of a²) over the first `length` entries. */
export function rootMeanSquare(length: number, a: ArrayLike<number>): number {
  let aa = 0;
  for (let i = 0; i < length; i++) aa += a[i] * a[i];
  return Math.sqrt(aa / length);
}

const written = (x: number): Angle => (Number.isNaN(x) ? 'NaN' : x);

/** Samples alignment every `every` learning steps of `circuit`; `take` hands over what it has. */
export class AlignmentMonitor {
  private readonly subscription: Subscription;
  private samples: AlignmentSample[] = [];
  private steps = 0;
  /** ∂Loss/∂h_l and back-propagation's Δ_l, per hidden population. */
  private readonly grad: Float32Array[];
  private readonly bpDelta: Float32Array[];
  /** The same with straight-through output transforms. */
  private readonly stGrad: Float32Array[];
  private readonly stDelta: Float32Array[];
  private readonly ruleUpdate: Float32Array;
  private readonly bpUpdate: Float32Array;
  private readonly direction: Float32Array;

  constructor(
    private readonly circuit: Circuit,
    readonly every: number,
  ) {
    if (!(every >= 1)) throw new Error(`alignment metrics need a step interval ≥ 1, got ${every}`);
    const { hidden } = circuit.network;
    const maxRows = circuit.network.options.maxRows;
    this.grad = hidden.map((p) => new Float32Array(maxRows * p.size));
    this.bpDelta = hidden.map((p) => new Float32Array(maxRows * p.size));
    this.stGrad = hidden.map((p) => new Float32Array(maxRows * p.size));
    this.stDelta = hidden.map((p) => new Float32Array(maxRows * p.size));
    const largest = Math.max(...hidden.map((p) => p.projection.weights.length));
    this.ruleUpdate = new Float32Array(largest);
    this.bpUpdate = new Float32Array(largest);
    this.direction = new Float32Array(maxRows * Math.max(...hidden.map((p) => p.size)));
    this.subscription = circuit.topDown$[1].subscribe(({ stimulus }) => {
      this.steps++;
      if (this.steps % this.every === 0) this.samples.push(this.measure(stimulus.rows));
    });
    // The step count and the epoch's samples so far are run state: a resumed run samples the same steps.
    circuit.network.state.value(
      'metrics/alignment',
      () => ({ steps: this.steps, samples: this.samples }),
      (saved) => ({ steps: this.steps, samples: this.samples } = saved as { steps: number; samples: AlignmentSample[] }),
    );
  }

  /** The samples since the last call. */
  take(): AlignmentSample[] {
    const taken = this.samples;
    this.samples = [];
    return taken;
  }

  dispose(): void {
    this.subscription.unsubscribe();
  }

  private measure(rows: number): AlignmentSample {
    const k = kernels();
    const { hidden, readout, feedback, readoutFeedback } = this.circuit.network;
    const targets = this.circuit.rule.uses.learnedFeedback;
    const stAngle: Record<string, Angle> = {};
    const rms: Record<string, Angle> = {};
    const sample: AlignmentSample = {
      step: this.steps,
      update_angle: {},
      feedback_angle: {},
      feedback_norm_ratio: {},
      target_angle: {},
      ...(targets ? { target_angle_st: stAngle, target_rms: rms } : {}),
    };
    // Δ_l is defined for l ≥ deltaFrom, ∂L/∂h_l one population further down.
    const deltaFrom = backpropagate(this.circuit.network, rows, this.grad, this.bpDelta, false);
    if (targets) backpropagate(this.circuit.network, rows, this.stGrad, this.stDelta, true);
    hidden.forEach((p, i) => {
      const { inSize, outSize, name } = p.projection;
      k.gemm(true, false, inSize, outSize, rows, 1, p.input, p.delta, 0, this.ruleUpdate);
      k.gemm(true, false, inSize, outSize, rows, 1, p.input, this.bpDelta[i], 0, this.bpUpdate);
      sample.update_angle[name] = written(i >= deltaFrom ? angleDegrees(inSize * outSize, this.ruleUpdate, this.bpUpdate) : NaN);
      if (targets) {
        const length = rows * p.size;
        k.axpby(length, 1, p.target, -1, p.activity, this.direction);
        sample.target_angle[p.name] = written(i >= deltaFrom - 1 ? angleDegrees(length, this.direction, this.grad[i], true) : NaN);
        stAngle[p.name] = written(angleDegrees(length, this.direction, this.stGrad[i], true));
        rms[p.name] = written(rootMeanSquare(length, this.direction));
      }
    });
    const pairs: [Pathway | undefined, number][] = [...feedback.map((pathway, l): [Pathway | undefined, number] => [pathway, l]), [readoutFeedback, readout.index]];
    for (const [pathway, l] of pairs) {
      const forward = this.circuit.network.populations[l - 1]?.projection;
      const matrix = pathway && forward && pathway.feedbackMatrix?.(forward);
      if (!matrix || !forward || matrix.length !== forward.weights.length) continue;
      sample.feedback_angle[forward.name] = written(angleDegrees(matrix.length, matrix, forward.weights));
      sample.feedback_norm_ratio[forward.name] = written(normRatio(matrix.length, matrix, forward.weights));
    }
    return sample;
  }
}

/**
 * Back-propagation on the network's last batch into `grad` (∂L/∂h_l) and `delta` (Δ_l), from the
 * read-out's delta: ∂L/∂h_L = Δ_out·W_outᵀ, Δ_l = ∂L/∂h_l ∘ T'(h_l) ∘ f'(a_l), ∂L/∂h_{l−1} = Δ_l·W_lᵀ,
 * through each population's output transform and unit with their declared derivatives, as bp.ts
 * (f′ = 1 where the unit declares none; T′ = 1 when `straightThrough`). Returns the index of the
 * lowest hidden population whose Δ the chain reaches: at an output transform without a derivative it
 * stops, its ∂L/∂h written.
 */
export function backpropagate(network: Network, rows: number, grad: Float32Array[], delta: Float32Array[], straightThrough: boolean): number {
  const k = kernels();
  const { hidden, readout } = network;
  let above = readout;
  let aboveDelta = readout.delta;
  for (let i = hidden.length - 1; i >= 0; i--) {
    const p = hidden[i];
    const length = rows * p.size;
    k.gemm(false, true, rows, p.size, above.size, 1, aboveDelta, above.projection.weights, 0, grad[i]);
    if (straightThrough) delta[i].set(grad[i].subarray(0, length));
    else if (p.hasSendDerivative()) p.throughSend(length, grad[i], delta[i]);
    else return i + 1;
    if (p.hasUnitDerivative()) p.throughUnit(length, delta[i], delta[i]);
    above = p;
    aboveDelta = delta[i];
  }
  return 0;
}
