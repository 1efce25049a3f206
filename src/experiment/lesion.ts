/**
 * Lesions of a feedback pathway from a given epoch on (experiment field `lesion`), to watch what
 * the top-down signals do for learning below them:
 *
 *   "lesion": { "pathway": "g4", "mode": "silence", "fromEpoch": 3 }
 *
 * - silence:   pathway g_l (population l → l−1) delivers nothing: population l−1's top-down signal
 *              is zero. Under DTP its target becomes its own activity, ĥ_{l−1} = h_{l−1}, so every
 *              population below l stops learning (and the read-out and populations l … L go on).
 * - freeze:    the pathway's own weights stop learning; it keeps sending through them.
 * - randomise: the pathway's weights are drawn afresh (its init, stream "<V_l>/lesion"), its biases
 *              zeroed and its optimiser state reset; it goes on learning.
 * The lesion acts at the boundary between epoch fromEpoch−1 and fromEpoch (exactly: it is applied
 * when the trainer reports the earlier epoch, before the next epoch's first step). Whether it is
 * active is registered in the run's state ("lesion/g4"), so a run resumed after fromEpoch has it.
 */
import { RunObserver } from '../engine/observer';
import { TrainerEvent } from '../engine/trainer';
import { streamState } from '../kernels/random';
import { initialise, InitSpec } from '../network/init';
import { Pathway } from '../network/pathway';
import { Projection } from '../network/projection';
import { OptimizerSpec } from '../optim/optimizer';
import { Rule } from '../rules';
import { StateRegistry } from '../state/registry';

export type LesionMode = 'silence' | 'freeze' | 'randomise';

export interface LesionSpec {
  /** "g<l>": the feedback pathway from population l down to l−1 (l = 2 … L). */
  readonly pathway: string;
  readonly mode: LesionMode;
  /** First epoch (1-based) trained with the lesion; default 1. */
  readonly fromEpoch?: number;
}

export const lesionSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['pathway', 'mode'],
  properties: {
    pathway: { type: 'string', pattern: '^g[0-9]+$' },
    mode: { enum: ['silence', 'freeze', 'randomise'] },
    fromEpoch: { type: 'integer', minimum: 1 },
  },
} as const;

/** What a lesion acts on: the feedback pathways by the population they leave, and the run's state. */
export interface LesionSite {
  readonly feedback: readonly (Pathway | undefined)[];
  readonly state: StateRegistry;
}

/** The pathway `name` ("g3") of `network`, or a message saying which exist. */
export function lesionTarget(network: Pick<LesionSite, 'feedback'>, name: string): Pathway | string {
  const l = Number(name.slice(1));
  const pathway = l >= 2 ? network.feedback[l] : undefined;
  if (pathway) return pathway;
  const names = network.feedback.flatMap((p, i) => (p && i >= 2 ? [`g${i}`] : []));
  return `names "${name}", which the network does not have (it has ${names.join(', ') || 'no feedback pathways'})`;
}

/** The pathway's own learned projection, if it has one (decoders do; transposes borrow W_l; fixed and mirror matrices are not projections). */
function ownProjection(pathway: Pathway): Projection | null {
  const learned = pathway.projections?.() ?? [];
  return learned.length === 1 ? learned[0] : null;
}

export class FeedbackLesion implements RunObserver {
  private active = false;
  private readonly pathway: Pathway;

  constructor(
    readonly spec: LesionSpec,
    network: LesionSite,
    private readonly optimizer: OptimizerSpec,
    private readonly init: InitSpec,
    private readonly seed: number,
  ) {
    const target = lesionTarget(network, spec.pathway);
    if (typeof target === 'string') throw new Error(target);
    this.pathway = target;
    if (spec.mode !== 'silence' && !ownProjection(target)) {
      throw new Error(`pathway ${spec.pathway} borrows the forward weights (${target.kind}): only "silence" applies to it`);
    }
    // Restored before the arrays: an active lesion swaps its optimiser back in, then the checkpoint
    // fills the weights and the optimiser's buffers.
    network.state.value(`lesion/${spec.pathway}`, () => this.active, (active) => {
      if (active && !this.active) this.apply({ redraw: false });
    });
  }

  /** `rule`, with the lesioned pathway's descent replaced by silence while the lesion is active. */
  wrap(rule: Rule): Rule {
    if (this.spec.mode !== 'silence') return rule;
    const wrapped: Rule = Object.create(rule);
    const lesion = this;
    wrapped.descend = function (pathway, above, below, rows, readout) {
      if (!(lesion.active && pathway === lesion.pathway)) rule.descend(pathway, above, below, rows, readout);
      else if (rule.silenced) rule.silenced(below, rows);
      else below.topDown.fill(0, 0, rows * below.size);
    };
    return wrapped;
  }

  /** Applies the lesion if it starts at the first epoch (call once the circuit is built). */
  start(): void {
    if ((this.spec.fromEpoch ?? 1) <= 1) this.apply();
  }

  onEvent(event: TrainerEvent): void {
    if (event.kind === 'epoch') this.epochEnded(event.record.epoch);
  }

  /** Epoch `epoch` (1-based) is over: the lesion starts if the next one is its first. */
  epochEnded(epoch: number): void {
    if (epoch === (this.spec.fromEpoch ?? 1) - 1) this.apply();
  }

  close(): void {}

  private apply({ redraw } = { redraw: true }): void {
    this.active = true;
    const projection = ownProjection(this.pathway);
    if (!projection) return;
    if (this.spec.mode === 'freeze') projection.setOptimizer(this.optimizer, { weights: true, bias: true });
    if (this.spec.mode === 'randomise') {
      if (redraw) {
        initialise(this.init, projection.inSize, projection.outSize, streamState(this.seed, `${projection.name}/lesion`), projection.weights);
        projection.bias.fill(0);
      }
      projection.setOptimizer(this.optimizer);
    }
  }
}
