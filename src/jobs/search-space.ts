/**
 * A hyper-parameter search space: experiment fields (dotted paths, as `apical run --set` takes
 * them) and the distribution each is drawn from,
 *
 *   {
 *     "optimizer.forward.lr": { "log-uniform": [1e-4, 1e-1] },   exp(U(log a, log b))
 *     "rule.noise":           { "uniform": [0.1, 0.5] },          U(a, b)
 *     "training.batchSize":   { "integer": [16, 256] },           a + ⌊U(0, 1)·(b − a + 1)⌋
 *     "training.schedule":    { "choice": ["alternating", "parallel"] }
 *   }
 *
 * Trial i's settings are drawn from its own seeded stream ("tune/<i>"), one uniform draw per field
 * in the file's order, so the same seed proposes the same trials whatever ran before (random
 * search; Bergstra & Bengio 2012). A malformed space is a one-line SpaceError naming the file and
 * the field.
 */
import * as fs from 'fs';
import { nextUniform, streamState } from '../kernels/random';

export class SpaceError extends Error {
  override readonly name = 'SpaceError';
}

export type Distribution =
  | { readonly kind: 'log-uniform' | 'uniform' | 'integer'; readonly low: number; readonly high: number }
  | { readonly kind: 'choice'; readonly values: readonly unknown[] };

export interface Dimension {
  /** The experiment field, a dotted path ("optimizer.forward.lr"). */
  readonly field: string;
  readonly distribution: Distribution;
}

export type SearchSpace = readonly Dimension[];

/** One trial's settings: field → value. */
export type Settings = Readonly<Record<string, unknown>>;

const KINDS = ['log-uniform', 'uniform', 'integer', 'choice'] as const;

/** Reads and checks the search space in `file`. */
export function loadSearchSpace(file: string): SearchSpace {
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new SpaceError(`${file}: cannot read the search space (${(error as Error).message.split('\n')[0]})`);
  }
  return parseSearchSpace(json, file);
}

/** Checks a search space given as JSON; `where` names it in errors. */
export function parseSearchSpace(json: unknown, where: string): SearchSpace {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new SpaceError(`${where}: a search space is an object of "field.path": { distribution } entries`);
  const entries = Object.entries(json as Record<string, unknown>);
  if (entries.length === 0) throw new SpaceError(`${where}: the search space names no field`);
  return entries.map(([field, spec]) => ({ field, distribution: parseDistribution(spec, `${where}: "${field}"`, field) }));
}

function parseDistribution(spec: unknown, where: string, field: string): Distribution {
  if (!/^[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)*$/.test(field)) throw new SpaceError(`${where} is not a field path (names joined by dots, as --set takes)`);
  const keys = typeof spec === 'object' && spec !== null && !Array.isArray(spec) ? Object.keys(spec) : [];
  if (keys.length !== 1 || !(KINDS as readonly string[]).includes(keys[0])) {
    throw new SpaceError(`${where} must be one of { "log-uniform": [a, b] }, { "uniform": [a, b] }, { "integer": [a, b] }, { "choice": [values] }`);
  }
  const kind = keys[0] as (typeof KINDS)[number];
  const value = (spec as Record<string, unknown>)[kind];
  if (kind === 'choice') {
    if (!Array.isArray(value) || value.length === 0) throw new SpaceError(`${where}: "choice" needs a non-empty array of values`);
    return { kind, values: value };
  }
  if (!Array.isArray(value) || value.length !== 2 || !value.every((x) => typeof x === 'number' && Number.isFinite(x))) {
    throw new SpaceError(`${where}: "${kind}" needs [low, high], two finite numbers`);
  }
  const [low, high] = value as number[];
  if (!(low < high)) throw new SpaceError(`${where}: "${kind}" needs low < high, got [${low}, ${high}]`);
  if (kind === 'log-uniform' && low <= 0) throw new SpaceError(`${where}: "log-uniform" needs low > 0, got ${low}`);
  if (kind === 'integer' && !(Number.isInteger(low) && Number.isInteger(high))) throw new SpaceError(`${where}: "integer" needs integer bounds, got [${low}, ${high}]`);
  return { kind, low, high };
}

/** The value at uniform draw u ∈ [0, 1) of `d`. */
export function valueAt(d: Distribution, u: number): unknown {
  switch (d.kind) {
    case 'uniform':
      return d.low + u * (d.high - d.low);
    case 'log-uniform':
      return Math.exp(Math.log(d.low) + u * (Math.log(d.high) - Math.log(d.low)));
    case 'integer':
      return d.low + Math.floor(u * (d.high - d.low + 1));
    case 'choice':
      return d.values[Math.floor(u * d.values.length)];
  }
}

/** Trial `index`'s settings under `seed`. */
export function proposeTrial(space: SearchSpace, seed: number, index: number): Settings {
  const stream = streamState(seed, `tune/${index}`);
  return Object.fromEntries(space.map(({ field, distribution }) => [field, valueAt(distribution, nextUniform(stream))]));
}

/** `settings` as `--set field=value` arguments (values as JSON, so numbers keep every digit). */
export function setArguments(settings: Settings): string[] {
  return Object.entries(settings).map(([field, value]) => `${field}=${JSON.stringify(value)}`);
}
