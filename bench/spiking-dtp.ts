/**
 * CPU per training trial of spiking DTP (src/rules/spiking-dtp.ts, through the circuit), 784 → 300
 * LIF → 300 LIF → softmax, both phases, on the first 2,000 MNIST training digits from the same
 * initial weights. Each variant runs in its own process (the CPU time of the process is the measure):
 *   node dist/bench/spiking-dtp.js poisson     minibatch of 20, Poisson input, 2 × (10 + 40) steps
 *   node dist/bench/spiking-dtp.js current     the same with rate-coded input currents
 *   node dist/bench/spiking-dtp.js committed   experiments/mnist-spiking-dtp.json's network and phases
 */
import * as path from 'path';
import { loadMnist } from '../src/data/mnist';
import { buildCircuit, sizedFromData } from '../src/experiment/build';
import { loadNeuronModel } from '../src/experiment/spiking';
import { asExperiment, loadSpikingDtpExperiment } from '../src/experiment/spiking-dtp';
import { packageRoot } from '../src/kernels/native';

const variant = process.argv[2] ?? 'committed';
const trials = 2000;
const root = packageRoot();
const committed = loadSpikingDtpExperiment(path.join(root, 'experiments', 'mnist-spiking-dtp.json'));
const adam = { name: 'adam' as const, lr: 1e-3 };
const settings: Record<string, typeof committed> = {
  committed,
  poisson: {
    ...committed,
    settle: '10 ms',
    count: '40 ms',
    network: { ...committed.network, encoder: loadNeuronModel(path.join(root, 'models', 'neurons', 'poisson.json')) },
    training: { ...committed.training, batchSize: 20 },
    optimizer: { forward: adam, feedback: adam, readout: adam },
  },
};
settings.current = { ...settings.poisson, network: { ...settings.poisson.network, encoder: null } };
const experiment = settings[variant];
if (!experiment) throw new Error(`unknown variant "${variant}" (poisson, current, committed)`);
const data = loadMnist({ validation: 0, trainLimit: trials });
const circuit = buildCircuit(sizedFromData(asExperiment(experiment), data.train));
const B = experiment.training.batchSize;
const { features } = data.train;
const start = process.cpuUsage();
for (let i = 0; i < trials; i += B) {
  const input = data.train.images.subarray(i * features, (i + B) * features);
  circuit.step({ step: i / B, rows: B, input, labels: data.train.labels.subarray(i, i + B), learnForward: true, probeDecoders: true, noise: 0 });
}
const cpu = process.cpuUsage(start);
console.log(`${variant}: ${((cpu.user + cpu.system) / 1e3 / trials).toFixed(3)} ms CPU per training trial (${trials} trials, batch ${B})`);
