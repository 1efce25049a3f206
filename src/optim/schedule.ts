/**
 * A step decay of learning rates per epoch: in epoch e (1-based) every scheduled optimiser's
 * learning rate is lr · decay^(e − 1). An optimiser reads its spec's lr at every step
 * (optimizer.ts), so the schedule hands out copies of the specs and rewrites their lr.
 */
import { OptimizerSpec } from './optimizer';

export class LearningRateDecay {
  private readonly scheduled: { spec: { lr: number }; lr: number }[] = [];

  constructor(readonly decay: number) {}

  /** A copy of `spec` whose learning rate this schedule sets. */
  schedule<S extends OptimizerSpec>(spec: S): S {
    const copy = { ...spec };
    this.scheduled.push({ spec: copy as { lr: number }, lr: spec.lr });
    return copy;
  }

  /** Sets every scheduled learning rate for epoch `epoch` (1-based). */
  setEpoch(epoch: number): void {
    for (const entry of this.scheduled) entry.spec.lr = entry.lr * this.decay ** (epoch - 1);
  }
}
