/**
 * Whether a spiking network fits in this machine's memory, decided before anything is allocated:
 * a population of 10¹² neurons or 10¹² synapses is refused with one line giving the estimate,
 * instead of failing halfway with a RangeError.
 *
 * The estimate counts what the simulation keeps and what building it needs at its peak:
 *  - per neuron: 8 bytes per model variable, 4 (refractory countdown), 4 (spike buffer), 4 (the
 *    index list of the initial values);
 *  - per synapse: 4 + 4 (pre and post indices), 1 or 4 (delay in steps), 8 per synapse variable,
 *    and 12 while connecting (the growing index lists and their final copy);
 *  - synapses expected: p × (pairs that satisfy the condition) or indegree × targets, the
 *    condition's share of pairs measured on a 256 × 256 grid of evenly spaced (i, j).
 * Indices are 32-bit: a population or projection beyond 2³² − 1 is refused as well.
 */
import { codeGenerator } from '../equations/compile';
import { Quantity } from '../equations/dimensions';
import { parseExpression } from '../equations/expression';
import { Model } from '../equations/model';
import { SynapsesSpec } from '../network/synapses';
import { ConfigError } from './config-error';
import { memoryLimit } from './memory-limit';

const MAX_INDEX = 2 ** 32 - 1;

export const formatBytes = (bytes: number): string => {
  const units = ['B', 'KB', 'MB', 'GB', 'TB', 'PB', 'EB'];
  let k = 0;
  while (bytes >= 1000 && k < units.length - 1) (bytes /= 1000), k++;
  return `${bytes.toPrecision(3)} ${units[k]}`;
};

interface Population {
  readonly name: string;
  readonly size: number;
  readonly model: Model;
}

/** The share of (i, j) pairs satisfying `condition`, on a 256 × 256 grid of evenly spaced pairs. */
function conditionShare(spec: SynapsesSpec, source: Population, target: Population, constants: ReadonlyMap<string, Quantity>, dt: number, where: string): number {
  if (!spec.connect.condition) return 1;
  const context = {
    variables: [],
    source: { variables: source.model.variables.map((v) => v.name), size: source.size },
    target: { variables: target.model.variables.map((v) => v.name), size: target.size },
    constants,
    dt,
  };
  const condition = codeGenerator().pairCondition(parseExpression(spec.connect.condition, `${where}, connect.condition`), context, `${where}, connect.condition`);
  const grid = (size: number): number[] => Array.from({ length: Math.min(256, size) }, (_, k) => Math.floor(((k + 0.5) * size) / Math.min(256, size)));
  let yes = 0;
  let all = 0;
  for (const i of grid(source.size)) for (const j of grid(target.size)) (all++, (yes += condition(i, j) ? 1 : 0));
  return yes / all;
}

/** Throws a one-line ConfigError naming `file` when the network cannot be built here. */
export function checkNetworkFits(
  file: string,
  populations: readonly Population[],
  synapses: readonly SynapsesSpec[],
  constants: ReadonlyMap<string, Quantity>,
  dt: number,
  limit: number = memoryLimit(),
): void {
  const byName = new Map(populations.map((p) => [p.name, p]));
  const neurons = populations.reduce((sum, p) => sum + p.size, 0);
  let bytes = populations.reduce((sum, p) => sum + p.size * (8 * p.model.variables.length + 12), 0);
  let count = 0;
  let indexLimit: string | null = null;
  for (const p of populations) {
    if (p.size > MAX_INDEX) indexLimit ??= `${file}: population "${p.name}" has ${p.size.toLocaleString('en')} neurons; neuron indices are 32-bit (at most ${MAX_INDEX.toLocaleString('en')})`;
  }
  for (const s of synapses) {
    const source = byName.get(s.source);
    const target = byName.get(s.target);
    if (!source || !target) continue;
    const where = `synapses "${s.name}"`;
    const expected =
      s.connect.indegree !== undefined ? s.connect.indegree * target.size : (s.connect.p ?? 1) * conditionShare(s, source, target, constants, dt, where) * source.size * target.size;
    if (expected > MAX_INDEX) indexLimit ??= `${file}, ${where}: about ${expected.toPrecision(3)} synapses expected; synapse indices are 32-bit (at most ${MAX_INDEX.toLocaleString('en')} per projection)`;
    const variables = (s.model ?? '').split(/[\n;]/).filter((line) => line.trim()).length;
    bytes += expected * (8 + (s.delay ? 4 : 1) + 8 * variables + 12);
    count += expected;
  }
  if (bytes > limit) {
    throw new ConfigError(
      `${file}: the network needs about ${formatBytes(bytes)} (${neurons.toLocaleString('en')} neurons, about ${Math.round(count).toLocaleString('en')} synapses), more than this machine's ${formatBytes(limit)} of memory`,
    );
  }
  if (indexLimit) throw new ConfigError(indexLimit);
}
