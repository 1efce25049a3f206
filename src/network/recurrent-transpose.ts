/**
 * Back-propagation through time's pathway between steps (Werbos 1990): the transpose of the
 * recurrent weights, out = Δ_t·Uᵀ, the gradient at h_{t−1} from the pre-activation error at step t.
 * Reading U from the feedback side is weight transport, as the transpose pathway's W_lᵀ is.
 */
import { kernels } from '../kernels';
import { ErrorPathway } from './pathway';
import { RecurrentPopulation } from './recurrent-population';

export class RecurrentTransposePathway implements ErrorPathway {
  readonly kind = 'transpose-through-time' as const;

  constructor(private readonly population: RecurrentPopulation) {}

  send(rows: number, delta: Float32Array, out: Float32Array): void {
    const { size } = this.population;
    kernels().gemm(false, true, rows, size, size, 1, delta, this.population.recurrentWeights, 0, out);
  }
}
