/**
 * Recorders: what they write equals the circuit's own buffers (and independent arithmetic), they
 * never change training, and their memory stays bounded however long the run.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as v8 from 'v8';
import * as vm from 'vm';
import { lastValueFrom, tap } from 'rxjs';
import { Circuit } from '../src/engine/circuit';
import { EpochRecord, Examples, train, TrainingPlan } from '../src/engine/trainer';
import { streamState, fillNormal, nextInt } from '../src/kernels/random';
import { DecoderPathway } from '../src/network/decoder';
import { Network } from '../src/network/network';
import { ActivityRecorder } from '../src/record/activity-recorder';
import { ActivitySample, ReconstructionSample, WeightStats } from '../src/record/formats';
import { statistics } from '../src/record/histogram';
import { JsonLinesFile } from '../src/record/jsonl-file';
import { ReconstructionRecorder } from '../src/record/reconstruction-recorder';
import { WeightRecorder } from '../src/record/weight-recorder';
import { createRule, RuleSpec } from '../src/rules';
import { smallModel } from './helpers';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'apical-record-'));
const dtp: RuleSpec = { name: 'dtp', topStep: 0.5, noise: 0.3 };

function circuitFor(sizes: number[], ruleSpec: RuleSpec, inputDecoder = false): Circuit {
  const rule = createRule(ruleSpec);
  const network = new Network(smallModel(sizes, 'tanh'), { seed: 5, maxRows: 20, feedback: rule.feedback, inputDecoder });
  for (const p of network.populations) p.projection.setOptimizer({ name: 'sgd', lr: 0.05 });
  for (const p of network.feedback) p?.setOptimizers?.({ forward: { name: 'sgd', lr: 0.05 }, feedback: { name: 'sgd', lr: 0.05 }, frozen: () => ({ weights: false, bias: false }) });
  return new Circuit(network, rule);
}

function examples(count: number, features: number, classes: number): Examples {
  const rng = streamState(9, 'test/examples');
  const images = new Float32Array(count * features);
  fillNormal(rng, images.length, images);
  for (let i = 0; i < images.length; i++) images[i] = 1 / (1 + Math.exp(-images[i])); // pixels in (0, 1)
  return { images, labels: Int32Array.from({ length: count }, () => nextInt(rng, classes)), count, features };
}

const plan = (epochs: number, batchSize = 20): TrainingPlan => ({ epochs, batchSize, schedule: 'alternating', shuffle: false, evalBatchSize: 20 });

const lines = <T>(file: string): T[] =>
  fs.readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as T);

describe('statistics', () => {
  it('gives mean, std, range, rms and a histogram whose counts cover every entry', () => {
    const values = Float32Array.from([-1, 0, 0, 1, 2, 4]);
    const s = statistics(values, 5);
    expect(s.mean).toBeCloseTo(1, 6);
    expect(s.std).toBeCloseTo(Math.sqrt((4 + 1 + 1 + 0 + 1 + 9) / 6), 3);
    expect(s.rms).toBeCloseTo(Math.sqrt(22 / 6), 3);
    expect([s.min, s.max]).toEqual([-1, 4]);
    expect(s.histogram.edges).toEqual([-1, 0, 1, 2, 3, 4]);
    expect(s.histogram.counts).toEqual([1, 2, 1, 1, 1]);
    const difference = statistics(values, 2, values);
    expect([difference.rms, difference.std, difference.histogram.counts.reduce((a, b) => a + b)]).toEqual([0, 0, 6]);
  });
});

describe('activity recorder', () => {
  it('writes the populations’ activity, top-down signal and target (ĥ − h equals the DTP difference) without changing training', async () => {
    const data = examples(100, 12, 3);
    const file = path.join(tmp, 'activity.jsonl');
    const recorded = circuitFor([12, 10, 8, 3], dtp);
    const recorder = new ActivityRecorder(recorded, new JsonLinesFile(file), { units: 5, examples: 3, every: 2 }, 5);
    const seen: Record<string, number[][]> = {};
    // The same buffers read independently when the recorder reads them.
    const sub = recorded.topDown$[2].subscribe(({ stimulus }) => {
      if (stimulus.step === 4) seen.h2 = [0, 1, 2].map((r) => [0, 1, 2, 3, 4].map((u) => recorded.network.populations[1].activity[r * 8 + u]));
    });
    const metrics: unknown[] = [];
    await lastValueFrom(train(recorded, { train: data }, plan(2)).pipe(tap((e) => { recorder.onEvent(e); if (e.kind === 'epoch') metrics.push({ ...e.record, seconds: 0, eval_seconds: 0 }); })));
    recorder.close();
    sub.unsubscribe();

    const samples = lines<ActivitySample>(file);
    // 5 steps per epoch, every 2nd (0, 2, 4), 2 epochs, 2 populations (h1's line first: the signal
    // travels on down before h2's later subscribers hear of it).
    expect(samples).toHaveLength(3 * 2 * 2);
    expect(samples.map((s) => `${s.epoch}:${s.step}:${s.population}`).slice(0, 4)).toEqual(['1:0:h1', '1:0:h2', '1:2:h1', '1:2:h2']);
    const last = samples.filter((s) => s.epoch === 2 && s.step === 4 && s.population === 'h2')[0];
    expect(last.units).toEqual([0, 1, 2, 3, 4]);
    expect(last.rows).toEqual([0, 1, 2]);
    last.activity.forEach((row, r) => row.forEach((h, u) => expect(h).toBeCloseTo(seen.h2[r][u], 3)));
    last.target!.forEach((row, r) => row.forEach((t, u) => expect(t - last.activity[r][u]).toBeCloseTo(last.topDown[r][u], 3)));

    // The same run without the recorder gives the same metrics, bit for bit.
    const plain = circuitFor([12, 10, 8, 3], dtp);
    const plainMetrics: unknown[] = [];
    await lastValueFrom(train(plain, { train: data }, plan(2)).pipe(tap((e) => e.kind === 'epoch' && plainMetrics.push({ ...e.record, seconds: 0, eval_seconds: 0 }))));
    expect(metrics).toEqual(plainMetrics);
  });

  it('records no target for back-propagation, which forms none', async () => {
    const file = path.join(tmp, 'bp.jsonl');
    const circuit = circuitFor([12, 10, 3], { name: 'bp' });
    const recorder = new ActivityRecorder(circuit, new JsonLinesFile(file), {}, 5);
    await lastValueFrom(train(circuit, { train: examples(100, 12, 3) }, plan(1)));
    recorder.close();
    const samples = lines<ActivitySample>(file);
    expect(samples).toHaveLength(1);
    expect(samples[0].target).toBeNull();
    expect(samples[0].topDown[0].some((v) => v !== 0)).toBe(true);
  });

  it('keeps memory bounded on a long run: the file grows, the heap does not', async () => {
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    const file = path.join(tmp, 'long.jsonl');
    const circuit = circuitFor([40, 32, 32, 32, 4], dtp);
    const writer = new JsonLinesFile(file);
    const recorder = new ActivityRecorder(circuit, writer, { units: 32, examples: 20, every: 1 }, 100);
    const data = examples(2000, 40, 4);
    let heapAtEpoch2 = 0;
    let bytesAtEpoch2 = 0;
    await lastValueFrom(
      train(circuit, { train: data }, plan(5)).pipe(
        tap((e) => {
          recorder.onEvent(e);
          if (e.kind === 'epoch' && e.record.epoch === 2) {
            gc();
            heapAtEpoch2 = process.memoryUsage().heapUsed;
            bytesAtEpoch2 = writer.bytes;
          }
        }),
      ),
    );
    gc();
    const growth = process.memoryUsage().heapUsed - heapAtEpoch2;
    recorder.close();
    const written = fs.statSync(file).size - bytesAtEpoch2;
    expect(recorder.samples).toBe(5 * 100 * 3);
    expect(written).toBeGreaterThan(10 * 2 ** 20);
    expect(growth).toBeLessThan(2 * 2 ** 20);
  });
});

describe('weight recorder', () => {
  it('writes per-epoch statistics of every weight matrix and of its change over the epoch', async () => {
    const file = path.join(tmp, 'weights.jsonl');
    const circuit = circuitFor([12, 10, 8, 3], dtp);
    const w2 = circuit.network.populations[1].projection;
    w2.setOptimizer({ name: 'sgd', lr: 0 }); // W2 does not move: its update is exactly zero
    const w1 = circuit.network.populations[0].projection;
    const before = Float32Array.from(w1.weights);
    const recorder = new WeightRecorder(circuit.network, new JsonLinesFile(file), 10);
    await lastValueFrom(train(circuit, { train: examples(100, 12, 3) }, plan(1)).pipe(tap((e) => recorder.onEvent(e))));
    recorder.close();
    const stats = lines<WeightStats>(file);
    expect(stats.map((s) => s.name)).toEqual(['W1', 'W2', 'W3', 'V2']);
    const byName = Object.fromEntries(stats.map((s) => [s.name, s]));
    expect(byName.W2.update.rms).toBe(0);
    let squares = 0;
    for (let i = 0; i < before.length; i++) squares += (w1.weights[i] - before[i]) ** 2;
    expect(byName.W1.update.rms).toBeCloseTo(Math.sqrt(squares / before.length), 6);
    expect(byName.W1.values.histogram.counts.reduce((a, b) => a + b)).toBe(12 * 10);
  });
});

describe('reconstruction recorder', () => {
  it('draws the inputs and g_1(h_1), g_1(g_2(h_2)) as bytes, matching a plain-loop reference', () => {
    const file = path.join(tmp, 'reconstructions.jsonl');
    const circuit = circuitFor([16, 6, 5, 3], dtp, true);
    const network = circuit.network;
    const data = examples(10, 16, 3);
    const recorder = new ReconstructionRecorder(network, data, new JsonLinesFile(file), 'valid', 2, 1);
    const record = { epoch: 1 } as EpochRecord; // the recorder reads only the epoch
    recorder.onEvent({ kind: 'epoch', record });
    recorder.onEvent({ kind: 'epoch', record: { ...record, epoch: 2 } });
    recorder.close();
    const samples = lines<ReconstructionSample>(file);
    expect(samples).toHaveLength(2);
    const [sample] = samples;
    expect([sample.width, sample.height, sample.examples, Object.keys(sample.decoded)]).toEqual([4, 4, [0, 1], ['h1', 'h2']]);

    // Reference: y = tanh(x·W + b) with plain loops.
    const layer = (x: number[], w: Float32Array, b: Float32Array, n: number): number[] =>
      Array.from({ length: n }, (_, j) => Math.tanh(x.reduce((sum, xi, i) => sum + xi * w[i * n + j], b[j])));
    const [p1, p2] = network.populations;
    const v1 = (network.feedback[1] as DecoderPathway).projection;
    const v2 = (network.feedback[2] as DecoderPathway).projection;
    const bytes = (base64: string): number[] => [...Buffer.from(base64, 'base64')];
    const toByte = (v: number): number => Math.round(255 * Math.min(1, Math.max(0, v)));
    for (let e = 0; e < 2; e++) {
      const x = [...data.images.subarray(e * 16, (e + 1) * 16)];
      const h1 = layer(x, p1.projection.weights, p1.projection.bias, 6);
      const h2 = layer(h1, p2.projection.weights, p2.projection.bias, 5);
      const fromH1 = layer(h1, v1.weights, v1.bias, 16);
      const fromH2 = layer(layer(h2, v2.weights, v2.bias, 6), v1.weights, v1.bias, 16);
      const slice = (b64: string) => bytes(b64).slice(e * 16, (e + 1) * 16);
      slice(sample.original).forEach((b, i) => expect(b).toBe(toByte(x[i])));
      slice(sample.decoded.h1).forEach((b, i) => expect(Math.abs(b - toByte(fromH1[i]))).toBeLessThanOrEqual(1));
      slice(sample.decoded.h2).forEach((b, i) => expect(Math.abs(b - toByte(fromH2[i]))).toBeLessThanOrEqual(1));
    }
  });
});
