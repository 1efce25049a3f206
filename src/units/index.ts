/** The unit types by the names model specs use. */
import { quantise, sign, step } from './discrete';
import { linear, relu, sigmoid, tanh } from './rate';
import { linearReadout } from './linear-readout';
import { softmax } from './softmax';
import { bernoulli, poisson, sample, stochasticRound } from './stochastic';
import { withDerivative } from './straight-through';
import { DerivativeName, Unit } from './unit';

export type { Unit, DerivativeName } from './unit';
export { derivativeNames, kernelDerivative } from './unit';

/** Unit types without parameters. */
export const units: Readonly<Record<string, Unit>> = {
  tanh,
  sigmoid,
  relu,
  linear,
  softmax,
  'linear-readout': linearReadout,
  sign,
  step,
  bernoulli,
  sample,
  'stochastic-round': stochasticRound,
};

/** Parametrised unit types: quantise (levels, default 4) and poisson (window, default 10). */
const families: Readonly<Record<string, (spec: UnitOptions) => Unit>> = {
  quantise: (spec) => quantise(spec.levels ?? 4),
  poisson: (spec) => poisson(spec.window ?? 10),
};

/** Every unit type name a model spec may write. */
export const unitTypeNames: readonly string[] = [...Object.keys(units), ...Object.keys(families)];

export interface UnitOptions {
  readonly name: string;
  /** The derivative gradient-based rules may use (default: the unit's own, "true" or "none"). */
  readonly derivative?: DerivativeName;
  /** quantise: number of levels. */
  readonly levels?: number;
  /** poisson: counting window. */
  readonly window?: number;
}

/** A unit in a model spec: a name, or a name with options. */
export type UnitSpec = string | UnitOptions;

/** The unit `spec` describes; throws a one-line error naming what is unknown or impossible. */
export function unitNamed(spec: UnitSpec): Unit {
  const options: UnitOptions = typeof spec === 'string' ? { name: spec } : spec;
  const family = families[options.name];
  const unit = family ? family(options) : units[options.name];
  if (!unit) throw new Error(`unknown unit type "${options.name}" (known: ${unitTypeNames.join(', ')})`);
  return options.derivative === undefined ? unit : withDerivative(unit, options.derivative);
}
