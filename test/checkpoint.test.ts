/**
 * Checkpoints hold everything: for every experiment in experiments/ (so every rule, unit and
 * pathway that has one), training interrupted at any step, checkpointed, and resumed in a freshly
 * built run gives the same epoch records and the same final state, bit for bit, as training straight
 * through.
 */
import { createRule } from '../src/rules';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { filter, lastValueFrom, map, Observable, tap, toArray } from 'rxjs';
import { DataSplits, EpochRecord, train, TrainerEvent, TrainingPlan } from '../src/engine/trainer';
import { buildLesionedCircuit } from '../src/experiment/build';
import { Experiment, loadExperiment } from '../src/experiment/experiment';
import { LesionMode } from '../src/experiment/lesion';
import { fillNormal, nextInt, streamState } from '../src/kernels/random';
import { Circuit } from '../src/engine/circuit';
import { CheckpointError, decodeCheckpoint, encodeCheckpoint, restoreCheckpoint } from '../src/state/checkpoint';
import { StateRegistry } from '../src/state/registry';

const withoutTiming = ({ seconds, eval_seconds, ...rest }: EpochRecord): Omit<EpochRecord, 'seconds' | 'eval_seconds'> => {
  void seconds;
  void eval_seconds;
  return rest;
};

/**
 * Synthetic splits for a model of `features` inputs: labels below `classes` (at most 10), or
 * real-valued targets for a regression read-out; for a recurrent model, sequences of `steps`
 * steps of `features` inputs each.
 */
function syntheticSplits(features: number, count: number, seed: number, shape: { classes: number; regression: boolean; steps?: number }): DataSplits {
  const width = features * (shape.steps ?? 1);
  const make = (n: number, name: string) => {
    const rng = streamState(seed, name);
    const images = new Float32Array(n * width);
    fillNormal(rng, images.length, images);
    for (let i = 0; i < images.length; i++) images[i] = Math.abs(images[i]) * 0.3;
    const labels = Int32Array.from({ length: n }, () => nextInt(rng, Math.min(10, shape.classes || 10)));
    return {
      images,
      labels,
      count: n,
      features: width,
      ...(shape.steps ? { sequence: { width: features, lengths: new Int32Array(n).fill(shape.steps) } } : {}),
      ...(shape.regression ? { targets: Float32Array.from(labels, (label) => label / 10) } : {}),
    };
  };
  return { train: make(count, 'train'), valid: make(50, 'valid') };
}

/** Every array (its bytes' SHA-256) and value of a registry. */
function snapshot(registry: StateRegistry): Map<string, string> {
  const out = new Map<string, string>();
  for (const { name, data } of registry.arrays()) {
    out.set(name, createHash('sha256').update(Buffer.from(data.buffer, data.byteOffset, data.byteLength)).digest('hex'));
  }
  for (const value of registry.values()) {
    const { seconds, ...rest } = value.save() as Record<string, unknown>;
    void seconds;
    out.set(value.name, JSON.stringify(rest));
  }
  return out;
}

// Every experiment file that trains a network (spiking simulations and sweep files are other kinds);
// a lesion in each of its modes, since an active lesion is state too.
const experiments = (fs.readdirSync('experiments', { recursive: true }) as string[]).sort().flatMap((f): [string, string, LesionMode | null][] => {
  if (!f.endsWith('.json')) return [];
  const json = JSON.parse(fs.readFileSync(path.join('experiments', f), 'utf8'));
  if (json.kind === 'spiking' || !('rule' in json && 'model' in json)) return [];
  if (!json.lesion) return [[f, f, null]];
  return (['silence', 'freeze', 'randomise'] as const).map((mode) => [`${f} (lesion: ${mode})`, f, mode]);
});

describe.each(experiments)('checkpoint and resume of %s', (_label, file, lesionMode) => {
  // The experiment's units, rule, pathways and optimisers on narrow layers (quick to build), with
  // its lesion (if any) from epoch 3.
  const loaded = loadExperiment(path.join('experiments', file), { epochs: 4 });
  const readout = loaded.model.layers[loaded.model.layers.length - 1];
  const model = { ...loaded.model, input: 30, layers: loaded.model.layers.map((l) => ({ ...l, size: l === readout ? l.size : 64 })) };
  const lesion = lesionMode && loaded.lesion ? { ...loaded.lesion, mode: lesionMode, fromEpoch: 3 } : null;
  // A missing view (engine/missing-view.ts) is cut from the narrow input at its middle.
  const missingView = loaded.training.missingView && { ...loaded.training.missingView, split: model.input / 2 };
  const plan: TrainingPlan = { ...loaded.training, batchSize: 40, evalBatchSize: 50, shuffle: true, ...(missingView ? { missingView } : {}) };
  const experiment: Experiment = { ...loaded, model, lesion, record: null, training: { ...loaded.training, ...plan } };
  /** A fresh run: its circuit and its training events (the lesion sees every one, as in `apical run`). */
  const build = (): { circuit: Circuit; events$: Observable<TrainerEvent> } => {
    const built = buildLesionedCircuit(experiment);
    return { circuit: built.circuit, events$: train(built.circuit, data, plan).pipe(tap((e) => built.lesion?.onEvent(e))) };
  };
  const data = syntheticSplits(experiment.model.input, 100, 5, {
    classes: readout.size,
    regression: readout.units === 'linear-readout',
    steps: loaded.model.layers[0].recurrent ? 3 : undefined,
  });
  // Rules with decoders under the alternating schedule take a decoder phase and a forward phase per epoch.
  const stepsPerEpoch = 3 * (createRule(experiment.rule).uses.learnedFeedback && experiment.training.schedule === 'alternating' ? 2 : 1);

  let reference: { records: EpochRecord[]; state: Map<string, string> };
  beforeAll(async () => {
    const { circuit, events$ } = build();
    const records = await lastValueFrom(
      events$.pipe(
        filter((e) => e.kind === 'epoch'),
        map((e) => (e as { record: EpochRecord }).record),
        toArray(),
      ),
    );
    reference = { records, state: snapshot(circuit.network.state) };
  });

  // Interrupt after the k-th step of the whole run (k counts decoder and forward steps alike).
  it.each([1, stepsPerEpoch + 1, 2 * stepsPerEpoch - 1, 3 * stepsPerEpoch + 1])('resumes exactly after step %i', async (k) => {
    const { circuit: first, events$: firstEvents$ } = build();
    const records: EpochRecord[] = [];
    const bytes = await new Promise<Buffer>((resolve, reject) => {
      let done = 0;
      const sub = firstEvents$.subscribe({
        next: (event) => {
          if (event.kind === 'epoch') records.push(event.record);
          else if (++done === k) {
            sub.unsubscribe();
            resolve(Buffer.concat(encodeCheckpoint(first.network.state, { k })));
          }
        },
        error: reject,
      });
    });
    const checkpoint = decodeCheckpoint(bytes, 'test.ckpt');
    expect(checkpoint.meta).toEqual({ k });

    const { circuit: resumed, events$ } = build();
    restoreCheckpoint(resumed.network.state, checkpoint, 'test.ckpt');
    const rest = await lastValueFrom(
      events$.pipe(
        filter((e) => e.kind === 'epoch'),
        map((e) => (e as { record: EpochRecord }).record),
        toArray(),
      ),
    );
    expect([...records, ...rest].map(withoutTiming)).toEqual(reference.records.map(withoutTiming));
    expect(snapshot(resumed.network.state)).toEqual(reference.state);
  });

  it('registers parameters, optimiser buffers and seeded streams', () => {
    const { circuit } = build();
    const names = circuit.network.state.arrays().map((e) => e.name);
    expect(names).toEqual(expect.arrayContaining(['W1', 'b1', 'rng/data/shuffle', 'data/order']));
    expect(names.some((n) => n.startsWith('W1/'))).toBe(true);
  });
});

describe('checkpoint files', () => {
  const registry = (): StateRegistry => {
    const r = new StateRegistry(3);
    r.register('W', Float32Array.from([1.5, -2, 3]));
    r.register('n', Int32Array.from([7]));
    r.stream('noise');
    let counter = 0;
    r.value('counter', () => counter, (v) => (counter = v as number));
    return r;
  };

  it('refuses a truncated or damaged file, and one that does not fit the run', () => {
    const bytes = Buffer.concat(encodeCheckpoint(registry(), {}));
    expect(() => decodeCheckpoint(bytes.subarray(0, bytes.length - 4), 'c')).toThrow(/truncated/);
    const damaged = Buffer.from(bytes);
    damaged[damaged.length - 1] ^= 1;
    expect(() => decodeCheckpoint(damaged, 'c')).toThrow(/checksum/);
    expect(() => decodeCheckpoint(Buffer.from('hello world, not a checkpoint'), 'c')).toThrow(CheckpointError);
    const other = new StateRegistry(3);
    other.register('W', new Float32Array(4));
    expect(() => restoreCheckpoint(other, decodeCheckpoint(bytes, 'c'), 'c')).toThrow(/"W" is float32\[3\] in the checkpoint, float32\[4\]/);
  });

  it('restores arrays, streams and values in place', () => {
    const source = registry();
    (source.arrays()[0].data as Float32Array)[1] = 42;
    const bytes = Buffer.concat(encodeCheckpoint(source, { epoch: 2 }));
    const target = registry();
    restoreCheckpoint(target, decodeCheckpoint(bytes, 'c'), 'c');
    expect(Array.from(target.arrays()[0].data)).toEqual([1.5, 42, 3]);
    expect(target.stream('noise')).toEqual(source.stream('noise'));
    expect(() => target.register('W', new Float32Array(1))).toThrow(/registered twice/);
  });
});
