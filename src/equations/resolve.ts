/**
 * Names and statements inside generated loops, shared by every backend: model variables are locals (`$v`),
 * constants are inlined as literals, and the built-ins (t, dt, i, N, not_refractory) are the loop's
 * own locals. Synapse code reads its own variables `syn<k>[k]`, the target's `tgt<k>[j]` (as x_post
 * or plain x) and the source's `src<k>[i]` (as x_pre).
 */
import { siValue } from './dimensions';
import { Dialect, toSource } from './expression';
import { SynapseContext } from './generator';
import { local, Resolver } from './integrate';
import { Model, Statement, Variable } from './model';

/** Resolves names inside a model's loops (locals t, i, n, notref). */
export function modelResolver(model: Model, dt: number, dialect: Dialect): Resolver {
  const variables = new Set(model.variables.map((v) => v.name));
  return (name) => {
    if (variables.has(name)) return local(name);
    const q = model.constants.get(name);
    if (q !== undefined) return dialect.literal(siValue(q));
    if (name === 'dt') return dialect.literal(dt);
    if (name === 't') return 't';
    if (name === 'i') return dialect.integer('i');
    if (name === 'N') return dialect.integer('n');
    if (name === 'not_refractory') return 'notref';
    return undefined;
  };
}

/** Resolves names inside synapse loops (locals i, j, k and the arrays syn<k>, src<k>, tgt<k>). */
export function synapseResolver(context: SynapseContext, dialect: Dialect): Resolver {
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
    if (q !== undefined) return dialect.literal(siValue(q));
    if (name === 'i' || name === 'j') return dialect.integer(name);
    if (name === 'N_pre') return dialect.literal(source.size);
    if (name === 'N_post') return dialect.literal(target.size);
    if (name === 'dt') return dialect.literal(dt);
    return undefined;
  };
}

/** Statements as source (`$v = -0.06;`, `tgt0[j] += syn0[k];`). */
export function statementSource(statements: readonly Statement[], resolve: Resolver, where: string, separator: string, dialect: Dialect): string {
  return statements.map((s) => `${resolve(s.target)} ${s.op} ${toSource(s.expression, resolve, `${where}, "${s.text}"`, dialect)};`).join(separator);
}

/** The model variables that statements assign or read (loaded into locals around them). */
export function touchedVariables(model: Model, statements: readonly Statement[]): Variable[] {
  return model.variables.filter((v) => statements.some((s) => s.target === v.name || s.expression.toString().match(new RegExp(`\\b${v.name}\\b`))));
}
