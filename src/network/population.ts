/**
 * A population: `size` units of one type receiving a feedforward projection f_l from the population
 * below, h_l = f_l(x_{l−1}) = unit(x_{l−1}·W_l + b_l), and a top-down signal from above.
 *
 * What a population sends up can differ from what it is (Lee et al. 2015, §3.2): with an output
 * transform T (a discrete or stochastic unit applied on the way up) it sends x_l = T(h_l), e.g.
 * h_1 = tanh(W_1 x) sends sign(h_1), while its target, layer loss and derivative stay in the
 * continuous space of h_l. Without one, x_l = h_l.
 *
 * Its buffers hold a whole minibatch (rows × size, row-major) and are allocated once:
 *  - activity: h_l, the population's own activity on the last sweep;
 *  - sent:     x_l = T(h_l), what it sent up (the same buffer as activity without a transform);
 *  - topDown:  what the feedback pathway above delivered (a target, a difference or a gradient);
 *  - target:   ĥ_l, for rules that form a target;
 *  - delta:    ∂(local loss)/∂a_l, the pre-activation error its own projection learns from.
 * Random units and transforms draw from the population's own streams ("h1/units", "h1/send").
 *
 * With an input centre c (input-centre.ts, a layer's `inputCentre`) it reads x_{l−1} − c, in its sweep
 * and in its responses to probes; `input` is then the centred copy, so its projection learns from it.
 */
import { Activation, kernels } from '../kernels';
import { RngState } from '../kernels/random';
import { Unit } from '../units';
import { InputCentre } from './input-centre';
import { Projection } from './projection';

export class Population {
  readonly activity: Float32Array;
  readonly sent: Float32Array;
  readonly topDown: Float32Array;
  readonly target: Float32Array;
  readonly delta: Float32Array;
  /** a_l, kept when the unit is stepped after the product rather than fused into it. */
  protected readonly summed: Float32Array;
  /** What its projection read on the last sweep: what arrived from below (a view, not a copy), or that minus the input centre. */
  input: Float32Array = new Float32Array(0);
  /** x − c for the sweep and for probes (allocated on first use; none without an input centre). */
  private centred: { sweep: Float32Array; probe: Float32Array } | undefined;
  /** Minibatch rows in the last sweep. */
  rows = 0;
  /** Whether the output transform is applied (off while a continuous twin is trained). */
  transforms = true;

  constructor(
    /** "h1" … "hL", or "out" for the read-out. */
    readonly name: string,
    /** 1 for the first population above the input. */
    readonly index: number,
    readonly unit: Unit,
    readonly size: number,
    /** f_l: the synapses from the population below. */
    readonly projection: Projection,
    maxRows: number,
    /** The population's random streams: its units' samples and its output transform's. */
    readonly streams: { readonly units: RngState; readonly send: RngState },
    /** T: applied to h_l on the way up (none: it sends h_l). */
    readonly sendUnit?: Unit,
    /** c: subtracted from what arrives from below (none: it reads it as it is). */
    readonly inputCentre?: InputCentre,
  ) {
    this.activity = new Float32Array(maxRows * size);
    this.sent = sendUnit ? new Float32Array(maxRows * size) : this.activity;
    this.topDown = new Float32Array(maxRows * size);
    this.target = new Float32Array(maxRows * size);
    this.delta = new Float32Array(maxRows * size);
    this.summed = new Float32Array(unit.activation === undefined ? maxRows * size : 0);
  }

  /** Forward sweep: h_l ← f_l(input) for `rows` rows; returns what it sends up. */
  fire(rows: number, input: Float32Array): Float32Array {
    this.rows = rows;
    this.input = this.centre(rows, input, 'sweep');
    input = this.input;
    const { unit } = this;
    if (unit.activation !== undefined) {
      this.projection.respond(rows, input, unit.activation, this.activity);
    } else {
      this.projection.respond(rows, input, Activation.Identity, this.summed);
      unit.step(kernels(), rows * this.size, this.summed, this.activity, this.streams.units);
    }
    return this.send(rows, this.activity, this.sent);
  }

  /**
   * The response f_l(probe) to a probe from below, written to `out`; the population's state is
   * untouched (random units still advance its stream).
   */
  respond(rows: number, probe: Float32Array, out: Float32Array): void {
    probe = this.centre(rows, probe, 'probe');
    const { unit } = this;
    if (unit.activation !== undefined) {
      this.projection.respond(rows, probe, unit.activation, out);
    } else {
      this.projection.respond(rows, probe, Activation.Identity, out);
      unit.step(kernels(), rows * this.size, out, out, this.streams.units);
    }
  }

  /** x − c in the population's `use` buffer, or x itself without an input centre. */
  private centre(rows: number, x: Float32Array, use: 'sweep' | 'probe'): Float32Array {
    const centre = this.inputCentre;
    if (!centre) return x;
    const length = rows * this.projection.inSize;
    this.centred ??= { sweep: new Float32Array(0), probe: new Float32Array(0) };
    if (this.centred[use].length < length) this.centred[use] = new Float32Array(length);
    centre.subtract(rows, x, this.centred[use]);
    return this.centred[use];
  }

  /** After a forward learning step: a running input centre moves towards the mean of what arrived on the last sweep (input-centre.ts). */
  trackInputCentre(): void {
    this.inputCentre?.track(this.rows, this.input);
  }

  /** What the population would send for activity h: T(h) written to `scratch`, or h itself. */
  send(rows: number, h: Float32Array, scratch: Float32Array): Float32Array {
    if (!this.sendUnit || !this.transforms) return h;
    this.sendUnit.step(kernels(), rows * this.size, h, scratch, this.streams.send);
    return scratch;
  }

  /** The gradients of its projection from its delta Δ and its input X on the last sweep: ∂W = Xᵀ·Δ, ∂b = 1ᵀ·Δ (Δ carries the loss's 1/m). */
  accumulateGradients(): void {
    this.projection.accumulateGradients(this.rows, this.input, this.delta);
  }

  /** Whether its unit declares a derivative (throughUnit throws when not). */
  hasUnitDerivative(): boolean {
    return this.unit.derive !== undefined;
  }

  /** Whether its output transform (if any) declares a derivative (throughSend throws when not). */
  hasSendDerivative(): boolean {
    return !this.sendUnit || !this.transforms || this.sendUnit.derive !== undefined;
  }

  /** d ← g ∘ ∂h_l/∂a_l on the last sweep, with the derivative its unit declares. */
  throughUnit(length: number, g: Float32Array, d: Float32Array): void {
    const derive = this.unit.derive;
    if (!derive) throw new Error(this.missingDerivative(this.unit));
    derive(kernels(), length, this.summed, this.activity, g, d);
  }

  /** d ← g ∘ ∂x_l/∂h_l on the last sweep: through the output transform (identity without one). */
  throughSend(length: number, g: Float32Array, d: Float32Array): void {
    const { sendUnit } = this;
    if (!sendUnit || !this.transforms) {
      if (d !== g) d.set(g.subarray(0, length));
      return;
    }
    if (!sendUnit.derive) throw new Error(this.missingDerivative(sendUnit));
    sendUnit.derive(kernels(), length, this.activity, this.sent, g, d);
  }

  /**
   * Throws, naming the population and the unit, when `rule` would need a derivative this
   * population lacks: its unit's always, its output transform's when the rule chains derivatives.
   */
  requireDerivatives(rule: string, throughSend: boolean): void {
    if (!this.unit.derive) throw new Error(`rule ${rule}: ${this.missingDerivative(this.unit)}`);
    if (throughSend && this.sendUnit && !this.sendUnit.derive) throw new Error(`rule ${rule}: ${this.missingDerivative(this.sendUnit)}`);
  }

  private missingDerivative(unit: Unit): string {
    const role = unit === this.unit ? 'unit' : 'output transform';
    return `population ${this.name}: ${role} ${unit.name} declares no derivative (name a straight-through one: "derivative": "identity", "tanh" or "sigmoid")`;
  }
}
