/** Settings and declarations shared by the target-propagation family (TP, DTP). */
import { DecoderCentreSpec } from '../network/input-centre';
import { SignalUse } from './rule';

export interface TargetPropagationSpec {
  /** η̂: the step of the top target along −∂Loss/∂h_L. */
  readonly topStep: number;
  /**
   * Which loss's gradient η̂ scales (dtp, drl, tp, ddtp-*, tptt): 'batch-mean' (default), the
   * minibatch's mean loss, as in Lee et al.'s released code, so that each example's step is
   * η̂/B·∂ℓ_i/∂h_L for a minibatch of B; 'example', each example's own loss, ĥ_L = h_L − η̂·∂ℓ_i/∂h_L,
   * a step that does not shrink as the minibatch grows (the form Bartunov et al. 2018, §2.1.2, write
   * their α in; RESULTS.md "The top step per example").
   */
  readonly topGradient?: TopGradient;
  /** σ: standard deviation of the Gaussian noise probing the decoders. */
  readonly noise: number;
  /** τ (epochs): when set, σ decays as σ/(1 + epoch/τ), as in Lee et al.'s discrete networks. */
  readonly noiseDecay?: number;
  /**
   * γ (dtp, drl): per-layer target step sizes growing by γ at every step down, so that the step at
   * h_l is β_l = γ^(L−l) times DTP's: ĥ_{l−1} = h_{l−1} + γ·(g_l(ĥ_l) − g_l(h_l)). Below a sign layer
   * a difference is non-zero only where the target crosses zero; γ > 1 keeps targets from vanishing
   * with depth (issue 17). Default 1: DTP.
   */
  readonly stepGrowth?: number;
  /**
   * c (dtp, drl): each example's target step at every hidden layer below the top capped at an rms of
   * c, ĥ_l − h_l ← (ĥ_l − h_l)·min(1, c·√n_l / ‖ĥ_l − h_l‖), after γ. In deep sign chains the bottom
   * layer's steps grow until its units saturate (RESULTS.md "Where the deep sign chain breaks
   * down"); the cap bounds them where they arrive, from the step alone (issue 17). Default: none.
   */
  readonly stepClip?: number;
  /**
   * dtp, drl, ddtp-*: each target projected onto the set its population sends, ĥ_l ← T_l(ĥ_l)
   * (sign: {−1, +1}), as Friesen & Domingos (2018, ICLR, "Deep learning as a mixed convex-combinatorial
   * optimization problem") set discrete targets for hard-threshold units. Populations without an
   * output transform are unchanged.
   */
  readonly project?: boolean;
  /**
   * dtp, drl: each decoder reads what its population sends straight through, displaced by the target
   * step, ĥ_{l−1} = h_{l−1} + g_l(T(h_l) + ĥ_l − h_l) − g_l(T(h_l)) (network/decoder.ts,
   * `decodeStraightThrough`). A decoder reading sign(h_l) otherwise sends nothing unless a sign flips,
   * so no layer below h_{L−1} gets a target (issue 17). Without an input transform it is DTP.
   */
  readonly straightThrough?: boolean;
  /**
   * λ (dtp): the seed's layer-wise auto-encoder objective (Bengio 2014). Each decoder's noisy probe
   * also trains the encoder below it, so that f_l learns to be reconstructed by g_l, with weight λ
   * (network/decoder.ts). Default 0: only the decoders learn from the probes (Lee et al. 2015).
   */
  readonly autoEncoder?: number;
  /**
   * c (dtp): every decoder reads a centred code, g_l(h_l) = unit((T(h_l) − c·1)·V_l + c_l), in its
   * probes and in the targets (network/decoder.ts). In sigmoid nets sending Bernoulli samples
   * (Lee et al. 2015, §3.2), decoders reading codes in {0, 1} learn a positive mean weight and the
   * forward matrices a negative one, so a step shared by all units of h_l reaches h_{l−1} with its
   * sign kept by the target and flipped by the straight-through gradient, at every layer (issue 17,
   * RESULTS.md "Why the targets alternate at γ = 1"). With c = ½, the code's midpoint, the decoder's
   * gradient (T(h) − c)ᵀ·Δ has no mean component from a shared error when the code's mean is c: its
   * bias, not a mean weight, reproduces the positive activities, and the decoder stays the
   * approximate inverse of f_l that DTP's targets assume (Bengio 2014, §3). 'mean': c is the code's
   * running mean, the running centre the population above reads the same code with (its layer's
   * `inputCentre` { start, rate }; network/input-centre.ts), so the decoder's gradient has no mean
   * component even when the code's mean drifts from ½. Default: none (c = 0).
   */
  readonly decoderCentre?: DecoderCentreSpec;
  /**
   * Where the top hidden target comes from (dtp, drl): 'readout-gradient' (default), a step along
   * the loss gradient through the read-out's weights (Lee et al. 2015); 'output-decoder', decoded
   * from a gradient step on the read-out's scores by a learned decoder (Meulemans et al. 2020's code,
   * network/output-decoder.ts).
   */
  readonly top?: TopTarget;
  /**
   * tptt: how the recurrent population's input weights W learn, by the local target losses as U
   * and b do ('tptt', the default), or by the exact gradient through time ('bptt'), the released
   * code's --wxh_updates choice (Manchev & Spratling 2020, nmanchev/tptt).
   */
  readonly inputWeights?: InputWeightsUpdate;
}

export const inputWeightsUpdates = ['tptt', 'bptt'] as const;
export type InputWeightsUpdate = (typeof inputWeightsUpdates)[number];

export const topGradients = ['batch-mean', 'example'] as const;
export type TopGradient = (typeof topGradients)[number];

/** η̂ for a minibatch of `rows`, as a factor of ∂(mean loss)/∂h, the gradient the read-out sends. */
export function topStepFor(spec: Pick<TargetPropagationSpec, 'topStep' | 'topGradient'>, rows: number): number {
  return spec.topGradient === 'example' ? spec.topStep * rows : spec.topStep;
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

/** `apical rules` lines for the options of target-propagation.ts. */
export const stepGrowthOption = 'stepGrowth γ: per-layer target steps β_l = γ^(L−l), each difference sent down scaled by γ (issue 17: keeps targets alive below sign layers)';
export const stepClipOption = 'stepClip c: each example\'s target step below the top capped at an rms of c, after γ (issue 17: the bottom layer\'s steps grow until its units saturate in deep sign chains)';
export const projectOption = 'project: targets projected onto what the population sends, ĥ_l ← T_l(ĥ_l) (Friesen & Domingos 2018)';
export const inputWeightsOption = `inputWeights (${inputWeightsUpdates.join(' | ')}): the input weights W learn by the local target losses, or by back-propagation through time while U and b learn by TPTT (Manchev & Spratling 2020's --wxh_updates)`;
export const straightThroughOption = 'straightThrough: decoders read the sent code displaced by the target step, g_l(T(h_l) + ĥ_l − h_l) − g_l(T(h_l)) (straight-through estimator, Bengio, Léonard & Courville 2013; issue 17)';
export const autoEncoderOption = 'autoEncoder λ: the layer-wise auto-encoder objective, each encoder f_l also trained (weight λ) so that g_l reconstructs its noisy input (Bengio 2014)';
export const decoderCentreOption = 'decoderCentre c: decoders read a centred code, g_l(T(h_l) − c) (c = ½ for Bernoulli samples: no mean decoder weight, no common-mode sign alternation of the targets; c = "mean": the code\'s running mean, the running inputCentre of the population above; Lee et al. 2015, Bengio 2014, Schraudolph 1998; issue 17)';
export const topOption = `top (${topTargets.join(' | ')}): where ĥ_L comes from, a gradient step through the read-out or decoded from the output by a learned decoder (Meulemans et al. 2020)`;

/** The options of every rule whose targets pass down a chain of decoders (dtp, drl). */
export const decoderChainOptions = [topOption, stepGrowthOption, stepClipOption, projectOption, straightThroughOption];
