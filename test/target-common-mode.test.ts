/**
 * Why straight-through DTP targets alternate in direction, layer by layer, in sigmoid networks
 * sending Bernoulli samples (issue 17; RESULTS.md, "Why the targets alternate"): the forward
 * matrices W_l learn a negative common mode (their mean entry) while the decoders V_l, which read
 * non-negative samples and must reproduce positive activities, learn a positive one. A step shared
 * by every unit of h_l then reaches h_{l−1} with its sign flipped along the straight-through gradient
 * (through W_lᵀ) and kept along the target (through V_l), so the two agree at an even number of
 * layers below the top and disagree at an odd number.
 *
 * The analytic case: W_l = w·11ᵀ and V_l = v·11ᵀ with zero biases. Every unit of a layer then has the
 * same pre-activation, so in each row both the target step ĥ_l − h_l (a decoder difference summed
 * over the units above) and the straight-through gradient are multiples of 1. Per row, the angle
 * between them is 0° or 180°: the sign of the target's component is sign(v)^k times the top step's
 * sum, the gradient's sign(w)^k times it, k decoders below the top. With one row the monitor's angle
 * is exactly 0° or 180°.
 */
import { DecoderPathway } from '../src/network/decoder';
import { AlignmentMonitor } from '../src/metrics/alignment';
import { randomBatch, smallCircuit, stimulus, stochasticNet } from './helpers';

/** The monitor's straight-through angle at h1 … h3 (h4 is the top) after one step, with every W_l = w and every V_l = v. */
function anglesBelowTop(w: number, v: number, rows: number): number[] {
  const circuit = smallCircuit(stochasticNet(6), { name: 'dtp', topStep: 0.5, noise: 0.1, straightThrough: true });
  const { hidden, feedback } = circuit.network;
  for (const p of hidden) {
    p.projection.weights.fill(w);
    p.projection.bias.fill(0);
  }
  for (let l = 2; l <= hidden.length; l++) {
    const decoder = feedback[l] as DecoderPathway;
    decoder.projection.weights.fill(v);
    decoder.projection.bias.fill(0);
  }
  const monitor = new AlignmentMonitor(circuit, 1);
  circuit.step(stimulus(randomBatch(rows, 5, 3, 5), { learnForward: true }));
  const [sample] = monitor.take();
  monitor.dispose();
  return ['h1', 'h2', 'h3'].map((name) => sample.target_angle_st![name] as number);
}

describe('the common mode of forward weights and decoders sets the sign of every target below the top', () => {
  it('alternates 180°, 0°, 180° from h3 down when W_l has a negative common mode and V_l a positive one', () => {
    const [h1, h2, h3] = anglesBelowTop(-0.05, 0.05, 1);
    expect(h3).toBeGreaterThan(179);
    expect(h2).toBeLessThan(1);
    expect(h1).toBeGreaterThan(179);
  });

  it('puts every target along the gradient when both common modes have the same sign', () => {
    for (const [w, v] of [
      [-0.05, -0.05],
      [0.05, 0.05],
    ]) {
      for (const angle of anglesBelowTop(w, v, 1)) expect(angle).toBeLessThan(1);
    }
  });

  it('keeps the alternation over a batch: each row adds with the same sign, so the angle is past 90° at odd depth and short of it at even', () => {
    const [h1, h2, h3] = anglesBelowTop(-0.05, 0.05, 8);
    expect(h3).toBeGreaterThan(90);
    expect(h2).toBeLessThan(90);
    expect(h1).toBeGreaterThan(90);
  });
});
