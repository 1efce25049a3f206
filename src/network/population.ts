/**
 * A population: `size` units of one type receiving a feedforward projection f_l from the population
 * below, h_l = f_l(h_{l−1}) = unit(h_{l−1}·W_l + b_l), and a top-down signal from above.
 *
 * Its buffers hold a whole minibatch (rows × size, row-major) and are allocated once:
 *  - activity: h_l, the activity it last sent up;
 *  - topDown:  what the feedback pathway above delivered (a target, a difference or a gradient);
 *  - target:   ĥ_l, for rules that form a target;
 *  - delta:    ∂(local loss)/∂a_l, the pre-activation error its own projection learns from.
 */
import { Unit } from '../units';
import { Projection } from './projection';

export class Population {
  readonly activity: Float32Array;
  readonly topDown: Float32Array;
  readonly target: Float32Array;
  readonly delta: Float32Array;
  /** The activity that arrived from below on the last sweep (a view, not a copy). */
  input: Float32Array = new Float32Array(0);
  /** Minibatch rows in the last sweep. */
  rows = 0;

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
  ) {
    this.activity = new Float32Array(maxRows * size);
    this.topDown = new Float32Array(maxRows * size);
    this.target = new Float32Array(maxRows * size);
    this.delta = new Float32Array(maxRows * size);
  }

  /** Forward sweep: h_l ← f_l(input) for `rows` rows; remembers the input for learning. */
  fire(rows: number, input: Float32Array): Float32Array {
    this.rows = rows;
    this.input = input;
    this.projection.respond(rows, input, this.unit.activation, this.activity);
    return this.activity;
  }

  /** The response f_l(probe) to a probe from below, written to `out`; the population's state is untouched. */
  respond(rows: number, probe: Float32Array, out: Float32Array): void {
    this.projection.respond(rows, probe, this.unit.activation, out);
  }
}
