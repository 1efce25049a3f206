/** A rate population run as spikes (src/network/rate-to-spikes.ts): counts match the rates. */
import * as path from 'path';
import { compileModel } from '../src/equations/compile';
import { parseModel } from '../src/equations/model';
import { Simulation } from '../src/network/simulation';
import { loadNeuronModel } from '../src/experiment/spiking';
import { Network } from '../src/network/network';
import { NeuronGroup } from '../src/network/neuron-group';
import { RateToSpikes } from '../src/network/rate-to-spikes';
import { randomBatch, smallModel } from './helpers';

const encoder = (name: string, size: number, dt: number): NeuronGroup =>
  new NeuronGroup(name, size, compileModel(parseModel(loadNeuronModel(path.join(__dirname, '..', 'models', 'neurons', `${name}.json`))), dt), 5);

/** Spike counts of each neuron of `group` over `seconds`. */
function counts(group: NeuronGroup, seconds: number): Float64Array {
  const c = new Float64Array(group.size);
  group.spikes$.subscribe(({ indices }) => indices.forEach((i) => c[i]++));
  const dt = group.compiled.dt;
  new Simulation(dt, [group], []).run(Math.round(seconds / dt));
  return c;
}

/** h1 of a small tanh network after a forward pass of two rows: activities in (−1, 1). */
function ratePopulation() {
  const network = new Network(smallModel([6, 8, 3], 'tanh'), { seed: 1, maxRows: 2, feedback: 'decoder' });
  const h1 = network.hidden[0];
  h1.fire(2, randomBatch(2, 6, 3).input);
  return h1;
}

test('regular encoder: each unit of a tanh population fires ⌊r·T⌋ or ⌈r·T⌉ times, r = r_max·(h+1)/2', () => {
  const h1 = ratePopulation();
  const group = encoder('regular', 2 * h1.size, 1e-4);
  new RateToSpikes(h1, group, 200, -1, 1).set(2);
  const c = counts(group, 1);
  for (let i = 0; i < group.size; i++) {
    const expected = (200 * (h1.activity[i] + 1)) / 2;
    expect(Math.abs(c[i] - expected)).toBeLessThanOrEqual(1);
  }
  expect(new Set(c).size).toBeGreaterThan(8); // the rates differ: the test would see a wrong mapping
});

test('Poisson encoder: counts have mean r·T and variance r·T; rows beyond those set stay silent', () => {
  const h1 = ratePopulation();
  const group = encoder('poisson', 3 * h1.size, 1e-3);
  new RateToSpikes(h1, group, 100, -1, 1).set(2);
  const T = 20;
  const c = counts(group, T);
  let z2 = 0;
  for (let i = 0; i < 2 * h1.size; i++) {
    const mean = ((100 * (h1.activity[i] + 1)) / 2) * T;
    z2 += (c[i] - mean) ** 2 / mean;
  }
  // Σ z² over 16 units is χ² with 16 degrees of freedom: below 40 with probability > 0.999.
  expect(z2).toBeLessThan(40);
  expect(z2).toBeGreaterThan(3);
  expect(Array.from(c.subarray(2 * h1.size)).every((v) => v === 0)).toBe(true);
});
