/**
 * The built-in feedback pathway kinds, registered by name (network/pathway.ts holds the interface
 * and the registry). A rule names the kinds it needs (Rule.feedback between hidden populations,
 * Rule.readoutFeedback from the read-out to the top hidden population); the network builds them,
 * each fixed random matrix from the pathway's own stream ("B3/init"), never from the rule.
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
 *   output-decoder
 *                a learned decoder from the read-out's scores to h_L (Meulemans et al.'s DTP; read-out only)
 *   rate-decoder a learned decoder between spike-count rates, learning from settled phases (spiking DTP)
 * and, between the steps of a recurrent population (from h_t to h_{t−1}):
 *   transpose-through-time  Uᵀ (back-propagation through time's weight transport)
 *   random-through-time     fixed random B in U's shape (feedback alignment through time)
 *   inverse-through-time    a learned inverse G of the transition (target propagation through time)
 */
import { streamState } from '../kernels/random';
import { DecoderPathway } from './decoder';
import { DirectDecoderPathway } from './direct-decoder';
import { FixedFeedbackPathway } from './fixed-feedback';
import { InputCentre } from './input-centre';
import { MirrorFeedbackPathway } from './mirror-feedback';
import { OutputDecoderPathway } from './output-decoder';
import { InverseTransitionPathway } from './inverse-transition';
import { PathwayContext, registerPathway } from './pathway';
import { Population } from './population';
import { Projection } from './projection';
import { RateDecoderPathway } from './rate-decoder';
import { RecurrentPopulation } from './recurrent-population';
import { RecurrentTransposePathway } from './recurrent-transpose';
import { SignFeedbackPathway } from './sign-feedback';
import { TopDecoderKind, TopDecoderPathway } from './top-decoder';
import { TransposePathway } from './transpose';

export { buildPathway, isErrorPathway, registerPathway } from './pathway';
export type { ErrorPathway, FeedbackKind, Pathway, PathwayContext, PathwaySite } from './pathway';

/** The built-in kinds, for rules that need one of them. */
export type BuiltinPathway =
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
  | DirectDecoderPathway<'direct-decoder-tanh'>
  | OutputDecoderPathway
  | RateDecoderPathway
  | RecurrentTransposePathway
  | FixedFeedbackPathway<'random-through-time'>
  | InverseTransitionPathway;

const initStream = (c: PathwayContext) => streamState(c.state.seed, `B${c.above.index}/init`);

registerPathway('transpose', (c) => new TransposePathway(c.above.projection));
const decoder = (c: PathwayContext): DecoderPathway => {
  const l = c.above.index;
  const projection = new Projection(`V${l}`, c.above.size, c.belowSize, c.init, c.state);
  return new DecoderPathway(projection, c.decoderUnit, c.maxRows, c.state.stream(`g${l}/input`), c.decoderInput, decoderCentre(c, projection));
};
/** The centre decoder g_l reads its code with: a number, or the running centre population l+1 reads the same code with ('mean'), which then keeps g_l's function as it moves (g_l starts as with a fixed centre at its start). */
function decoderCentre(c: PathwayContext, projection: Projection): number | InputCentre {
  if (c.decoderCentre !== 'mean') return c.decoderCentre ?? 0;
  const reader = c.populations[c.above.index];
  const centre = reader?.inputCentre;
  if (!centre || centre.rate === 0) {
    throw new Error(`decoderCentre "mean": decoder g${c.above.index} reads the code of ${c.above.name}, whose reader ${reader?.name ?? '(none)'} has no running inputCentre ({ "start", "rate" } on its layer)`);
  }
  centre.addReader(projection, false);
  return centre;
}
registerPathway('decoder', decoder);
registerPathway('output-decoder', (c) => {
  const top = c.below;
  if (c.above !== c.readout || !top) throw new Error('an output-decoder pathway leaves the read-out only');
  const sent = new Float32Array(c.maxRows * top.size);
  // It reads the read-out's scores, not a population's code: never centred.
  return new OutputDecoderPathway(decoder({ ...c, decoderCentre: 0 }), c.maxRows, (rows, out) => c.readout.respond(rows, top.send(rows, top.activity, sent), out));
});
registerPathway('random', (c) => new FixedFeedbackPathway('random', `B${c.above.index}`, c.belowSize, c.above.size, c.init, initStream(c)));
registerPathway('direct', (c) => new FixedFeedbackPathway('direct', `B${c.above.index}`, c.belowSize, c.readout.size, c.init, initStream(c)));
registerPathway('sign', (c) => new SignFeedbackPathway('sign', c.above.projection, c.init, initStream(c)));
registerPathway('sign-random', (c) => new SignFeedbackPathway('sign-random', c.above.projection, c.init, initStream(c)));
registerPathway('mirror', (c) => new MirrorFeedbackPathway(`B${c.above.index}`, c.belowSize, c.above.size, c.init, c.state));
for (const kind of ['top-decoder', 'auxiliary-decoder', 'conditional-decoder'] as const) {
  registerPathway(kind, (c) => topDecoder(kind, c));
}
for (const kind of ['direct-decoder-linear', 'direct-decoder-tanh'] as const) {
  registerPathway(kind, (c) => new DirectDecoderPathway(kind, new Projection(`V${c.above.index}`, c.readout.size, c.belowSize, c.init, c.state), c.maxRows));
}

registerPathway('rate-decoder', (c) => new RateDecoderPathway(c.above.index, new Projection(`V${c.above.index}`, c.above.size, c.belowSize, c.init, c.state), c.decoderUnit, c.maxRows));

/** The recurrent population a pathway between steps serves. */
function recurrent(kind: string, population: Population): RecurrentPopulation {
  if (!(population instanceof RecurrentPopulation)) throw new Error(`a ${kind} pathway serves a recurrent population; ${population.name} is not one`);
  return population;
}

registerPathway('transpose-through-time', (c) => new RecurrentTransposePathway(recurrent(c.kind, c.above)));
registerPathway('random-through-time', (c) => {
  const { size } = recurrent(c.kind, c.above);
  return new FixedFeedbackPathway('random-through-time', `Br${c.above.index}`, size, size, c.init, streamState(c.state.seed, `Br${c.above.index}/init`));
});
registerPathway('inverse-through-time', (c) => new InverseTransitionPathway(recurrent(c.kind, c.above), c.decoderUnit, c.init, c.state, c.maxRows));

function topDecoder<K extends TopDecoderKind>(kind: K, c: PathwayContext): TopDecoderPathway<K> {
  if (c.above !== c.readout) throw new Error(`a ${kind} pathway leaves the read-out only`);
  return new TopDecoderPathway(kind, `V${c.above.index}`, c.readout.size, c.belowSize, c.decoderUnit, c.init, c.state, c.maxRows, c.side, c.auxiliaryFeatures);
}
