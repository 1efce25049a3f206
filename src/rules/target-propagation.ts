/** Settings and declarations shared by the target-propagation family (TP, DTP). */
import { SignalUse } from './rule';

export interface TargetPropagationSpec {
  /** η̂: the step of the top target along −∂Loss/∂h_L. */
  readonly topStep: number;
  /** σ: standard deviation of the Gaussian noise probing the decoders. */
  readonly noise: number;
  /** τ (epochs): when set, σ decays as σ/(1 + epoch/τ), as in Lee et al.'s discrete networks. */
  readonly noiseDecay?: number;
  /**
   * Where the top hidden target comes from (dtp, drl): 'readout-gradient' (default), a step along
   * the loss gradient through the read-out's weights (Lee et al. 2015); 'output-decoder', decoded
   * from a gradient step on the read-out's scores by a learned decoder (Meulemans et al. 2020's code,
   * network/output-decoder.ts).
   */
  readonly top?: TopTarget;
}

export const topTargets = ['readout-gradient', 'output-decoder'] as const;
export type TopTarget = (typeof topTargets)[number];

export const targetPropagationUses: SignalUse = {
  weightTransport: false,
  derivativeChain: false,
  globalError: false,
  labelAtHidden: false,
  outputGradient: true,
  learnedFeedback: true,
};

export function probeNoiseSchedule(spec: TargetPropagationSpec): (epoch: number) => number {
  const decay = spec.noiseDecay;
  return decay === undefined ? () => spec.noise : (epoch) => spec.noise / (1 + epoch / decay);
}
