/**
 * Spiking DTP's targets go through the same rule seam as the rate rules, so the rate lesion
 * (experiment/lesion.ts) acts on its decoder pathways unchanged: silencing g_2 leaves population 1
 * without a target (ĥ_1 = h_1), no apical drive, no rate change, so W_1 and b_1 stop learning while
 * everything above goes on — as in the rate lesion test (test/lesion.test.ts).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runSession } from '../src/session/session';
import { spikingDtpKind } from '../src/session/spiking-dtp';
import { ConfigError } from '../src/experiment/experiment';
import { FeedbackLesion } from '../src/experiment/lesion';
import { loadSpikingDtpExperiment } from '../src/experiment/spiking-dtp';
import { loadNeuronModel } from '../src/experiment/spiking';
import { nextInt, nextUniform, streamState } from '../src/kernels/random';
import { SpikingNetwork } from '../src/network/spiking-network';
import { SpikingDtp } from '../src/rules/spiking-dtp';
import { StateRegistry } from '../src/state/registry';
import { runMetrics } from './helpers';

const lif = loadNeuronModel(path.join(__dirname, '..', 'models', 'neurons', 'lif-apical.json'));
const input = 20;
const rows = 10;

function build(): SpikingDtp {
  const network = new SpikingNetwork({ input, layers: [30, 30], batch: rows, dt: 1e-3, neuron: lif, encoder: null, inputRate: 100, maxRate: 200, seed: 5 });
  const adam = { name: 'adam' as const, lr: 3e-3 };
  return new SpikingDtp(network, {
    topStep: 0.5, apicalGain: 3, settleSteps: 5, countSteps: 30, targetPhases: 'joint', lrDecay: 1,
    forward: adam, feedback: adam, readout: adam, initScale: 1.5, initBias: 0.8, seed: 5, classes: 3,
  });
}

/** Every learned array after 6 minibatches of trials (with g2 silenced from the start, or not). */
function train(silenceG2: boolean): { before: Record<string, Float32Array>; after: Record<string, Float32Array> } {
  const dtp = build();
  if (silenceG2) {
    const lesion = new FeedbackLesion({ pathway: 'g2', mode: 'silence' }, { feedback: dtp.feedback, state: new StateRegistry(5) }, { name: 'sgd', lr: 0 }, { name: 'orthogonal' }, 5);
    dtp.rule = lesion.wrap(dtp.rule);
    lesion.start();
  }
  const snapshot = () => Object.fromEntries(dtp.optimizers.map((o) => [o.name, Float32Array.from(o.param)]));
  const before = snapshot();
  const rng = streamState(6, 'test/spiking-lesion');
  const x = new Float32Array(rows * input);
  const labels = new Int32Array(rows);
  for (let step = 0; step < 6; step++) {
    for (let i = 0; i < x.length; i++) x[i] = nextUniform(rng);
    for (let r = 0; r < rows; r++) labels[r] = nextInt(rng, 3);
    dtp.trials(x, labels, rows);
  }
  return { before, after: snapshot() };
}

describe('a silenced spiking feedback pathway', () => {
  const intact = train(false);
  const lesioned = train(true);

  it('stops learning below it, exactly', () => {
    expect(lesioned.after.W1).toEqual(lesioned.before.W1);
    expect(lesioned.after.b1).toEqual(lesioned.before.b1);
  });

  it('leaves learning above it, and the intact network learns at every layer', () => {
    for (const name of ['W2', 'b2', 'readout/W', 'g2/V']) expect(lesioned.after[name]).not.toEqual(lesioned.before[name]);
    for (const name of ['W1', 'b1', 'W2', 'readout/W', 'g2/V']) expect(intact.after[name]).not.toEqual(intact.before[name]);
  });
});

describe('a lesion in a spiking DTP experiment file', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'apical-spiking-lesion-'));
  const base = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'experiments', 'mnist-spiking-dtp.json'), 'utf8'));
  function file(name: string, extra: Record<string, unknown>): string {
    const f = path.join(tmp, `${name}.json`);
    fs.writeFileSync(
      f,
      JSON.stringify({
        ...base,
        name,
        network: { ...base.network, layers: [40, 40], neuron: path.join(__dirname, '..', 'models', 'neurons', 'lif-apical.json') },
        data: { source: 'mnist', validation: 100, trainLimit: 200, testLimit: 100 },
        training: { epochs: 2, batchSize: 20, seed: 3 },
        record: { traces: 1 },
        ...extra,
      }),
    );
    return f;
  }
  const metrics = async (name: string, extra: Record<string, unknown>) => {
    const out = path.join(tmp, name);
    await runSession(spikingDtpKind, loadSpikingDtpExperiment(file(name, extra)), { out, force: false });
    return runMetrics(out).map(({ cpu_seconds, ...m }) => m); // eslint-disable-line @typescript-eslint/no-unused-vars
  };

  it('changes nothing before its epoch and the run from it on', async () => {
    const intact = await metrics('intact', {});
    const lesioned = await metrics('lesioned', { lesion: { pathway: 'g2', mode: 'silence', fromEpoch: 2 } });
    expect(lesioned[0]).toEqual(intact[0]);
    expect(lesioned[1]).not.toEqual(intact[1]);
  });

  it('is refused in one line when it names a pathway the network lacks or a mode spiking decoders lack', () => {
    expect(() => loadSpikingDtpExperiment(file('bad-mode', { lesion: { pathway: 'g2', mode: 'freeze' } }))).toThrow(/bad-mode\.json: \/lesion\/mode must be equal to constant$/);
    const experiment = loadSpikingDtpExperiment(file('bad-pathway', { lesion: { pathway: 'g3', mode: 'silence' } }));
    return expect(runSession(spikingDtpKind, experiment, { out: path.join(tmp, 'bad-pathway'), force: false })).rejects.toThrow(
      new ConfigError(`${experiment.file}: /lesion/pathway names "g3", which the network does not have (it has g2)`),
    );
  });
});
