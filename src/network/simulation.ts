/**
 * The simulation clock: time steps of length dt within a trial, beside the trainer's minibatch steps.
 * Order within step s (Brian2's default schedule, so results are comparable):
 *   1. every group: state update and threshold            (NeuronGroup.update)
 *   2. every group: one spike event per group             (spikes$ → synapses deliver, monitors record)
 *   3. every group: reset of the neurons that spiked      (NeuronGroup.reset)
 *   4. tick$ emits s                                      (state and rate monitors sample)
 * Between groups everything is event-driven: a synapse subscribes to its source's spike events and
 * does work only for the neurons that spiked.
 *
 * When every group's compiled model can fuse its step (the native backend, NeuronGroup.fuse) and
 * every synapse delivers in the step of its spikes into a group updated no later than its source,
 * a group's update and deliveries run in one call into the addon, and its reset is deferred to the
 * start of its next call (or made before tick$ when tick$ has subscribers, and at the end of run()):
 * the same operations on the same arrays in the same order, so the same bits, with one crossing
 * from JavaScript per group and step instead of one per update, delivery and reset. Spike events
 * still reach every other subscriber (monitors), after all groups' updates and deliveries.
 */
import { Subject, Subscription } from 'rxjs';
import { Delivery, StepFunction } from '../equations/generator';
import { NeuronGroup } from './neuron-group';
import { Synapses } from './synapses';

export class Simulation {
  /** The next step to run. */
  step = 0;
  /** Emits each step's number after its resets. */
  readonly tick$ = new Subject<number>();
  private readonly wiring = new Subscription();
  /** Each group's fused step (see the file comment), or null: the steps run call by call. */
  private readonly fusedSteps: StepFunction[] | null;

  constructor(readonly dt: number, readonly groups: readonly NeuronGroup[], readonly synapses: readonly Synapses[]) {
    this.fusedSteps = fusedSteps(groups, synapses);
    if (!this.fusedSteps) for (const s of synapses) this.wiring.add(s.source.spikes$.subscribe((event) => s.receive(event)));
  }

  /** Whether each group's step runs as one call (see the file comment). */
  get fused(): boolean {
    return this.fusedSteps !== null;
  }

  /** Runs `steps` steps synchronously. */
  run(steps: number): void {
    if (this.fusedSteps) {
      this.runFused(steps, this.fusedSteps);
      return;
    }
    const groups = this.groups;
    const end = this.step + steps;
    for (let s = this.step; s < end; s++) {
      for (let g = 0; g < groups.length; g++) groups[g].update(s);
      for (let g = 0; g < groups.length; g++) groups[g].emit(s);
      for (let g = 0; g < groups.length; g++) groups[g].reset(s);
      this.tick$.next(s);
    }
    this.step = end;
  }

  /** run() with each group's step fused into one call (see the file comment). */
  private runFused(steps: number, fused: readonly StepFunction[]): void {
    const groups = this.groups;
    const end = this.step + steps;
    for (let s = this.step; s < end; s++) {
      for (let g = 0; g < groups.length; g++) groups[g].advance(fused[g], s);
      for (let g = 0; g < groups.length; g++) if (groups[g].spikes$.observed) groups[g].emit(s);
      if (this.tick$.observed) {
        for (let g = 0; g < groups.length; g++) groups[g].reset(s);
        this.tick$.next(s);
      } else {
        for (let g = 0; g < groups.length; g++) groups[g].deferReset();
      }
    }
    for (let g = 0; g < groups.length; g++) groups[g].flushReset(end - 1);
    this.step = end;
  }

  /** The group named `name`. */
  group(name: string): NeuronGroup {
    const found = this.groups.find((g) => g.name === name);
    if (!found) throw new Error(`no population "${name}"`);
    return found;
  }

  /** Detaches synapses from their sources. */
  dispose(): void {
    this.wiring.unsubscribe();
  }
}

/**
 * Each group's fused step with the deliveries of the synapses it is the source of (in the order
 * given), or null unless every group fuses and every synapse delivers without delay into a group
 * that comes no later than its source (so its target is updated before the delivery, as unfused).
 */
function fusedSteps(groups: readonly NeuronGroup[], synapses: readonly Synapses[]): StepFunction[] | null {
  const deliveries = groups.map((): Delivery[] => []);
  for (const s of synapses) {
    const source = groups.indexOf(s.source);
    const target = groups.indexOf(s.target);
    const delivery = s.delivery();
    if (source < 0 || target < 0 || target > source || delivery === null) return null;
    deliveries[source].push(delivery);
  }
  const fused: StepFunction[] = [];
  for (let g = 0; g < groups.length; g++) {
    const step = groups[g].fuse(deliveries[g]);
    if (!step) return null;
    fused.push(step);
  }
  return fused;
}
