/**
 * Difference target propagation (Lee, Zhang, Fischer & Bengio 2015, arXiv 1412.7525):
 *   top target        ĥ_L = h_L − η̂ ∂Loss/∂h_L                       (eq. 15)
 *   difference        ĥ_{l−1} = h_{l−1} + g_l(ĥ_l) − g_l(h_l)          (eq. 13)
 *   layer loss        mean ‖h_l − ĥ_l‖², updating only W_l, b_l         (eq. 11)
 *   decoders          g_l trained on ‖g_l(f_l(h_{l−1}+ε)) − (h_{l−1}+ε)‖², ε ~ N(0, σ²)
 * The pathway sends only the difference g_l(ĥ_l) − g_l(h_l); population l−1 adds its own h_{l−1}.
 * With exact inverses the difference term cancels g_l's reconstruction error (Lee et al., §2.3).
 * Options (target-propagation.ts): `stepGrowth` γ scales every difference sent down by γ, so the
 * step at h_l is γ^(L−l) times DTP's; `stepClip` c caps each example's step below the top at an
 * rms of c (after γ); `project` replaces each target by what its population would
 * send for it, ĥ_l ← T_l(ĥ_l); `straightThrough` has each decoder read its input transform
 * straight through, g_l(T(h_l) + ĥ_l − h_l) − g_l(T(h_l)); `autoEncoder` λ trains each encoder f_l
 * on its decoder's reconstruction loss too (Bengio 2014's layer-wise auto-encoders; network/decoder.ts);
 * `decoderCentre` c has every decoder read T(h_l) − c (a centred code; network/decoder.ts).
 * With `top: 'output-decoder'` the top target is decoded from the output instead (Meulemans et al.
 * 2020's released code): ĥ_L = h_L + g_{L+1}(ô) − g_{L+1}(o), ô = o − η̂ ∂Loss/∂o, o the read-out's
 * scores (network/output-decoder.ts).
 */
import { kernels } from '../kernels';
import { layerLossDelta } from './layer-loss';
import { expectPathway, Rule } from './rule';
import { autoEncoderOption, decoderCentreOption, decoderChainOptions, targetPropagationUses, TargetPropagationSpec, probeNoiseSchedule, topStepFor } from './target-propagation';

export function differenceTargetPropagation(spec: TargetPropagationSpec): Rule {
  const growth = spec.stepGrowth ?? 1;
  return {
    name: 'dtp',
    summary: 'ĥ_{l−1} = h_{l−1} + g_l(ĥ_l) − g_l(h_l), ĥ_L = h_L − η̂ ∂L/∂h_L — DTP, Lee et al. 2015',
    uses: targetPropagationUses,
    options: [...decoderChainOptions, autoEncoderOption, decoderCentreOption],
    feedback: 'decoder',
    ...(spec.decoderCentre ? { decoderCentre: spec.decoderCentre } : {}),
    probeNoise: probeNoiseSchedule(spec),
    top(at, rows) {
      // The top signal is the difference ĥ_L − h_L = −η̂ ∂Loss/∂h_L.
      const length = rows * at.size;
      kernels().axpby(length, -topStepFor(spec, rows), at.topDown, 0, at.topDown, at.topDown);
    },
    ...(spec.top === 'output-decoder' ? decodedTop(spec) : {}),
    ...(spec.autoEncoder ? layerwiseAutoEncoders(spec.autoEncoder) : {}),
    receive(at, rows) {
      kernels().axpby(rows * at.size, 1, at.activity, 1, at.topDown, at.target);
      if (spec.project) at.sendInPlace(rows, at.target);
      layerLossDelta(at, rows);
    },
    descend(pathway, above, below, rows) {
      const decoder = expectPathway('dtp', pathway, 'decoder');
      if (spec.straightThrough) decoder.decodeStraightThrough(rows, above.target, above.activity, below.topDown);
      else decoder.decodeDifference(rows, above.target, above.activity, below.topDown);
      if (growth !== 1) kernels().axpby(rows * below.size, growth, below.topDown, 0, below.topDown, below.topDown);
      if (spec.stepClip !== undefined) capSteps(below.topDown, rows, below.size, spec.stepClip);
    },
  };
}

/** The top target decoded from the output: ĥ_L − h_L = g_{L+1}(o − η̂ δ_out) − g_{L+1}(o), written by `fromReadout`. */
function decodedTop(spec: TargetPropagationSpec): Pick<Rule, 'uses' | 'readoutFeedback' | 'fromReadout' | 'top'> {
  return {
    uses: { ...targetPropagationUses, outputGradient: false },
    readoutFeedback: 'output-decoder',
    fromReadout(pathway, readout, top, rows) {
      expectPathway('dtp', pathway, 'output-decoder').sendTargetDifference(rows, readout.delta, topStepFor(spec, rows), top.topDown);
    },
    top() {
      // topDown already holds ĥ_L − h_L.
    },
  };
}

/** Every decoder between populations probes with its encoder learning too (weight λ); the read-out's pathway keeps its own. */
function layerwiseAutoEncoders(weight: number): Pick<Rule, 'probes'> {
  return {
    probes: (network, l) => (l < network.readout.index ? expectPathway('dtp', network.feedback[l]!, 'decoder').probes(network.site(l), weight) : undefined),
  };
}

/**
 * Scales each of `rows` steps of `size` units down to an rms of at most `clip`:
 * s ← s·min(1, clip·√size / ‖s‖). A loop here rather than a kernel: rows × size per layer and
 * minibatch, next to the decoder's rows × size × size product.
 */
function capSteps(steps: Float32Array, rows: number, size: number, clip: number): void {
  const limit = clip * clip * size;
  for (let start = 0; start < rows * size; start += size) {
    let squares = 0;
    for (let i = start; i < start + size; i++) squares += steps[i] * steps[i];
    if (squares <= limit) continue;
    const scale = Math.sqrt(limit / squares);
    for (let i = start; i < start + size; i++) steps[i] *= scale;
  }
}
