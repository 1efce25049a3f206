/**
 * Feedback pathways by kind: what carries signals from a population down to the one below.
 * A rule names the kinds it needs (Rule.feedback between hidden populations, Rule.readoutFeedback
 * from the read-out to the top hidden population); the network builds them here, each fixed random
 * matrix from the pathway's own stream ("B3/init"), never from the rule.
 *
 *   transpose    W_lᵀ, reading the forward weights (back-propagation's weight transport)
 *   decoder      a learned decoder g_l (target propagation)
 *   random       fixed random B_l in W_l's shape (feedback alignment)
 *   direct       fixed random B from the read-out's error to the population (direct feedback alignment)
 *   sign         sign(W_l); sign-random: |R| ∘ sign(W_l) (sign symmetry)
 *   mirror       learned B_l receiving W_l's update (Kolen-Pollack)
 *   top-decoder, auxiliary-decoder, conditional-decoder
 *                a learned decoder from the read-out's probabilities (and a side input) to h_L
 *                (SDTP, AO-SDTP, conditional decoders; read-out only)
 *   direct-decoder-linear, direct-decoder-tanh
 *                a learned decoder from the output straight to the population (DDTP)
 */
import { streamState } from '../kernels/random';
import { StateRegistry } from '../state/registry';
import { Unit } from '../units';
import { DecoderPathway } from './decoder';
import { DirectDecoderPathway } from './direct-decoder';
import { FixedFeedbackPathway } from './fixed-feedback';
import { InitSpec } from './init';
import { MirrorFeedbackPathway } from './mirror-feedback';
import { Population } from './population';
import { Projection } from './projection';
import { SignFeedbackPathway } from './sign-feedback';
import { SideChannel, TopDecoderPathway } from './top-decoder';
import { TransposePathway } from './transpose';

export type Pathway =
  | DecoderPathway
  | TransposePathway
  | FixedFeedbackPathway<'random'>
  | FixedFeedbackPathway<'direct'>
  | SignFeedbackPathway<'sign'>
  | SignFeedbackPathway<'sign-random'>
  | MirrorFeedbackPathway
  | TopDecoderPathway<'top-decoder'>
  | TopDecoderPathway<'auxiliary-decoder'>
  | TopDecoderPathway<'conditional-decoder'>
  | DirectDecoderPathway<'direct-decoder-linear'>
  | DirectDecoderPathway<'direct-decoder-tanh'>;

export type FeedbackKind = Pathway['kind'];

/** Pathways that send an error signal: out = Δ·Bᵀ for the error Δ of their source. */
export type ErrorPathway = Extract<Pathway, { send(rows: number, delta: Float32Array, out: Float32Array): void }>;

/** Whether `pathway` sends an error signal. */
export function isErrorPathway(pathway: Pathway): pathway is ErrorPathway {
  return 'send' in pathway;
}

export interface PathwayContext {
  /** The run's state: learned matrices register there; fixed ones draw from its seed. */
  readonly state: StateRegistry;
  readonly maxRows: number;
  /** The population the pathway leaves (l), and the size of what it reaches (l−1, or the input). */
  readonly above: Population;
  readonly belowSize: number;
  /** The read-out: the source of direct feedback. */
  readonly readout: Population;
  /** Initialiser of feedback matrices, and the unit of learned decoders. */
  readonly init: InitSpec;
  readonly decoderUnit: Unit;
  /** An input transform of learned decoders (none: they read the activity itself). */
  readonly decoderInput?: Unit;
  /** A conditional decoder's side information, when not the one-hot label. */
  readonly side?: SideChannel;
}

/** The pathway of `kind` from `above` to `below`. */
export function buildPathway(kind: FeedbackKind, c: PathwayContext): Pathway {
  const l = c.above.index;
  const stream = (name: string) => streamState(c.state.seed, `${name}/init`);
  switch (kind) {
    case 'transpose':
      return new TransposePathway(c.above.projection);
    case 'decoder': {
      const decoder = new Projection(`V${l}`, c.above.size, c.belowSize, c.init, c.state);
      return new DecoderPathway(decoder, c.decoderUnit, c.maxRows, c.state.stream(`g${l}/input`), c.decoderInput);
    }
    case 'random':
      return new FixedFeedbackPathway('random', `B${l}`, c.belowSize, c.above.size, c.init, stream(`B${l}`));
    case 'direct':
      return new FixedFeedbackPathway('direct', `B${l}`, c.belowSize, c.readout.size, c.init, stream(`B${l}`));
    case 'sign':
      return new SignFeedbackPathway('sign', c.above.projection, c.init, stream(`B${l}`));
    case 'sign-random':
      return new SignFeedbackPathway('sign-random', c.above.projection, c.init, stream(`B${l}`));
    case 'mirror':
      return new MirrorFeedbackPathway(`B${l}`, c.belowSize, c.above.size, c.init, c.state);
    case 'top-decoder':
    case 'auxiliary-decoder':
    case 'conditional-decoder':
      if (c.above !== c.readout) throw new Error(`a ${kind} pathway leaves the read-out only`);
      return topDecoder(kind, c);
    case 'direct-decoder-linear':
    case 'direct-decoder-tanh':
      return directDecoder(kind, c);
  }
}

function directDecoder<K extends 'direct-decoder-linear' | 'direct-decoder-tanh'>(kind: K, c: PathwayContext): DirectDecoderPathway<K> {
  const projection = new Projection(`V${c.above.index}`, c.readout.size, c.belowSize, c.init, c.state);
  return new DirectDecoderPathway(kind, projection, c.maxRows);
}

function topDecoder<K extends 'top-decoder' | 'auxiliary-decoder' | 'conditional-decoder'>(kind: K, c: PathwayContext): TopDecoderPathway<K> {
  return new TopDecoderPathway(kind, `V${c.above.index}`, c.readout.size, c.belowSize, c.decoderUnit, c.init, c.state, c.maxRows, c.side);
}
