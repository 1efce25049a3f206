/**
 * A population's firing rate in bins of `binSteps` steps: rate_b = spikes in bin b / (N · binSteps · dt),
 * in Hz, into an array preallocated for `steps` steps.
 */
import { Subscription } from 'rxjs';
import { NeuronGroup } from '../network/neuron-group';

export class RateMonitor {
  readonly kind = 'rate';
  readonly rates: Float64Array;
  private readonly subscription: Subscription;

  constructor(readonly name: string, readonly group: NeuronGroup, readonly binSteps: number, steps: number) {
    this.rates = new Float64Array(Math.ceil(steps / binSteps));
    const scale = 1 / (group.size * binSteps * group.compiled.dt);
    this.subscription = group.spikes$.subscribe(({ step, indices }) => {
      const bin = Math.floor(step / binSteps);
      if (bin < this.rates.length) this.rates[bin] += indices.length * scale;
    });
  }

  close(): void {
    this.subscription.unsubscribe();
  }
}
