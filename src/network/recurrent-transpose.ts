/**
 * Back-propagation through time's pathway between steps (Werbos 1990): the transpose of the
 * recurrent weights, out = Δ_t·Uᵀ, the gradient at h_{t−1} from the pre-activation error at step t.
 * Reading U from the feedback side is weight transport, as the transpose pathway's W_lᵀ is.
 *
 * Uᵀ is written out once per minibatch (`present`, before any top-down signal; U changes only in
 * the learning phase after it), so that each step's product reads its B in place rather than
 * packing Uᵀ again: the same sums in the same order, a little less work per step.
 */
import { kernels } from '../kernels';
import { ErrorPathway } from './pathway';
import { RecurrentPopulation } from './recurrent-population';

export class RecurrentTransposePathway implements ErrorPathway {
  readonly kind = 'transpose-through-time' as const;
  /** Uᵀ (size × size), as of the minibatch presented. */
  private readonly transposed: Float32Array;

  readonly sendMatrix: { readonly b: Float32Array; readonly transB: false };

  constructor(private readonly population: RecurrentPopulation) {
    this.transposed = new Float32Array(population.size * population.size);
    this.sendMatrix = { b: this.transposed, transB: false };
  }

  present(): void {
    const { size } = this.population;
    const u = this.population.recurrentWeights;
    const t = this.transposed;
    for (let i = 0; i < size; i++) for (let j = 0; j < size; j++) t[j * size + i] = u[i * size + j];
  }

  send(rows: number, delta: Float32Array, out: Float32Array): void {
    const { size } = this.population;
    kernels().gemm(false, false, rows, size, size, 1, delta, this.transposed, 0, out);
  }
}
