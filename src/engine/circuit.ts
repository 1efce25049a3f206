/**
 * The circuit: a network and a learning rule wired together as RxJS streams.
 *
 * Populations talk only through events, one per population per phase, each carrying a minibatch:
 * activity flows up, top-down signals flow down. Subjects exist only at the edges: `stimulus$`
 * (input and labels in) and `learn$` (the learning phase's control); `outcome$` and
 * `reconstruction$` are the recorders' outputs. Everything between is composed with operators.
 *
 * The phases of one step, in this fixed order:
 *  1. present input   — `stimulus$.next(s)`;
 *  2. forward sweep   — activity$[l] = f_l(activity$[l−1]) for l = 1 … L+1 (each population sends
 *                       its output transform of h_l, if it has one). As the sweep passes
 *                       population l−1, decoder g_l is probed when `s.probeDecoders` (noise
 *                       injected into h_{l−1}, which sends its transform of the probe, population l
 *                       responds, g_l computes its gradients);
 *  3. top target      — the read-out scores the labels (outcome$) and, when `s.learnForward`,
 *                       sends ∂Loss/∂h_L down its transposed weights; the rule's `top` turns it into
 *                       its own top signal;
 *  4. top-down        — for l = L … 1: population l `receive`s (forms its target and delta), then the
 *                       pathway l → l−1 `descend`s;
 *  5. local learning  — `learn$.next()`: every projection with fresh gradients takes one optimiser
 *                       step (forward projections from their population's delta and input);
 *  6. record          — recorders have seen outcome$ and reconstruction$ during the step.
 * Phases 1–4 happen synchronously inside `stimulus$.next`, so within a step the order is exact and
 * across steps nothing computed at step t acts before step t+1.
 */
import { filter, map, merge, Observable, share, Subject, Subscription } from 'rxjs';
import { kernels } from '../kernels';
import { DecoderPathway } from '../network/decoder';
import { DirectDecoderPathway } from '../network/direct-decoder';
import { MirrorFeedbackPathway } from '../network/mirror-feedback';
import { TopDecoderPathway } from '../network/top-decoder';
import { Network } from '../network/network';
import { Population } from '../network/population';
import { LocalView, Rule } from '../rules';
import { errorFromReadout } from '../rules/rule';
import { directProbes } from './direct-probes';
import { differenceReconstructionProbes } from './drl-probes';
import { Activity, Outcome, Reconstruction, Stimulus, TopDown } from './events';

/** The part of a population a rule may see: its own buffers, never its projection. */
function localView(population: Population): LocalView {
  return {
    name: population.name,
    size: population.size,
    activity: population.activity,
    topDown: population.topDown,
    target: population.target,
    delta: population.delta,
    throughUnit: (length, g, d) => population.throughUnit(length, g, d),
    throughSend: (length, g, d) => population.throughSend(length, g, d),
  };
}

/** The read-out's target: the one-hot label of each row. */
function oneHot(rows: number, classes: number, labels: Int32Array, out: Float32Array): void {
  out.fill(0, 0, rows * classes);
  for (let i = 0; i < rows; i++) out[i * classes + labels[i]] = 1;
}

export class Circuit {
  /** Edge in: one minibatch per step. */
  readonly stimulus$ = new Subject<Stimulus>();
  /** Edge in: the learning phase. */
  readonly learn$ = new Subject<void>();
  /** activity$[l]: what population l sends up (0 = the input). */
  readonly activity$: readonly Observable<Activity>[];
  /** Edge out: the read-out's score of every minibatch. */
  readonly outcome$: Observable<Outcome>;
  /** Edge out: each decoder's reconstruction error on every probe. */
  readonly reconstruction$: Observable<Reconstruction>;
  /** topDown$[l]: signal delivered to population l (after it has received it), l = 1 … L. */
  readonly topDown$: readonly Observable<TopDown>[];

  private readonly subscription = new Subscription();
  /** Populations holding a fresh delta for their forward projection (applied in the learning phase). */
  private readonly pendingForward = new Set<Population>();

  constructor(
    readonly network: Network,
    readonly rule: Rule,
  ) {
    if (network.options.feedback !== rule.feedback) {
      throw new Error(`rule ${rule.name} needs ${rule.feedback} feedback pathways; the network has ${network.options.feedback}`);
    }
    if (network.readoutFeedback.kind !== (rule.readoutFeedback ?? 'transpose')) {
      throw new Error(`rule ${rule.name} needs a ${rule.readoutFeedback ?? 'transpose'} pathway from the read-out; the network has ${network.readoutFeedback.kind}`);
    }
    const k = kernels();
    const { populations, hidden, readout } = network;
    for (const population of hidden) population.requireDerivatives(rule.name, rule.uses.derivativeChain);
    const views = populations.map(localView);

    // 2. Forward sweep.
    const input$ = this.stimulus$.pipe(
      map((stimulus): Activity => ({ stimulus, population: 0, activity: stimulus.input })),
      share(),
    );
    const activity$: Observable<Activity>[] = [input$];
    for (const population of populations) {
      activity$.push(
        activity$[population.index - 1].pipe(
          map(({ stimulus, activity }): Activity => ({
            stimulus,
            population: population.index,
            activity: population.fire(stimulus.rows, activity),
          })),
          share(),
        ),
      );
    }
    this.activity$ = activity$;

    // 2b. Decoder probes: noise injected at population l−1, response of population l, g_l learns.
    const probes: Observable<Reconstruction>[] = [];
    network.feedback.forEach((pathway, l) => {
      if (!(pathway instanceof DecoderPathway) || (rule.decoderLoss === 'difference' && l >= 2)) return;
      const above = populations[l - 1];
      const below = l >= 2 ? populations[l - 2] : null;
      const noise = network.state.stream(`${below ? below.name : 'input'}/noise`);
      const name = `g${l}`;
      probes.push(
        activity$[l - 1].pipe(
          filter(({ stimulus }) => stimulus.probeDecoders),
          map(({ stimulus, activity }): Reconstruction => {
            const rows = stimulus.rows;
            // The input decoder g_1 (when built) probes the input itself, which has no output transform.
            k.addGaussianNoise(rows * pathway.projection.outSize, below ? below.activity : activity, stimulus.noise, noise, pathway.probe);
            above.respond(rows, below ? below.send(rows, pathway.probe, pathway.sentProbe) : pathway.probe, pathway.response);
            return { stimulus, pathway: name, error: pathway.learnFromProbe(rows) };
          }),
        ),
      );
    });
    // 2c. The read-out's own decoder (SDTP, AO-SDTP, conditional): noise injected at h_L, the read-out's
    //     probabilities respond, g_{L+1} learns.
    const topDecoder = network.readoutFeedback;
    // Side information reaches a conditional decoder with each minibatch: the stimulus's own, else
    // the one-hot label.
    const conditional = topDecoder instanceof TopDecoderPathway && topDecoder.kind === 'conditional-decoder' ? topDecoder : null;
    const labelSide = new Float32Array(conditional ? network.options.maxRows * readout.size : 0);
    const deliverSide = ({ rows, labels, side }: Stimulus): void => {
      if (!conditional) return;
      if (side) conditional.receiveSide(rows, side);
      else {
        oneHot(rows, readout.size, labels, labelSide);
        conditional.receiveSide(rows, labelSide);
      }
    };
    if (topDecoder instanceof TopDecoderPathway) {
      const top = hidden[hidden.length - 1];
      const noise = network.state.stream(`${top.name}/noise`);
      probes.push(
        activity$[top.index].pipe(
          filter(({ stimulus }) => stimulus.probeDecoders),
          map(({ stimulus }): Reconstruction => {
            const { rows, labels } = stimulus;
            k.addGaussianNoise(rows * top.size, top.activity, stimulus.noise, noise, topDecoder.probe);
            readout.respond(rows, top.send(rows, topDecoder.probe, topDecoder.sentProbe), topDecoder.response);
            k.softmaxCrossEntropy(rows, readout.size, topDecoder.response, labels, topDecoder.response, 1, null);
            deliverSide(stimulus);
            return { stimulus, pathway: `g${readout.index}`, error: topDecoder.learnFromProbe(rows) };
          }),
        ),
      );
    }
    probes.push(...directProbes(network, activity$[readout.index]));
    if (rule.decoderLoss === 'difference') probes.push(...differenceReconstructionProbes(network, activity$[hidden.length]));
    this.reconstruction$ = merge(...probes).pipe(share());

    // 3. The read-out scores the labels; with learning on, its delta is ∂Loss/∂scores.
    this.outcome$ = activity$[readout.index].pipe(
      map(({ stimulus }): Outcome => {
        const { rows, labels } = stimulus;
        const scores = readout.activity;
        const errors = k.countErrors(rows, readout.size, scores, labels);
        const grad = stimulus.learnForward ? readout.delta : null;
        const loss = k.softmaxCrossEntropy(rows, readout.size, scores, labels, scores, 1, grad);
        if (stimulus.learnForward) {
          this.pendingForward.add(readout);
          oneHot(rows, readout.size, labels, readout.target);
        }
        return { stimulus, loss, errors };
      }),
      share(),
    );

    // 3–4. Top target, then top-down: receive at l, descend to l−1.
    const top = hidden[hidden.length - 1];
    const received$: Observable<TopDown>[] = [];
    let arriving$: Observable<TopDown> = this.outcome$.pipe(
      filter(({ stimulus }) => stimulus.learnForward),
      map(({ stimulus }): TopDown => {
        const readoutView = views[readout.index - 1];
        deliverSide(stimulus);
        if (rule.fromReadout) rule.fromReadout(network.readoutFeedback, readoutView, views[top.index - 1], stimulus.rows);
        else errorFromReadout(rule.name, network.readoutFeedback, readoutView, views[top.index - 1], stimulus.rows);
        rule.top(views[top.index - 1], stimulus.rows);
        return { stimulus, population: top.index };
      }),
    );
    for (let l = top.index; l >= 1; l--) {
      const population = populations[l - 1];
      const received = arriving$.pipe(
        map((signal): TopDown => {
          rule.receive(views[l - 1], signal.stimulus.rows);
          this.pendingForward.add(population);
          return signal;
        }),
        share(),
      );
      received$[l] = received;
      const pathway = network.feedback[l];
      if (l > 1 && pathway) {
        arriving$ = received.pipe(
          map(({ stimulus }): TopDown => {
            rule.descend(pathway, views[l - 1], views[l - 2], stimulus.rows, views[readout.index - 1]);
            return { stimulus, population: l - 1 };
          }),
        );
      }
    }
    this.topDown$ = received$;

    // The streams are hot: subscribe the ends so every phase runs even with no recorder attached.
    this.subscription.add(received$[1].subscribe());
    this.subscription.add(this.reconstruction$.subscribe());

    // 5. Local learning.
    this.subscription.add(
      this.learn$.subscribe(() => {
        for (const population of this.pendingForward) {
          population.projection.accumulateGradients(population.rows, population.input, population.delta);
          population.projection.applyGradients();
        }
        this.pendingForward.clear();
        for (const pathway of network.pathways()) {
          if (pathway instanceof DecoderPathway && pathway.pending) {
            pathway.projection.applyGradients();
            pathway.pending = false;
          } else if ((pathway instanceof MirrorFeedbackPathway || pathway instanceof TopDecoderPathway || pathway instanceof DirectDecoderPathway) && pathway.pending) {
            pathway.applyGradients();
          }
        }
      }),
    );
  }

  /** One whole step: present `stimulus` (phases 1–4), then learn (phase 5). */
  step(stimulus: Stimulus): void {
    this.stimulus$.next(stimulus);
    if (stimulus.learnForward || stimulus.probeDecoders) this.learn$.next();
  }

  /** Completes the edges and drops every internal subscription. */
  dispose(): void {
    this.stimulus$.complete();
    this.learn$.complete();
    this.subscription.unsubscribe();
  }
}
