/**
 * The one interface of every feedback pathway, and the registry that builds pathways by kind.
 *
 * A pathway carries signals from population l down to population l−1 (or from the read-out down to
 * h_L). What it delivers top-down is its own (an error Δ·Bᵀ, a decoded target difference …): the
 * rules that need a kind narrow to it. How it learns, and what it keeps, it declares here, so the
 * engine and the builder treat every kind alike:
 *  - `probes`: the learning it does while the forward sweep passes (a decoder probes the population
 *    below with noise and learns from the response), each run once population `after` has fired;
 *  - `present`: what reaches it with every minibatch (a conditional decoder's side information);
 *  - `settled`: the phases of populations that advance on a clock (population-clock.ts), once they
 *    have settled under their targets (a rate decoder learns from their pairs of rates);
 *  - `applyGradients`: its optimiser step in the learning phase, when it gathered gradients;
 *  - `projections`, `setOptimizers`, `setTransforms`: what it learns and saves (checkpoints, counts,
 *    frozen parameters), its optimisers, its input transform on or off.
 * Every member but `kind` is optional: a fixed pathway has none of them.
 *
 * Pathway kinds are registered by name (`registerPathway`); a network builds the kinds its rule
 * names (`buildPathway`). Each random draw comes from a stream named after the pathway's matrix.
 */
import { OptimizerSpec } from '../optim/optimizer';
import { StateRegistry } from '../state/registry';
import { Unit } from '../units';
import { InitSpec } from './init';
import { DecoderCentreSpec } from './input-centre';
import { Population } from './population';
import { Projection } from './projection';

/** One minibatch as a pathway sees it. */
export interface Minibatch {
  readonly rows: number;
  /** The input (rows × input size): what population 0 sends. */
  readonly input: Float32Array;
  readonly labels: Int32Array;
  /** Standard deviation of the noise probing decoders. */
  readonly noise: number;
  /** Side information of each example, when the data supply it. */
  readonly side?: Float32Array;
}

/** Learning during the forward sweep, once population `after` (0: the input) has fired. */
export interface Probe {
  readonly after: number;
  /** "g3": the name its reconstruction errors are recorded under. */
  readonly pathway: string;
  /** Probes, gathers gradients; returns the batch-mean reconstruction error. */
  run(batch: Minibatch): number;
}

/**
 * The rates of one minibatch's clocked phases, by population (index 0: the input), rows × n each:
 * the forward phase's, the target phase's (the phase that drove the population), and `perturbed`:
 * each population's rates in the phase that drove the population below it (with one joint target
 * phase, the target phase itself).
 */
export interface SettledPhases {
  readonly forward: readonly Float32Array[];
  readonly target: readonly Float32Array[];
  readonly perturbed: readonly Float32Array[];
}

/** The optimisers a pathway may take: the forward weights', the feedback's, and which parameters are frozen. */
export interface PathwayOptimizers {
  readonly forward: OptimizerSpec;
  readonly feedback: OptimizerSpec;
  frozen(projection: Projection): { weights: boolean; bias: boolean };
}

export interface Pathway {
  readonly kind: string;
  /** Its learned projections, for saving, counting and freezing. */
  projections?(): readonly Projection[];
  /** Registers its optimisers (and their state). */
  setOptimizers?(optimizers: PathwayOptimizers): void;
  /** Its input transform on (as specified) or off (the continuous twin). */
  setTransforms?(on: boolean): void;
  /** A minibatch arrives (before any top-down signal is formed). */
  present?(batch: Minibatch): void;
  /**
   * Its probes of the forward sweep, driving the populations of `site` (called once, when the
   * circuit is built; a pathway keeps no handle on populations, which a rule could reach through it).
   */
  probes?(site: PathwaySite): Probe[];
  /** The phases of clocked populations, after they settled under their targets (gather gradients from them). */
  settled?(rows: number, phases: SettledPhases): void;
  /** The learning phase: one optimiser step if it gathered gradients. */
  applyGradients?(): void;
  /** B in the layout of the forward weights it stands in for (alignment metrics); null when none. */
  feedbackMatrix?(forward: Projection): Float32Array | null;
}

/** Pathways that send an error signal: out = Δ·Bᵀ for the error Δ of their source. */
export interface ErrorPathway extends Pathway {
  send(rows: number, delta: Float32Array, out: Float32Array): void;
  /**
   * The matrix `send` multiplies by, for a kernel that carries an error through many steps in one
   * call (kernels.errorThroughSteps): send(rows, Δ, out) is gemm(false, transB, …, Δ, b, 0, out).
   */
  readonly sendMatrix?: { readonly b: Float32Array; readonly transB: boolean };
}

/** Whether `pathway` sends an error signal. */
export function isErrorPathway(pathway: Pathway): pathway is ErrorPathway {
  return 'send' in pathway;
}

/** The name of a registered pathway kind. */
export type FeedbackKind = string;

/** Where a pathway sits in a network: what it is built from and what its probes drive. */
export interface PathwaySite {
  /** The run's state: learned matrices register there; fixed ones draw from its seed. */
  readonly state: StateRegistry;
  readonly maxRows: number;
  /** The population the pathway leaves (l), the one it reaches (l−1; null: the input) and that one's size. */
  readonly above: Population;
  readonly below: Population | null;
  readonly belowSize: number;
  /** h_1 … h_L and the read-out (`populations[i].index === i + 1`), for probes through the layers above. */
  readonly populations: readonly Population[];
  /** The read-out: the source of direct feedback. */
  readonly readout: Population;
}

/**
 * The side information a conditional decoder reads, when it is not the one-hot label: `size`
 * values per example, and S̄ (classes × size, row-major), the mean side vector of each class, so
 * that p·S̄ is the side information the read-out's belief p predicts (for the one-hot label S̄ = I
 * and p·S̄ = p).
 */
export interface SideChannel {
  readonly size: number;
  readonly meanByClass: Float32Array;
}

/** What a pathway is built from. */
export interface PathwayContext extends PathwaySite {
  readonly kind: FeedbackKind;
  /** Initialiser of feedback matrices, and the unit of learned decoders. */
  readonly init: InitSpec;
  readonly decoderUnit: Unit;
  /** An input transform of learned decoders (none: they read the activity itself). */
  readonly decoderInput?: Unit;
  /** c: learned decoders between populations read their input minus c, or minus the running centre the population above reads it with ('mean'; decoder.ts; 0 or none: unchanged). */
  readonly decoderCentre?: DecoderCentreSpec;
  /** A conditional decoder's side information, when not the one-hot label. */
  readonly side?: SideChannel;
  /** The width of an auxiliary decoder's random output features (AO-SDTP; default top-decoder.ts's AUXILIARY_FEATURES). */
  readonly auxiliaryFeatures?: number;
}

export type PathwayFactory = (context: PathwayContext) => Pathway;

const factories = new Map<FeedbackKind, PathwayFactory>();

/** Makes pathways of `kind` buildable (a kind registered again is replaced). */
export function registerPathway(kind: FeedbackKind, factory: PathwayFactory): void {
  factories.set(kind, factory);
}

/** The registered kinds. */
export function pathwayKinds(): FeedbackKind[] {
  return [...factories.keys()];
}

/** The pathway of `context.kind`. */
export function buildPathway(context: PathwayContext): Pathway {
  const factory = factories.get(context.kind);
  if (!factory) throw new Error(`no feedback pathway of kind "${context.kind}" (known: ${pathwayKinds().join(', ')})`);
  return factory(context);
}
