/**
 * Synapses' connectivity and per-synapse values against a reference written from the documented
 * recipe (src/network/synapses.ts): pairs drawn from the projection's connect stream (p by geometric
 * skips in source order; indegree by a partial Fisher–Yates shuffle of each target's eligible
 * sources), then per-synapse values from their own streams in the order drawn, then every synapse
 * sorted by (delay, i), ties in the order drawn. The set-up's fast paths (no scan of the sources
 * per target without a condition, no sort by i when the pairs came in i order, the permutation
 * scattered) must give exactly this layout, so the same seed keeps giving the same network.
 */
import { compileModel } from '../src/equations/compile';
import { parseModel } from '../src/equations/model';
import { nextUniform, streamState } from '../src/kernels/random';
import { NeuronGroup } from '../src/network/neuron-group';
import { ConnectSpec, Synapses } from '../src/network/synapses';

const dt = 1e-4;
const seed = 3;
const group = (name: string, size: number): NeuronGroup => new NeuronGroup(name, size, compileModel(parseModel({ name: 'accumulator', equations: ['x : 1'] }), dt), 1);

interface Layout {
  pre: number[];
  post: number[];
  delay: number[];
  w: number[];
}

/** The documented recipe, written plainly. */
function reference(name: string, connect: ConnectSpec, nPre: number, nPost: number, condition: (i: number, j: number) => boolean, maxDelayMs: number | null): Layout {
  const connectStream = streamState(seed, `synapses/${name}/connect`);
  const rand = (): number => nextUniform(connectStream);
  const pairs: [number, number][] = [];
  if (connect.indegree !== undefined) {
    for (let j = 0; j < nPost; j++) {
      const eligible: number[] = [];
      for (let i = 0; i < nPre; i++) if (condition(i, j)) eligible.push(i);
      for (let m = 0; m < connect.indegree; m++) {
        const pick = m + Math.floor(rand() * (eligible.length - m));
        [eligible[m], eligible[pick]] = [eligible[pick], eligible[m]];
      }
      for (const i of eligible.slice(0, connect.indegree).sort((a, b) => a - b)) pairs.push([i, j]);
    }
  } else {
    const logq = Math.log(1 - (connect.p as number));
    for (let i = 0; i < nPre; i++) {
      for (let j = Math.floor(Math.log(rand()) / logq); j < nPost; j += 1 + Math.floor(Math.log(rand()) / logq)) if (condition(i, j)) pairs.push([i, j]);
    }
  }
  const wStream = streamState(seed, `synapses/${name}/init w`);
  const w = pairs.map(() => nextUniform(wStream));
  const delayStream = streamState(seed, `synapses/${name}/delay`);
  const delay = pairs.map(() => (maxDelayMs === null ? 0 : Math.round((nextUniform(delayStream) * maxDelayMs * 1e-3) / dt)));
  const order = pairs.map((_, k) => k).sort((a, b) => delay[a] - delay[b] || pairs[a][0] - pairs[b][0] || a - b);
  return { pre: order.map((k) => pairs[k][0]), post: order.map((k) => pairs[k][1]), delay: order.map((k) => delay[k]), w: order.map((k) => w[k]) };
}

const CASES: [string, ConnectSpec, string | undefined, number | null][] = [
  ['indegree, every source eligible, random delays', { indegree: 40 }, undefined, 2],
  ['indegree with a condition, random delays', { indegree: 25, condition: 'i % 3 != 0' }, 'i % 3 != 0', 2],
  ['indegree, one delay', { indegree: 30 }, undefined, null],
  ['p, random delays', { p: 0.1 }, undefined, 3],
  ['p with a condition, no delay', { p: 0.2, condition: 'i < j' }, 'i < j', null],
];

test.each(CASES)('%s: the layout of the documented recipe', (_what, connect, condition, maxDelayMs) => {
  const source = group('A', 300);
  const target = group('B', 200);
  const delay = maxDelayMs === null ? (connect.indegree !== undefined ? '0.3 ms' : undefined) : `rand() * ${maxDelayMs} ms`;
  const synapses = new Synapses({ name: 'S', source: 'A', target: 'B', model: 'w : 1', init: { w: 'rand()' }, on_pre: 'x += w', delay, connect }, source, target, new Map(), seed);
  const accept = condition === undefined ? () => true : condition === 'i < j' ? (i: number, j: number) => i < j : (i: number) => i % 3 !== 0;
  const expected = reference('S', connect, 300, 200, accept, maxDelayMs);
  if (delay === '0.3 ms') expected.delay = expected.delay.map(() => 3);
  expect(synapses.size).toBeGreaterThan(1000);
  expect(Array.from(synapses.pre)).toEqual(expected.pre);
  expect(Array.from(synapses.post)).toEqual(expected.post);
  expect(Array.from(synapses.delaySteps)).toEqual(expected.delay);
  expect(Array.from(synapses.variable('w'))).toEqual(expected.w);
});
