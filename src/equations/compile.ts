/**
 * Compiles a model into loops over a population's typed arrays, generated as JavaScript source once
 * (`new Function`) and then run by V8 as ordinary compiled code: one fused loop per step does the
 * state update, the refractory bookkeeping and the threshold test for every neuron; a second loop
 * runs the reset statements over the neurons that spiked. This is Brian2's code-generation design
 * (Stimberg et al. 2019) with V8 in place of a C compiler.
 *
 * Per step, for each neuron i (Brian2's order: update, threshold, [synapses], reset):
 *   notref = (steps since the last spike) ≥ refractory steps
 *   x ← update(x)                      (exact / euler / rk2 / rk4, see integrate.ts)
 *   if notref and threshold(x): record i, start its refractory period
 */
import { Model, Statement } from './model';
import { literal, toJavaScript } from './expression';
import { local, Resolver, stateUpdate } from './integrate';
import { siValue } from './dimensions';

/** A population's variables: one Float64Array (SI values) per model variable, in model order. */
export type StateArrays = readonly Float64Array[];

/**
 * Advances neurons 0…n−1 by one step; writes the indices of those that spiked to `spikes` and
 * returns their count. `refractory[i]` is how many more steps neuron i stays refractory (0: it can spike).
 */
export type UpdateFunction = (n: number, state: StateArrays, refractory: Int32Array, step: number, rand: () => number, spikes: Uint32Array) => number;

/** Runs statements for the listed neurons (resets; initial values with all neurons listed). */
export type StatementsFunction = (indices: Uint32Array, count: number, n: number, state: StateArrays, step: number, rand: () => number) => void;

export interface CompiledModel {
  readonly model: Model;
  readonly dt: number;
  readonly method: 'exact' | 'euler' | 'rk2' | 'rk4';
  readonly variableNames: readonly string[];
  readonly refractorySteps: number;
  readonly update: UpdateFunction;
  readonly reset: StatementsFunction;
  /** The generated update source, for inspection and tests. */
  readonly source: string;
}

/** Resolves names inside generated loops: variables are locals, constants inlined literals. */
export function modelResolver(model: Model, dt: number): Resolver {
  const variables = new Set(model.variables.map((v) => v.name));
  return (name) => {
    if (variables.has(name)) return local(name);
    const q = model.constants.get(name);
    if (q !== undefined) return literal(siValue(q));
    if (name === 'dt') return literal(dt);
    if (name === 't') return 't';
    if (name === 'i') return 'i';
    if (name === 'N') return 'n';
    if (name === 'not_refractory') return 'notref';
    return undefined;
  };
}

const loadLocals = (model: Model): string =>
  model.variables.map((v, k) => `const a_${v.name} = state[${k}];`).join('\n');

/** Statements as source over locals (`$v = -0.06;`). */
export function statementSource(statements: readonly Statement[], resolve: Resolver, where: string): string {
  return statements.map((s) => `${resolve(s.target)} ${s.op} ${toJavaScript(s.expression, resolve, `${where}, "${s.text}"`)};`).join('\n');
}

/** Compiles statements over the listed neurons of a model's population. */
export function compileStatements(model: Model, dt: number, statements: readonly Statement[], where: string): StatementsFunction {
  const resolve = modelResolver(model, dt);
  const touched = model.variables.filter((v) => statements.some((s) => s.target === v.name || s.expression.toString().match(new RegExp(`\\b${v.name}\\b`))));
  const source = `"use strict";
${loadLocals(model)}
const t = step * ${literal(dt)};
for (let s = 0; s < count; s++) {
  const i = indices[s];
  ${touched.map((v) => `let ${local(v.name)} = a_${v.name}[i];`).join('\n  ')}
  ${statementSource(statements, resolve, where)}
  ${touched.map((v) => `a_${v.name}[i] = ${local(v.name)};`).join('\n  ')}
}`;
  return new Function('indices', 'count', 'n', 'state', 'step', 'rand', source) as StatementsFunction;
}

/** Compiles a model for time step `dt` (seconds). */
export function compileModel(model: Model, dt: number): CompiledModel {
  const resolve = modelResolver(model, dt);
  const { method, shared, free, clamped, assign } = stateUpdate(model, dt, resolve);
  const refractorySteps = Math.round(model.refractory / dt);
  const odes = model.variables.filter((v) => v.rhs !== null);
  const threshold = model.threshold ? toJavaScript(model.threshold, resolve, `model "${model.name}", threshold`) : null;
  const indent = (code: string, pad: string): string => code.split('\n').join('\n' + pad);
  const store = odes.map((v) => `a_${v.name}[i] = ${local(v.name)};`).join('\n    ');
  // One branch per neuron: refractory or not. A neuron that spikes at step s is refractory in
  // steps s+1 … s+R−1 (R = refractory steps; Brian2: timestep(t − lastspike) < timestep(refractory)).
  const source = `"use strict";
${loadLocals(model)}
const t = step * ${literal(dt)};
let count = 0;
for (let i = 0; i < n; i++) {
  const r = refractory[i];
  const notref = r === 0;
  ${model.variables.map((v) => `let ${local(v.name)} = a_${v.name}[i];`).join('\n  ')}
  ${indent(shared, '  ')}
  if (notref) {
    ${indent(free, '    ')}
    ${indent(assign, '    ')}
    ${store}
    ${threshold ? `if (${threshold}) { spikes[count++] = i; refractory[i] = ${Math.max(refractorySteps - 1, 0)}; }` : ''}
  } else {
    refractory[i] = r - 1;
    ${indent(clamped, '    ')}
    ${indent(assign, '    ')}
    ${store}
  }
}
return count;`;
  return {
    model,
    dt,
    method,
    variableNames: model.variables.map((v) => v.name),
    refractorySteps,
    update: new Function('n', 'state', 'refractory', 'step', 'rand', 'spikes', source) as UpdateFunction,
    reset: compileStatements(model, dt, model.reset, `model "${model.name}", reset`),
    source,
  };
}
