/**
 * A spiking network finds what it drives and reads through the roles the experiment names
 * (network/neuron-roles.ts), not through fixed names; a model without a role is refused in one line.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildCircuit, sizedFromData } from '../src/experiment/build';
import { loadExperiment } from '../src/experiment/experiment';
import { SpikingPhases } from '../src/network/spiking-phases';
import { ModelSpec } from '../src/equations/model';
import { ConfigError } from '../src/experiment/experiment';
import { loadNeuronModel } from '../src/experiment/spiking';
import { fillNormal, streamState } from '../src/kernels/random';
import { SpikingNetwork, SpikingNetworkOptions } from '../src/network/spiking-network';

const models = path.join(__dirname, '..', 'models', 'neurons');
const lif = loadNeuronModel(path.join(models, 'lif-apical.json'));
/** lif-apical with every role under another name. */
const renamed: ModelSpec = {
  ...lif,
  name: 'lif-renamed',
  equations: ['dV/dt = (E0 - V + s + bias + top) / taum : volt (unless refractory)', 'ds/dt = -s / tsyn : volt', 'bias : volt', 'top : volt'],
  parameters: { taum: '10 ms', tsyn: '5 ms', E0: '-65 mV', Vth: '-50 mV', Vr: '-65 mV' },
  threshold: 'V > Vth',
  reset: 'V = Vr',
};
const roles = { threshold: 'Vth', rest: 'E0', synapseTau: 'tsyn', membrane: 'V', synapse: 's', basal: 'bias', apical: 'top' };

/** Forward and apically driven rates of one trial of a 6-8-5 network. */
function rates(neuron: ModelSpec, extra: Partial<SpikingNetworkOptions> = {}): Float32Array[] {
  const net = new SpikingNetwork({ input: 6, layers: [8, 5], batch: 2, dt: 1e-3, neuron, encoder: null, inputRate: 100, maxRate: 200, seed: 3, ...extra });
  const rng = streamState(4, 'test/roles');
  for (const w of net.weights) {
    fillNormal(rng, w.length, w);
    for (let i = 0; i < w.length; i++) w[i] *= 1.5;
  }
  for (const b of net.biases) b.fill(0.8);
  net.syncParameters();
  const x = Float32Array.from({ length: 12 }, (_, i) => (i % 3) / 2);
  const out: Float32Array[] = [];
  net.present(x, 2);
  net.startTrial();
  net.runPhase(5, 30);
  out.push(net.rates(2, new Float32Array(10), 2));
  net.setApical(2, Float32Array.from({ length: 10 }, (_, i) => (i % 2 ? 1 : -1)), 2);
  net.rewind();
  net.runPhase(5, 30);
  out.push(net.rates(2, new Float32Array(10), 2));
  return out;
}

describe('neuron roles', () => {
  it('a model with other names, its roles named, runs exactly as lif-apical', () => {
    const [forward, driven] = rates(lif);
    expect(driven).not.toEqual(forward); // the apical drive moves the rates
    expect(forward.some((r) => r > 0)).toBe(true);
    const [forward2, driven2] = rates(renamed, { roles });
    expect(forward2).toEqual(forward);
    expect(driven2).toEqual(driven);
  });

  it('a model without a role is refused in one line naming the model, the role and the name', () => {
    expect(() => rates(renamed)).toThrow(/^neuron model "lif-renamed" has no constant "Vt" for the role threshold \(network\.roles names the model's quantities\)$/);
    expect(() => rates(renamed, { roles: { ...roles, apical: 'va' } })).toThrow('neuron model "lif-renamed" has no variable "va" for the role apical');
  });

  it('an experiment file whose model lacks a role is a ConfigError naming the file', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'apical-roles-'));
    fs.writeFileSync(path.join(dir, 'renamed.json'), JSON.stringify(renamed));
    const experiment = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'experiments', 'mnist-spiking-dtp.json'), 'utf8'));
    const file = path.join(dir, 'x.json');
    fs.writeFileSync(file, JSON.stringify({ ...experiment, network: { ...experiment.network, neuron: 'renamed.json' } }));
    const build = () => buildCircuit(sizedFromData(loadExperiment(file), { features: 784, classes: 10 }));
    expect(build).toThrow(ConfigError);
    expect(build).toThrow(`${file}: neuron model "lif-renamed" has no constant "Vt" for the role threshold`);
    fs.writeFileSync(file, JSON.stringify({ ...experiment, network: { ...experiment.network, neuron: 'renamed.json', roles } }));
    expect((build().network.clocks[0] as SpikingPhases).network.roles).toEqual(roles);
  });
});
