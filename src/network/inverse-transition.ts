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

export class InverseTransitionPathway implements Pathway {
  readonly kind = 'inverse-through-time' as const;
  readonly projection: Projection;
  private readonly activation: Activation;
  /** [x_t, ·] rows, two stacked blocks (the difference) or one per step (training). */
  private readonly read: Float32Array;
  private readonly decoded: Float32Array;
  private readonly probe: Float32Array;
  private readonly response: Float32Array;
  private readonly delta: Float32Array;
  private pending = false;

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
    const stacked = Math.max(2, population.maxSteps) * maxRows;
    this.read = new Float32Array(stacked * (width + size));
    this.decoded = new Float32Array(stacked * size);
    this.probe = new Float32Array(population.maxSteps * maxRows * size);
    this.response = new Float32Array(population.maxSteps * maxRows * size);
    this.delta = new Float32Array(population.maxSteps * maxRows * size);
    this.noise = state.stream(`${population.name}/inverse-noise`);
  }

  private readonly noise: ReturnType<StateRegistry['stream']>;

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

  applyGradients(): void {
    if (!this.pending) return;
    this.projection.applyGradients();
    this.pending = false;
  }

  /** out ← h_{t−1}'s difference G(x_t, ĥ_t) − G(x_t, h_t) for step t ≥ 1 of the sequence held. */
  difference(t: number, rows: number, target: Float32Array, out: Float32Array): void {
    const { population } = this;
    const { size } = population;
    this.withInput(t, rows, target, 0);
    this.withInput(t, rows, population.stateAt(t, rows), rows);
    this.decode(2 * rows);
    kernels().axpby(rows * size, 1, this.decoded, -1, this.decoded.subarray(rows * size, 2 * rows * size), out);
  }

  /** Rows [at, at + rows) of `read` ← [x_t, h] for step t's input x_t. */
  private withInput(t: number, rows: number, h: Float32Array, at: number): void {
    const { width, size } = this.population;
    const inSize = width + size;
    const z = this.population.at(this.population.inputs, t, rows, inSize);
    for (let r = 0; r < rows; r++) {
      const row = (at + r) * inSize;
      this.read.set(z.subarray(r * inSize, r * inSize + width), row);
      this.read.set(h.subarray(r * size, (r + 1) * size), row + width);
    }
  }

  /** decoded ← G(read) for `rows` rows, W shared with the transition. */
  private decode(rows: number): void {
    const { width, size } = this.population;
    this.projection.weights.set(this.population.projection.weights.subarray(0, width * size));
    this.projection.respond(rows, this.read, this.activation, this.decoded);
  }

  /** G's gradients from every step of the sequence held, probed with noise σ; returns the reconstruction error ‖G(x_t, F(x_t, h̃_{t−1})) − h̃_{t−1}‖², mean over rows and steps. */
  private learn(rows: number, sigma: number): number {
    const k = kernels();
    const { population } = this;
    const { width, size, steps } = population;
    const inSize = width + size;
    const all = steps * rows;
    const length = all * size;
    // h̃_{t−1} = h_{t−1} + ε for every step (h_{−1} = 0), read from the transition's own inputs.
    const z = this.read.subarray(0, all * inSize);
    z.set(population.inputs.subarray(0, all * inSize));
    for (let i = 0; i < all; i++) {
      const h = z.subarray(i * inSize + width, (i + 1) * inSize);
      k.addGaussianNoise(size, h, sigma, this.noise, h);
      this.probe.set(h, i * size);
    }
    population.transition(all, z, this.response);
    for (let i = 0; i < all; i++) z.set(this.response.subarray(i * size, (i + 1) * size), i * inSize + width);
    this.decode(all);
    const error = k.sumSquaredDifference(length, this.decoded, this.probe) / all;
    k.deltaFromTarget(this.activation, length, 2 / (rows * size), this.decoded, this.probe, this.delta);
    this.projection.accumulateGradients(all, z, this.delta);
    this.projection.weightGrad.fill(0, 0, width * size);
    this.pending = true;
    return error;
  }
}
