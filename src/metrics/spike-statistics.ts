/**
 * Spike statistics of populations, accumulated while the simulation runs (no spike list needed):
 *  - spikes: count;  mean_rate_hz = spikes / (N · T);
 *  - isi_cv: the coefficient of variation of inter-spike intervals, CV_i = std(ISI_i) / mean(ISI_i)
 *    for each neuron with at least two intervals, averaged over those neurons (null if none).
 *    Over a window, the intervals are those that end inside it (the previous spike may be earlier).
 * Vogels & Abbott (2005) use the same ISI CV to characterise the irregular asynchronous state.
 */
import { Subscription } from 'rxjs';
import { NeuronGroup } from '../network/neuron-group';

export interface SpikeSummary {
  readonly spikes: number;
  readonly mean_rate_hz: number;
  readonly isi_cv: number | null;
}

/** Per-neuron sums of intervals (count, Σ isi, Σ isi²). */
class IntervalSums {
  readonly count: Uint32Array;
  readonly sum: Float64Array;
  readonly squares: Float64Array;
  spikes = 0;
  constructor(size: number) {
    this.count = new Uint32Array(size);
    this.sum = new Float64Array(size);
    this.squares = new Float64Array(size);
  }
  clear(): void {
    this.count.fill(0);
    this.sum.fill(0);
    this.squares.fill(0);
    this.spikes = 0;
  }
  cv(): number | null {
    let total = 0;
    let neurons = 0;
    for (let i = 0; i < this.count.length; i++) {
      const n = this.count[i];
      if (n < 2) continue;
      const mean = this.sum[i] / n;
      const variance = Math.max(0, this.squares[i] / n - mean * mean);
      total += Math.sqrt(variance) / mean;
      neurons++;
    }
    return neurons > 0 ? total / neurons : null;
  }
}

export class SpikeStatistics {
  private readonly run: IntervalSums;
  private readonly window: IntervalSums;
  private readonly last: Float64Array;
  private readonly subscriptions: Subscription[];
  private readonly size: number;
  private readonly dt: number;

  constructor(groups: readonly NeuronGroup[]) {
    this.size = groups.reduce((n, g) => n + g.size, 0);
    this.dt = groups[0]?.compiled.dt ?? 1;
    this.run = new IntervalSums(this.size);
    this.window = new IntervalSums(this.size);
    this.last = new Float64Array(this.size).fill(-1);
    let offset = 0;
    this.subscriptions = groups.map((g) => {
      const base = offset;
      offset += g.size;
      return g.spikes$.subscribe(({ step, indices }) => this.add(base, step, indices));
    });
  }

  private add(base: number, step: number, indices: Uint32Array): void {
    for (let s = 0; s < indices.length; s++) {
      const i = base + indices[s];
      const previous = this.last[i];
      this.last[i] = step;
      if (previous < 0) continue;
      const isi = step - previous;
      for (const sums of [this.run, this.window]) {
        sums.count[i]++;
        sums.sum[i] += isi;
        sums.squares[i] += isi * isi;
      }
    }
    this.run.spikes += indices.length;
    this.window.spikes += indices.length;
  }

  private summary(sums: IntervalSums, steps: number): SpikeSummary {
    return { spikes: sums.spikes, mean_rate_hz: sums.spikes / (this.size * steps * this.dt), isi_cv: sums.cv() };
  }

  /** Statistics since the last call (a window of `steps` steps), then starts a new window. */
  takeWindow(steps: number): SpikeSummary {
    const result = this.summary(this.window, steps);
    this.window.clear();
    return result;
  }

  /** Statistics of the whole run of `steps` steps. */
  total(steps: number): SpikeSummary {
    return this.summary(this.run, steps);
  }

  close(): void {
    for (const s of this.subscriptions) s.unsubscribe();
  }
}
