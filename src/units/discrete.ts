/**
 * Discrete deterministic units (Lee et al. 2015, §3.2; Bengio 2014): their true derivative is zero
 * almost everywhere, so a rule that chains derivatives through them passes nothing down unless the
 * model spec names a straight-through estimator instead (see straight-through.ts).
 */
import { elementwiseUnit, Unit } from './unit';

const zero = (): number => 0;

/** y = +1 if x > 0 else −1, as in Lee et al.'s released code (sign(0) = −1); dy/dx = 0 a.e. */
export const sign: Unit = elementwiseUnit('sign', 'y = x > 0 ? 1 : -1', (x) => (x > 0 ? 1 : -1), {
  random: false,
  derivative: 'true',
  trueDerivative: zero,
});

/** y = 1 if x > 0 else 0 (Heaviside); dy/dx = 0 a.e. */
export const step: Unit = elementwiseUnit('step', 'y = x > 0 ? 1 : 0', (x) => (x > 0 ? 1 : 0), {
  random: false,
  derivative: 'true',
  trueDerivative: zero,
});

/**
 * k evenly spaced levels on [−1, 1]: y = −1 + 2·round((k − 1)·(clip(x, −1, 1) + 1)/2)/(k − 1),
 * rounding halves up; dy/dx = 0 a.e. With k = 2 it is a sign unit that sends 0 to +1.
 */
export function quantise(levels: number): Unit {
  if (!Number.isInteger(levels) || levels < 2) throw new Error(`quantise needs an integer number of levels ≥ 2, got ${levels}`);
  const steps = levels - 1;
  return elementwiseUnit(
    'quantise',
    `y = -1 + 2*round(${steps}*(clip(x,-1,1)+1)/2)/${steps}`,
    (x) => {
      const clipped = x < -1 ? -1 : x > 1 ? 1 : x;
      return -1 + (2 * Math.floor((steps * (clipped + 1)) / 2 + 0.5)) / steps;
    },
    { random: false, derivative: 'true', trueDerivative: zero },
  );
}
