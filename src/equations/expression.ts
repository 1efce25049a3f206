/**
 * Expressions of a model, in the notation of Brian2 (Stimberg, Brette & Goodman 2019, eLife 8:e47314):
 * `(ge + gi - (v - El)) / taum`, `140*mV/ms`, `v > Vt and not_refractory`, `rand() < rates*dt`.
 * They are parsed once by mathjs and turned into source (JavaScript or C++) over plain numbers in SI units;
 * mathjs never runs inside a simulation step.
 */
import { MathNode, parse as mathParse, Unit } from 'mathjs';

/** Thrown for a model or experiment whose text is wrong; the message is one line. */
export class EquationError extends Error {
  override readonly name = 'EquationError';
}

/** Parses `text` (Brian2's `**` accepted for powers). */
export function parseExpression(text: string, where: string): MathNode {
  try {
    return mathParse(text.replace(/\*\*/g, '^'));
  } catch (error) {
    throw new EquationError(`${where}: cannot parse "${text}" (${(error as Error).message})`);
  }
}

/** The names of the symbols an expression reads (not function names). */
export function symbolsOf(node: MathNode): Set<string> {
  const names = new Set<string>();
  node.traverse((child, _path, parent) => {
    if (child.type === 'SymbolNode' && !(parent?.type === 'FunctionNode' && (parent as any).fn === child)) {
      names.add((child as any).name);
    }
  });
  return names;
}

/** Replaces symbols by expressions (sub-expressions inlined), in parentheses. */
export function substitute(node: MathNode, replacements: ReadonlyMap<string, MathNode>): MathNode {
  return node.transform((child, _path, parent) => {
    if (child.type !== 'SymbolNode' || (parent?.type === 'FunctionNode' && (parent as any).fn === child)) return child;
    const replacement = replacements.get((child as any).name);
    return replacement ? mathParse(`(${replacement.toString()})`) : child;
  });
}

/**
 * How a target language spells expressions: function names, operators and number literals. The
 * generated loops of every backend come from the same syntax trees through one of these.
 */
export interface Dialect {
  /**
   * Functions a model may call, with their spelling. `rand()` (a uniform in (0, 1)) and
   * `poisson(lambda)` (a Poisson count of mean lambda, e.g. the spikes of K Poisson inputs at rate nu
   * in one step: `poisson(K * nu * dt)`) draw from the loop's stream (kernels/random.ts's recipes).
   */
  readonly functions: Readonly<Record<string, string>>;
  readonly operators: Readonly<Record<string, string>>;
  /** A double as source that reads back as the same double. */
  literal(value: number): string;
  /** Declares a local constant (`const x = …`). */
  readonly constant: string;
  /** An integer local (an index, a size) read as a number inside an expression. */
  integer(name: string): string;
}

/** Whether expression text draws random numbers (`rand()`, `poisson(…)`): such code keeps the stream's order. */
export const drawsRandom = (text: string): boolean => /\b(rand|poisson)\s*\(/.test(text);

/** A double as JavaScript source that reads back as the same double. */
export function literal(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`non-finite constant ${value}`);
  return value < 0 ? `(${value})` : String(value);
}

const arithmetic = {
  add: '+', subtract: '-', multiply: '*', divide: '/',
  larger: '>', smaller: '<', largerEq: '>=', smallerEq: '<=',
  and: '&&', or: '||',
};

/** JavaScript over plain numbers; `rand()` is the loop's local `rand`. */
export const javascript: Dialect = {
  functions: {
    exp: 'Math.exp', log: 'Math.log', sqrt: 'Math.sqrt', abs: 'Math.abs', sin: 'Math.sin', cos: 'Math.cos', tanh: 'Math.tanh',
    floor: 'Math.floor', ceil: 'Math.ceil', min: 'Math.min', max: 'Math.max', pow: 'Math.pow', rand: 'rand', poisson: 'poisson', int: '+',
  },
  operators: { ...arithmetic, mod: '%', equal: '===', unequal: '!==' },
  literal,
  constant: 'const',
  integer: (name) => name,
};

/**
 * C++ over doubles (<cmath>): every literal a double, so `1/2` is 0.5 as in JavaScript; `%` on
 * doubles is fmod (the sign of the dividend, as JavaScript's); `rand()` is the loop's `uniform()`.
 */
export const cpp: Dialect = {
  functions: {
    exp: 'std::exp', log: 'std::log', sqrt: 'std::sqrt', abs: 'std::fabs', sin: 'std::sin', cos: 'std::cos', tanh: 'std::tanh',
    floor: 'std::floor', ceil: 'std::ceil', min: 'std::fmin', max: 'std::fmax', pow: 'std::pow', mod: 'std::fmod', rand: 'uniform', poisson: 'poisson', int: '(double)',
  },
  operators: { ...arithmetic, equal: '==', unequal: '!=' },
  literal: (value) => {
    const text = literal(value);
    return /[.e]/.test(text) ? text : text.replace(/(\d+)/, '$1.0');
  },
  constant: 'const double',
  integer: (name) => `((double)${name})`,
};
/**
 * Source for `node` in `dialect`. `resolve(name)` gives the source of a symbol (a local variable or
 * an inlined SI literal), or undefined; unknown names that are units (mV, ms, Hz …) become their SI
 * value; anything else is an error naming `where`.
 */
export function toSource(node: MathNode, resolve: (name: string) => string | undefined, where: string, dialect: Dialect = javascript): string {
  const { functions, operators } = dialect;
  const emit = (n: MathNode): string => {
    const any = n as any;
    switch (n.type) {
      case 'ConstantNode':
        if (typeof any.value === 'number') return dialect.literal(any.value);
        if (typeof any.value === 'boolean') return String(any.value);
        break;
      case 'SymbolNode': {
        const known = resolve(any.name);
        if (known !== undefined) return known;
        if (any.name === 'true' || any.name === 'false') return any.name;
        if (Unit.isValuelessUnit(any.name)) return dialect.literal(new Unit(1, any.name).value as number);
        throw new EquationError(`${where}: unknown name "${any.name}"`);
      }
      case 'ParenthesisNode':
        return `(${emit(any.content)})`;
      case 'OperatorNode': {
        const args: MathNode[] = any.args;
        if (args.length === 1) {
          if (any.fn === 'unaryMinus') return `(-${emit(args[0])})`;
          if (any.fn === 'unaryPlus') return `(+${emit(args[0])})`;
          if (any.fn === 'not') return `(!${emit(args[0])})`;
        } else if (any.fn === 'pow') {
          const exponent = args[1];
          if (exponent.type === 'ConstantNode' && (exponent as any).value === 2) return `(${emit(args[0])}*${emit(args[0])})`;
          return `${functions.pow}(${emit(args[0])}, ${emit(args[1])})`;
        } else if (functions[any.fn]) {
          return `${functions[any.fn]}(${args.map(emit).join(', ')})`;
        } else if (operators[any.fn]) {
          return `(${args.map(emit).join(` ${operators[any.fn]} `)})`;
        }
        break;
      }
      case 'FunctionNode': {
        const name = any.fn.name as string;
        const spelled = functions[name];
        if (!spelled || name === 'pow' || name === 'mod') throw new EquationError(`${where}: unknown function "${name}"`);
        return `${spelled}(${(any.args as MathNode[]).map(emit).join(', ')})`;
      }
      case 'ConditionalNode':
        return `(${emit(any.condition)} ? ${emit(any.trueExpr)} : ${emit(any.falseExpr)})`;
    }
    throw new EquationError(`${where}: "${n.toString()}" is not supported in a model`);
  };
  return emit(node);
}
