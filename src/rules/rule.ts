/**
 * A credit-assignment rule: how top-down signals are formed and what each population learns from.
 *
 * A rule works on *local views*: at each population it sees that population's activity, the
 * top-down signal that arrived there, and its own target and delta buffers — never a projection,
 * so it cannot read or write weights. Pathways are handed to `descend` by the engine, built as the
 * rule's `feedback` field asks; the one that reads forward weights (transpose) exists only for
 * rules declaring `weightTransport`. The engine then updates every projection from its delta.
 *
 * What a population sends up may be a transform x = T(h) of its activity h (a sign or a sample,
 * Lee et al. 2015): the top-down signal at h_L is ∂Loss/∂x_L, and a rule that chains derivatives
 * passes through T with `throughSend`; targets stay in the space of h.
 *
 * Within a training step the engine calls, in this order (see engine/circuit.ts):
 *   top(h_L) → receive(h_L) → descend(L → L−1) → receive(h_{L−1}) → … → receive(h_1).
 */
import type { Network } from '../network/network';
import { DecoderCentreSpec } from '../network/input-centre';
import { Probe } from '../network/pathway';
import { BuiltinPathway, FeedbackKind, isErrorPathway, Pathway } from '../network/pathways';

/** What a rule can see at one population. */
export interface LocalView {
  readonly name: string;
  readonly size: number;
  /** h: the population's activity on this step (before any output transform). */
  readonly activity: Float32Array;
  /** What its feedback pathway delivered (for the top population: ∂Loss/∂h_L). */
  readonly topDown: Float32Array;
  /** ĥ: the target, for rules that form one. */
  readonly target: Float32Array;
  /** Δ = ∂(local loss)/∂a: the pre-activation error the population's own projection learns from. */
  readonly delta: Float32Array;
  /** d ← g ∘ ∂h/∂a: through the population's unit, with the derivative its spec declares (d may alias g). */
  throughUnit(length: number, g: Float32Array, d: Float32Array): void;
  /**
   * d ← g ∘ ∂x/∂h: through the output transform x = T(h) the population sends up (identity without
   * one), with its declared derivative (d may alias g).
   */
  throughSend(length: number, g: Float32Array, d: Float32Array): void;
  /** v ← T(v) in place over `rows`: what the population would send for activity v (unchanged without a transform). */
  sendInPlace(rows: number, v: Float32Array): void;
}

/**
 * What a rule learning through time sees at a recurrent population, step by step (0-based steps of
 * the sequence just passed; every buffer rows × size): its states h_t, and a target ĥ_t and a delta
 * Δ_t to fill for every step. `last` is the population's local view at the last step, where `receive`
 * has formed the last target and delta. The population then learns ∂[W; U] = Σ_t z_tᵀ·Δ_t.
 */
export interface TemporalView {
  readonly name: string;
  readonly size: number;
  /** T: steps of the sequence. */
  readonly steps: number;
  readonly last: LocalView;
  activity(t: number): Float32Array;
  target(t: number): Float32Array;
  delta(t: number): Float32Array;
  /** d ← g ∘ ∂h_t/∂a_t at step t (d may alias g). */
  throughUnit(t: number, g: Float32Array, d: Float32Array): void;
  /** Δ'_t: the delta the input weights W alone learn from, once asked for (U and b keep `delta`). */
  inputDelta(t: number): Float32Array;
  /**
   * Δ_{t−1} ← (Δ_t·op(B)) ∘ f'(h_{t−1}) for every step back from the last, in one kernel call, when
   * the unit's derivative allows (a rate unit); false, having done nothing, otherwise.
   */
  errorThroughSteps(b: Float32Array, transB: boolean): boolean;
  /** out ← Δ·Uᵀ for `rows` rows: the transpose of the recurrent weights (weight transport; BPTT's step back). */
  backThroughRecurrence(rows: number, delta: Float32Array, out: Float32Array): void;
}

/**
 * The signals a rule relies on, declared so that a plausibility table is generated from the code.
 */
export interface SignalUse {
  /** Feedback reads the forward weights (W_lᵀ): weight transport. */
  readonly weightTransport: boolean;
  /** The top-down signal is multiplied by the derivatives of the units it passes through. */
  readonly derivativeChain: boolean;
  /** The output error is broadcast directly to every hidden population. */
  readonly globalError: boolean;
  /** Hidden populations receive the label. */
  readonly labelAtHidden: boolean;
  /** The top hidden population's signal is the loss gradient through the read-out's weights. */
  readonly outputGradient: boolean;
  /** Feedback pathways learn (as decoders of the population below). */
  readonly learnedFeedback: boolean;
  /** Feedback reads the signs of the forward weights (sign symmetry): weight transport of one bit. */
  readonly signTransport?: boolean;
  /** Feedback is a fixed random matrix. */
  readonly fixedRandomFeedback?: boolean;
  /** Feedback matrices learn by receiving the forward weights' own updates (Kolen-Pollack). */
  readonly mirroredFeedback?: boolean;
  /** Side information (the label) enters a feedback pathway as an input. */
  readonly sideInformation?: boolean;
  /** Credit is carried back through the steps of a recurrent population (Rule.throughTime). */
  readonly throughTime?: boolean;
}

export interface Rule {
  readonly name: string;
  /** One line: the update, with its citation. */
  readonly summary: string;
  readonly uses: SignalUse;
  /** Options the rule takes beyond its settings, one line each with its citation (printed by `apical rules`). */
  readonly options?: readonly string[];
  /** The pathways this rule's `descend` expects between hidden populations. */
  readonly feedback: FeedbackKind;
  /** The pathway from the read-out down to h_L (default 'transpose': the loss gradient through W_outᵀ). */
  readonly readoutFeedback?: FeedbackKind;
  /** c: the learned decoders read their input minus c, or minus the code's running mean ('mean') (network/decoder.ts; default: unchanged). */
  readonly decoderCentre?: DecoderCentreSpec;
  /** The width of the read-out decoder's random auxiliary output features (AO-SDTP; network/top-decoder.ts; default 64). */
  readonly auxiliaryFeatures?: number;
  /**
   * The probes that train pathway l (the one leaving population l) in place of its own, when this
   * rule trains it differently (DRL: through every layer above); undefined: the pathway's own.
   */
  probes?(network: Network, l: number): Probe[] | undefined;
  /** Standard deviation of the noise probing decoders at `epoch` (0-based); rules with learned feedback only. */
  probeNoise?(epoch: number): number;
  /**
   * Through the read-out's pathway to the top hidden population: write top.topDown. The read-out's
   * view holds its probabilities (activity), its error ∂Loss/∂a_out (delta) and the one-hot label
   * (target). Default (`errorFromReadout`): the read-out's error sent down its error pathway.
   */
  fromReadout?(pathway: Pathway, readout: LocalView, top: LocalView, rows: number): void;
  /** At h_L, after `fromReadout`: rewrite topDown into this rule's top signal. */
  top(at: LocalView, rows: number): void;
  /** At a population: form its target and delta from its topDown and activity. */
  receive(at: LocalView, rows: number): void;
  /**
   * Through the pathway from `above` (l) to `below` (l−1): write below.topDown. `readout` is the
   * read-out's view, for rules whose feedback comes straight from the output.
   */
  descend(pathway: Pathway, above: LocalView, below: LocalView, rows: number, readout: LocalView): void;
  /** The pathway between the steps of a recurrent population (absent: the rule does not learn through time). */
  readonly temporalFeedback?: FeedbackKind;
  /**
   * At a recurrent population, after `receive` formed its last step's target and delta: the deltas
   * (and targets) of every step, through the pathway between steps.
   */
  throughTime?(pathway: Pathway, at: TemporalView, rows: number): void;
  /**
   * In place of `descend` when the pathway delivers nothing (a silenced pathway, experiment/lesion.ts),
   * so that the population's target is its own activity. Default: a zero top-down signal.
   */
  silenced?(below: LocalView, rows: number): void;
}

/** The default top step: the read-out's error Δ_out sent down its pathway, top.topDown ← Δ_out·Bᵀ. */
export function errorFromReadout(rule: string, pathway: Pathway, readout: LocalView, top: LocalView, rows: number): void {
  if (!isErrorPathway(pathway)) throw new Error(`rule ${rule} needs an error pathway from the read-out, got ${pathway.kind}`);
  pathway.send(rows, readout.delta, top.topDown);
}

/** The pathway a rule expected, or a clear error. */
export function expectPathway<K extends BuiltinPathway['kind']>(
  rule: string,
  pathway: Pathway,
  kind: K,
): Extract<BuiltinPathway, { kind: K }> {
  if (pathway.kind !== kind) throw new Error(`rule ${rule} needs ${kind} feedback pathways, got ${pathway.kind}`);
  return pathway as Extract<BuiltinPathway, { kind: K }>;
}
