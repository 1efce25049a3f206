/** Unit types: each step is its equation, and the fused projection path agrees with the stepped one. */
import { kernels } from '../src/kernels';
import { units } from '../src/units';

const equations: Record<string, (a: number) => number> = {
  tanh: Math.tanh,
  sigmoid: (a) => 1 / (1 + Math.exp(-a)),
  relu: (a) => Math.max(a, 0),
  linear: (a) => a,
  softmax: (a) => a,
};

describe.each(Object.values(units))('unit $name', (unit) => {
  const k = kernels();
  const a = Float32Array.from({ length: 41 }, (_, i) => (i - 20) / 4);

  it('steps y = f(a) as its equation says', () => {
    const y = new Float32Array(a.length);
    unit.step(k, a.length, a, y);
    a.forEach((ai, i) => expect(y[i]).toBeCloseTo(equations[unit.name](ai), 5));
  });

  it('gives the same response fused into a projection as stepped after it', () => {
    const [m, n, depth] = [3, 5, 4];
    const x = Float32Array.from({ length: m * depth }, (_, i) => Math.sin(i));
    const w = Float32Array.from({ length: depth * n }, (_, i) => Math.cos(i));
    const bias = Float32Array.from({ length: n }, (_, i) => 0.1 * i);
    const fused = new Float32Array(m * n);
    k.dense(m, n, depth, x, w, bias, unit.activation, fused);
    const summed = new Float32Array(m * n);
    k.gemm(false, false, m, n, depth, 1, x, w, 0, summed);
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) summed[i * n + j] += bias[j];
    const stepped = new Float32Array(m * n);
    unit.step(k, m * n, summed, stepped);
    fused.forEach((v, i) => expect(v).toBeCloseTo(stepped[i], 5));
  });
});
