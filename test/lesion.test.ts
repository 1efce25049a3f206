/**
 * Lesions of a feedback pathway from a given epoch: silencing g_l stops learning below it (and
 * nothing else), freezing stops the pathway's own learning, randomising redraws it; before the
 * lesion's epoch the run is the unlesioned run, bit for bit.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { lastValueFrom, tap } from 'rxjs';
import { Examples, train } from '../src/engine/trainer';
import { buildLesionedCircuit } from '../src/experiment/build';
import { ConfigError, loadExperiment } from '../src/experiment/experiment';
import { LesionSpec } from '../src/experiment/lesion';
import { fillNormal, nextInt, streamState } from '../src/kernels/random';
import { DecoderPathway } from '../src/network/decoder';
import { initialise } from '../src/network/init';
import { smallModel } from './helpers';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'apical-lesion-'));

function experimentFile(lesion?: LesionSpec | Record<string, unknown>): string {
  const file = path.join(tmp, `x${Math.random().toString(36).slice(2)}.json`);
  fs.writeFileSync(
    file,
    JSON.stringify({
      name: 'lesion-test',
      model: smallModel([12, 10, 10, 10, 3], 'tanh'),
      rule: { name: 'dtp', topStep: 0.5, noise: 0.3 },
      training: { epochs: 3, batchSize: 20, seed: 4, evalBatchSize: 20 },
      optimizer: { forward: { name: 'sgd', lr: 0.1 }, feedback: { name: 'sgd', lr: 0.1 } },
      ...(lesion ? { lesion } : {}),
    }),
  );
  return file;
}

const data: Examples = (() => {
  const rng = streamState(2, 'test/lesion');
  const images = new Float32Array(100 * 12);
  fillNormal(rng, images.length, images);
  return { images, labels: Int32Array.from({ length: 100 }, () => nextInt(rng, 3)), count: 100, features: 12 };
})();

/** Trains 3 epochs; returns every parameter array after each epoch, and the epoch records. */
async function run(lesion?: LesionSpec) {
  const experiment = loadExperiment(experimentFile(lesion));
  const { circuit, lesion: control } = buildLesionedCircuit(experiment);
  const snapshots: Record<string, Float32Array>[] = [];
  const snapshot = () => Object.fromEntries(circuit.network.projections().map((p) => [p.name, Float32Array.from(p.weights)]));
  snapshots.push(snapshot());
  const records: unknown[] = [];
  await lastValueFrom(
    train(circuit, { train: data }, experiment.training).pipe(
      tap((event) => {
        control?.onEvent(event);
        if (event.kind === 'epoch') {
          snapshots.push(snapshot());
          records.push({ ...event.record, seconds: 0, eval_seconds: 0 });
        }
      }),
    ),
  );
  return { snapshots, records, network: circuit.network };
}

const same = (a: Float32Array, b: Float32Array): boolean => a.every((v, i) => v === b[i]);
/** Largest absolute difference. */
const change = (a: Float32Array, b: Float32Array): number => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

describe('feedback lesions', () => {
  it('silence: from epoch 2, populations below g3 stop learning; those above and the read-out go on', async () => {
    const intact = await run();
    const lesioned = await run({ pathway: 'g3', mode: 'silence', fromEpoch: 2 });
    expect(lesioned.records[0]).toEqual(intact.records[0]);
    const [, afterEpoch1, , afterEpoch3] = lesioned.snapshots;
    // Below g3 the delta (2/m)(h − ĥ) is zero up to the rounding of a fused multiply-add (~1e-9).
    for (const name of ['W1', 'W2']) expect(change(afterEpoch1[name], afterEpoch3[name])).toBeLessThan(1e-7);
    for (const name of ['W3', 'W4', 'V2', 'V3']) expect(change(afterEpoch1[name], afterEpoch3[name])).toBeGreaterThan(1e-3);
    expect(change(intact.snapshots[3].W1, intact.snapshots[1].W1)).toBeGreaterThan(1e-3);
  });

  it('freeze: the pathway stops learning, learning below it goes on', async () => {
    const { snapshots } = await run({ pathway: 'g3', mode: 'freeze', fromEpoch: 2 });
    expect(same(snapshots[1].V3, snapshots[3].V3)).toBe(true);
    expect(same(snapshots[1].W1, snapshots[3].W1)).toBe(false);
  });

  it('randomise: the pathway is redrawn from its own stream at the lesion epoch', async () => {
    const { snapshots, network } = await run({ pathway: 'g3', mode: 'randomise', fromEpoch: 3 });
    const v3 = (network.feedback[3] as DecoderPathway).projection;
    const redrawn = new Float32Array(v3.weights.length);
    initialise({ name: 'orthogonal' }, v3.inSize, v3.outSize, streamState(4, 'V3/lesion'), redrawn);
    // Applied when epoch 2 ends (the snapshot after it already holds the redrawn matrix); it then learns on.
    expect(same(snapshots[2].V3, redrawn)).toBe(true);
    expect(same(snapshots[1].V3, snapshots[2].V3)).toBe(false);
    expect(same(snapshots[3].V3, redrawn)).toBe(false);
  });

  it('names a pathway the network lacks in one line', () => {
    const experiment = loadExperiment(experimentFile({ pathway: 'g9', mode: 'silence' }));
    expect(() => buildLesionedCircuit(experiment)).toThrow(ConfigError);
    expect(() => buildLesionedCircuit(experiment)).toThrow(/\/lesion\/pathway names "g9", which the network does not have \(it has g2, g3\)/);
    expect(() => loadExperiment(experimentFile({ pathway: 'g2', mode: 'cut' }))).toThrow(/\/lesion\/mode must be one of "silence", "freeze", "randomise"/);
  });
});
