/**
 * What the live view shows, taken from the circuit's edges while training runs: every epoch's
 * record (learning curves), the running training error and loss over the forward phase's
 * minibatches (outcome$), and, every `every` steps, the activity of the first units of the first
 * example of every hidden population with its target, and the rms of ĥ − h (topDown$). It only
 * reads buffers and sends copies of a few numbers, so the run's results are the same with and
 * without it.
 */
import { Subscription } from 'rxjs';
import { Circuit } from '../engine/circuit';
import { RunObserver } from '../engine/observer';
import { TrainerEvent } from '../engine/trainer';

/** Where the feed sends its events: the live view's server (server.ts), or a page's worker posting to the page. */
export interface LiveSink {
  send(kind: string, data: unknown): void;
}

export interface LiveFeedOptions {
  /** Steps between trace samples (default 10). */
  readonly every?: number;
  /** Units per population in the traces (default 6). */
  readonly units?: number;
}

export class LiveFeed implements RunObserver {
  private readonly subscription = new Subscription();
  private epoch = 1;
  private tally = { rows: 0, errors: 0, loss: 0 };

  constructor(
    circuit: Circuit,
    private readonly server: LiveSink,
    /** Training steps per epoch. */
    private readonly steps: number,
    options: LiveFeedOptions = {},
  ) {
    const every = options.every ?? 10;
    const units = options.units ?? 6;
    const hidden = circuit.network.hidden;
    server.send('hello', { populations: hidden.map((p) => p.name), units, steps });
    this.subscription.add(
      circuit.outcome$.subscribe(({ stimulus, errors, loss }) => {
        if (!stimulus.learnForward) return;
        this.tally.rows += stimulus.rows;
        this.tally.errors += errors;
        this.tally.loss += loss;
        if (stimulus.step % every !== every - 1) return;
        const { rows, errors: e, loss: l } = this.tally;
        server.send('batch', { epoch: this.epoch, step: stimulus.step + 1, train_error: e / rows, loss: l / rows });
        this.tally = { rows: 0, errors: 0, loss: 0 };
      }),
    );
    // The bottom population hears last (after the whole top-down sweep): sample every population then.
    this.subscription.add(
      circuit.topDown$[1].subscribe(({ stimulus }) => {
        if (stimulus.step % every !== 0) return;
        const sample = hidden.map((p) => {
          let squares = 0;
          for (let i = 0; i < p.size; i++) squares += (p.target[i] - p.activity[i]) ** 2;
          return {
            population: p.name,
            activity: Array.from(p.activity.subarray(0, Math.min(units, p.size))),
            target: Array.from(p.target.subarray(0, Math.min(units, p.size))),
            signal: Math.sqrt(squares / p.size),
          };
        });
        server.send('trace', { epoch: this.epoch, step: stimulus.step, x: this.epoch - 1 + stimulus.step / this.steps, populations: sample });
      }),
    );
  }

  onEvent(event: TrainerEvent): void {
    if (event.kind !== 'epoch') return;
    this.server.send('epoch', event.record);
    this.epoch = event.record.epoch + 1;
  }

  close(): void {
    this.subscription.unsubscribe();
    this.server.send('done', { epochs: this.epoch - 1 });
  }
}
