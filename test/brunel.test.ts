/**
 * A scaled-down Brunel (2000) network (models/neurons/brunel-lif.json, as experiments/brunel/ but
 * 1,600 + 400 neurons with C_E = 400, C_I = 100 inputs of J = 0.25 mV) in its asynchronous
 * irregular regime (strong inhibition g = 8, ν_ext/ν_thr = 2: fluctuation-driven): the rates of
 * both populations within 12% of Brunel's self-consistent mean-field rate (eq. 21 with eqs. 4–5;
 * 15.4 Hz), their ISI CVs near 1 (above 0.9) and within 0.12 of the theory's (eq. A.22; 1.06). The
 * theory is the infinite network's: 2,000 neurons fire a little below it (about 14.2 and 14.7 Hz,
 * CV 0.97–0.99 with seed 3).
 */
import * as fs from 'fs';
import * as path from 'path';
import { buildSpiking } from '../src/experiment/build-spiking';
import { SpikingExperiment } from '../src/experiment/spiking';
import { brunelInput, brunelRate, lifCv } from '../src/metrics/lif-rate';
import { SpikeStatistics } from '../src/metrics/spike-statistics';

const root = path.resolve(__dirname, '..');
const C = 400;
const J = 0.25e-3;
const g = 8;
const eta = 2;
const model = JSON.parse(fs.readFileSync(path.join(root, 'models/neurons/brunel-lif.json'), 'utf8'));

const population = (name: string, size: number): SpikingExperiment['populations'][number] => ({
  name,
  model,
  size,
  parameters: { J: 'J', eta: 'eta', Cext: 'CE' },
  init: { v: 'rand() * 20 mV', ready: '1' },
});
const projection = (source: string, target: string, indegree: number, onPre: string): SpikingExperiment['synapses'][number] => ({
  name: `${source}${target}`,
  source,
  target,
  on_pre: onPre,
  delay: 'D',
  connect: { indegree },
});

const experiment: SpikingExperiment = {
  kind: 'spiking',
  name: 'brunel-small',
  description: '',
  file: 'test',
  dt: '0.1 ms',
  duration: '1 s',
  seed: 3,
  parameters: { J: '0.25 mV', g: String(g), eta: String(eta), D: '1.5 ms', CE: String(C) },
  populations: [population('E', 1600), population('I', 400)],
  synapses: [
    projection('E', 'E', C, 'v += J * ready'),
    projection('E', 'I', C, 'v += J * ready'),
    projection('I', 'E', C / 4, 'v -= g * J * ready'),
    projection('I', 'I', C / 4, 'v -= g * J * ready'),
  ],
  monitors: [],
  metrics: { bin: '100 ms' },
};

test('a small Brunel network in the asynchronous irregular state matches the mean-field rate and CV', () => {
  const neuron = { tau: 0.02, refractory: 0.002, threshold: 0.02, reset: 0.01 };
  const network = { neuron, excitatoryInputs: C, gamma: 0.25, J, g, externalRate: (eta * 0.02) / (J * C * 0.02) };
  const rate = brunelRate(network);
  const { mu, sigma } = brunelInput(network, rate);
  const cv = lifCv(neuron, mu, sigma);
  expect(cv).toBeGreaterThan(1);

  const run = buildSpiking(experiment);
  const statistics = run.simulation.groups.map((group) => new SpikeStatistics([group]));
  run.simulation.run(run.steps);
  for (const s of statistics) {
    const { mean_rate_hz, isi_cv } = s.total(run.steps);
    expect(Math.abs(mean_rate_hz - rate) / rate).toBeLessThan(0.12);
    expect(isi_cv).toBeGreaterThan(0.9);
    expect(Math.abs(isi_cv! - cv)).toBeLessThan(0.12);
  }
  run.simulation.dispose();
}, 60000);
