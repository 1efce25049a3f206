/**
 * A layered spiking network for learning, simulated for a minibatch of trials at once: populations
 * of LIF neurons, each driven from the one below, with a bias drive and an apical (top-down) drive.
 * Copy b of the network (one trial of the batch) is neurons b·n … b·n + n − 1 of each population,
 * so one compiled state-update loop runs the whole batch (the copies never interact), and the
 * copies share their weights (dense-spike-projection.ts: encoder spikes are delivered event by
 * event, the hidden layers' spikes as one matrix product per step).
 *
 * Learned quantities are dimensionless "drive units": a weight matrix W_l (k×n, input-major as in
 * the rate networks) and bias b_l, where drive 1 is the threshold gap Vt − El. The synapse from
 * neuron i of a layer firing at its maximum rate r_max adds on average W_ij·(Vt − El) to the
 * target's membrane: w_ij = W_ij·(Vt − El)/(r_max·τs), since each spike adds w to ge, which
 * decays with τs. Rates are read as spike counts over a window, normalised by the layer's r_max.
 *
 * The input x ∈ [0, 1]^784 reaches the first layer in one of two ways:
 *  - spikes: an encoder population (Poisson or regular, rates = x · inputRate) whose spikes are
 *    delivered like any other layer's;
 *  - current (encoder null): the mean of that drive, (x·W_1)·(Vt − El), the rate-coded input
 *    current, computed once per trial for the whole batch with the matrix kernels (src/kernels) and
 *    added to the first layer's basal drive vb. (For the exponential synapse, a Poisson train of
 *    rate x·r_in with weight w adds w·x·r_in·τs to ge on average, which is this current.)
 */
import { compileModel } from '../equations/compile';
import { Quantity, siValue } from '../equations/dimensions';
import { ModelSpec, parseModel } from '../equations/model';
import { Simulation } from './simulation';
import { kernels } from '../kernels';
import { DenseSpikeProjection } from './dense-spike-projection';
import { NeuronGroup } from './neuron-group';
import { checkNeuronRoles, defaultNeuronRoles, NeuronRoles } from './neuron-roles';
import { RateToSpikes } from './rate-to-spikes';
import { StateRegistry } from '../state/registry';

export interface SpikingNetworkOptions {
  readonly input: number;
  readonly layers: readonly number[];
  /** Trials simulated together (copies of the network). */
  readonly batch: number;
  /** Seconds. */
  readonly dt: number;
  /** Hidden neuron model, with a quantity for every role (neuron-roles.ts). */
  readonly neuron: ModelSpec;
  /** The model's names for the roles (default: lif-apical.json's v, ge, vb, va, Vt, El, taus). */
  readonly roles?: NeuronRoles;
  /** Encoder model with a `rates` variable (poisson.json or regular.json), or null for input currents. */
  readonly encoder: ModelSpec | null;
  /** Encoder rate for x = 1, Hz (with input currents: the rate W_1 is scaled for). */
  readonly inputRate: number;
  /** Hidden rate that reads as 1, Hz (about 1/refractory period). */
  readonly maxRate: number;
  readonly seed: number;
}

export class SpikingNetwork {
  /** The encoder population (null with input currents). */
  readonly encoder: NeuronGroup | null;
  /** The hidden populations h1 … hL, batch × n neurons each. */
  readonly layers: NeuronGroup[];
  /** Every population, the encoder first. */
  readonly groups: NeuronGroup[];
  /** Projection into layer l + 1 (index l); index 0 is null with input currents. */
  readonly projections: (DenseSpikeProjection | null)[];
  readonly simulation: Simulation;
  /** W_l, input-major k×n, in drive units. */
  readonly weights: Float32Array[];
  readonly biases: Float32Array[];
  /** Spike counts of every hidden layer (index l − 1) since the window opened. */
  readonly counts: Float64Array[];
  readonly batch: number;
  private counting = false;
  private countedSteps = 0;
  /** Volts per drive unit (Vt − El). */
  readonly gap: number;
  /** Resting potential El, volts. */
  private readonly rest: number;
  private readonly taus: number;
  /** The input current x·W_1 of every copy (drive units), with input currents. */
  private readonly inputDrive: Float32Array;
  private readonly trialStream = new Uint32Array(4);
  /** The hidden model's names for what the network drives and reads. */
  readonly roles: NeuronRoles;

  constructor(readonly options: SpikingNetworkOptions) {
    const { dt, seed, batch } = options;
    this.batch = batch;
    const hidden = compileModel(parseModel(options.neuron), dt);
    this.roles = options.roles ?? defaultNeuronRoles;
    const roles = this.roles;
    checkNeuronRoles(hidden, roles);
    this.encoder = options.encoder ? new NeuronGroup('input', batch * options.input, compileModel(parseModel(options.encoder), dt), seed) : null;
    this.layers = options.layers.map((size, l) => new NeuronGroup(`h${l + 1}`, batch * size, hidden, seed));
    this.groups = this.encoder ? [this.encoder, ...this.layers] : [...this.layers];
    const constants = hidden.model.constants;
    const value = (name: string): number => siValue(constants.get(name) as Quantity);
    this.gap = value(roles.threshold) - value(roles.rest);
    this.rest = value(roles.rest);
    this.taus = value(roles.synapseTau);
    const sizes = [options.input, ...options.layers];
    this.projections = this.layers.map((target, l) => (l === 0 && !this.encoder ? null : new DenseSpikeProjection(sizes[l], sizes[l + 1], target.variable(roles.synapse), l === 0 ? 'events' : 'matrix')));
    this.simulation = new Simulation(dt, this.groups, []);
    this.projections.forEach((p, l) => {
      const source = l === 0 ? this.encoder : this.layers[l - 1];
      if (p && source) source.spikes$.subscribe((event) => p.receive(event));
    });
    this.weights = options.layers.map((n, l) => new Float32Array(sizes[l] * n));
    this.biases = options.layers.map((n) => new Float32Array(n));
    this.inputDrive = new Float32Array(this.encoder ? 0 : batch * options.layers[0]);
    this.counts = this.layers.map((g) => new Float64Array(g.size));
    this.layers.forEach((g, k) =>
      g.spikes$.subscribe(({ indices }) => {
        if (!this.counting) return;
        const c = this.counts[k];
        for (let s = 0; s < indices.length; s++) c[indices[s]]++;
      }),
    );
  }

  /**
   * Registers the network's state that outlives a trial: the encoder's random stream (every trial
   * starts its neurons from rest, and the weights are registered by their learner).
   */
  register(state: StateRegistry): void {
    if (this.encoder) state.register('rng/population/input', this.encoder.randomState);
  }

  /** Neurons per copy in layer l (0 = input). */
  size(l: number): number {
    return l === 0 ? this.options.input : this.options.layers[l - 1];
  }

  /** Copies W_l and b_l (drive units) into the synapses' weights and the neurons' bias drive (volts). */
  syncParameters(): void {
    this.projections.forEach((p, l) => {
      if (!p) return;
      const scale = this.gap / ((l === 0 ? this.options.inputRate : this.options.maxRate) * this.taus);
      const W = this.weights[l];
      for (let k = 0; k < W.length; k++) p.weights[k] = W[k] * scale;
      p.weightsChanged();
    });
    this.layers.forEach((g, l) => {
      if (l === 0 && !this.encoder) return; // present() writes the first layer's basal drive
      const vb = g.variable(this.roles.basal);
      const b = this.biases[l];
      const n = b.length;
      for (let r = 0; r < this.batch; r++) for (let j = 0; j < n; j++) vb[r * n + j] = b[j] * this.gap;
    });
  }

  /**
   * Presents rows × input images x ∈ [0, 1] (row r to copy r; copies beyond `rows` get a blank
   * image): the encoder's rates, or the first layer's basal drive (b_1 + x·W_1)·(Vt − El).
   */
  present(x: Float32Array, rows: number): void {
    const k = this.options.input;
    if (this.encoder) {
      new RateToSpikes({ activity: x, size: k }, this.encoder, this.options.inputRate).set(rows);
      return;
    }
    const n = this.options.layers[0];
    this.inputDrive.fill(0);
    if (rows > 0) kernels().gemm(false, false, rows, n, k, 1, x, this.weights[0], 0, this.inputDrive);
    const vb = this.layers[0].variable(this.roles.basal);
    const b = this.biases[0];
    for (let r = 0; r < this.batch; r++) for (let j = 0; j < n; j++) vb[r * n + j] = (b[j] + this.inputDrive[r * n + j]) * this.gap;
  }

  /** Sets layer l's (1-based) apical drive, rows × n in drive units, or clears it (null). */
  setApical(l: number, drive: Float32Array | null, rows = 0): void {
    const va = this.layers[l - 1].variable(this.roles.apical);
    va.fill(0);
    if (drive) for (let i = 0; i < rows * this.size(l); i++) va[i] = drive[i] * this.gap;
  }

  /**
   * Starts a trial: every neuron at rest (v = El, no synaptic current, not refractory) and the
   * encoder's stream noted, so that rewind() can replay the phase with the same input spikes.
   */
  startTrial(): void {
    if (this.encoder) this.trialStream.set(this.encoder.randomState);
    this.rewind();
  }

  /** Back to the trial's start: neurons at rest, the encoder's stream where the trial began. */
  rewind(): void {
    if (this.encoder) {
      this.encoder.randomState.set(this.trialStream);
      for (const name of this.encoder.compiled.variableNames) if (name !== 'rates') this.encoder.variable(name).fill(0);
    }
    for (const g of this.layers) {
      g.refractory.fill(0);
      g.variable(this.roles.membrane).fill(this.rest);
      g.variable(this.roles.synapse).fill(0);
    }
  }

  /** Runs `settle` steps uncounted, then `count` steps counted (see rates()). */
  runPhase(settle: number, count: number): void {
    this.counting = false;
    this.simulation.run(settle);
    for (const c of this.counts) c.fill(0);
    this.counting = true;
    this.simulation.run(count);
    this.counting = false;
    this.countedSteps = count;
  }

  /** Layer l's (1-based) rates over the last counted window, rows × n, normalised (count / (window · r_max)), into `out`. */
  rates(l: number, out: Float32Array, rows: number): Float32Array {
    const scale = 1 / (this.countedSteps * this.options.dt * this.options.maxRate);
    const c = this.counts[l - 1];
    for (let i = 0; i < rows * this.size(l); i++) out[i] = c[i] * scale;
    return out;
  }
}
