/**
 * Activity recorder: subscribes to the circuit's top-down edge of chosen populations and, every
 * `every`-th training step, writes the activity h, the top-down signal and the target ĥ of chosen
 * units and rows (record/activity.jsonl). It reads the population's buffers after the population
 * has received its signal (topDown$ fires then), copies a few numbers and never writes back.
 * Rules that form no target leave ĥ untouched (all zero): those samples record `target: null`.
 */
import { Subscription } from 'rxjs';
import { Circuit } from '../engine/circuit';
import { RunObserver } from '../engine/observer';
import { TrainerEvent } from '../engine/trainer';
import { ActivitySample } from './formats';
import { JsonLinesFile, round4 } from './jsonl-file';

export interface ActivityOptions {
  /** Hidden population names ("h1" …); default all. */
  readonly populations?: readonly string[];
  readonly units?: number;
  readonly examples?: number;
  readonly every?: number;
}

export class ActivityRecorder implements RunObserver {
  private readonly subscription = new Subscription();
  private epoch = 1;
  /** Samples written. */
  samples = 0;

  constructor(
    circuit: Circuit,
    private readonly file: JsonLinesFile,
    options: ActivityOptions,
    /** Training steps per epoch (for placing samples in time). */
    private readonly steps: number,
  ) {
    const every = options.every ?? 50;
    circuit.network.state.value(
      'record/activity/epoch',
      () => this.epoch,
      (epoch) => (this.epoch = epoch as number),
    );
    const hidden = circuit.network.hidden;
    const names = options.populations ?? hidden.map((p) => p.name);
    for (const name of names) {
      const population = hidden.find((p) => p.name === name);
      if (!population) throw new Error(`record.activity.populations names "${name}", which is not a hidden population (${hidden.map((p) => p.name).join(', ')})`);
      const units = Array.from({ length: Math.min(options.units ?? 16, population.size) }, (_, u) => u);
      const size = population.size;
      this.subscription.add(
        circuit.topDown$[population.index].subscribe(({ stimulus }) => {
          if (stimulus.step % every !== 0) return;
          const rows = Array.from({ length: Math.min(options.examples ?? 2, stimulus.rows) }, (_, r) => r);
          const slice = (buffer: Float32Array): number[][] => rows.map((r) => units.map((u) => round4(buffer[r * size + u])));
          const target = slice(population.target);
          const sample: ActivitySample = {
            epoch: this.epoch,
            step: stimulus.step,
            steps: this.steps,
            population: name,
            rows,
            units,
            activity: slice(population.activity),
            topDown: slice(population.topDown),
            target: target.every((row) => row.every((v) => v === 0)) ? null : target,
          };
          this.file.write(sample);
          this.samples++;
        }),
      );
    }
  }

  onEvent(event: TrainerEvent): void {
    if (event.kind === 'epoch') this.epoch = event.record.epoch + 1;
  }

  close(): void {
    this.subscription.unsubscribe();
    this.file.close();
  }
}
