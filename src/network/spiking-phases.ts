/**
 * The shared clock of a network's spiking populations: one SpikingNetwork (spiking-network.ts)
 * simulating a minibatch of trials, run in phases (Guerguiev, Lillicrap & Richards 2017; Bengio 2014).
 * Each phase starts from rest with the same input (the encoder's stream replayed, or the same input
 * current), so the rates differ between the phases only through the top-down current.
 *  1. forward phase (`forward`, when the first spiking population fires): no apical drive; each
 *     population's rate h_l = spike count / (window · r_max);
 *  2. target phases (`settle`, once the rule has formed the targets ĥ_l): each population receives an
 *     apical current proportional to the difference between its target and its forward rate,
 *        va_l = κ · (ĥ_l − h_l) · (Vt − El),
 *     every population at once ('joint') or one phase per population, only it driven ('per-layer':
 *     its rate change is then its own drive's, while population l+1 answers the change of l);
 * and each population forms its delta from its own rate change of one trial,
 *        Δ_l = −(h_l^target-phase − h_l^forward),
 * (the population takes the batch mean in its gradient, spiking-population.ts), so that its projection's update ΔW_l ∝ h_{l−1}ᵀ(h_l^t − h_l^f) is the DTP layer loss's gradient with
 * the neuron's own f–I slope in place of a derivative. Pathways that learn from the phases' rate
 * pairs (rate-decoder.ts) receive them.
 * The learned W_l and b_l are the populations' projections; they are copied into the synapses (in
 * volts) at the start of every forward phase, so the simulation always runs the current parameters.
 */
import { kernels } from '../kernels';
import { Pathway, SettledPhases } from './pathway';
import { PopulationClock } from './population-clock';
import { Population } from './population';
import { SpikingSpec } from './spec';
import { SpikingNetwork } from './spiking-network';

export class SpikingPhases implements PopulationClock {
  /** The spiking populations, bottom first (populations[l − 1] is h_l). */
  readonly populations: Population[] = [];
  /** Rates of the target phase that drove each population (index l), and of the phase that drove l − 1. */
  private readonly targetRates: Float32Array[];
  private readonly answerRates: Float32Array[];
  private readonly drive: Float32Array;

  constructor(
    readonly network: SpikingNetwork,
    readonly spec: SpikingSpec,
  ) {
    const { batch } = network;
    const sizes = [network.options.input, ...network.options.layers];
    this.targetRates = sizes.map((n, l) => new Float32Array(l === 0 ? 0 : batch * n));
    this.answerRates = sizes.map((n, l) => new Float32Array(l === 0 || spec.targetPhases === 'joint' ? 0 : batch * n));
    this.drive = new Float32Array(batch * Math.max(...network.options.layers));
  }

  /** A population of this clock (they join bottom first). */
  add(population: Population): void {
    this.populations.push(population);
  }

  /** The forward phase of `rows` trials of input x (rows × input). */
  forward(rows: number, x: Float32Array): void {
    const net = this.network;
    this.populations.forEach(({ projection }, l) => {
      net.weights[l].set(projection.weights);
      net.biases[l].set(projection.bias);
    });
    net.syncParameters();
    for (let l = 1; l <= this.populations.length; l++) net.setApical(l, null);
    net.present(x, rows);
    net.startTrial();
    net.runPhase(this.spec.settleSteps, this.spec.countSteps);
  }

  /** The rates of population l (1-based) in the last counted window, into `out`. */
  rates(l: number, out: Float32Array, rows: number): Float32Array {
    return this.network.rates(l, out, rows);
  }

  /** The target-phase rates of population l (1-based) of the last settle. */
  targetPhaseRates(l: number): Float32Array {
    return this.targetRates[l];
  }

  settle(rows: number, pathways: readonly Pathway[]): void {
    const net = this.network;
    const k = kernels();
    const { apicalGain: gain, settleSteps, countSteps } = this.spec;
    const pops = this.populations;
    const L = pops.length;
    const apical = (l: number): void => {
      const p = pops[l - 1];
      k.axpby(rows * p.size, gain, p.target, -gain, p.activity, this.drive);
      net.setApical(l, this.drive, rows);
    };
    if (this.spec.targetPhases === 'joint') {
      for (let l = 1; l <= L; l++) apical(l);
      net.rewind();
      net.runPhase(settleSteps, countSteps);
      for (let l = 1; l <= L; l++) net.rates(l, this.targetRates[l], rows);
      for (let l = 1; l <= L; l++) net.setApical(l, null);
    } else {
      for (let l = 1; l <= L; l++) {
        apical(l);
        net.rewind();
        net.runPhase(settleSteps, countSteps);
        net.rates(l, this.targetRates[l], rows);
        if (l < L) net.rates(l + 1, this.answerRates[l + 1], rows);
        net.setApical(l, null);
      }
    }
    pops.forEach((p, i) => k.axpby(rows * p.size, -1, this.targetRates[i + 1], 1, p.activity, p.delta));
    const input = pops[0].input;
    const forward = [input, ...pops.map((p) => p.activity)];
    const target = [input, ...this.targetRates.slice(1)];
    const phases: SettledPhases = { forward, target, perturbed: this.spec.targetPhases === 'joint' ? target : [input, ...this.answerRates.slice(1)] };
    for (const pathway of pathways) pathway.settled?.(rows, phases);
  }
}
