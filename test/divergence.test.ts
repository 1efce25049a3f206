/**
 * The divergence guard: a NaN injected into the data, or into a decoder's weights, stops training at
 * that very step with a DivergenceError naming the population, the epoch and the step.
 */
import * as path from 'path';
import { lastValueFrom } from 'rxjs';
import { DivergenceError } from '../src/engine/guard';
import { DataSplits, train } from '../src/engine/trainer';
import { allFinite } from '../src/engine/guard';
import { buildCircuit } from '../src/experiment/build';
import { Experiment, loadExperiment } from '../src/experiment/experiment';
import { referenceKernels } from '../src/kernels';
import { fillNormal, nextInt, streamState } from '../src/kernels/random';

function narrow(file: string): Experiment {
  const loaded = loadExperiment(path.join('experiments', file), { epochs: 3 });
  const model = { ...loaded.model, input: 20, layers: loaded.model.layers.map((l) => ({ ...l, size: l.units === 'softmax' ? l.size : 12 })) };
  return { ...loaded, model, training: { ...loaded.training, batchSize: 10, evalBatchSize: 10, shuffle: false } };
}

function splits(features: number, count: number): DataSplits {
  const rng = streamState(1, 'divergence/data');
  const images = new Float32Array(count * features);
  fillNormal(rng, images.length, images);
  return { train: { images, labels: Int32Array.from({ length: count }, () => nextInt(rng, 10)), count, features } };
}

describe('divergence guard', () => {
  it('stops at the step whose minibatch holds a NaN, naming h1 (BP)', async () => {
    const experiment = narrow('mnist-bp.json');
    const data = splits(20, 60);
    data.train.images[(4 * 10 + 3) * 20 + 7] = NaN; // image 43: step 5 of epoch 1
    const error = await lastValueFrom(train(buildCircuit(experiment), data, experiment.training)).then(
      () => null,
      (e: unknown) => e as DivergenceError,
    );
    expect(error).toBeInstanceOf(DivergenceError);
    expect(error!.where).toMatchObject({ population: 'h1', epoch: 1, step: 5, phase: 'forward' });
    expect(error!.message).toMatch(/^diverged at epoch 1, step 5 \(forward\), population h1: its activity is not finite \(W1, b1, .* hold NaN or Inf\)$/);
  });

  it('stops DTP at the step after an Inf in the data made W1 infinite (tanh(∞) is finite, the update is not)', async () => {
    const experiment = narrow('mnist-dtp.json');
    const data = splits(20, 60);
    data.train.images[2 * 10 * 20] = Infinity; // image 20: step 3
    const error = await lastValueFrom(train(buildCircuit(experiment), data, experiment.training)).then(
      () => null,
      (e: unknown) => e as DivergenceError,
    );
    expect(error!.where).toMatchObject({ population: 'h1', epoch: 1, step: 4, phase: 'forward' });
    expect(error!.message).toMatch(/its activity is not finite \(W1[,\s]/);
  });

  /** Trains DTP and sets V3[5] = NaN after step `done` of `phase` in epoch 2. */
  async function poisonV3(phase: string, done: number): Promise<DivergenceError> {
    const experiment = narrow('mnist-dtp.json');
    const circuit = buildCircuit(experiment);
    const v3 = circuit.network.state.arrays().find((e) => e.name === 'V3')!.data as Float32Array;
    const events = train(circuit, splits(20, 60), experiment.training);
    return new Promise<DivergenceError>((resolve, reject) => {
      events.subscribe({
        next: (e) => {
          if (e.kind === 'progress' && e.epoch === 2 && e.phase === phase && e.done === done) v3[5] = NaN;
        },
        error: resolve,
        complete: () => reject(new Error('did not diverge')),
      });
    });
  }

  it('stops at the next decoder step when a decoder’s weights went NaN, naming the population it decodes', async () => {
    const error = await poisonV3('decoders', 2);
    expect(error).toBeInstanceOf(DivergenceError);
    expect(error.where).toMatchObject({ population: 'h2', epoch: 2, step: 3, phase: 'decoders' });
    expect(error.message).toContain('decoder g3');
    expect(error.message).toMatch(/\(V3, c3 hold NaN or Inf\)$/);
  });

  it('stops at the forward step whose targets the NaN decoder spoils, naming the highest population with a NaN target', async () => {
    const error = await poisonV3('forward', 4);
    expect(error).toBeInstanceOf(DivergenceError);
    expect(error.where).toMatchObject({ population: 'h2', epoch: 2, step: 5, phase: 'forward' });
    expect(error.message).toMatch(/its target is not finite \(.*V3 hold NaN or Inf\)/);
  });

  it('tests finiteness as Σ(x − x)² on the reference kernels and the selected backend', () => {
    for (const value of [NaN, Infinity, -Infinity]) {
      const a = new Float32Array(1000).fill(3e38);
      expect(allFinite(a)).toBe(true);
      a[997] = value;
      expect(allFinite(a)).toBe(false);
      expect(allFinite(a, 997)).toBe(true);
      expect(referenceKernels.sumSquaredDifference(1000, a, a)).toBeNaN();
    }
    expect(allFinite(Float64Array.from([1, NaN]))).toBe(false);
  });
});
