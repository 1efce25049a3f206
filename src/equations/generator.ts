/**
 * The one interface through which every loop of a spiking simulation is made: a code generator
 * (Brian2's code-generation target, Stimberg et al. 2019) turns parsed, dimension-checked equations
 * into callables over typed arrays. Nothing outside equations/ writes code; a backend (generated
 * JavaScript today, see javascript.ts; WebAssembly or C++ next) replaces every loop at once, and
 * compile.ts chooses it.
 *
 * All values are SI numbers (volt, second, ampere …) in Float64Arrays, one array per variable.
 */
import { MathNode } from 'mathjs';
import { RngState } from '../kernels/random';
import { Quantity } from './dimensions';
import { Model, Statement } from './model';

/** A population's variables: one Float64Array (SI values) per model variable, in model order. */
export type StateArrays = readonly Float64Array[];

/**
 * Advances neurons 0…n−1 by one step; writes the indices of those that spiked to `spikes` and
 * returns their count, ascending. `refractory[i]` is how many more steps neuron i stays refractory
 * (0: it can spike). `rand()` draws from `stream` (advanced in place), in neuron order.
 */
export type UpdateFunction = (n: number, state: StateArrays, refractory: Int32Array, step: number, stream: RngState, spikes: Uint32Array) => number;

/** Runs statements for the listed neurons (resets; initial values with all neurons listed), `rand()` from `stream`. */
export type StatementsFunction = (indices: Uint32Array, count: number, n: number, state: StateArrays, step: number, stream: RngState) => void;

/**
 * Runs synaptic statements (on_pre) for every synapse k of each listed presynaptic neuron i,
 * k ∈ [rowStart[i], rowStart[i+1]), whose postsynaptic neuron is post[k].
 */
export type SynapticFunction = (spikes: Uint32Array, count: number, rowStart: Uint32Array, post: Uint32Array, synapse: StateArrays, pre: StateArrays, target: StateArrays) => void;

/** A Synapses' delivery with the arrays it runs on: its on_pre statements and compressed sparse rows. */
export interface Delivery {
  readonly deliver: SynapticFunction;
  readonly rowStart: Uint32Array;
  readonly post: Uint32Array;
  readonly synapse: StateArrays;
  readonly pre: StateArrays;
  readonly target: StateArrays;
}

/**
 * A population's whole step in one call, over the arrays it was made for: first the reset of the
 * `resetCount` neurons listed at the start of its spikes array (the previous step's spikes, reset at
 * `resetStep`: deferred from that step), then the update at `step` (as UpdateFunction), then its
 * deliveries of the spikes, in order; returns the spike count.
 */
export type StepFunction = (step: number, resetCount: number, resetStep: number) => number;

/** A population's arrays (as UpdateFunction takes them), for a StepFunction made once over them. */
export interface PopulationArrays {
  readonly n: number;
  readonly state: StateArrays;
  readonly refractory: Int32Array;
  readonly stream: RngState;
  readonly spikes: Uint32Array;
}

/** An expression's value for each of n synapses (pre[k] → post[k]), `rand()` drawn in synapse order. */
export type PerSynapseFunction = (pre: Uint32Array, post: Uint32Array, n: number, rand: () => number) => Float64Array;

/** Whether presynaptic neuron i may connect to postsynaptic neuron j. */
export type PairCondition = (i: number, j: number) => boolean;

export interface CompiledModel {
  readonly model: Model;
  readonly dt: number;
  readonly method: 'exact' | 'euler' | 'rk2' | 'rk4';
  readonly variableNames: readonly string[];
  readonly refractorySteps: number;
  /** State update, refractoriness and threshold, fused in one pass over the neurons. */
  readonly update: UpdateFunction;
  /** The reset statements, over the neurons that spiked. */
  readonly reset: StatementsFunction;
  /** The generated update source, for inspection and tests. */
  readonly source: string;
  /**
   * The update, reset and `deliveries` over `population` as one StepFunction, when the backend can
   * fuse them (the native one, for deliveries of its own synaptic functions); absent or undefined
   * otherwise. The arrays are bound once: they must not be replaced while it is used.
   */
  readonly stepper?: (population: PopulationArrays, deliveries: readonly Delivery[]) => StepFunction | undefined;
}

/**
 * What synapse code may read (Brian2's names): the synapse's own variables, the presynaptic
 * neuron's as `x_pre`, the postsynaptic neuron's as `x_post` or plain `x`, the indices i and j,
 * N_pre, N_post, dt and the experiment's constants.
 */
export interface SynapseContext {
  readonly variables: readonly string[];
  readonly source: { readonly variables: readonly string[]; readonly size: number };
  readonly target: { readonly variables: readonly string[]; readonly size: number };
  readonly constants: ReadonlyMap<string, Quantity>;
  /** Seconds. */
  readonly dt: number;
}

/** A code-generation backend: every method takes checked equations and returns a callable. */
export interface CodeGenerator {
  /** The backend's name, for messages. */
  readonly name: string;
  /** A model's state update, refractoriness, threshold and reset for time step `dt` (seconds). */
  model(model: Model, dt: number): CompiledModel;
  /** Statements over listed neurons of a model's population (initial values). */
  neuronStatements(model: Model, dt: number, statements: readonly Statement[], where: string): StatementsFunction;
  /** Statements run for the synapses of spiking presynaptic neurons (on_pre). */
  synapticStatements(statements: readonly Statement[], context: SynapseContext, where: string): SynapticFunction;
  /** A per-synapse expression: initial values of synapse variables, delays. */
  perSynapseExpression(expression: MathNode, context: SynapseContext, where: string): PerSynapseFunction;
  /** A connection condition on i and j (`i != j`); null: every pair. */
  pairCondition(expression: MathNode | null, context: SynapseContext, where: string): PairCondition;
}
