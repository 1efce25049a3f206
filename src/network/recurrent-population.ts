/**
 * A recurrent population: a simple recurrent network's hidden layer (Elman 1990),
 *   h_t = f(x_t·W + h_{t−1}·U + b),  h_0 = 0,
 * for any unit type f (rate, sign, stochastic: a random unit draws from the population's stream at
 * every step). It fires once per time step of a minibatch of sequences; the populations above read
 * its last state h_T.
 *
 * The transition reads z_t = [x_t, h_{t−1}] through one projection of (input + size) × size weights,
 * [W; U] (input-major, so U is the last `size` rows), so each step is one fused product-and-unit
 * kernel call. The population keeps what every step saw and did (z_t, a_t, h_t), and holds a target
 * and a delta per step for the rules that learn through time; the gradient of the whole sequence is
 * one product over all steps, ∂[W; U] = Σ_t z_tᵀ·Δ_t, ∂b = Σ_t 1ᵀ·Δ_t. A rule may train the input
 * weights W from another signal than U and b (TPTT's option of W by BPTT): it writes Δ'_t per step
 * (`inputDeltaAt`), and then ∂W = Σ_t x_tᵀ·Δ'_t.
 */
import { Activation, kernels } from '../kernels';
import { RngState } from '../kernels/random';
import { kernelDerivative, Unit } from '../units';
import { Population } from './population';
import { Projection } from './projection';

/** Views of each step's block of z_t, h_t and a_t (a_t: a stepped unit's only) for minibatches of `rows` rows. */
interface StepBlocks {
  readonly rows: number;
  readonly inputs: readonly Float32Array[];
  readonly states: readonly Float32Array[];
  readonly sums: readonly Float32Array[];
}

/** What a population keeps of every step, for `rows` rows: steps × rows × its width each. */
interface SequenceBuffers {
  readonly rows: number;
  readonly inputs: Float32Array;
  readonly states: Float32Array;
  readonly targets: Float32Array;
  readonly deltas: Float32Array;
  readonly sums: Float32Array;
}

export class RecurrentPopulation extends Population {
  /** Inputs per step (x_t's width). */
  readonly width: number;
  /** Steps of the sequence now held (the last one fired). */
  steps = 0;
  /**
   * Every step's buffers, sized to the most rows fired so far rather than to the largest minibatch
   * the network may see (`reserve`): an evaluation's 1,000 rows of 100 steps are 40 MB a buffer, which
   * training minibatches of 20 rows never touch.
   */
  private buffers: SequenceBuffers;
  /** Δ'_t per step for the input weights alone, and their gradient scratch (allocated when a rule first asks: `inputDeltaAt`). */
  private inputDeltas: { readonly deltas: Float32Array; readonly gradient: Float32Array } | null = null;
  /** The step blocks of the last row count fired (`blocks`). */
  private stepBlocks: StepBlocks | null = null;

  constructor(name: string, index: number, unit: Unit, size: number, projection: Projection, maxRows: number, readonly maxSteps: number, streams: { readonly units: RngState; readonly send: RngState }, sendUnit?: Unit) {
    super(name, index, unit, size, projection, maxRows, streams, sendUnit);
    this.width = projection.inSize - size;
    this.buffers = this.sequenceBuffers(0);
  }

  /** z_t = [x_t, h_{t−1}], step after step: steps × rows × (width + size). */
  get inputs(): Float32Array {
    return this.buffers.inputs;
  }

  /** h_t, step after step: steps × rows × size. */
  get states(): Float32Array {
    return this.buffers.states;
  }

  /** ĥ_t per step, for rules that learn through time. */
  get targets(): Float32Array {
    return this.buffers.targets;
  }

  /** Δ_t per step, for rules that learn through time. */
  get deltas(): Float32Array {
    return this.buffers.deltas;
  }

  /** a_t per step, kept when the unit is stepped after the product. */
  private get sums(): Float32Array {
    return this.buffers.sums;
  }

  /** Zeroed buffers for sequences of `rows` rows. */
  private sequenceBuffers(rows: number): SequenceBuffers {
    const states = this.maxSteps * rows * this.size;
    return {
      rows,
      inputs: new Float32Array(this.maxSteps * rows * this.projection.inSize),
      states: new Float32Array(states),
      targets: new Float32Array(states),
      deltas: new Float32Array(states),
      sums: new Float32Array(this.unit.activation === undefined ? states : 0),
    };
  }

  /** Grows every step's buffers to hold `rows` rows (their contents are not kept: a sequence starts with its first step). */
  private reserve(rows: number): void {
    if (rows <= this.buffers.rows) return;
    this.buffers = this.sequenceBuffers(rows);
    if (this.inputDeltas) this.inputDeltas = { deltas: new Float32Array(this.deltas.length), gradient: this.inputDeltas.gradient };
  }

  /** U: the recurrent weights, the last `size` rows of [W; U] (a view). */
  get recurrentWeights(): Float32Array {
    return this.projection.weights.subarray(this.width * this.size);
  }

  /** out ← Δ·Uᵀ for `rows` rows (the transpose of the recurrent weights, read in place). */
  backThroughRecurrence(rows: number, delta: Float32Array, out: Float32Array): void {
    kernels().gemm(false, true, rows, this.size, this.size, 1, delta, this.recurrentWeights, 0, out);
  }

  /**
   * Step t (0-based) of a `rows`-row minibatch of `steps`-step sequences: h_t ← f([x_t, h_{t−1}]·[W; U] + b),
   * x_t read from `x` at row stride `stride` (in place in the minibatch's rows); returns what it sends
   * up. Its `activity` (and a stepped unit's summed input) take the last step's once it has fired.
   */
  fireStep(t: number, steps: number, rows: number, x: Float32Array, stride: number): Float32Array {
    if (t >= this.maxSteps) throw new Error(`population ${this.name}: step ${t + 1} beyond the ${this.maxSteps} steps it was built for`);
    const { unit } = this;
    const { inputs, states, sums } = this.blocks(rows);
    const h = states[t];
    // z_t ← [x_t, h_{t−1}] (h_{−1} = 0) and its product in one call; a stepped unit then steps its sums a_t.
    const a = unit.activation === undefined ? sums[t] : h;
    this.projection.respondToPair(rows, this.width, x, stride, t > 0 ? states[t - 1] : null, inputs[t], unit.activation ?? Activation.Identity, a);
    if (unit.activation === undefined) unit.step(kernels(), rows * this.size, a, h, this.streams.units);
    this.rows = rows;
    this.input = inputs[t];
    this.steps = t + 1;
    if (t < steps - 1) return this.send(rows, h, this.sent);
    this.activity.set(h);
    if (unit.activation === undefined) this.summed.set(a);
    return this.send(rows, this.activity, this.sent);
  }

  /** Every step's block of z_t, h_t and a_t for minibatches of `rows` rows (views made when the row count changes, not at every step). */
  private blocks(rows: number): StepBlocks {
    if (this.stepBlocks?.rows === rows) return this.stepBlocks;
    this.reserve(rows);
    const { size, maxSteps } = this;
    const steps = Array.from({ length: maxSteps }, (_, t) => t);
    this.stepBlocks = {
      rows,
      inputs: steps.map((t) => this.at(this.inputs, t, rows, this.projection.inSize)),
      states: steps.map((t) => this.stateAt(t, rows)),
      sums: this.sums.length > 0 ? steps.map((t) => this.at(this.sums, t, rows, size)) : [],
    };
    return this.stepBlocks;
  }

  /** out ← f(z·[W; U] + b) for `rows` rows of z (a stepped unit steps the summed input in place in `out`). */
  transition(rows: number, z: Float32Array, out: Float32Array): void {
    const { unit } = this;
    this.projection.respond(rows, z, unit.activation ?? Activation.Identity, out);
    if (unit.activation === undefined) unit.step(kernels(), rows * this.size, out, out, this.streams.units);
  }

  /** h_t (t = −1: h_0 = 0 is not kept; callers handle it). */
  stateAt(t: number, rows: number): Float32Array {
    return this.at(this.states, t, rows, this.size);
  }

  /** Step t's block of a per-step buffer of `width` columns. */
  at(buffer: Float32Array, t: number, rows: number, width: number): Float32Array {
    return buffer.subarray(t * rows * width, (t + 1) * rows * width);
  }

  /** d ← g ∘ ∂h_t/∂a_t at step t, with the derivative its unit declares. */
  throughUnitAt(t: number, rows: number, g: Float32Array, d: Float32Array): void {
    const derive = this.unit.derive;
    if (!derive) throw new Error(`population ${this.name}: unit ${this.unit.name} declares no derivative`);
    const length = rows * this.size;
    derive(kernels(), length, this.unit.activation === undefined ? this.at(this.sums, t, rows, this.size) : this.sums, this.stateAt(t, rows), g, d);
  }

  /**
   * Δ_{t−1} ← (Δ_t·op(B)) ∘ f'(h_{t−1}) for t = steps−1 … 1 from Δ_{steps−1}, op(B) size × size,
   * in one kernel call (kernels.errorThroughSteps: the step-by-step products and derivatives) when
   * its unit's derivative is a kernel activation's; false, having done nothing, otherwise.
   */
  errorThroughSteps(b: Float32Array, transB: boolean): boolean {
    const activation = kernelDerivative(this.unit);
    if (activation === undefined) return false;
    kernels().errorThroughSteps(this.steps, this.rows, this.size, transB, b, activation, this.states, this.deltas);
    return true;
  }

  override fire(): Float32Array {
    throw new Error(`population ${this.name} is recurrent: it fires step by step (fireStep)`);
  }

  override respond(): void {
    throw new Error(`population ${this.name} is recurrent: it cannot respond to a probe from below`);
  }

  /** Step t's Δ'_t for the input weights W alone: once a rule has asked for it, W learns from these deltas and U, b from `deltas`. */
  inputDeltaAt(t: number, rows: number): Float32Array {
    const { projection, size } = this;
    this.inputDeltas ??= { deltas: new Float32Array(this.deltas.length), gradient: new Float32Array(projection.inSize * size) };
    return this.at(this.inputDeltas.deltas, t, rows, size);
  }

  /**
   * ∂[W; U] = Σ_t z_tᵀ·Δ_t, ∂b = Σ_t 1ᵀ·Δ_t over the steps of the last sequence, as one product;
   * with input deltas Δ'_t, the W rows are Σ_t z_tᵀ·Δ'_t's instead.
   */
  override accumulateGradients(): void {
    const rows = this.steps * this.rows;
    const { projection, inputDeltas } = this;
    projection.accumulateGradients(rows, this.inputs, this.deltas);
    if (!inputDeltas) return;
    kernels().gemm(true, false, projection.inSize, this.size, rows, 1, this.inputs, inputDeltas.deltas, 0, inputDeltas.gradient);
    projection.weightGrad.set(inputDeltas.gradient.subarray(0, this.width * this.size));
  }
}
