/**
 * Straight-through estimators (Hinton 2012; Bengio, Léonard & Courville 2013): the forward step is
 * unchanged, and a gradient-based rule uses a surrogate derivative at the unit's input x:
 *   identity: dy/dx := 1;   tanh: dy/dx := 1 − tanh²(x);   sigmoid: dy/dx := σ(x)(1 − σ(x)).
 */
import { DerivativeName, Unit } from './unit';

type Derive = NonNullable<Unit['derive']>;

const surrogates: Record<'identity' | 'tanh' | 'sigmoid', Derive> = {
  identity(_k, length, _x, _y, g, d) {
    if (d !== g) d.set(g.subarray(0, length));
  },
  tanh(_k, length, x, _y, g, d) {
    for (let i = 0; i < length; i++) {
      const t = Math.tanh(x[i]);
      d[i] = g[i] * (1 - t * t);
    }
  },
  sigmoid(_k, length, x, _y, g, d) {
    for (let i = 0; i < length; i++) {
      const s = 1 / (1 + Math.exp(-x[i]));
      d[i] = g[i] * s * (1 - s);
    }
  },
};

/** `unit` with the derivative `name` (its own when "true"); throws when it has no true derivative. */
export function withDerivative(unit: Unit, name: DerivativeName): Unit {
  if (name === unit.derivative) return unit;
  if (name === 'true') {
    throw new Error(`unit ${unit.name} has no true derivative; name a straight-through one (identity, tanh, sigmoid) or none`);
  }
  // A surrogate reads x, which the fused fast path does not keep: the unit is stepped instead.
  const { activation: _fastPath, ...forward } = unit;
  return { ...forward, derivative: name, derive: name === 'none' ? undefined : surrogates[name] };
}
