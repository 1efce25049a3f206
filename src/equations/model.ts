/**
 * A neuron model written as equations with units, in Brian2's notation (Stimberg et al. 2019):
 *
 *   dv/dt  = (ge + gi - (v - El)) / taum : volt (unless refractory)
 *   dge/dt = -ge / taue                  : volt
 *   I = g * (E - v)                      : amp        (a sub-expression, inlined)
 *   rates                                : Hz         (a per-neuron parameter, set from outside)
 *
 * with constants (`taum = 20 ms`), a threshold condition (`v > Vt`), reset statements (`v = Vr; u += d`)
 * and a refractory period. Parsing checks every dimension, so a model whose sides disagree stops
 * with one line naming the equation and both units.
 */
import { MathNode } from 'mathjs';
import { describeUnit, parameterQuantity, Quantity, quantityOf, readQuantity, sameDimension, unitQuantity } from './dimensions';
import { EquationError, parseExpression, substitute } from './expression';

/** A model as written in models/*.json. */
export interface ModelSpec {
  readonly name: string;
  readonly description?: string;
  /** One equation per entry (or one string with one per line). */
  readonly equations: string | readonly string[];
  /** Constants, e.g. { "taum": "20 ms", "Vt": "-50 mV" }; later ones may use earlier ones. */
  readonly parameters?: Readonly<Record<string, string | number>>;
  /** Spike condition, e.g. "v > Vt". No threshold: the population never spikes. */
  readonly threshold?: string;
  /** Statements run for each neuron that spiked, e.g. "v = Vr" or "v = c; u += d". */
  readonly reset?: string;
  /** Refractory period, e.g. "5 ms": variables marked (unless refractory) are clamped, no spike. */
  readonly refractory?: string;
  /** Integration: exact (linear systems, via the matrix exponential), euler, rk2 (midpoint) or rk4. */
  readonly method?: 'exact' | 'euler' | 'rk2' | 'rk4';
}

export interface Variable {
  readonly name: string;
  readonly unit: Quantity;
  /** A differential equation's right-hand side (sub-expressions inlined), or null for a parameter. */
  readonly rhs: MathNode | null;
  readonly unlessRefractory: boolean;
  /** The line it was declared on, for messages. */
  readonly line: string;
}

/** `target op= expression`, as in resets and synaptic effects. */
export interface Statement {
  readonly target: string;
  readonly op: '=' | '+=' | '-=' | '*=' | '/=';
  readonly expression: MathNode;
  readonly text: string;
}

export interface Model {
  readonly name: string;
  /** Differential-equation variables first, then per-neuron parameters, in declaration order. */
  readonly variables: readonly Variable[];
  readonly constants: ReadonlyMap<string, Quantity>;
  readonly threshold: MathNode | null;
  readonly reset: readonly Statement[];
  /** Seconds. */
  readonly refractory: number;
  readonly method: 'exact' | 'euler' | 'rk2' | 'rk4' | null;
}

/** Names every model can read: the step, time, neuron index, population size, refractoriness. */
export const builtinNames = ['t', 'dt', 'i', 'N', 'not_refractory'];

function builtinScope(): Map<string, Quantity | boolean> {
  return new Map<string, Quantity | boolean>([
    ['t', unitQuantity('second', '')],
    ['dt', unitQuantity('second', '')],
    ['i', 1],
    ['N', 1],
    ['not_refractory', true],
  ]);
}

/** Evaluates constants in order (each may use the earlier ones and `extra`). */
export function evaluateConstants(
  parameters: Readonly<Record<string, string | number>>,
  where: string,
  extra: ReadonlyMap<string, Quantity> = new Map(),
): Map<string, Quantity> {
  const constants = new Map<string, Quantity>(extra);
  for (const [name, value] of Object.entries(parameters)) {
    if (!/^[A-Za-z_]\w*$/.test(name)) throw new EquationError(`${where}: parameter name "${name}" is not an identifier`);
    constants.set(name, parameterQuantity(value, constants, `${where}, parameter ${name}`));
  }
  return constants;
}

/** Parses `a = b; c += d` into statements. */
export function parseStatements(text: string, where: string): Statement[] {
  return text
    .split(/[;\n]/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map((s) => {
      const match = /^([A-Za-z_]\w*)\s*(\+=|-=|\*=|\/=|=)\s*(.+)$/.exec(s);
      if (!match) throw new EquationError(`${where}: "${s}" is not a statement like "v = Vr" or "ge += w"`);
      return { target: match[1], op: match[2] as Statement['op'], expression: parseExpression(match[3], `${where}, "${s}"`), text: s };
    });
}

/** Checks a statement's dimensions: `x = e` and `x += e` need e in x's unit, `x *= e` a pure number. */
export function checkStatement(statement: Statement, targetUnit: Quantity, scope: ReadonlyMap<string, Quantity | boolean>, where: string): void {
  const value = quantityOf(statement.expression, scope, `${where}, "${statement.text}"`);
  const expected = statement.op === '*=' || statement.op === '/=' ? 1 : targetUnit;
  if (!sameDimension(value, expected)) {
    throw new EquationError(`${where}, "${statement.text}": the target is ${describeUnit(expected)} but the right side is ${describeUnit(value)}`);
  }
}

/**
 * Initial values of a model's variables, e.g. { v: "Vr + rand()*(Vt - Vr)", ge: "0 mV" }, as
 * dimension-checked statements `v = …` (they may read the constants, the variables, i and N).
 */
export function initialStatements(model: Model, values: Readonly<Record<string, string>>, where: string): Statement[] {
  const scope = new Map<string, Quantity | boolean>([...model.constants, ['i', 1], ['N', 1]]);
  for (const v of model.variables) scope.set(v.name, v.unit);
  return Object.entries(values).map(([target, text]) => {
    const variable = model.variables.find((v) => v.name === target);
    if (!variable) throw new EquationError(`${where}: "${target}" is not a variable of model "${model.name}"`);
    const statement: Statement = { target, op: '=', expression: parseExpression(text, `${where}, ${target}`), text: `${target} = ${text}` };
    checkStatement(statement, variable.unit, scope, where);
    return statement;
  });
}

/**
 * Parses and dimension-checks a model. `overrides` replace the model's own constants (a population
 * may set taum differently); `shared` are constants of the experiment visible to every model.
 */
export function parseModel(
  spec: ModelSpec,
  overrides: Readonly<Record<string, string | number>> = {},
  shared: ReadonlyMap<string, Quantity> = new Map(),
): Model {
  const where = `model "${spec.name}"`;
  const constants = evaluateConstants({ ...spec.parameters, ...overrides }, where, shared);
  const lines = (typeof spec.equations === 'string' ? spec.equations.split('\n') : [...spec.equations]).map((l) => l.trim()).filter(Boolean);

  const scope = builtinScope();
  for (const [name, q] of constants) scope.set(name, q);
  const subexpressions = new Map<string, MathNode>();
  const odes: { name: string; unit: Quantity; rhs: MathNode; unlessRefractory: boolean; line: string }[] = [];
  const parameters: Variable[] = [];
  const declared = new Set<string>();
  const declare = (name: string, line: string): void => {
    if (declared.has(name) || constants.has(name) || builtinNames.includes(name)) {
      throw new EquationError(`${where}, "${line}": "${name}" is declared twice`);
    }
    declared.add(name);
  };

  for (const line of lines) {
    const flagsMatch = /\(([^()]*)\)\s*$/.exec(line);
    const flags = flagsMatch ? flagsMatch[1].split(',').map((f) => f.trim()) : [];
    for (const flag of flags) {
      if (flag !== 'unless refractory' && flag !== 'constant') throw new EquationError(`${where}, "${line}": unknown flag "${flag}"`);
    }
    const body = flagsMatch ? line.slice(0, flagsMatch.index).trim() : line;
    const colon = body.lastIndexOf(':');
    if (colon < 0) throw new EquationError(`${where}, "${line}": missing ": unit"`);
    const left = body.slice(0, colon).trim();
    const unit = unitQuantity(body.slice(colon + 1), `${where}, "${line}"`);
    const ode = /^d([A-Za-z_]\w*)\s*\/\s*dt\s*=\s*(.+)$/.exec(left);
    const sub = /^([A-Za-z_]\w*)\s*=\s*(.+)$/.exec(left);
    if (ode) {
      declare(ode[1], line);
      odes.push({ name: ode[1], unit, rhs: parseExpression(ode[2], `${where}, "${line}"`), unlessRefractory: flags.includes('unless refractory'), line });
      scope.set(ode[1], unit);
    } else if (sub) {
      declare(sub[1], line);
      subexpressions.set(sub[1], parseExpression(sub[2], `${where}, "${line}"`));
      scope.set(sub[1], unit);
    } else if (/^[A-Za-z_]\w*$/.test(left)) {
      declare(left, line);
      parameters.push({ name: left, unit, rhs: null, unlessRefractory: false, line });
      scope.set(left, unit);
    } else {
      throw new EquationError(`${where}, "${line}": not an equation like "dv/dt = ... : volt", "x = ... : unit" or "x : unit"`);
    }
  }

  // Sub-expressions may use each other: inline until none is left (a cycle would never settle).
  const inline = (node: MathNode, line: string): MathNode => {
    for (let depth = 0; depth <= subexpressions.size; depth++) {
      const next = substitute(node, subexpressions);
      if (next.toString() === node.toString()) return next;
      node = next;
    }
    throw new EquationError(`${where}, "${line}": sub-expressions refer to each other in a cycle`);
  };
  for (const [name, expression] of subexpressions) {
    const line = lines.find((l) => l.startsWith(name)) ?? name;
    const value = quantityOf(inline(expression, line), scope, `${where}, "${line}"`);
    if (!sameDimension(value, scope.get(name) as Quantity)) {
      throw new EquationError(`${where}, "${line}": the left side is ${describeUnit(scope.get(name) as Quantity)} but the right side is ${describeUnit(value)}`);
    }
  }
  const variables: Variable[] = odes.map((o) => {
    const rhs = inline(o.rhs, o.line);
    const value = quantityOf(rhs, scope, `${where}, "${o.line}"`);
    const expected = sameDimension(o.unit, 1) ? unitQuantity('Hz', '') : (o.unit as any).divide(unitQuantity('second', ''));
    if (!sameDimension(value, expected)) {
      throw new EquationError(`${where}, "${o.line}": the left side is ${describeUnit(expected)} but the right side is ${describeUnit(value)}`);
    }
    return { name: o.name, unit: o.unit, rhs, unlessRefractory: o.unlessRefractory, line: o.line };
  });
  variables.push(...parameters);

  const threshold = spec.threshold ? inline(parseExpression(spec.threshold, `${where}, threshold`), spec.threshold) : null;
  if (threshold) quantityOf(threshold, scope, `${where}, threshold "${spec.threshold}"`);
  const reset = spec.reset ? parseStatements(spec.reset, `${where}, reset`) : [];
  for (const statement of reset) {
    const target = variables.find((v) => v.name === statement.target);
    if (!target) throw new EquationError(`${where}, reset "${statement.text}": "${statement.target}" is not a variable of the model`);
    checkStatement({ ...statement, expression: inline(statement.expression, statement.text) }, target.unit, scope, `${where}, reset`);
  }
  let refractory = 0;
  if (spec.refractory) {
    refractory = readQuantity(spec.refractory, 'second', `${where}, refractory`, constants);
  }
  return {
    name: spec.name,
    variables,
    constants,
    threshold,
    reset: reset.map((s) => ({ ...s, expression: inline(s.expression, s.text) })),
    refractory,
    method: spec.method ?? null,
  };
}
