/**
 * Synapses between two neuron groups (Brian2's Synapses): sparse connectivity in compressed sparse
 * rows (one row per presynaptic neuron), per-synapse variables such as a weight `w`, per-synapse
 * delays, and the on-spike effect as statements (`ge += w`).
 *
 * Delivery is event-driven: the cost of a step is the spikes times their fan-out, never N².
 * Synapses are grouped by delay (in steps); each group is its own CSR, and a ring of the source's
 * last maxDelay+1 spike lists gives, at step s, the spikes of step s−d to the group of delay d.
 *
 * Connectivity is drawn from the projection's own stream (`synapses/<name>/connect`):
 *  - `p` with an optional condition on i, j (`i != j`, `i < Ne`): each pair independently with
 *    probability p, visited by geometric skips (cost ∝ synapses, not pairs);
 *  - `indegree` k: each postsynaptic neuron draws k distinct presynaptic partners (satisfying the
 *    condition) by the first k steps of a Fisher–Yates shuffle of the eligible sources (without a
 *    condition every source is eligible, and the shuffle's k swaps are made on one array of all
 *    sources and undone: a cost of k, not of the sources, per target);
 *  - a condition alone: every pair that satisfies it.
 */
import { codeGenerator } from '../equations/compile';
import { describeUnit, Quantity, quantityOf, sameDimension, unitQuantity } from '../equations/dimensions';
import { EquationError, parseExpression } from '../equations/expression';
import { Delivery, PairCondition, SynapseContext, SynapticFunction } from '../equations/generator';
import { checkStatement, parseStatements } from '../equations/model';
import { nextUniform, streamState } from '../kernels/random';
import { NeuronGroup, SpikeEvent } from './neuron-group';

export interface ConnectSpec {
  /** Condition on the presynaptic index i and postsynaptic index j, e.g. "i != j". */
  readonly condition?: string;
  /** Connection probability per pair. */
  readonly p?: number;
  /** Fixed number of presynaptic partners per postsynaptic neuron. */
  readonly indegree?: number;
}

export interface SynapsesSpec {
  readonly name: string;
  readonly source: string;
  readonly target: string;
  /** Per-synapse variables, one per line: "w : volt". */
  readonly model?: string;
  /** Statements run for each synapse of a spiking presynaptic neuron, e.g. "ge += w". */
  readonly on_pre: string;
  /** Initial values of per-synapse variables: { "w": "rand() * wmax" } (i, j, rand() allowed). */
  readonly init?: Readonly<Record<string, string>>;
  /** Delay, a constant or per-synapse expression ("1 ms", "rand() * 5 ms"); default 0. */
  readonly delay?: string;
  readonly connect: ConnectSpec;
}

interface DelayGroup {
  readonly delay: number;
  /** rowStart[i] … rowStart[i+1] index the synapses of presynaptic neuron i with this delay. */
  readonly rowStart: Uint32Array;
}

export class Synapses {
  /** Presynaptic and postsynaptic index of each synapse (synapses sorted by delay, then i). */
  readonly pre: Uint32Array;
  readonly post: Uint32Array;
  /** Delay of each synapse, in steps. */
  readonly delaySteps: Uint8Array | Uint16Array | Uint32Array;
  readonly variableNames: readonly string[];
  readonly variables: Float64Array[];
  private readonly groups: DelayGroup[];
  private readonly deliver: SynapticFunction;
  private readonly history: Uint32Array[];
  private readonly historyCounts: Int32Array;

  constructor(readonly spec: SynapsesSpec, readonly source: NeuronGroup, readonly target: NeuronGroup, constants: ReadonlyMap<string, Quantity>, seed: number) {
    const where = `synapses "${spec.name}"`;
    const dt = source.compiled.dt;
    const declared = (spec.model ?? '')
      .split(/[\n;]/)
      .map((l) => l.trim())
      .filter(Boolean)
      .map((line) => {
        const m = /^([A-Za-z_]\w*)\s*:\s*(.+)$/.exec(line);
        if (!m) throw new EquationError(`${where}, model "${line}": expected a per-synapse variable like "w : volt"`);
        return { name: m[1], unit: unitQuantity(m[2], `${where}, "${line}"`) };
      });
    this.variableNames = declared.map((d) => d.name);

    // Names visible to synapse code: own variables, x_pre / x_post (or plain x for the target), constants.
    const scope = new Map<string, Quantity | boolean>([...constants, ['i', 1], ['j', 1], ['N_pre', 1], ['N_post', 1]]);
    for (const v of source.compiled.model.variables) scope.set(`${v.name}_pre`, v.unit);
    for (const v of target.compiled.model.variables) {
      scope.set(`${v.name}_post`, v.unit);
      scope.set(v.name, v.unit);
    }
    for (const d of declared) scope.set(d.name, d.unit);
    const context: SynapseContext = {
      variables: this.variableNames,
      source: { variables: source.compiled.variableNames, size: source.size },
      target: { variables: target.compiled.variableNames, size: target.size },
      constants,
      dt,
    };
    const generator = codeGenerator();

    const statements = parseStatements(spec.on_pre, `${where}, on_pre`);
    for (const s of statements) {
      const unit = scope.get(s.target);
      if (unit === undefined || typeof unit === 'boolean' || constants.has(s.target)) {
        throw new EquationError(`${where}, on_pre "${s.text}": "${s.target}" is neither a synapse variable nor a variable of "${target.name}"`);
      }
      checkStatement(s, unit, scope, `${where}, on_pre`);
    }
    this.deliver = generator.synapticStatements(statements, context, where);

    // Connectivity, then per-synapse values, in the order drawn; then sorted by (delay, i).
    const rand = ((s) => () => nextUniform(s))(streamState(seed, `synapses/${spec.name}/connect`));
    const condition = generator.pairCondition(spec.connect.condition ? parseExpression(spec.connect.condition, `${where}, connect.condition`) : null, context, `${where}, connect.condition`);
    const { pre, post } = connect(spec.connect, source.size, target.size, condition, spec.connect.condition === undefined, rand, where);
    const count = pre.length;
    const valueOf = (text: string, unit: Quantity, what: string): Float64Array => {
      const node = parseExpression(text, `${where}, ${what}`);
      const q = quantityOf(node, scope, `${where}, ${what} "${text}"`);
      if (!sameDimension(q, unit)) throw new EquationError(`${where}, ${what} "${text}": expected ${describeUnit(unit)}, got ${describeUnit(q)}`);
      const f = generator.perSynapseExpression(node, context, `${where}, ${what}`);
      return f(pre, post, count, ((s) => () => nextUniform(s))(streamState(seed, `synapses/${spec.name}/${what}`)));
    };
    const initial = declared.map((d) => (spec.init?.[d.name] !== undefined ? valueOf(spec.init[d.name], d.unit, `init ${d.name}`) : new Float64Array(count)));
    for (const name of Object.keys(spec.init ?? {})) {
      if (!this.variableNames.includes(name)) throw new EquationError(`${where}, init: "${name}" is not a synapse variable (declare it in "model")`);
    }
    // Delays in steps (null: all zero), then the synapses sorted by (delay, i) unless they already are.
    let delays: Uint32Array | null = null;
    let maxDelay = 0;
    if (spec.delay) {
      const seconds = valueOf(spec.delay, unitQuantity('second', ''), 'delay');
      delays = new Uint32Array(count);
      for (let k = 0; k < count; k++) {
        const d = Math.round(seconds[k] / dt);
        if (d < 0) throw new EquationError(`${where}: delay "${spec.delay}" is negative`);
        delays[k] = d;
        maxDelay = Math.max(maxDelay, d);
      }
    }
    const place = sortedPositions(pre, delays, source.size, maxDelay);
    const scatter = <T extends Uint32Array | Float64Array | Uint8Array | Uint16Array>(values: ArrayLike<number>, out: T): T => {
      if (place === null) out.set(values);
      else for (let k = 0; k < count; k++) out[place[k]] = values[k];
      return out;
    };
    this.pre = place ? scatter(pre, new Uint32Array(count)) : pre;
    this.post = place ? scatter(post, new Uint32Array(count)) : post;
    this.variables = initial.map((v) => (place ? scatter(v, new Float64Array(count)) : v));
    // Delays in the narrowest unsigned type that holds the longest (one byte per synapse for CUBA's).
    const Steps = maxDelay < 2 ** 8 ? Uint8Array : maxDelay < 2 ** 16 ? Uint16Array : Uint32Array;
    this.delaySteps = delays ? scatter(delays, new Steps(count)) : new Steps(count).fill(maxDelay);

    this.groups = [];
    for (let start = 0; start < count; ) {
      const delay = this.delaySteps[start];
      let end = start;
      while (end < count && this.delaySteps[end] === delay) end++;
      const rowStart = new Uint32Array(source.size + 1).fill(start);
      for (let k = start; k < end; k++) rowStart[this.pre[k] + 1]++;
      for (let i = 0; i < source.size; i++) rowStart[i + 1] += rowStart[i] - start;
      this.groups.push({ delay, rowStart });
      start = end;
    }
    this.history = maxDelay > 0 ? Array.from({ length: maxDelay + 1 }, () => new Uint32Array(source.size)) : [];
    this.historyCounts = new Int32Array(maxDelay + 1).fill(-1);
  }

  get size(): number {
    return this.pre.length;
  }

  /** The array of per-synapse variable `name`. */
  variable(name: string): Float64Array {
    const k = this.variableNames.indexOf(name);
    if (k < 0) throw new EquationError(`synapses "${this.spec.name}": no variable "${name}"`);
    return this.variables[k];
  }

  /**
   * The delivery of a step's spikes in that same step, for a fused step of the source (NeuronGroup.fuse);
   * null when some synapse has a delay (the spikes then wait in receive()'s ring).
   */
  delivery(): Delivery | null {
    if (this.history.length > 0) return null;
    const rowStart = this.groups[0]?.rowStart ?? new Uint32Array(this.source.size + 1);
    return { deliver: this.deliver, rowStart, post: this.post, synapse: this.variables, pre: this.source.state, target: this.target.state };
  }

  /** Forgets spikes still travelling (delays), e.g. between trials. */
  clearPending(): void {
    this.historyCounts.fill(-1);
  }

  /** Handles the source's spikes of one step and delivers every delay group's due spikes. */
  receive(event: SpikeEvent): void {
    const { step, indices } = event;
    const src = this.source.state;
    const tgt = this.target.state;
    if (this.history.length === 0) {
      // No delay group: no synapses, nothing to deliver (and no row table to allocate per event).
      const rows = this.groups[0]?.rowStart;
      if (rows && indices.length > 0) this.deliver(indices, indices.length, rows, this.post, this.variables, src, tgt);
      return;
    }
    const slots = this.history.length;
    const slot = step % slots;
    this.history[slot].set(indices);
    this.historyCounts[slot] = indices.length;
    for (const group of this.groups) {
      if (step < group.delay) continue;
      const from = (step - group.delay) % slots;
      const count = this.historyCounts[from];
      if (count > 0) this.deliver(this.history[from], count, group.rowStart, this.post, this.variables, src, tgt);
    }
  }
}

/** Draws (pre, post) pairs; see the file comment for the three ways. */
function connect(spec: ConnectSpec, nPre: number, nPost: number, condition: PairCondition, unconditional: boolean, rand: () => number, where: string): { pre: Uint32Array; post: Uint32Array } {
  // Room for all the pairs at once (p: the expected count and six standard deviations), so the
  // lists rarely grow: at 0.3 billion synapses each growth copies gigabytes.
  const expected = spec.indegree !== undefined ? spec.indegree * nPost : Math.min(1, Math.max(0, spec.p ?? 1)) * nPre * nPost;
  const pairs = new PairList(Math.min(2 ** 30, Math.ceil(expected + 6 * Math.sqrt(expected)) + 1024));
  if (spec.indegree !== undefined) {
    if (spec.p !== undefined) throw new EquationError(`${where}: connect takes "p" or "indegree", not both`);
    const k = spec.indegree;
    const all = unconditional ? identity(nPre) : null;
    const picks = new Uint32Array(k);
    for (let j = 0; j < nPost; j++) {
      let eligible: Uint32Array | number[];
      if (all) eligible = all;
      else {
        eligible = [];
        for (let i = 0; i < nPre; i++) if (condition(i, j)) eligible.push(i);
      }
      if (eligible.length < k) throw new EquationError(`${where}: indegree ${k} but neuron ${j} has only ${eligible.length} possible partners`);
      for (let m = 0; m < k; m++) {
        const pick = m + Math.floor(rand() * (eligible.length - m));
        picks[m] = pick;
        const chosen = eligible[pick];
        eligible[pick] = eligible[m];
        eligible[m] = chosen;
      }
      const chosen = Array.from(eligible.slice(0, k)).sort((a, b) => a - b);
      for (const i of chosen) pairs.push(i, j);
      // The swaps undone, last first: `all` is every source in order again.
      if (all) {
        for (let m = k - 1; m >= 0; m--) {
          const swapped = all[m];
          all[m] = all[picks[m]];
          all[picks[m]] = swapped;
        }
      }
    }
  } else {
    const p = spec.p ?? 1;
    if (!(p >= 0 && p <= 1)) throw new EquationError(`${where}: connect.p must be in [0, 1], got ${p}`);
    const logq = Math.log(1 - p);
    for (let i = 0; i < nPre; i++) {
      if (p === 1) {
        for (let j = 0; j < nPost; j++) if (condition(i, j)) pairs.push(i, j);
        continue;
      }
      if (p === 0) break;
      // Geometric skips: the gap to the next candidate j is floor(log(u)/log(1−p)).
      for (let j = Math.floor(Math.log(rand()) / logq); j < nPost; j += 1 + Math.floor(Math.log(rand()) / logq)) {
        if (unconditional || condition(i, j)) pairs.push(i, j);
      }
    }
  }
  return pairs.arrays();
}

/** (pre, post) pairs in two growing Uint32Arrays (a JavaScript array of numbers costs 8 bytes or more each). */
class PairList {
  private pre: Uint32Array;
  private post: Uint32Array;
  private length = 0;

  constructor(capacity: number) {
    this.pre = new Uint32Array(capacity);
    this.post = new Uint32Array(capacity);
  }

  push(i: number, j: number): void {
    if (this.length === this.pre.length) {
      const grow = (a: Uint32Array): Uint32Array => {
        const bigger = new Uint32Array(Math.ceil(a.length * 1.5));
        bigger.set(a);
        return bigger;
      };
      this.pre = grow(this.pre);
      this.post = grow(this.post);
    }
    this.pre[this.length] = i;
    this.post[this.length++] = j;
  }

  arrays(): { pre: Uint32Array; post: Uint32Array } {
    return { pre: this.pre.slice(0, this.length), post: this.post.slice(0, this.length) };
  }
}

/** Stable counting sort of `order` by `key[order[k]]` ∈ [0, range): O(n + range). */
function countingSort(order: Uint32Array, key: ArrayLike<number>, range: number): Uint32Array {
  const start = new Uint32Array(range + 1);
  for (let k = 0; k < order.length; k++) start[key[order[k]] + 1]++;
  for (let r = 0; r < range; r++) start[r + 1] += start[r];
  const out = new Uint32Array(order.length);
  for (let k = 0; k < order.length; k++) out[start[key[order[k]]]++] = order[k];
  return out;
}

/**
 * The place of each synapse once sorted by (delay, i), ties in the order drawn (two stable counting
 * sorts; the one by i skipped when the pairs came in i order, as `p` draws them), or null when they
 * already are. Applying it (out[place[k]] = x[k]) reads each array in order and writes one stream
 * per delay, which at hundreds of millions of synapses is much kinder to the caches than gathering.
 */
function sortedPositions(pre: Uint32Array, delays: Uint32Array | null, sources: number, maxDelay: number): Uint32Array | null {
  const preAscending = ascending(pre);
  let oneDelay = true;
  if (delays) for (let k = 0; k < delays.length && oneDelay; k++) oneDelay = delays[k] === maxDelay;
  if (preAscending && oneDelay) return null;
  const count = pre.length;
  const byPre = preAscending ? null : countingSort(identity(count), pre, sources);
  const start = new Uint32Array(maxDelay + 2);
  if (delays) {
    for (let k = 0; k < count; k++) start[delays[k] + 1]++;
    for (let d = 0; d <= maxDelay; d++) start[d + 1] += start[d];
  }
  const place = new Uint32Array(count);
  for (let t = 0; t < count; t++) {
    const k = byPre ? byPre[t] : t;
    place[k] = delays ? start[delays[k]]++ : t;
  }
  return place;
}

/** 0, 1, …, n − 1. */
function identity(n: number): Uint32Array {
  const out = new Uint32Array(n);
  for (let k = 0; k < n; k++) out[k] = k;
  return out;
}

/** Whether `a` never decreases. */
function ascending(a: Uint32Array): boolean {
  for (let k = 1; k < a.length; k++) if (a[k - 1] > a[k]) return false;
  return true;
}
