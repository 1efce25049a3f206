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
import { nextPoisson, nextUniform } from '../kernels/random';
import { javascript, literal, toSource } from './expression';
import { CodeGenerator, CompiledModel, PairCondition, PerSynapseFunction, StatementsFunction, SynapseContext, SynapticFunction, UpdateFunction } from './generator';
import { local, stateUpdate } from './integrate';
import { Model, Statement } from './model';
import { modelResolver, statementSource, synapseResolver, touchedVariables } from './resolve';

/**
 * A function from parameters and body; `rand()` and `poisson(lambda)` in the body draw from the
 * Uint32Array parameter `stream` (xoshiro128**, random.ts), the draws in the order the body makes them.
 */
function generated<F>(parameters: readonly string[], body: string): F {
  const draws =
    (/\brand\(/.test(body) ? 'const rand = () => nextUniform(stream);\n' : '') + (/\bpoisson\(/.test(body) ? 'const poisson = (lambda) => nextPoisson(stream, lambda);\n' : '');
  return new Function('nextUniform', 'nextPoisson', `return function (${parameters.join(', ')}) {\n"use strict";\n${draws}${body}\n};`)(nextUniform, nextPoisson) as F;
}

const loadLocals = (model: Model): string =>
  model.variables.map((v, k) => `const a_${v.name} = state[${k}];`).join('\n');

function neuronStatements(model: Model, dt: number, statements: readonly Statement[], where: string): StatementsFunction {
  const resolve = modelResolver(model, dt, javascript);
  const touched = touchedVariables(model, statements);
  const source = `${loadLocals(model)}
const t = step * ${literal(dt)};
for (let s = 0; s < count; s++) {
  const i = indices[s];
  ${touched.map((v) => `let ${local(v.name)} = a_${v.name}[i];`).join('\n  ')}
  ${statementSource(statements, resolve, where, '\n', javascript)}
  ${touched.map((v) => `a_${v.name}[i] = ${local(v.name)};`).join('\n  ')}
}`;
  return generated<StatementsFunction>(['indices', 'count', 'n', 'state', 'step', 'stream'], source);
}

function compileModel(model: Model, dt: number): CompiledModel {
  const resolve = modelResolver(model, dt, javascript);
  const { method, shared, free, clamped, assign } = stateUpdate(model, dt, resolve);
  const refractorySteps = Math.round(model.refractory / dt);
  const odes = model.variables.filter((v) => v.rhs !== null);
  const threshold = model.threshold ? toSource(model.threshold, resolve, `model "${model.name}", threshold`) : null;
  const indent = (code: string, pad: string): string => code.split('\n').join('\n' + pad);
  const store = odes.map((v) => `a_${v.name}[i] = ${local(v.name)};`).join('\n    ');
  // One branch per neuron: refractory or not. A neuron that spikes at step s is refractory in
  // steps s+1 … s+R−1 (R = refractory steps; Brian2: timestep(t − lastspike) < timestep(refractory)).
  const source = `${loadLocals(model)}
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
    update: generated<UpdateFunction>(['n', 'state', 'refractory', 'step', 'stream', 'spikes'], source),
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
  return generated<SynapticFunction>(['spikes', 'count', 'rowStart', 'post', 'synapse', 'pre', 'target'], `${arrays}
for (let s = 0; s < count; s++) {
  const i = spikes[s];
  const end = rowStart[i + 1];
  for (let k = rowStart[i]; k < end; k++) {
    const j = post[k];
      ${statementSource(statements, synapseResolver(context, javascript), where, '\n      ', javascript)}
  }
}`);
}

function perSynapseExpression(expression: MathNode, context: SynapseContext, where: string): PerSynapseFunction {
  return new Function('pre', 'post', 'n', 'rand', `"use strict"; const out = new Float64Array(n);
for (let k = 0; k < n; k++) { const i = pre[k], j = post[k]; out[k] = ${toSource(expression, synapseResolver(context, javascript), where)}; }
return out;`) as PerSynapseFunction;
}

function pairCondition(expression: MathNode | null, context: SynapseContext, where: string): PairCondition {
  const source = expression ? toSource(expression, synapseResolver(context, javascript), where) : 'true';
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
