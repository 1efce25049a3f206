/**
 * A network: an input of `inputSize` channels, hidden populations h_1 … h_L, a read-out, and the
 * feedback pathways a learning rule asks for.
 *
 * Feedback pathways are indexed by the population they leave: `feedback[l]` carries signals from
 * population l down to population l−1 (l = 2 … L), and `readoutFeedback` from the read-out down to
 * h_L. Every random draw comes from a stream named after its owner ("W3/init", "V3/init",
 * "h2/noise", "h1/units", "h1/send", "g2/input"), so the same seed always builds the same network.
 * The network owns the run's state registry (`state`): every parameter and every stream that
 * advances while it runs is registered there, and checkpoints hold exactly that (state/registry.ts).
 */
import { fillNormal, streamState } from '../kernels/random';
import { StateRegistry } from '../state/registry';
import { Unit, unitNamed } from '../units';
import { DecoderPathway } from './decoder';
import { buildPathway, FeedbackKind, Pathway, PathwayContext, PathwaySite } from './pathways';
import { PopulationClock } from './population-clock';
import { Projection } from './projection';
import { Population } from './population';
import { initialise } from './init';
import { DecoderCentreSpec, InputCentre, InputCentreSpec } from './input-centre';
import { RecurrentPopulation } from './recurrent-population';
import { expandLayers, ModelSpec, SpikingSpec } from './spec';
import { SpikingNetwork } from './spiking-network';
import { SpikingPhases } from './spiking-phases';
import { SpikingPopulation } from './spiking-population';
import { SideChannel } from './top-decoder';

export type { FeedbackKind, Pathway } from './pathways';

export interface NetworkOptions {
  readonly seed: number;
  /** The largest minibatch the network will see (training or evaluation). */
  readonly maxRows: number;
  /** Which feedback pathways to build between hidden populations. */
  readonly feedback: FeedbackKind;
  /** The pathway from the read-out down to h_L (default: its transposed weights, the loss gradient). */
  readonly readoutFeedback?: FeedbackKind;
  /**
   * Also build a decoder g_1 from h_1 back to the input (decoder feedback only), trained on probes
   * like the others. It sends no target (the input does not learn); it lets recorders show what
   * each population's activity decodes to in input space (Bengio 2014's first auto-encoder).
   */
  readonly inputDecoder?: boolean;
  /** The input features [start, end) of a view that can go missing: the input decoder learns to fill it in (decoder.ts, blankInProbes). */
  readonly missingView?: { readonly start: number; readonly end: number };
  /** What a conditional decoder reads as side information, when not the one-hot label. */
  readonly side?: SideChannel;
  /** The longest sequence a recurrent population will step through (default 1). */
  readonly maxSteps?: number;
  /** The pathway between the steps of a recurrent population (a rule learning through time names it). */
  readonly temporalFeedback?: FeedbackKind;
  /** c: every learned decoder reads its input minus c, or minus the code's running mean ('mean') (decoder.ts; a rule's `decoderCentre`). */
  readonly decoderCentre?: DecoderCentreSpec;
  /** The width of AO-SDTP's auxiliary output features (top-decoder.ts; a rule's `auxiliaryFeatures`). */
  readonly auxiliaryFeatures?: number;
}

export class Network {
  readonly inputSize: number;
  /** h_1 … h_L then the read-out; `populations[i].index === i + 1`. */
  readonly populations: readonly Population[];
  readonly hidden: readonly Population[];
  readonly readout: Population;
  /** feedback[l]: population l → l−1, for l = 2 … L (undefined elsewhere; l = 1: the input decoder, if asked for). */
  readonly feedback: readonly (Pathway | undefined)[];
  /** The read-out's pathway down to h_L (by default its transposed weights: the loss gradient). */
  readonly readoutFeedback: Pathway;
  /** The recurrent population (h_1), if any, and its pathway from each step to the one before. */
  readonly recurrent: RecurrentPopulation | null;
  readonly temporal: Pathway | null;
  /** Everything carried from step to step, by name: what checkpoints save. */
  readonly state: StateRegistry;
  /** The clocks its populations advance on (none: every population is a rate population). */
  readonly clocks: readonly PopulationClock[];
  /** `pathways()`, once listed. */
  private pathwayList: readonly Pathway[] | undefined;

  constructor(
    readonly spec: ModelSpec,
    readonly options: NetworkOptions,
  ) {
    const layers = expandLayers(spec);
    if (layers.length < 2) throw new Error(`model "${spec.name}" needs at least one hidden layer and a read-out`);
    this.inputSize = spec.input;
    this.state = new StateRegistry(options.seed);
    let below = spec.input;
    const spiking = spec.spiking ? this.spikingPhases(spec.spiking, layers.slice(0, -1).map((l) => l.size)) : null;
    this.clocks = spiking ? [spiking] : [];
    this.populations = layers.map((layer, i) => {
      const index = i + 1;
      const isReadout = index === layers.length;
      const name = isReadout ? 'out' : `h${index}`;
      if (layer.inputCentre !== undefined && (layer.recurrent || spiking)) {
        throw new Error(`model "${spec.name}": layer ${index} has an inputCentre; only the populations of a rate model that are not recurrent can centre their input`);
      }
      if (spiking && !isReadout) {
        const projection = new Projection(`W${index}`, below, layer.size, layer.init, this.state);
        below = layer.size;
        return new SpikingPopulation(name, index, layer.size, projection, options.maxRows, { units: this.state.stream(`${name}/units`), send: this.state.stream(`${name}/send`) }, spiking);
      }
      const unit = unitNamed(layer.units);
      if (unit.readout !== isReadout) {
        throw new Error(
          `model "${spec.name}": ${isReadout ? 'the last layer must be a read-out (softmax)' : `layer ${index} cannot be a read-out`}`,
        );
      }
      if (layer.recurrent && index !== 1) throw new Error(`model "${spec.name}": layer ${index} is recurrent; only the first hidden layer may be (the populations above read its last state)`);
      const input = below;
      const projection = new Projection(`W${index}`, layer.recurrent ? below + layer.size : below, layer.size, layer.init, this.state);
      below = layer.size;
      const streams = { units: this.state.stream(`${name}/units`), send: this.state.stream(`${name}/send`) };
      const send = layer.send === undefined ? undefined : unitNamed(layer.send);
      if (send && isReadout) throw new Error(`model "${spec.name}": the read-out cannot have an output transform`);
      if (!layer.recurrent) return new Population(name, index, unit, layer.size, projection, options.maxRows, streams, send, this.inputCentre(name, projection, layer.inputCentre));
      // [W; U]: W drawn as a feed-forward projection's, U from its own stream.
      initialise(layer.init, input, layer.size, streamState(this.state.seed, `W${index}/init`), projection.weights.subarray(0, input * layer.size));
      initialise(layer.recurrent.init ?? layer.init, layer.size, layer.size, streamState(this.state.seed, `U${index}/init`), projection.weights.subarray(input * layer.size));
      return new RecurrentPopulation(name, index, unit, layer.size, projection, options.maxRows, options.maxSteps ?? 1, streams, send);
    });
    this.hidden = this.populations.slice(0, -1);
    this.readout = this.populations[this.populations.length - 1];
    const decoderUnit: Unit = unitNamed(spec.feedback?.units ?? 'tanh');
    const decoderInput = spec.feedback?.input === undefined ? undefined : unitNamed(spec.feedback.input);
    const init = spec.feedback?.init ?? spec.init ?? { name: 'orthogonal' as const };
    const context = (kind: FeedbackKind, above: Population): PathwayContext => ({
      ...this.site(above.index),
      kind,
      init,
      decoderUnit,
      decoderInput,
      decoderCentre: options.decoderCentre,
      side: options.side,
      auxiliaryFeatures: options.auxiliaryFeatures,
    });
    this.readoutFeedback = buildPathway(context(options.readoutFeedback ?? 'transpose', this.readout));
    const recurrent = this.populations[0];
    this.recurrent = recurrent instanceof RecurrentPopulation ? recurrent : null;
    if (this.recurrent && options.inputDecoder) throw new Error(`model "${spec.name}": a recurrent population has no decoder back to the input (record reconstructions of feed-forward models only)`);
    this.temporal = this.recurrent && options.temporalFeedback ? buildPathway(context(options.temporalFeedback, this.recurrent)) : null;
    this.feedback = [undefined, ...this.populations.map((above, i) => {
      const index = i + 1;
      if (above === this.readout) return undefined;
      if (index < 2 && !(options.inputDecoder && options.feedback === 'decoder')) return undefined;
      return buildPathway(context(options.feedback, above));
    })];
    const missing = options.missingView;
    if (missing) {
      const inputDecoder = this.feedback[1];
      if (!(inputDecoder instanceof DecoderPathway)) throw new Error(`model "${spec.name}": a missing view is filled in by a learned input decoder; this network has none (a rule with learned decoders, a feed-forward first layer)`);
      inputDecoder.blankInProbes(missing.start, missing.end);
    }
    if (spec.spiking) this.drawFromOneStream(spec.spiking.init);
  }

  /** The centre population `name` reads its input with (input-centre.ts), its projection the first reader; none without a spec. */
  private inputCentre(name: string, projection: Projection, spec: InputCentreSpec | undefined): InputCentre | undefined {
    if (spec === undefined) return undefined;
    const centre = new InputCentre(name, projection.inSize, spec, this.state);
    centre.addReader(projection, true);
    return centre;
  }

  /** The clock of spiking hidden populations of `sizes`, simulating `maxRows` trials at once. */
  private spikingPhases(spec: SpikingSpec, sizes: number[]): SpikingPhases {
    const network = new SpikingNetwork({
      input: this.spec.input,
      layers: sizes,
      batch: this.options.maxRows,
      dt: spec.dt,
      neuron: spec.neuron,
      roles: spec.roles,
      encoder: spec.encoder,
      inputRate: spec.inputRate,
      maxRate: spec.maxRate,
      seed: this.options.seed,
    });
    network.register(this.state);
    return new SpikingPhases(network, spec);
  }

  /**
   * Initial parameters drawn in order from the one stream `init.stream`: W_1 … W_L with gain
   * `init.scale` and biases `init.bias`, then the read-out's and the decoders' with gain 1 and zero
   * biases, each W ~ N(0, (gain/√fan-in)²) (spec.ts, SpikingSpec.init).
   */
  private drawFromOneStream(init: SpikingSpec['init']): void {
    const stream = streamState(this.state.seed, init.stream);
    const draw = (projection: Projection, gain: number, bias: number): void => {
      const w = projection.weights;
      const std = gain / Math.sqrt(projection.inSize);
      fillNormal(stream, w.length, w);
      for (let i = 0; i < w.length; i++) w[i] *= std;
      projection.bias.fill(bias);
    };
    for (const p of this.hidden) draw(p.projection, init.scale, init.bias);
    draw(this.readout.projection, 1, 0);
    for (const pathway of this.feedback) for (const projection of pathway?.projections?.() ?? []) draw(projection, 1, 0);
  }

  /** Where the pathway leaving population l sits (l = L + 1: the read-out's). */
  site(l: number): PathwaySite {
    const below = l === 1 ? null : this.populations[l - 2];
    return {
      state: this.state,
      maxRows: this.options.maxRows,
      above: this.populations[l - 1],
      below,
      belowSize: below ? below.size : this.inputSize,
      populations: this.populations,
      readout: this.readout,
    };
  }

  /** Every feedback pathway (the one between steps after the others), the read-out's last (listed once: asked for at every minibatch). */
  pathways(): readonly Pathway[] {
    return (this.pathwayList ??= [...this.feedback.flatMap((p) => (p ? [p] : [])), ...(this.temporal ? [this.temporal] : []), this.readoutFeedback]);
  }

  /**
   * Output and input transforms on (the network as specified) or off (its continuous twin, for
   * Lee et al.'s "train continuous, test discrete" baseline).
   */
  setTransforms(on: boolean): void {
    for (const population of this.populations) population.transforms = on;
    for (const pathway of this.pathways()) pathway.setTransforms?.(on);
  }

  /** Every learned projection, forward first, for saving and counting. */
  projections(): Projection[] {
    const learned = this.pathways().flatMap((p) => p.projections?.() ?? []);
    return [...this.populations.map((p) => p.projection), ...learned];
  }
}
