/** Alignment metrics: angles on hand-made vectors, and on circuits whose answers are known. */
import { FixedFeedbackPathway } from '../src/network/fixed-feedback';
import { AlignmentMonitor, angleDegrees, normRatio } from '../src/metrics/alignment';
import { randomBatch, smallCircuit, smallModel, stimulus } from './helpers';

describe('angles and norm ratios', () => {
  it.each([
    [[1, 0], [0, 1], 90],
    [[1, 1], [3, 0], 45],
    [[1, 2, 3], [-2, -4, -6], 180],
    [[2, 0, 0], [5, 0, 0], 0],
    [[1, Math.sqrt(3)], [1, 0], 60],
  ])('∠(%j, %j) = %d°', (a, b, expected) => expect(angleDegrees(a.length, a, b)).toBeCloseTo(expected, 6));

  it('negates the second vector on request', () => expect(angleDegrees(2, [1, 0], [-1, 0], true)).toBeCloseTo(0, 6));
  it('is NaN, never 0 or 90, when a vector is zero or not finite', () => {
    expect(angleDegrees(2, [0, 0], [1, 0])).toBeNaN();
    expect(angleDegrees(2, [NaN, 1], [1, 0])).toBeNaN();
  });
  it('gives ‖a‖/‖b‖', () => {
    expect(normRatio(2, [3, 4], [0, 1])).toBeCloseTo(5, 10);
    expect(normRatio(2, [3, 4], [0, 0])).toBeNaN();
  });
});

describe('the alignment monitor', () => {
  const model = smallModel([7, 6, 5, 4, 3], 'tanh');

  it('finds back-propagation at 0° from itself, every N learning steps', () => {
    const circuit = smallCircuit(model, { name: 'bp' });
    const monitor = new AlignmentMonitor(circuit, 2);
    for (let step = 0; step < 5; step++) circuit.step(stimulus(randomBatch(9, 7, 3, step), { learnForward: true }));
    const samples = monitor.take();
    expect(samples.map((s) => s.step)).toEqual([2, 4]);
    for (const s of samples) {
      expect(Object.keys(s.update_angle)).toEqual(['W1', 'W2', 'W3']);
      for (const angle of Object.values(s.update_angle)) expect(angle).toBeLessThan(1e-2);
    }
    expect(monitor.take()).toEqual([]);
  });

  it('measures feedback alignment’s B against W: 0° and norm ratio 1 where B = W', () => {
    const circuit = smallCircuit(model, { name: 'fa' });
    const { network } = circuit;
    (network.feedback[2] as FixedFeedbackPathway<'random'>).matrix.set(network.populations[1].projection.weights);
    const monitor = new AlignmentMonitor(circuit, 1);
    circuit.step(stimulus(randomBatch(9, 7, 3), { learnForward: true }));
    const [sample] = monitor.take();
    expect(Object.keys(sample.feedback_angle)).toEqual(['W2', 'W3', 'W4']);
    expect(sample.feedback_angle.W2).toBeLessThan(1e-2);
    expect(sample.feedback_norm_ratio.W2).toBeCloseTo(1, 6);
    expect(sample.feedback_angle.W3).toBeGreaterThan(45);
    // The read-out's B4 and B3 are random, so the hidden updates differ from back-propagation's.
    expect(sample.update_angle.W3).toBeGreaterThan(1);
  });

  it('finds DTP’s top target along −∂L/∂h_L (0°) and reports a vanishing gradient as NaN', () => {
    const circuit = smallCircuit(model, { name: 'dtp', topStep: 0.1, noise: 0.1 });
    const monitor = new AlignmentMonitor(circuit, 1);
    const batch = randomBatch(9, 7, 3);
    circuit.step(stimulus(batch, { learnForward: true }));
    circuit.network.readout.projection.weights.fill(0);
    circuit.step(stimulus(batch, { learnForward: true }));
    const [first, second] = monitor.take();
    expect(first.target_angle.h3).toBeLessThan(1e-2);
    expect(first.target_angle.h1).toBeGreaterThan(1);
    expect(second.target_angle.h3).toBe('NaN');
    expect(second.update_angle.W1).toBe('NaN');
    expect(JSON.parse(JSON.stringify(second)).update_angle.W1).toBe('NaN');
  });
});
