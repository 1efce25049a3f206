/** The unit types by the names model specs use. */
import { linear, relu, sigmoid, tanh } from './rate';
import { softmax } from './softmax';
import { Unit } from './unit';

export type { Unit } from './unit';

export const units: Readonly<Record<string, Unit>> = { tanh, sigmoid, relu, linear, softmax };

/** The unit type called `name`; throws a one-line error listing the known names. */
export function unitNamed(name: string): Unit {
  const unit = units[name];
  if (!unit) throw new Error(`unknown unit type "${name}" (known: ${Object.keys(units).join(', ')})`);
  return unit;
}
