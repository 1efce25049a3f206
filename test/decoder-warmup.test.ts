/**
 * Decoder warm-up (training.decoderWarmup W): epoch 1 begins with W decoder-only passes over the
 * data, the forward projections still; later epochs are as before; an experiment file may set it.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { lastValueFrom, tap } from 'rxjs';
import { Examples, train, TrainingPlan } from '../src/engine/trainer';
import { loadExperiment } from '../src/experiment/experiment';
import { fillNormal, nextInt, streamState } from '../src/kernels/random';
import { smallCircuit, smallModel } from './helpers';

const data: Examples = (() => {
  const rng = streamState(5, 'test/warmup');
  const images = new Float32Array(40 * 6);
  fillNormal(rng, images.length, images);
  return { images, labels: Int32Array.from({ length: 40 }, () => nextInt(rng, 3)), count: 40, features: 6 };
})();
const plan: TrainingPlan = { epochs: 2, batchSize: 10, schedule: 'alternating', shuffle: false, evalBatchSize: 40 };
const steps = 4;

async function run(decoderWarmup: number, schedule: TrainingPlan['schedule'] = 'alternating') {
  const sgd = { name: 'sgd', lr: 0.05 } as const;
  const circuit = smallCircuit(smallModel([6, 5, 4, 3], 'tanh'), { name: 'dtp', topStep: 0.5, noise: 0.1 }, { forward: sgd, feedback: sgd, maxRows: 40 });
  const forward = () => circuit.network.hidden.map((p) => Float32Array.from(p.projection.weights));
  const initial = forward();
  const probes = new Map<number, number>();
  let epoch = 1;
  let afterWarmup: Float32Array[] | undefined;
  const counting = circuit.reconstruction$.subscribe(({ pathway }) => pathway === 'g2' && probes.set(epoch, (probes.get(epoch) ?? 0) + 1));
  await lastValueFrom(
    train(circuit, { train: data }, { ...plan, schedule, decoderWarmup }).pipe(
      tap((event) => {
        if (event.kind === 'progress' && event.phase === 'decoders' && event.epoch === 1 && event.done === decoderWarmup * steps) afterWarmup = forward();
        if (event.kind === 'epoch') epoch++;
      }),
    ),
  );
  counting.unsubscribe();
  return { probes, initial, afterWarmup, final: forward() };
}

describe('decoder warm-up', () => {
  it('probes every decoder on W more passes in epoch 1 only, with the forward weights still', async () => {
    const { probes, initial, afterWarmup, final } = await run(2);
    expect([...probes]).toEqual([[1, 3 * steps], [2, steps]]);
    afterWarmup!.forEach((w, l) => expect(Array.from(w)).toEqual(Array.from(initial[l])));
    expect(Array.from(final[0])).not.toEqual(Array.from(initial[0]));
  });

  it('adds a decoder phase to the parallel schedule’s first epoch', async () => {
    const { probes } = await run(1, 'parallel');
    expect([...probes]).toEqual([[1, 2 * steps], [2, steps]]);
  });

  it('is read from an experiment file', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'apical-warmup-')), 'e.json');
    const json = JSON.parse(fs.readFileSync('experiments/mnist-sign-depth4.json', 'utf8'));
    fs.writeFileSync(file, JSON.stringify({ ...json, model: { ...json.model }, training: { ...json.training, decoderWarmup: 3 } }));
    expect(loadExperiment(file).training.decoderWarmup).toBe(3);
    expect(loadExperiment('experiments/mnist-sign-depth4.json').training).not.toHaveProperty('decoderWarmup');
  });
});
