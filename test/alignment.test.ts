/** Alignment metrics: angles on hand-made vectors, and on circuits whose answers are known. */
import { FixedFeedbackPathway } from '../src/network/fixed-feedback';
import { AlignmentMonitor, angleDegrees, normRatio } from '../src/metrics/alignment';
import { ModelSpec } from '../src/network/spec';
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

  /** 7-6-5-4-3 with tanh hidden populations sending `send` up; decoders read what is sent. */
  const sending = (send: string, units = 'tanh'): ModelSpec => ({
    name: 'sending',
    input: 7,
    layers: [...[6, 5, 4].map((size) => ({ size, units, send })), { size: 3, units: 'softmax' }],
    init: { name: 'orthogonal' },
    feedback: { units: 'tanh', input: send },
  });

  it('measures targets against the straight-through gradient where sign’s true gradient vanishes', () => {
    const circuit = smallCircuit(sending('sign'), { name: 'dtp', topStep: 0.5, noise: 0.1 });
    const monitor = new AlignmentMonitor(circuit, 1);
    circuit.step(stimulus(randomBatch(9, 7, 3), { learnForward: true }));
    const [sample] = monitor.take();
    // The top target steps along −∂L/∂x_L itself; below, sign's zero derivative leaves no true gradient.
    expect(sample.target_angle.h3).toBeLessThan(1e-2);
    expect(sample.target_angle.h2).toBe('NaN');
    expect(sample.target_angle_st!.h3).toBeLessThan(1e-2);
    // Straight through: ∂L/∂h_2 = (∂L/∂h_3 ∘ f′(a_3))·W_3ᵀ, a real direction the target may follow or not.
    for (const h of ['h1', 'h2']) expect(typeof sample.target_angle_st![h]).toBe('number');
    const top = circuit.network.hidden[2];
    let squares = 0;
    for (let i = 0; i < 9 * top.size; i++) squares += (top.target[i] - top.activity[i]) ** 2;
    expect(sample.target_rms!.h3).toBeCloseTo(Math.sqrt(squares / (9 * top.size)), 5);
  });

  it('agrees with the true chain without output transforms, and reports an undefined one as NaN', () => {
    const plain = smallCircuit(model, { name: 'dtp', topStep: 0.1, noise: 0.1 });
    const monitor = new AlignmentMonitor(plain, 1);
    plain.step(stimulus(randomBatch(9, 7, 3), { learnForward: true }));
    const [sample] = monitor.take();
    for (const h of ['h1', 'h2', 'h3']) expect(sample.target_angle_st![h]).toBeCloseTo(sample.target_angle[h] as number, 6);

    // Samples declare no derivative: the true chain stops at the top population's ∂L/∂h, straight-through goes on.
    const stochastic = smallCircuit(sending('sample', 'sigmoid'), { name: 'dtp', topStep: 0.1, noise: 0.1 });
    const sampled = new AlignmentMonitor(stochastic, 1);
    stochastic.step(stimulus(randomBatch(9, 7, 3), { learnForward: true }));
    const [s] = sampled.take();
    expect(s.update_angle.W3).toBe('NaN');
    expect(s.target_angle.h3).toBeCloseTo(s.target_angle_st!.h3 as number, 6);
    expect(s.update_angle.W2).toBe('NaN');
    expect(s.target_angle.h2).toBe('NaN');
    expect(typeof s.target_angle_st!.h2).toBe('number');
  });

  it('records no target diagnostics for rules without targets', () => {
    const circuit = smallCircuit(model, { name: 'bp' });
    const monitor = new AlignmentMonitor(circuit, 1);
    circuit.step(stimulus(randomBatch(9, 7, 3), { learnForward: true }));
    expect(Object.keys(monitor.take()[0])).toEqual(['step', 'update_angle', 'feedback_angle', 'feedback_norm_ratio', 'target_angle']);
  });
});
