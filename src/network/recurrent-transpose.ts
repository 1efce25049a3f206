/**
 * Back-propagation through time's pathway between steps (Werbos 1990): the transpose of the
 * recurrent weights, out = Δ_t·Uᵀ, the gradient at h_{t−1} from the pre-activation error at step t.
 * Reading U from the feedback side is weight transport, as the transpose pathway's W_lᵀ is.
 *
 * It reads U in place, transposed (`sendMatrix`): kernels.errorThroughSteps writes Uᵀ out once per
 * sequence and each step's product then reads it in place, the same sums as reading U transposed.
 */
import { kernels } from '../kernels';
import { ErrorPathway } from './pathway';
import { RecurrentPopulation } from './recurrent-population';

export class RecurrentTransposePathway implements ErrorPathway {
  readonly kind = 'transpose-through-time' as const;

  readonly sendMatrix: { readonly b: Float32Array; readonly transB: true };

  constructor(private readonly population: RecurrentPopulation) {
    this.sendMatrix = { b: population.recurrentWeights, transB: true };
  }

  send(rows: number, delta: Float32Array, out: Float32Array): void {
    const { size } = this.population;
    kernels().gemm(false, true, rows, size, size, 1, delta, this.sendMatrix.b, 0, out);
  }
}
