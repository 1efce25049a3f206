/**
 * Physical dimensions of a model's quantities, checked with mathjs units before any code is made.
 * A quantity is a mathjs Unit (a value with a unit) or a plain number (dimensionless). Values handed
 * to generated code are always SI numbers (volt, second, ampere …), as in Brian2.
 */
import { evaluate, isUnit, MathNode, Unit, unit as makeUnit } from 'mathjs';
import { EquationError } from './expression';

export type Quantity = Unit | number;

/** Units named in messages, tried in order; anything else is printed in SI base units. */
const named = ['volt', 'volt/second', 'second', 'Hz', 'amp', 'amp/second', 'siemens', 'ohm', 'farad', 'volt^2', 'volt/second^2', 'Hz/second', 'volt*second', 'amp*second'];

/** The unit of a quantity, named the way a neuroscientist writes it (`volt`, `volt/second`, `1`). */
export function describeUnit(q: Quantity): string {
  if (!isUnit(q) || (q as Unit).dimensions.every((d) => d === 0)) return '1';
  for (const name of named) {
    if ((q as Unit).equalBase(makeUnit(1, name.replace('amp', 'A')))) return name;
  }
  return (q as Unit).toSI().formatUnits();
}

/** A quantity with value 1 in the unit written after a colon (`volt`, `volt/second`, `Hz`, `1`). */
export function unitQuantity(text: string, where: string): Quantity {
  const t = text.trim();
  if (t === '1' || t === '') return 1;
  try {
    return makeUnit(1, t.replace(/\bamp\b/g, 'A').replace(/\*\*/g, '^'));
  } catch {
    throw new EquationError(`${where}: unknown unit "${text}"`);
  }
}

/** Whether two quantities have the same dimensions. */
export function sameDimension(a: Quantity, b: Quantity): boolean {
  const dimensionless = (q: Quantity): boolean => !isUnit(q) || (q as Unit).dimensions.every((d) => d === 0);
  if (dimensionless(a) || dimensionless(b)) return dimensionless(a) && dimensionless(b);
  return (a as Unit).equalBase(b as Unit);
}

/** The SI number of a quantity (20 ms → 0.02). */
export function siValue(q: Quantity): number {
  if (!isUnit(q)) return q as number;
  const u = q as Unit;
  return u.dimensions.every((d) => d === 0) ? u.toNumber('') : (u.value as number);
}

/** Functions visible while dimensions are checked; `rand()` and `poisson(mean)` are dimensionless, and so must the mean be. */
const checkScope = {
  rand: () => 0.5,
  poisson: (mean: unknown) => {
    if (isUnit(mean) && !(mean as Unit).dimensions.every((d) => d === 0)) throw new Error(`poisson(mean): the mean must be a plain number, got ${(mean as Unit).toString()}`);
    return 1;
  },
  int: (x: unknown) => Number(x),
};

/**
 * Evaluates `node` over quantities (variables as 1 in their unit, parameters with their values) and
 * returns the result's quantity; a unit mismatch becomes an EquationError naming `where`.
 */
export function quantityOf(node: MathNode, scope: ReadonlyMap<string, Quantity | boolean>, where: string): Quantity {
  try {
    const value = node.compile().evaluate({ ...checkScope, ...Object.fromEntries(scope) });
    if (typeof value === 'boolean') return 1;
    if (typeof value === 'number' || isUnit(value)) return value as Quantity;
    throw new Error(`gives ${typeof value}`);
  } catch (error) {
    if (error instanceof EquationError) throw error;
    throw new EquationError(`${where}: ${explain((error as Error).message)}`);
  }
}

/** mathjs's unit errors in a neuroscientist's words. */
function explain(message: string): string {
  if (/Units do not match/.test(message)) return 'adds or compares quantities of different units';
  if (/Unexpected type of argument.*(expected: Unit, actual: number|expected: number, actual: Unit)/.test(message)) {
    return 'adds or compares a quantity with units and a plain number (write the unit, e.g. "3 mV")';
  }
  return message;
}

/** A parameter's value: a number, or text with units such as "20 ms" or "60*0.27/10 mV". */
export function parameterQuantity(value: string | number, scope: ReadonlyMap<string, Quantity | boolean>, where: string): Quantity {
  if (typeof value === 'number') return value;
  try {
    const result = evaluate(value.replace(/\*\*/g, '^'), { ...checkScope, ...Object.fromEntries(scope) });
    if (typeof result === 'number' || isUnit(result)) return result as Quantity;
  } catch (error) {
    throw new EquationError(`${where}: cannot evaluate "${value}" (${(error as Error).message})`);
  }
  throw new EquationError(`${where}: "${value}" is not a quantity`);
}

/** How a required dimension is named in messages ("is volt, not a time"). */
const dimensionNames: Readonly<Record<string, string>> = { second: 'a time', Hz: 'a rate' };

/**
 * The SI value of a quantity that must have the dimension of `unit` (`second`, `Hz`, `volt` … or `1`),
 * e.g. readQuantity("0.1 ms", "second", "cuba.json, dt") = 1e-4. The text may use `constants`.
 * Any other dimension is one line naming `where`, the text and both dimensions:
 * `cuba.json, dt "5 mV" is volt, not a time`.
 */
export function readQuantity(text: string | number, unit: string, where: string, constants: ReadonlyMap<string, Quantity> = new Map()): number {
  const q = parameterQuantity(text, constants, where);
  const required = unitQuantity(unit, where);
  if (!sameDimension(q, required)) {
    throw new EquationError(`${where} "${text}" is ${describeUnit(q)}, not ${dimensionNames[unit] ?? describeUnit(required)}`);
  }
  return siValue(q);
}
