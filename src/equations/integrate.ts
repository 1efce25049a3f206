/**
 * State updaters: JavaScript source that advances a model's differential equations by one step dt.
 *
 *  - exact, for linear systems with constant coefficients, dx/dt = A x + B u + c (u: per-neuron
 *    parameters such as an input current, held over the step). With the augmented matrix
 *    M = [[A, B, c], [0, 0, 0]], x(t+dt) = [exp(M dt)]_x · (x, u, 1): the matrix exponential is
 *    computed once, at compile time, by mathjs's expm (Padé); each step is one small matrix-vector
 *    product with the entries inlined as literals. Variables marked (unless refractory) have their
 *    rows of A, B, c set to zero while refractory, so a second matrix serves that case (Brian2's
 *    `int(not_refractory)` factor, Stimberg et al. 2019).
 *  - euler: x += dt · f(x).
 *  - rk2 (midpoint): k1 = f(x), k2 = f(x + dt/2 · k1), x += dt · k2.
 */
import { derivative, expm, matrix, MathNode } from 'mathjs';
import { EquationError, literal, symbolsOf, toJavaScript } from './expression';
import { Model, Variable } from './model';
import { siValue } from './dimensions';

/** Source of a symbol during code generation: local variable, inlined constant, or undefined. */
export type Resolver = (name: string) => string | undefined;

/** The local name of a model variable in generated code. */
export const local = (name: string): string => `$${name}`;

/** Whether the model's differential equations are linear in its variables with constant coefficients. */
function linearCoefficients(model: Model, odes: readonly Variable[], inputs: readonly Variable[], resolveConstant: Resolver): { A: number[][]; B: number[][]; c: number[] } | null {
  const varying = new Set([...model.variables.map((v) => v.name), 't', 'i', 'not_refractory']);
  const evaluateConstant = (node: MathNode): number | null => {
    if ([...symbolsOf(node)].some((s) => varying.has(s)) || /\brand\s*\(/.test(node.toString())) return null;
    const source = toJavaScript(node, resolveConstant, `model "${model.name}"`);
    return Function(`"use strict"; return (${source});`)() as number;
  };
  const zero: Resolver = (name) => (varying.has(name) ? '0' : resolveConstant(name));
  const A: number[][] = [];
  const B: number[][] = [];
  const c: number[] = [];
  for (const ode of odes) {
    const rhs = ode.rhs!;
    if (/\brand\s*\(/.test(rhs.toString()) || ['t', 'i'].some((s) => symbolsOf(rhs).has(s))) return null;
    const row = (variables: readonly Variable[]): number[] | null => {
      const out: number[] = [];
      for (const v of variables) {
        let d: MathNode;
        try {
          d = derivative(rhs, v.name);
        } catch {
          return null;
        }
        const value = evaluateConstant(d);
        if (value === null) return null;
        out.push(value);
      }
      return out;
    };
    const a = row(odes);
    const b = row(inputs);
    if (!a || !b) return null;
    A.push(a);
    B.push(b);
    c.push(Function(`"use strict"; return (${toJavaScript(rhs, zero, `model "${model.name}"`)});`)() as number);
  }
  return { A, B, c };
}

/** exp(M·dt) for the augmented system, with rows of refractory-clamped variables zeroed if asked. */
function propagator(A: number[][], B: number[][], c: number[], dt: number, clamp: readonly boolean[]): number[][] {
  const n = A.length;
  const m = B[0]?.length ?? 0;
  const size = n + m + 1;
  const M: number[][] = Array.from({ length: size }, () => new Array<number>(size).fill(0));
  for (let i = 0; i < n; i++) {
    if (clamp[i]) continue;
    for (let j = 0; j < n; j++) M[i][j] = A[i][j] * dt;
    for (let k = 0; k < m; k++) M[i][n + k] = B[i][k] * dt;
    M[i][n + m] = c[i] * dt;
  }
  return (expm(matrix(M)).toArray() as number[][]).slice(0, n);
}

/** `x_new = Σ E_ij x_j + …` for each variable, as statements assigning the locals. */
function matrixUpdate(E: number[][], odes: readonly Variable[], inputs: readonly Variable[]): string {
  const columns = [...odes.map((v) => local(v.name)), ...inputs.map((v) => local(v.name)), ''];
  const lines = odes.map((v, i) => {
    const terms = E[i]
      .map((e, j) => (e === 0 ? '' : columns[j] === '' ? literal(e) : e === 1 ? columns[j] : `${literal(e)}*${columns[j]}`))
      .filter(Boolean);
    return `const ${local(v.name)}_next = ${terms.length ? terms.join(' + ') : '0'};`;
  });
  return lines.join('\n') + '\n' + odes.map((v) => `${local(v.name)} = ${local(v.name)}_next;`).join('\n');
}

/** The chosen method and the source that advances the locals of every ODE variable by one step. */
export function stateUpdate(model: Model, dt: number, resolve: Resolver): { method: 'exact' | 'euler' | 'rk2'; source: string } {
  const odes = model.variables.filter((v) => v.rhs !== null);
  const parameters = model.variables.filter((v) => v.rhs === null);
  if (odes.length === 0) return { method: model.method ?? 'euler', source: '' };
  const refractoryMatters = odes.some((v) => v.unlessRefractory);
  const resolveConstant: Resolver = (name) => {
    const q = model.constants.get(name);
    if (q !== undefined) return literal(siValue(q));
    return name === 'dt' ? literal(dt) : undefined;
  };

  if (model.method === 'exact' || model.method === null) {
    const linear = linearCoefficients(model, odes, parameters, resolveConstant);
    if (linear) {
      const { A, B, c } = linear;
      const free = matrixUpdate(propagator(A, B, c, dt, odes.map(() => false)), odes, parameters);
      if (!refractoryMatters) return { method: 'exact', source: free };
      const clamped = matrixUpdate(propagator(A, B, c, dt, odes.map((v) => v.unlessRefractory)), odes, parameters);
      return { method: 'exact', source: `if (notref) {\n${free}\n} else {\n${clamped}\n}` };
    }
    if (model.method === 'exact') {
      throw new EquationError(`model "${model.name}": method "exact" needs linear equations with constant coefficients; use "euler" or "rk2"`);
    }
  }
  const method = model.method === 'rk2' ? 'rk2' : 'euler';
  const where = `model "${model.name}"`;
  const derivatives = (prefix: string, at: Resolver): string =>
    odes
      .map((v) => {
        const f = toJavaScript(v.rhs!, at, where);
        return `const ${prefix}${v.name} = ${v.unlessRefractory ? `notref ? ${f} : 0` : f};`;
      })
      .join('\n');
  if (method === 'euler') {
    return { method, source: `${derivatives('k1_', resolve)}\n${odes.map((v) => `${local(v.name)} += ${literal(dt)}*k1_${v.name};`).join('\n')}` };
  }
  const odeNames = new Set(odes.map((v) => v.name));
  const atMidpoint: Resolver = (name) => (odeNames.has(name) ? `m_${name}` : resolve(name));
  return {
    method,
    source: [
      derivatives('k1_', resolve),
      odes.map((v) => `const m_${v.name} = ${local(v.name)} + ${literal(dt / 2)}*k1_${v.name};`).join('\n'),
      derivatives('k2_', atMidpoint),
      odes.map((v) => `${local(v.name)} += ${literal(dt)}*k2_${v.name};`).join('\n'),
    ].join('\n'),
  };
}
