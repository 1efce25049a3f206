/**
 * A layered spiking network for learning: a rate-to-spike encoder population (Poisson or regular,
 * rates = x · inputRate) followed by populations of LIF neurons, each driven through all-to-all
 * current-based synapses from the one below, with a bias drive and an apical (top-down) drive.
 *
 * Learned quantities are dimensionless "drive units": a weight matrix W_l (k×n, input-major as in
 * the rate networks) and bias b_l, where drive 1 is the threshold gap Vt − El. The synapse from
 * neuron i of a layer firing at its maximum rate r_max adds on average W_ij·(Vt − El) to the
 * target's membrane: w_ij = W_ij·(Vt − El)/(r_max·τs), since each spike adds w to ge, which
 * decays with τs. Rates are read as spike counts over a window, normalised by the layer's r_max.
 */
import { compileModel } from '../equations/compile';
import { Quantity, siValue } from '../equations/dimensions';
import { ModelSpec, parseModel } from '../equations/model';
import { Simulation } from '../engine/simulation';
import { NeuronGroup } from './neuron-group';
import { Synapses } from './synapses';

export interface SpikingNetworkOptions {
  readonly input: number;
  readonly layers: readonly number[];
  /** Seconds. */
  readonly dt: number;
  /** Hidden neuron model: variables v, ge, vb, va; constants Vt, El, taus. */
  readonly neuron: ModelSpec;
  /** Encoder model with a `rates` variable (poisson.json or regular.json). */
  readonly encoder: ModelSpec;
  /** Encoder rate for x = 1, Hz. */
  readonly inputRate: number;
  /** Hidden rate that reads as 1, Hz (about 1/refractory period). */
  readonly maxRate: number;
  readonly seed: number;
}

export class SpikingNetwork {
  readonly groups: NeuronGroup[];
  readonly synapses: Synapses[];
  readonly simulation: Simulation;
  /** W_l, input-major k×n, in drive units. */
  readonly weights: Float32Array[];
  readonly biases: Float32Array[];
  /** Spike counts of every group since the last startCounting(). */
  readonly counts: Float64Array[];
  private counting = false;
  private countedSteps = 0;
  /** Volts per drive unit (Vt − El). */
  readonly gap: number;
  /** Resting potential El, volts. */
  private readonly rest: number;

  constructor(readonly options: SpikingNetworkOptions) {
    const { dt, seed } = options;
    const hidden = compileModel(parseModel(options.neuron), dt);
    const encoder = new NeuronGroup('input', options.input, compileModel(parseModel(options.encoder), dt), seed);
    const layers = options.layers.map((size, l) => new NeuronGroup(`h${l + 1}`, size, hidden, seed));
    this.groups = [encoder, ...layers];
    const constants = hidden.model.constants;
    const value = (name: string): number => siValue(constants.get(name) as Quantity);
    this.gap = value('Vt') - value('El');
    this.rest = value('El');
    this.synapses = layers.map(
      (target, l) =>
        new Synapses({ name: `W${l + 1}`, source: this.groups[l].name, target: target.name, model: 'w : volt', on_pre: 'ge += w', connect: {} }, this.groups[l], target, new Map(), seed),
    );
    this.simulation = new Simulation(dt, this.groups, this.synapses);
    const sizes = [options.input, ...options.layers];
    this.weights = options.layers.map((n, l) => new Float32Array(sizes[l] * n));
    this.biases = options.layers.map((n) => new Float32Array(n));
    this.counts = this.groups.map((g) => new Float64Array(g.size));
    this.groups.forEach((g, k) =>
      g.spikes$.subscribe(({ indices }) => {
        if (!this.counting) return;
        const c = this.counts[k];
        for (let s = 0; s < indices.length; s++) c[indices[s]]++;
      }),
    );
  }

  /** The rate (Hz) that reads as 1 in group k: the encoder's input rate or the hidden maximum. */
  private rateScale(k: number): number {
    return k === 0 ? this.options.inputRate : this.options.maxRate;
  }

  /** Copies W_l and b_l (drive units) into the synapses' weights and the neurons' bias drive (volts). */
  syncParameters(): void {
    this.synapses.forEach((s, l) => {
      const w = s.variable('w');
      const scale = this.gap / (this.rateScale(l) * siValue(this.groups[l + 1].compiled.model.constants.get('taus') as Quantity));
      const W = this.weights[l];
      for (let k = 0; k < w.length; k++) w[k] = W[k] * scale;
      const vb = this.groups[l + 1].variable('vb');
      const b = this.biases[l];
      for (let j = 0; j < vb.length; j++) vb[j] = b[j] * this.gap;
    });
  }

  /** Sets the encoder's rates from x ∈ [0, 1]. */
  present(x: Float32Array): void {
    const rates = this.groups[0].variable('rates');
    for (let i = 0; i < rates.length; i++) rates[i] = x[i] * this.options.inputRate;
  }

  /** Sets layer l's (1-based) apical drive in drive units, or clears it (null). */
  setApical(l: number, drive: Float32Array | null): void {
    const va = this.groups[l].variable('va');
    if (!drive) va.fill(0);
    else for (let j = 0; j < va.length; j++) va[j] = drive[j] * this.gap;
  }

  private readonly trialStream = new Uint32Array(4);

  /**
   * Starts a trial: every hidden neuron at rest (v = El, no synaptic current, not refractory) and
   * the encoder's stream noted, so that rewind() can replay the phase with the same input spikes.
   */
  startTrial(): void {
    this.trialStream.set(this.groups[0].randomState);
    this.rewind();
  }

  /** Back to the trial's start: neurons at rest, the encoder's stream where the trial began. */
  rewind(): void {
    this.groups[0].randomState.set(this.trialStream);
    for (const g of this.groups) {
      g.refractory.fill(0);
      for (const name of g.compiled.variableNames) {
        if (name === 'v') g.variable('v').fill(this.rest);
        else if (name === 'ge') g.variable('ge').fill(0);
      }
    }
    for (const s of this.synapses) s.clearPending();
  }

  /** Runs `settle` steps uncounted, then `count` steps counted; returns nothing (see rates()). */
  runPhase(settle: number, count: number): void {
    this.counting = false;
    this.simulation.run(settle);
    for (const c of this.counts) c.fill(0);
    this.counting = true;
    this.simulation.run(count);
    this.counting = false;
    this.countedSteps = count;
  }

  /** Group k's rates over the last counted window, normalised (count / (window · r_max)), into `out`. */
  rates(k: number, out: Float32Array): Float32Array {
    const scale = 1 / (this.countedSteps * this.options.dt * this.rateScale(k));
    const c = this.counts[k];
    for (let i = 0; i < c.length; i++) out[i] = c[i] * scale;
    return out;
  }
}
