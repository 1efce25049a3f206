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
 *                       its output transform of h_l, if it has one). When `s.probeDecoders`,
 *                       every pathway's probes run once the population each waits for has fired
 *                       (a decoder g_l: noise injected into h_{l−1}, population l responds, g_l
 *                       computes its gradients; network/pathway.ts); a rule may replace a
 *                       pathway's probes with its own (DRL);
 *  3. top target      — the read-out scores the labels or targets (outcome$, readout-score.ts) and, when `s.learnForward`,
 *                       sends ∂Loss/∂h_L down its transposed weights; the rule's `top` turns it into
 *                       its own top signal;
 *  4. top-down        — for l = L … 1: population l `receive`s (forms its target and delta), then the
 *                       pathway l → l−1 `descend`s;
 *  4b. settle         — populations that advance on a clock settle under their targets and form
 *                       their deltas from their own change; pathways learning from the phases get
 *                       them (network/population-clock.ts; nothing happens for rate populations);
 *  5. local learning  — `learn$.next()`: every projection with fresh gradients takes one optimiser
 *                       step (forward projections from their population's delta and input, then
 *                       each pathway's `applyGradients`);
 *  6. record          — recorders have seen outcome$ and reconstruction$ during the step.
 * Phases 1–4 happen synchronously inside `stimulus$.next`, so within a step the order is exact and
 * across steps nothing computed at step t acts before step t+1.
 *
 * Time: a minibatch of sequences (`stimulus.steps`) enters as one input event per time step; the
 * recurrent population (h_1, network/recurrent-population.ts) fires on each, carrying its state
 * from step to step, and everything above it (the populations, the probes) acts on its last step
 * only. In phase 4, once h_1 has received its last step's signal, the rule carries credit back
 * through the steps (`throughTime`, through the network's pathway between steps).
 */
import { concatMap, filter, map, merge, Observable, share, Subject, Subscription } from 'rxjs';
import { Network, Pathway } from '../network/network';
import { Population } from '../network/population';
import { RecurrentPopulation } from '../network/recurrent-population';
import { LocalView, Rule, TemporalView } from '../rules';
import { errorFromReadout } from '../rules/rule';
import { Activity, Outcome, Reconstruction, Stimulus, TopDown } from './events';
import { scoreMinibatch } from './readout-score';

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
    sendInPlace: (rows, v) => void population.send(rows, v, v),
  };
}

/** What a rule learning through time sees of a recurrent population: its steps' buffers, never its projection. */
function temporalView(population: RecurrentPopulation, last: LocalView): TemporalView {
  const { size } = population;
  return {
    name: population.name,
    size,
    get steps() {
      return population.steps;
    },
    last,
    activity: (t) => population.stateAt(t, population.rows),
    target: (t) => population.at(population.targets, t, population.rows, size),
    delta: (t) => population.at(population.deltas, t, population.rows, size),
    throughUnit: (t, g, d) => population.throughUnitAt(t, population.rows, g, d),
    inputDelta: (t) => population.inputDeltaAt(t, population.rows),
    errorThroughSteps: (b, transB) => population.errorThroughSteps(b, transB),
    backThroughRecurrence: (rows, delta, out) => population.backThroughRecurrence(rows, delta, out),
  };
}

/** True for an event that is not an early step of a sequence (the last step, or no sequence at all). */
const lastStep = ({ time }: Activity): boolean => time === undefined || time.t === time.steps - 1;

/**
 * The input's events of a stimulus: one per time step of a sequence (x_t: the step's columns of the
 * minibatch's rows, read in place at the rows' stride), or the input itself.
 */
function* inputEvents(stimulus: Stimulus, width: number): Generator<Activity> {
  const { steps, rows, input } = stimulus;
  if (steps === undefined) {
    yield { stimulus, population: 0, activity: input };
    return;
  }
  const stride = input.length / rows;
  for (let t = 0; t < steps; t++) yield { stimulus, population: 0, activity: input.subarray(t * width), stride, time: { t, steps } };
}

/**
 * Throws unless the network has the pathways `rule` needs (between steps too, for a recurrent
 * population: a rule that learns through time) and every population the derivatives it uses.
 */
function checkFits(network: Network, rule: Rule): void {
  if (network.options.feedback !== rule.feedback) {
    throw new Error(`rule ${rule.name} needs ${rule.feedback} feedback pathways; the network has ${network.options.feedback}`);
  }
  if (network.readoutFeedback.kind !== (rule.readoutFeedback ?? 'transpose')) {
    throw new Error(`rule ${rule.name} needs a ${rule.readoutFeedback ?? 'transpose'} pathway from the read-out; the network has ${network.readoutFeedback.kind}`);
  }
  const { recurrent, temporal } = network;
  if (recurrent && !(rule.throughTime && temporal)) {
    throw new Error(`rule ${rule.name} does not learn through time; recurrent population ${recurrent.name} needs one that does (bptt, tptt, fa-tt)`);
  }
  if (temporal && temporal.kind !== rule.temporalFeedback) {
    throw new Error(`rule ${rule.name} needs a ${rule.temporalFeedback} pathway between steps; the network has ${temporal.kind}`);
  }
  for (const population of network.hidden) population.requireDerivatives(rule.name, rule.uses.derivativeChain);
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
    checkFits(network, rule);
    const views = network.populations.map(localView);
    this.activity$ = this.forwardSweep();
    this.reconstruction$ = this.probes();
    this.outcome$ = this.scoreReadout();
    this.topDown$ = this.topDown(views);
    // The streams are hot: subscribe the ends so every phase runs even with no recorder attached.
    this.subscription.add(this.settle(this.topDown$[1]).subscribe());
    this.subscription.add(this.reconstruction$.subscribe());
    this.subscription.add(this.learn$.subscribe(() => this.learnLocally()));
  }

  /**
   * 2. Forward sweep: activity$[l] = f_l(activity$[l−1]), the input at 0. A sequence enters as one
   * input event per step; the recurrent population fires on each, the populations above it on the last.
   */
  private forwardSweep(): Observable<Activity>[] {
    const { populations, recurrent } = this.network;
    const input$ = recurrent
      ? this.stimulus$.pipe(concatMap((stimulus) => inputEvents(stimulus, recurrent.width)), share())
      : this.stimulus$.pipe(
          map((stimulus): Activity => ({ stimulus, population: 0, activity: stimulus.input })),
          share(),
        );
    const activity$: Observable<Activity>[] = [input$];
    for (const population of populations) {
      const below$ = activity$[population.index - 1];
      activity$.push(
        population === recurrent
          ? below$.pipe(
              map(({ stimulus, activity, stride, time }): Activity => {
                if (!time) throw new Error(`recurrent population ${population.name} needs sequences (data with steps)`);
                return { stimulus, population: population.index, activity: recurrent.fireStep(time.t, time.steps, stimulus.rows, activity, stride ?? recurrent.width), time };
              }),
              share(),
            )
          : below$.pipe(
              filter(lastStep),
              map(({ stimulus, activity }): Activity => ({
                stimulus,
                population: population.index,
                activity: population.fire(stimulus.rows, activity),
              })),
              share(),
            ),
      );
    }
    return activity$;
  }

  /**
   * 2b. Probes: each pathway learns from what it sees as the sweep passes (a rule may replace a
   * pathway's own probes with its own); the pathway between steps too, on a sequence's last step.
   */
  private probes(): Observable<Reconstruction> {
    const { network, rule } = this;
    const probes: Observable<Reconstruction>[] = [];
    const { recurrent, temporal } = network;
    const ends: [Pathway, number][] = [
      ...network.feedback.flatMap((p, l): [Pathway, number][] => (p ? [[p, l]] : [])),
      ...(temporal && recurrent ? [[temporal, recurrent.index] as [Pathway, number]] : []),
      [network.readoutFeedback, network.readout.index],
    ];
    for (const [pathway, l] of ends) {
      for (const probe of rule.probes?.(network, l) ?? pathway.probes?.(network.site(l)) ?? []) {
        probes.push(
          this.activity$[probe.after].pipe(
            filter((event) => event.stimulus.probeDecoders && lastStep(event)),
            map(({ stimulus }): Reconstruction => ({ stimulus, pathway: probe.pathway, error: probe.run(stimulus) })),
          ),
        );
      }
    }
    return merge(...probes).pipe(share());
  }

  /** 3. The read-out scores the labels or targets (readout-score.ts); with learning on, its delta is ∂Loss/∂scores. */
  private scoreReadout(): Observable<Outcome> {
    const { readout } = this.network;
    return this.activity$[readout.index].pipe(
      map(({ stimulus }): Outcome => {
        const { loss, errors } = scoreMinibatch(readout, stimulus, stimulus.learnForward);
        if (stimulus.learnForward) this.pendingForward.add(readout);
        return { stimulus, loss, errors };
      }),
      share(),
    );
  }

  /**
   * 3–4. Top target, then top-down: receive at l, descend to l−1; received$[l] for l = 1 … L. The
   * recurrent population, once it has received its last step's signal, has the rule carry credit
   * back through the steps.
   */
  private topDown(views: readonly LocalView[]): Observable<TopDown>[] {
    const { network, rule } = this;
    const { populations, hidden, readout, recurrent } = network;
    const top = hidden[hidden.length - 1];
    const received$: Observable<TopDown>[] = [];
    let arriving$: Observable<TopDown> = this.outcome$.pipe(
      filter(({ stimulus }) => stimulus.learnForward),
      map(({ stimulus }): TopDown => {
        const readoutView = views[readout.index - 1];
        for (const pathway of network.pathways()) pathway.present?.(stimulus);
        if (rule.fromReadout) rule.fromReadout(network.readoutFeedback, readoutView, views[top.index - 1], stimulus.rows);
        else errorFromReadout(rule.name, network.readoutFeedback, readoutView, views[top.index - 1], stimulus.rows);
        rule.top(views[top.index - 1], stimulus.rows);
        return { stimulus, population: top.index };
      }),
    );
    for (let l = top.index; l >= 1; l--) {
      const population = populations[l - 1];
      const throughTime = population === recurrent ? temporalView(recurrent, views[l - 1]) : null;
      const received = arriving$.pipe(
        map((signal): TopDown => {
          rule.receive(views[l - 1], signal.stimulus.rows);
          if (throughTime) rule.throughTime!(network.temporal!, throughTime, signal.stimulus.rows);
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
    return received$;
  }

  /** 4b. Clocked populations settle under their targets, once the bottom population has received. */
  private settle(bottomReceived$: Observable<TopDown>): Observable<TopDown> {
    const { network } = this;
    return bottomReceived$.pipe(
      map((signal): TopDown => {
        for (const clock of network.clocks) clock.settle(signal.stimulus.rows, network.pathways());
        return signal;
      }),
    );
  }

  /** 5. Local learning: forward projections with fresh deltas (then their running input centres), then every pathway's own gradients. */
  private learnLocally(): void {
    for (const population of this.pendingForward) {
      population.accumulateGradients();
      population.projection.applyGradients();
      population.trackInputCentre();
    }
    this.pendingForward.clear();
    for (const pathway of this.network.pathways()) pathway.applyGradients?.();
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
