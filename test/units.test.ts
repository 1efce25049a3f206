/**
 * Unit types: each step is its equation on known inputs, the fused projection path agrees with the
 * stepped one, and each unit passes down the derivative it declares (true or straight-through).
 */
import { kernels } from '../src/kernels';
import { streamState } from '../src/kernels/random';
import { Unit, unitNamed, units } from '../src/units';

const k = kernels();
const rng = (): Uint32Array => streamState(1, 'test/units');
const a = Float32Array.from({ length: 41 }, (_, i) => (i - 20) / 4);

function stepped(unit: Unit, x: Float32Array): Float32Array {
  const y = new Float32Array(x.length);
  unit.step(k, x.length, x, y, rng());
  return y;
}

const rateEquations: Record<string, (a: number) => number> = {
  tanh: Math.tanh,
  sigmoid: (a) => 1 / (1 + Math.exp(-a)),
  relu: (a) => Math.max(a, 0),
  linear: (a) => a,
  softmax: (a) => a,
  'linear-readout': (a) => a,
};
const fused = Object.values(units).filter((unit) => unit.activation !== undefined);

describe.each(fused)('rate unit $name', (unit) => {
  it('steps y = f(a) as its equation says', () => {
    const y = stepped(unit, a);
    a.forEach((ai, i) => expect(y[i]).toBeCloseTo(rateEquations[unit.name](ai), 5));
  });

  it('gives the same response fused into a projection as stepped after it', () => {
    const [m, n, depth] = [3, 5, 4];
    const x = Float32Array.from({ length: m * depth }, (_, i) => Math.sin(i));
    const w = Float32Array.from({ length: depth * n }, (_, i) => Math.cos(i));
    const bias = Float32Array.from({ length: n }, (_, i) => 0.1 * i);
    const out = new Float32Array(m * n);
    k.dense(m, n, depth, x, w, bias, unit.activation!, out);
    const summed = new Float32Array(m * n);
    k.gemm(false, false, m, n, depth, 1, x, w, 0, summed);
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) summed[i * n + j] += bias[j];
    const y = stepped(unit, summed);
    out.forEach((v, i) => expect(v).toBeCloseTo(y[i], 5));
  });
});

describe('discrete units', () => {
  const x = Float32Array.of(-2, -1, -0.6, -0.2, 0, 0.2, 0.34, 0.6, 1, 3);

  it('sign sends ±1 (sign(0) = −1, as in the released code) and step 0/1', () => {
    expect(Array.from(stepped(unitNamed('sign'), x))).toEqual([-1, -1, -1, -1, -1, 1, 1, 1, 1, 1]);
    expect(Array.from(stepped(unitNamed('step'), x))).toEqual([0, 0, 0, 0, 0, 1, 1, 1, 1, 1]);
  });

  it('quantise rounds to k evenly spaced levels on [−1, 1], clipping outside', () => {
    const three = Array.from(stepped(unitNamed({ name: 'quantise', levels: 3 }), x));
    expect(three).toEqual([-1, -1, -1, 0, 0, 0, 0, 1, 1, 1]);
    const five = Array.from(stepped(unitNamed({ name: 'quantise', levels: 5 }), x));
    expect(five).toEqual([-1, -1, -0.5, 0, 0, 0, 0.5, 0.5, 1, 1]);
  });

  it('has a true derivative of zero, so nothing passes through it', () => {
    const sign = unitNamed('sign');
    const g = Float32Array.from(x, (_, i) => i + 1);
    const d = new Float32Array(x.length).fill(NaN);
    sign.derive!(k, x.length, x, stepped(sign, x), g, d);
    expect(Array.from(d)).toEqual(new Array(x.length).fill(0));
  });
});

describe('straight-through estimators', () => {
  const x = Float32Array.of(-2, -0.5, 0, 0.7, 1.5);
  const g = Float32Array.of(0.3, -1, 2, 0.5, -0.25);

  const through = (spec: Parameters<typeof unitNamed>[0]): number[] => {
    const unit = unitNamed(spec);
    const d = new Float32Array(x.length);
    unit.derive!(k, x.length, x, stepped(unit, x), g, d);
    return Array.from(d);
  };

  it('keeps the forward step and passes the declared surrogate: identity, tanh′(x), sigmoid′(x)', () => {
    expect(Array.from(stepped(unitNamed({ name: 'sign', derivative: 'identity' }), x))).toEqual([-1, -1, -1, 1, 1]);
    expect(through({ name: 'sign', derivative: 'identity' })).toEqual(Array.from(g));
    through({ name: 'sign', derivative: 'tanh' }).forEach((d, i) => expect(d).toBeCloseTo(g[i] * (1 - Math.tanh(x[i]) ** 2), 6));
    const s = (v: number): number => 1 / (1 + Math.exp(-v));
    through({ name: 'bernoulli', derivative: 'sigmoid' }).forEach((d, i) => expect(d).toBeCloseTo(g[i] * s(x[i]) * (1 - s(x[i])), 6));
  });

  it('random units declare no derivative, and asking for their true one is an error', () => {
    for (const name of ['bernoulli', 'sample', 'stochastic-round', 'poisson']) expect(unitNamed(name).derive).toBeUndefined();
    expect(() => unitNamed({ name: 'bernoulli', derivative: 'true' })).toThrow('unit bernoulli has no true derivative');
    expect(unitNamed({ name: 'tanh', derivative: 'none' }).derive).toBeUndefined();
    expect(() => unitNamed('nope')).toThrow('unknown unit type "nope"');
  });
});
