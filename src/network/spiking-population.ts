/**
 * A spiking population: a population that advances on a clock (spiking-phases.ts). Its activity is
 * its spike-count rate over the counted window of a phase, h_l = count / (window · r_max); the first
 * spiking population of the forward sweep runs the forward phase for all of them. Its rates have no
 * unit derivative: a rule reaches it through targets, and it learns from its own rate change when it
 * settles under them (population-clock.ts).
 */
import { kernels } from '../kernels';
import { RngState } from '../kernels/random';
import { Unit } from '../units';
import { Population } from './population';
import { Projection } from './projection';
import { SpikingPhases } from './spiking-phases';

/** What a spiking population's activity is, in the place of a rate unit. */
const spikeCountRate: Unit = {
  name: 'spike-count rate',
  equation: 'h = count / (window · r_max)',
  readout: false,
  random: false,
  derivative: 'none',
  step: () => {
    throw new Error('a spike-count rate is read from a clocked phase, not stepped');
  },
};

export class SpikingPopulation extends Population {
  constructor(name: string, index: number, size: number, projection: Projection, maxRows: number, streams: { readonly units: RngState; readonly send: RngState }, readonly clock: SpikingPhases) {
    super(name, index, spikeCountRate, size, projection, maxRows, streams);
    clock.add(this);
  }

  override fire(rows: number, input: Float32Array): Float32Array {
    this.rows = rows;
    this.input = input;
    if (this.clock.populations[0] === this) this.clock.forward(rows, input);
    return this.clock.rates(this.index, this.activity, rows);
  }

  /**
   * Its delta is one trial's rate change, Δ = h^forward − h^target-phase (spiking-phases.ts), so the
   * batch mean is taken here: ∂W = (1/m)·Xᵀ·Δ, ∂b = (1/m)·1ᵀ·Δ.
   */
  override accumulateGradients(): void {
    const k = kernels();
    const { rows: m, projection } = this;
    k.gemm(true, false, projection.inSize, projection.outSize, m, 1 / m, this.input, this.delta, 0, projection.weightGrad);
    k.columnSums(m, projection.outSize, 1 / m, this.delta, 0, projection.biasGrad);
  }

  override respond(): void {
    throw new Error(`population ${this.name} is spiking: it answers no probe`);
  }

  override throughUnit(): void {
    throw new Error(`population ${this.name} is spiking: its rates have no unit derivative`);
  }

  /** A rule chaining derivatives cannot pass a spiking population; others reach it through targets. */
  override requireDerivatives(rule: string, throughSend: boolean): void {
    if (throughSend) throw new Error(`rule ${rule}: population ${this.name} is spiking: its rates have no unit derivative`);
  }
}
