/**
 * The simulation clock: time steps of length dt within a trial, beside the trainer's minibatch steps.
 * Order within step s (Brian2's default schedule, so results are comparable):
 *   1. every group: state update and threshold            (NeuronGroup.update)
 *   2. every group: one spike event per group             (spikes$ → synapses deliver, monitors record)
 *   3. every group: reset of the neurons that spiked      (NeuronGroup.reset)
 *   4. tick$ emits s                                      (state and rate monitors sample)
 * Between groups everything is event-driven: a synapse subscribes to its source's spike events and
 * does work only for the neurons that spiked.
 */
import { Subject, Subscription } from 'rxjs';
import { NeuronGroup } from './neuron-group';
import { Synapses } from './synapses';

export class Simulation {
  /** The next step to run. */
  step = 0;
  /** Emits each step's number after its resets. */
  readonly tick$ = new Subject<number>();
  private readonly wiring = new Subscription();

  constructor(readonly dt: number, readonly groups: readonly NeuronGroup[], readonly synapses: readonly Synapses[]) {
    for (const s of synapses) this.wiring.add(s.source.spikes$.subscribe((event) => s.receive(event)));
  }

  /** Runs `steps` steps synchronously. */
  run(steps: number): void {
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
