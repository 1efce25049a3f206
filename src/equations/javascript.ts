/**
 * The JavaScript code generator: each loop is generated as JavaScript source once (`new Function`)
 * and then run by V8 as ordinary compiled code. This is Brian2's code-generation design
 * (Stimberg et al. 2019) with V8 in place of a C compiler.
 *
 * A model becomes one fused loop per step that does the state update, the refractory bookkeeping
 * and the threshold test for every neuron, and a second loop that runs the reset statements over
 * the neurons that spiked. Per step, for each neuron i (Brian2's order: update, threshold,
 * [synapses], reset):
 *   notref = (steps since the last spike) ≥ refractory steps
 *   x ← update(x)                      (exact / euler / rk2 / rk4, see integrate.ts)
 *   if notref and threshold(x): record i, start its refractory period
 *
 * Synapse code runs over compressed sparse rows: for each spiking presynaptic neuron i, each of its
 * synapses k (postsynaptic neuron j = post[k]) runs the on_pre statements.
 */
import { MathNode } from 'mathjs';
import { siValue } from './dimensions';
import { literal, toJavaScript } from './expression';
import { CodeGenerator, CompiledModel, PairCondition, PerSynapseFunction, StatementsFunction, SynapseContext, SynapticFunction, UpdateFunction } from './generator';
import { local, Resolver, stateUpdate } from './integrate';
import { Model, Statement } from './model';

/** Resolves names inside generated loops: variables are locals, constants inlined literals. */
function modelResolver(model: Model, dt: number): Resolver {
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

/**
 * Resolves names inside synapse loops: the synapse's own variables `syn<k>[k]`, the target's
 * `tgt<k>[j]` (as x_post or plain x), the source's `src<k>[i]` (as x_pre), constants inlined.
 */
function synapseResolver(context: SynapseContext): Resolver {
  const { variables, source, target, constants, dt } = context;
  return (name) => {
    const own = variables.indexOf(name);
    if (own >= 0) return `syn${own}[k]`;
    const postName = name.endsWith('_post') ? name.slice(0, -5) : name;
    const post = target.variables.indexOf(postName);
    if (post >= 0) return `tgt${post}[j]`;
    if (name.endsWith('_pre')) {
      const p = source.variables.indexOf(name.slice(0, -4));
      if (p >= 0) return `src${p}[i]`;
    }
    const q = constants.get(name);
    if (q !== undefined) return literal(siValue(q));
    if (name === 'i' || name === 'j') return name;
    if (name === 'N_pre') return String(source.size);
    if (name === 'N_post') return String(target.size);
    if (name === 'dt') return literal(dt);
    return undefined;
  };
}

const loadLocals = (model: Model): string =>
  model.variables.map((v, k) => `const a_${v.name} = state[${k}];`).join('\n');

/** Statements as source (`$v = -0.06;`, `tgt0[j] += syn0[k];`). */
function statementSource(statements: readonly Statement[], resolve: Resolver, where: string, separator: string): string {
  return statements.map((s) => `${resolve(s.target)} ${s.op} ${toJavaScript(s.expression, resolve, `${where}, "${s.text}"`)};`).join(separator);
}

function neuronStatements(model: Model, dt: number, statements: readonly Statement[], where: string): StatementsFunction {
  const resolve = modelResolver(model, dt);
  const touched = model.variables.filter((v) => statements.some((s) => s.target === v.name || s.expression.toString().match(new RegExp(`\\b${v.name}\\b`))));
  const source = `"use strict";
${loadLocals(model)}
const t = step * ${literal(dt)};
for (let s = 0; s < count; s++) {
  const i = indices[s];
  ${touched.map((v) => `let ${local(v.name)} = a_${v.name}[i];`).join('\n  ')}
  ${statementSource(statements, resolve, where, '\n')}
  ${touched.map((v) => `a_${v.name}[i] = ${local(v.name)};`).join('\n  ')}
}`;
  return new Function('indices', 'count', 'n', 'state', 'step', 'rand', source) as StatementsFunction;
}

function compileModel(model: Model, dt: number): CompiledModel {
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
    reset: neuronStatements(model, dt, model.reset, `model "${model.name}", reset`),
    source,
  };
}

function synapticStatements(statements: readonly Statement[], context: SynapseContext, where: string): SynapticFunction {
  const arrays = [
    ...context.variables.map((_, k) => `const syn${k} = synapse[${k}];`),
    ...context.source.variables.map((_, k) => `const src${k} = pre[${k}];`),
    ...context.target.variables.map((_, k) => `const tgt${k} = target[${k}];`),
  ].join('\n');
  return new Function('spikes', 'count', 'rowStart', 'post', 'synapse', 'pre', 'target', `"use strict";
${arrays}
for (let s = 0; s < count; s++) {
  const i = spikes[s];
  const end = rowStart[i + 1];
  for (let k = rowStart[i]; k < end; k++) {
    const j = post[k];
      ${statementSource(statements, synapseResolver(context), where, '\n      ')}
  }
}`) as SynapticFunction;
}

function perSynapseExpression(expression: MathNode, context: SynapseContext, where: string): PerSynapseFunction {
  return new Function('pre', 'post', 'n', 'rand', `"use strict"; const out = new Float64Array(n);
for (let k = 0; k < n; k++) { const i = pre[k], j = post[k]; out[k] = ${toJavaScript(expression, synapseResolver(context), where)}; }
return out;`) as PerSynapseFunction;
}

function pairCondition(expression: MathNode | null, context: SynapseContext, where: string): PairCondition {
  const source = expression ? toJavaScript(expression, synapseResolver(context), where) : 'true';
  return new Function('i', 'j', `"use strict"; return ${source};`) as PairCondition;
}

export const javascriptGenerator: CodeGenerator = {
  name: 'javascript',
  model: compileModel,
  neuronStatements,
  synapticStatements,
  perSynapseExpression,
  pairCondition,
};
