/**
 * The learned inverse of a recurrent transition, target propagation through time's feedback
 * (Manchev & Spratling 2020, JMLR 21, §3):
 *   G(x_t, h_t) = g(x_t·W + h_t·V + c) ≈ h_{t−1},
 * which reads the step's input through the transition's own input weights W (shared, as in the
 * authors' code nmanchev/tptt) and learns V and c only. It is trained on noise-corrupted states,
 *   L_G = Σ_t mean over rows and units of ‖G(x_t, F(x_t, h̃_{t−1})) − h̃_{t−1}‖²,  h̃_{t−1} = h_{t−1} + ε,
 * ε ~ N(0, σ²) (stream "<population>/inverse-noise"), all steps as one stacked product. It delivers
 * the difference correction
 *   ĥ_{t−1} = h_{t−1} − G(x_t, h_t) + G(x_t, ĥ_t),
 * two inverses stacked in one product, so that G's reconstruction error cancels (as in DTP).
 * Its projection "Vr<l>" ([W; V] with the W rows copied from the transition before every use, and
 * never updated here) is saved with the others.
 */
import { Activation, kernels } from '../kernels';
import { Unit } from '../units';
import { Pathway, PathwayOptimizers, Probe } from './pathway';
import { Projection } from './projection';
import { RecurrentPopulation } from './recurrent-population';
import { StateRegistry } from '../state/registry';
import { InitSpec } from './init';

/** The inverse's work buffers for `rows` rows: [x_t, ·] rows, G's output for every step (G(x_t, h_t) once `statesDecoded`), the probe h̃_{t−1}, F(x_t, h̃_{t−1}) and G's delta. */
interface InverseBuffers {
  readonly rows: number;
  readonly read: Float32Array;
  readonly decoded: Float32Array;
  readonly probe: Float32Array;
  readonly response: Float32Array;
  readonly delta: Float32Array;
}

export class InverseTransitionPathway implements Pathway {
  readonly kind = 'inverse-through-time' as const;
  readonly projection: Projection;
  private readonly activation: Activation;
  /** Every step's buffers, sized to the most rows seen so far (as the population's: `reserve`). */
  private buffers: InverseBuffers;
  /** G(x_t, ĥ_t) for one step's rows. */
  private readonly targetDecoded: Float32Array;
  private readonly noise: ReturnType<StateRegistry['stream']>;
  private pending = false;
  /** `decoded` holds G(x_t, h_t) for every step of the sequence held (until the learning step ends). */
  private statesDecoded = false;
  /** G's W rows hold the transition's W of this step (until the learning step ends). */
  private weightsShared = false;

  constructor(
    readonly population: RecurrentPopulation,
    unit: Unit,
    init: InitSpec,
    state: StateRegistry,
    maxRows: number,
  ) {
    if (unit.activation === undefined) throw new Error(`inverse of ${population.name}: feedback units must be rate units (tanh, sigmoid, relu, linear), got ${unit.name}`);
    this.activation = unit.activation;
    const { size, width } = population;
    this.projection = new Projection(`Vr${population.index}`, width + size, size, init, state);
    this.buffers = this.inverseBuffers(0);
    this.targetDecoded = new Float32Array(maxRows * size);
    this.noise = state.stream(`${population.name}/inverse-noise`);
  }

  /** Zeroed buffers for sequences of `rows` rows. */
  private inverseBuffers(rows: number): InverseBuffers {
    const { maxSteps, width, size } = this.population;
    const all = maxSteps * rows;
    return {
      rows,
      read: new Float32Array(all * (width + size)),
      decoded: new Float32Array(all * size),
      probe: new Float32Array(all * size),
      response: new Float32Array(all * size),
      delta: new Float32Array(all * size),
    };
  }

  /** The buffers, grown to hold sequences of `rows` rows (contents not kept: only a larger minibatch grows them, before its first use). */
  private reserve(rows: number): InverseBuffers {
    if (rows > this.buffers.rows) this.buffers = this.inverseBuffers(rows);
    return this.buffers;
  }

  projections(): readonly Projection[] {
    return [this.projection];
  }

  setOptimizers({ feedback, frozen }: PathwayOptimizers): void {
    this.projection.setOptimizer(feedback, frozen(this.projection));
  }

  /** Trained once the sequence has passed (the population's last step), on every step at once. */
  probes(): Probe[] {
    return [{ after: this.population.index, pathway: `G${this.population.index}`, run: ({ rows, noise }) => this.learn(rows, noise) }];
  }

  /** Ends a learning step: G's update, if it learned, and the step's G(x_t, h_t) forgotten. */
  applyGradients(): void {
    this.statesDecoded = false;
    this.weightsShared = false;
    if (!this.pending) return;
    this.projection.applyGradients();
    this.pending = false;
  }

  /**
   * out ← h_{t−1}'s difference G(x_t, ĥ_t) − G(x_t, h_t) for step t ≥ 1 of the sequence held.
   * G(x_t, h_t) is decoded for every step at once, on the first call of a sequence (or taken from
   * G's training, which decodes exactly it when the probe is noise-free); every row of a product is
   * computed the same way whatever the number of rows (kernels), so this is the per-step value.
   */
  difference(t: number, rows: number, target: Float32Array, out: Float32Array): void {
    const { size } = this.population;
    const { read, decoded } = this.reserve(rows);
    if (!this.statesDecoded) this.decodeStates(rows);
    this.decodeWithInput(t * rows, rows, target, read, this.targetDecoded);
    kernels().axpby(rows * size, 1, this.targetDecoded, -1, decoded.subarray(t * rows * size, (t + 1) * rows * size), out);
  }

  /** decoded ← G(x_t, h_t) for steps 1 … T−1 of the sequence held. */
  private decodeStates(rows: number): void {
    const { population } = this;
    const { width, size, steps } = population;
    const { read, decoded } = this.buffers;
    this.decodeWithInput(rows, (steps - 1) * rows, population.states.subarray(rows * size), read.subarray(rows * (width + size)), decoded.subarray(rows * size));
    this.statesDecoded = true;
  }

  /**
   * `rows` rows of `into` ← [x, h], x the inputs of the population's rows `first` … (steps one after
   * another: step t's rows start at t·rows).
   */
  private withInput(first: number, rows: number, h: Float32Array, into: Float32Array): void {
    const { width, size, inputs } = this.population;
    const inSize = width + size;
    const k = kernels();
    k.copyBlock(rows, width, inputs.subarray(first * inSize), inSize, into, inSize);
    k.copyBlock(rows, size, h, size, into.subarray(width), inSize);
  }

  /**
   * out ← G(x, h) for `rows` rows, their [x, h] assembled into `into` as withInput does, in one kernel
   * call; W shared with the transition (copied on the step's first decode: W changes only when the
   * step learns).
   */
  private decodeWithInput(first: number, rows: number, h: Float32Array, into: Float32Array, out: Float32Array): void {
    const { width, size, inputs } = this.population;
    if (!this.weightsShared) this.projection.weights.set(this.population.projection.weights.subarray(0, width * size));
    this.weightsShared = true;
    this.projection.respondToPair(rows, width, inputs.subarray(first * (width + size)), width + size, h, into, this.activation, out);
  }

  /** G's gradients from every step of the sequence held, probed with noise σ; returns the reconstruction error ‖G(x_t, F(x_t, h̃_{t−1})) − h̃_{t−1}‖², mean over rows and steps. */
  private learn(rows: number, sigma: number): number {
    const k = kernels();
    const { population } = this;
    const { width, size, steps } = population;
    const inSize = width + size;
    const all = steps * rows;
    const length = all * size;
    const { read, decoded, delta } = this.reserve(rows);
    // h̃_{t−1} = h_{t−1} + ε for every step: the states one step back (h_{−1} = 0).
    const probe = this.buffers.probe.subarray(0, length);
    probe.fill(0, 0, rows * size);
    probe.set(population.states.subarray(0, length - rows * size), rows * size);
    if (sigma !== 0) this.addNoise(all, sigma, probe);
    // F(x_t, h̃_{t−1}): without noise and with deterministic units, the states h_t themselves (the
    // forward sweep's own rows of the same product).
    const z = read.subarray(0, all * inSize);
    let response = population.states;
    if (sigma !== 0 || population.unit.activation === undefined) {
      this.withInput(0, all, probe, z);
      population.transition(all, z, this.buffers.response);
      response = this.buffers.response;
    }
    this.decodeWithInput(0, all, response, z, decoded);
    this.statesDecoded = sigma === 0;
    const error = k.sumSquaredDifference(length, decoded, probe) / all;
    k.deltaFromTarget(this.activation, length, 2 / (rows * size), decoded, probe, delta);
    this.projection.accumulateGradients(all, z, delta);
    this.projection.weightGrad.fill(0, 0, width * size);
    this.pending = true;
    return error;
  }

  /**
   * probe ← probe + ε, ε ~ N(0, σ²), `rows` rows of the population's size, as one draw per row (the
   * stream is drawn in pairs, so an even row length lets all rows be drawn in one call).
   */
  private addNoise(rows: number, sigma: number, probe: Float32Array): void {
    const k = kernels();
    const { size } = this.population;
    if (size % 2 === 0) {
      k.addGaussianNoise(rows * size, probe, sigma, this.noise, probe);
      return;
    }
    for (let i = 0; i < rows; i++) {
      const h = probe.subarray(i * size, (i + 1) * size);
      k.addGaussianNoise(size, h, sigma, this.noise, h);
    }
  }
}
