/**
 * Input noise during training (Lee et al. 2015, §3.3: their stochastic network sees x + ε,
 * ε ~ N(0, σ²), σ = 0.3, on every training step, and the clean x when tested). σ may decay as
 * σ/(1 + epoch/τ), like the decoders' probe noise. Draws come from the stream given (the trainer
 * passes the run's registered stream "input/noise").
 */
import { kernels } from '../kernels';
import { RngState } from '../kernels/random';

export interface InputNoiseSpec {
  /** σ at the first epoch. */
  readonly std: number;
  /** τ (epochs): when set, σ decays as σ/(1 + epoch/τ). */
  readonly decay?: number;
}

export class InputNoise {
  private readonly noisy: Float32Array;

  constructor(
    readonly spec: InputNoiseSpec,
    private readonly stream: RngState,
    maxLength: number,
  ) {
    this.noisy = new Float32Array(maxLength);
  }

  /** σ at `epoch` (0-based). */
  std(epoch: number): number {
    const { std, decay } = this.spec;
    return decay === undefined ? std : std / (1 + epoch / decay);
  }

  /** x + ε for the first `length` entries of `input`, in a buffer this object owns. */
  corrupt(epoch: number, length: number, input: Float32Array): Float32Array {
    kernels().addGaussianNoise(length, input, this.std(epoch), this.stream, this.noisy);
    return this.noisy;
  }
}
