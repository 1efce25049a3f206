/**
 * State updaters: source (JavaScript or C++, see Dialect) that advances a model's differential equations by one step dt.
 *
 *  - exact, for linear systems with constant coefficients, dx/dt = A x + B u + c (u: per-neuron
 *    parameters such as an input current, held over the step). With the augmented matrix
 *    M = [[A, B, c], [0, 0, 0]], x(t+dt) = [exp(M dt)]_x · (x, u, 1): the matrix exponential is
 *    computed once, at compile time, by mathjs's expm (Padé); each step is one small matrix-vector
 *    product with the entries inlined as literals. Variables marked (unless refractory) have their
 *    rows of A, B, c set to zero while refractory, so a second matrix serves that case (Brian2's
 *    `int(not_refractory)` factor, Stimberg et al. 2019).
 *  - euler: x += dt · f(x).
 *  - rk2 (midpoint): k1 = f(x), k2 = f(x + dt/2 · k1), x += dt · k2;
 *  - rk4: the classical fourth-order Runge–Kutta scheme.
 */
import { derivative, expm, matrix, MathNode } from 'mathjs';
import { Dialect, drawsRandom, EquationError, javascript, literal, symbolsOf, toSource } from './expression';
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
    if ([...symbolsOf(node)].some((s) => varying.has(s)) || drawsRandom(node.toString())) return null;
    const source = toSource(node, resolveConstant, `model "${model.name}"`);
    return Function(`"use strict"; return (${source});`)() as number;
  };
  const zero: Resolver = (name) => (varying.has(name) ? '0' : resolveConstant(name));
  const A: number[][] = [];
  const B: number[][] = [];
  const c: number[] = [];
  for (const ode of odes) {
    const rhs = ode.rhs!;
    if (drawsRandom(rhs.toString()) || ['t', 'i'].some((s) => symbolsOf(rhs).has(s))) return null;
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
    c.push(Function(`"use strict"; return (${toSource(rhs, zero, `model "${model.name}"`)});`)() as number);
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
  // Balance the input columns to the size of A·dt (an input of 1 A against volts would put 1e10 in M
  // and cost expm's Padé approximant all its accuracy): exp(D⁻¹MD) = D⁻¹ exp(M) D, D = diag(1, s).
  let scaleA = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) scaleA = Math.max(scaleA, Math.abs(M[i][j]));
  const scale = M[0].map((_, j) => {
    if (j < n) return 1;
    let column = 0;
    for (let i = 0; i < n; i++) column = Math.max(column, Math.abs(M[i][j]));
    return column > 0 ? (scaleA || 1) / column : 1;
  });
  const balanced = M.map((row, i) => row.map((x, j) => (x * scale[j]) / scale[i]));
  const E = expm(matrix(balanced)).toArray() as number[][];
  return E.slice(0, n).map((row, i) => row.map((x, j) => (x * scale[i]) / scale[j]));
}

/** `const x_next = Σ E_ij x_j + …` for the given rows (the locals are assigned later, all at once). */
function matrixRows(E: number[][], rows: readonly number[], odes: readonly Variable[], inputs: readonly Variable[], dialect: Dialect): string {
  const columns = [...odes.map((v) => local(v.name)), ...inputs.map((v) => local(v.name)), ''];
  return rows
    .map((i) => {
      const terms = E[i]
        .map((e, j) => (e === 0 ? '' : columns[j] === '' ? dialect.literal(e) : e === 1 ? columns[j] : `${dialect.literal(e)}*${columns[j]}`))
        .filter(Boolean);
      return `${dialect.constant} ${local(odes[i].name)}_next = ${terms.length ? terms.join(' + ') : dialect.literal(0)};`;
    })
    .join('\n');
}

/** Whether two rows of propagators agree to rounding (expm's last bits differ between the two). */
function sameRow(a: readonly number[], b: readonly number[]): boolean {
  return a.every((x, j) => Math.abs(x - b[j]) <= 1e-14 * Math.max(1, Math.abs(x)));
}

/** Explicit Runge–Kutta schemes as Butcher tableaux: stage s evaluates f at x + dt·Σ_j a[s][j]·k_j. */
const tableaux = {
  euler: { a: [[]], b: [1] },
  rk2: { a: [[], [0.5]], b: [0, 1] },
  rk4: { a: [[], [0.5], [0, 0.5], [0, 0, 1]], b: [1 / 6, 1 / 3, 1 / 3, 1 / 6] },
} as const;

/**
 * A state update as source, in parts the compiled loop arranges around its refractory branch:
 * `shared` runs for every neuron, `free` only for neurons not refractory, `clamped` only for
 * refractory ones; then `assign` moves the new values into the locals (rows are computed from the
 * old values first, all of them, as one matrix-vector product must be).
 */
export interface StateUpdate {
  readonly method: 'exact' | 'euler' | 'rk2' | 'rk4';
  readonly shared: string;
  readonly free: string;
  readonly clamped: string;
  readonly assign: string;
}

/** The chosen method and the source (in `dialect`) that advances the locals of every ODE variable by one step. */
export function stateUpdate(model: Model, dt: number, resolve: Resolver, dialect: Dialect = javascript): StateUpdate {
  const odes = model.variables.filter((v) => v.rhs !== null);
  const parameters = model.variables.filter((v) => v.rhs === null);
  if (odes.length === 0) return { method: model.method ?? 'euler', shared: '', free: '', clamped: '', assign: '' };
  const resolveConstant: Resolver = (name) => {
    const q = model.constants.get(name);
    if (q !== undefined) return literal(siValue(q));
    return name === 'dt' ? literal(dt) : undefined;
  };

  if (model.method === 'exact' || model.method === null) {
    const linear = linearCoefficients(model, odes, parameters, resolveConstant);
    if (linear) {
      const { A, B, c } = linear;
      const free = propagator(A, B, c, dt, odes.map(() => false));
      const clamped = propagator(A, B, c, dt, odes.map((v) => v.unlessRefractory));
      // Rows equal in both propagators (variables that neither are clamped nor depend on one, such
      // as synaptic currents) are computed once, outside the refractory branch.
      const rows = odes.map((_, i) => i);
      const shared = rows.filter((i) => sameRow(free[i], clamped[i]));
      const branch = rows.filter((i) => !shared.includes(i));
      return {
        method: 'exact',
        shared: matrixRows(free, shared, odes, parameters, dialect),
        free: matrixRows(free, branch, odes, parameters, dialect),
        clamped: matrixRows(clamped, branch, odes, parameters, dialect),
        assign: odes.map((v) => `${local(v.name)} = ${local(v.name)}_next;`).join('\n'),
      };
    }
    if (model.method === 'exact') {
      throw new EquationError(`model "${model.name}": method "exact" needs linear equations with constant coefficients; use "euler" or "rk2"`);
    }
  }
  const method = model.method === 'rk2' || model.method === 'rk4' ? model.method : 'euler';
  const { a, b } = tableaux[method];
  const where = `model "${model.name}"`;
  const odeNames = new Set(odes.map((v) => v.name));
  const lines: string[] = [];
  for (let stage = 0; stage < b.length; stage++) {
    // Stage values x + dt·Σ a_sj k_j, then k_s = f(stage values).
    const weights = a[stage];
    const at: Resolver = stage === 0 ? resolve : (name) => (odeNames.has(name) ? `x${stage}_${name}` : resolve(name));
    if (stage > 0) {
      for (const v of odes) {
        const terms = weights.map((w, j) => (w === 0 ? '' : ` + ${dialect.literal(w * dt)}*k${j}_${v.name}`)).join('');
        lines.push(`${dialect.constant} x${stage}_${v.name} = ${local(v.name)}${terms};`);
      }
    }
    for (const v of odes) {
      const f = toSource(v.rhs!, at, where, dialect);
      lines.push(`${dialect.constant} k${stage}_${v.name} = ${v.unlessRefractory ? `notref ? ${f} : ${dialect.literal(0)}` : f};`);
    }
  }
  for (const v of odes) {
    lines.push(`${local(v.name)} += ${b.map((w, j) => (w === 0 ? '' : `${dialect.literal(w * dt)}*k${j}_${v.name}`)).filter(Boolean).join(' + ')};`);
  }
  return { method, shared: lines.join('\n'), free: '', clamped: '', assign: '' };
}
