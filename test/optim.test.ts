/** Optimisers: first steps against their closed forms, and convergence on a quadratic. */
import { createOptimizer, OptimizerSpec } from '../src/optim/optimizer';

describe('optimisers', () => {
  it('centered RMSprop (Lee et al.) takes the closed-form first step −lr·g/√(0.05g² − 0.0025g² + ε)', () => {
    const p = Float32Array.from([1, -2]);
    const g = Float32Array.from([0.5, -3]);
    createOptimizer({ name: 'rmsprop', lr: 0.01 }, p).step(g);
    g.forEach((gi, i) => {
      const expected = [1, -2][i] - (0.01 * gi) / Math.sqrt(0.05 * gi * gi - 0.0025 * gi * gi + 0.001);
      expect(p[i]).toBeCloseTo(expected, 6);
    });
  });

  it('Adam’s first step is lr·sign(g) (bias-corrected)', () => {
    const p = Float32Array.from([0, 0]);
    createOptimizer({ name: 'adam', lr: 0.1 }, p).step(Float32Array.from([3, -0.2]));
    expect(p[0]).toBeCloseTo(-0.1, 5);
    expect(p[1]).toBeCloseTo(0.1, 5);
  });

  it('SGD with momentum and weight decay follows v ← μv − lr(g + λp), p ← p + v', () => {
    const p = Float32Array.from([1]);
    const opt = createOptimizer({ name: 'sgd', lr: 0.1, momentum: 0.5, weightDecay: 0.1 }, p);
    opt.step(Float32Array.from([2])); // v = −0.1·(2 + 0.1) = −0.21
    expect(p[0]).toBeCloseTo(0.79, 6);
    opt.step(Float32Array.from([2])); // v = 0.5·(−0.21) − 0.1·(2 + 0.079) = −0.3129
    expect(p[0]).toBeCloseTo(0.4771, 6);
  });

  it.each<OptimizerSpec>([
    { name: 'sgd', lr: 0.1, momentum: 0.9 },
    { name: 'rmsprop', lr: 0.01 },
    { name: 'adam', lr: 0.05 },
  ])('$name minimises ½‖p − c‖²', (spec) => {
    const c = [3, -1, 0.5];
    const p = new Float32Array(3);
    const g = new Float32Array(3);
    const opt = createOptimizer(spec, p);
    for (let t = 0; t < 2000; t++) {
      for (let i = 0; i < 3; i++) g[i] = p[i] - c[i];
      opt.step(g);
    }
    c.forEach((ci, i) => expect(p[i]).toBeCloseTo(ci, 1));
  });
});
