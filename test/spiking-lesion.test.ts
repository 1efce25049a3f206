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
import { rateKind } from '../src/session/rate';
import { ConfigError, loadExperiment } from '../src/experiment/experiment';
import { loadSpikingDtpExperiment } from '../src/experiment/spiking-dtp';
import { nextInt, nextUniform, streamState } from '../src/kernels/random';
import { runMetrics, spikingDtpCircuit, spikingDtpFile, spikingTrials } from './helpers';

const input = 20;
const rows = 10;

/** Every learned array after 6 minibatches of trials (with g2 silenced from the start, or not). */
function train(silenceG2: boolean): { before: Record<string, Float32Array>; after: Record<string, Float32Array> } {
  const adam = { name: 'adam' as const, lr: 3e-3 };
  const circuit = spikingDtpCircuit(
    (e) => ({
      ...e,
      settle: '5 ms',
      count: '30 ms',
      network: { ...e.network, layers: [30, 30], encoder: null },
      rule: { ...e.rule, topStep: 0.5, apicalGain: 3, targetPhases: 'joint', lrDecay: 1 },
      optimizer: { forward: adam, feedback: adam, readout: adam },
      training: { ...e.training, seed: 5, batchSize: rows },
      ...(silenceG2 ? { lesion: { pathway: 'g2', mode: 'silence' as const } } : {}),
    }),
    { features: input, classes: 3 },
  );
  const snapshot = () => Object.fromEntries(circuit.network.projections().flatMap((p) => [[p.name, Float32Array.from(p.weights)], [p.biasName, Float32Array.from(p.bias)]]));
  const before = snapshot();
  const rng = streamState(6, 'test/spiking-lesion');
  const x = new Float32Array(rows * input);
  const labels = new Int32Array(rows);
  for (let step = 0; step < 6; step++) {
    for (let i = 0; i < x.length; i++) x[i] = nextUniform(rng);
    for (let r = 0; r < rows; r++) labels[r] = nextInt(rng, 3);
    spikingTrials(circuit, x, labels, rows);
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
    for (const name of ['W2', 'b2', 'W3', 'V2']) expect(lesioned.after[name]).not.toEqual(lesioned.before[name]);
    for (const name of ['W1', 'b1', 'W2', 'W3', 'V2']) expect(intact.after[name]).not.toEqual(intact.before[name]);
  });
});

describe('a lesion in a spiking DTP experiment file', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'apical-spiking-lesion-'));
  const file = (name: string, extra: Record<string, unknown>): string => spikingDtpFile(tmp, name, [40, 40], { epochs: 2, seed: 3 }, extra);
  const metrics = async (name: string, extra: Record<string, unknown>) => {
    const out = path.join(tmp, name);
    await runSession(rateKind, loadExperiment(file(name, extra)), { out, force: false });
    return runMetrics(out);
  };

  it('changes nothing before its epoch and the run from it on', async () => {
    const intact = await metrics('intact', {});
    const lesioned = await metrics('lesioned', { lesion: { pathway: 'g2', mode: 'silence', fromEpoch: 2 } });
    expect(lesioned[0]).toEqual(intact[0]);
    expect(lesioned[1]).not.toEqual(intact[1]);
  });

  it('is refused in one line when it names a pathway the network lacks or a mode spiking decoders lack', () => {
    expect(() => loadSpikingDtpExperiment(file('bad-mode', { lesion: { pathway: 'g2', mode: 'freeze' } }))).toThrow(/bad-mode\.json: \/lesion\/mode must be equal to constant$/);
    const experiment = loadExperiment(file('bad-pathway', { lesion: { pathway: 'g3', mode: 'silence' } }));
    return expect(runSession(rateKind, experiment, { out: path.join(tmp, 'bad-pathway'), force: false })).rejects.toThrow(
      new ConfigError(`${experiment.file}: /lesion/pathway names "g3", which the network does not have (it has g2)`),
    );
  });
});
