/**
 * A read-out unit: its projection passes the summed input through (identity); what it means, and
 * its gradient, come with its loss (engine/readout-score.ts), never through `derive`.
 */
import { Activation } from '../kernels';
import { Unit } from './unit';

export function readoutUnit(name: string, equation: string, loss?: Unit['loss']): Unit {
  return {
    name,
    equation,
    activation: Activation.Identity,
    readout: true,
    ...(loss ? { loss } : {}),
    random: false,
    derivative: 'true',
    step(_k, length, a, y) {
      // Rows are not known here: the read-out's step is the identity; a softmax normalises with its loss.
      if (y !== a) y.set(a.subarray(0, length));
    },
    // The read-out's delta comes from its loss directly (y − onehot, 2(y − t)), never through this.
    derive(_k, length, _a, _y, g, d) {
      if (d !== g) d.set(g.subarray(0, length));
    },
  };
}
