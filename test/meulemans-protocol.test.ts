/**
 * Meulemans et al. (2020)'s protocol as experiment settings: the top hidden target decoded from the
 * output (rule option top: output-decoder), DRL through that decoder, feedback-only training passes,
 * input standardisation, Adam's L2 penalty and the equivalence the experiment files use to carry
 * their loss scaling (Adam with a gradient c·g and ε is Adam with g and ε/c).
 */
import * as fs from 'fs';
import * as math from 'mathjs';
import * as os from 'os';
import * as path from 'path';
import { filter, lastValueFrom, tap, toArray } from 'rxjs';
import { loadData } from '../src/data/source';
import { normalizeSplits } from '../src/data/normalization';
import { Dataset } from '../src/data/dataset';
import { Examples, splitTraining } from '../src/data/splits';
import { train, TrainerEvent } from '../src/engine/trainer';
import { loadExperiment } from '../src/experiment/experiment';
import { fillNormal, nextInt, streamState } from '../src/kernels/random';
import { DecoderPathway } from '../src/network/decoder';
import { OutputDecoderPathway } from '../src/network/output-decoder';
import { createOptimizer, OptimizerSpec } from '../src/optim/optimizer';
import { randomBatch, smallCircuit, smallModel, stimulus } from './helpers';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'apical-meulemans-'));

/** Row-major a (r × c) as nested arrays. */
const matrix = (a: Float32Array, r: number, c: number): number[][] => Array.from({ length: r }, (_, i) => Array.from(a.subarray(i * c, (i + 1) * c)));

describe('the top hidden target decoded from the output (top: output-decoder)', () => {
  // δ = ∂L/∂o with L the minibatch's mean loss (topGradient 'batch-mean', the default) or each example's own ('example').
  it.each(['batch-mean', 'example'] as const)('is ĥ_L = h_L + g(o − η̂·δ) − g(o), o the read-out’s scores and δ = ∂L/∂o, L the %s loss (reference in float64)', (topGradient) => {
    const topStep = 0.7;
    const circuit = smallCircuit(smallModel([6, 5, 4, 3], 'tanh'), { name: 'dtp', topStep, topGradient, noise: 0.1, top: 'output-decoder' });
    const { network } = circuit;
    const pathway = network.readoutFeedback as OutputDecoderPathway;
    expect(pathway.kind).toBe('output-decoder');
    // Decoder weights away from zero so that g is far from linear.
    const v = pathway.decoder.projection;
    v.weights.forEach((_, i) => (v.weights[i] = 0.8 * Math.sin(1.3 * i + 0.4)));
    v.bias.forEach((_, i) => (v.bias[i] = 0.2 * Math.cos(i)));
    const rows = 5;
    const batch = randomBatch(rows, 6, 3, 11);
    circuit.step(stimulus(batch, { learnForward: true }));

    const top = network.hidden[network.hidden.length - 1];
    const readout = network.readout;
    const h = matrix(top.activity, rows, 4);
    const W = matrix(readout.projection.weights, 4, 3);
    const b = Array.from(readout.projection.bias);
    const V = matrix(v.weights, 3, 4);
    const c = Array.from(v.bias);
    const g = (x: number[]): number[] => (math.add(math.multiply(x, V), c) as number[]).map(Math.tanh);
    for (let r = 0; r < rows; r++) {
      const scores = (math.add(math.multiply(h[r], W), b) as number[]);
      const max = Math.max(...scores);
      const exp = scores.map((s) => Math.exp(s - max));
      const total = exp.reduce((a, b) => a + b, 0);
      const delta = exp.map((e, j) => (e / total - (j === batch.labels[r] ? 1 : 0)) / (topGradient === 'example' ? 1 : rows));
      const stepped = scores.map((s, j) => s - topStep * delta[j]);
      const expected = h[r].map((x, j) => x + g(stepped)[j] - g(scores)[j]);
      const got = Array.from(top.target.subarray(r * 4, (r + 1) * 4));
      got.forEach((t, j) => expect(t).toBeCloseTo(expected[j], 5));
    }
    // The signal is the decoded difference, not the gradient through W_out: they differ here.
    expect(Math.abs(top.target[0] - top.activity[0])).toBeGreaterThan(1e-6);
  });

  it('declares that the top hidden population does not receive the loss gradient through the read-out’s weights', () => {
    const circuit = smallCircuit(smallModel([6, 5, 4, 3], 'tanh'), { name: 'dtp', topStep: 0.1, noise: 0.1, top: 'output-decoder' });
    expect(circuit.rule.uses.outputGradient).toBe(false);
    expect(circuit.rule.readoutFeedback).toBe('output-decoder');
  });

  it('trains its decoder on probes of h_L through the read-out’s scores (reconstruction error g4 falls)', () => {
    const circuit = smallCircuit(smallModel([8, 10, 10, 10, 3], 'tanh'), { name: 'dtp', topStep: 0.1, noise: 0.2, top: 'output-decoder' }, {
      feedback: { name: 'adam', lr: 0.01 },
    });
    const errors: number[] = [];
    circuit.reconstruction$.pipe(filter((r) => r.pathway === 'g4')).subscribe(({ error }) => errors.push(error));
    for (let step = 0; step < 200; step++) circuit.step(stimulus(randomBatch(16, 8, 3, step), { probeDecoders: true, noise: 0.2 }));
    expect(errors).toHaveLength(200);
    const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(errors.slice(-20))).toBeLessThan(0.7 * mean(errors.slice(0, 5)));
  });

  it('under DRL: every difference reconstruction loss, the output decoder’s included, is zero for exact inverses', () => {
    const circuit = smallCircuit(smallModel([4, 4, 4, 4, 4], 'linear', 'linear'), { name: 'drl', topStep: 0.1, noise: 0.2, top: 'output-decoder' });
    const { populations, feedback, readoutFeedback } = circuit.network;
    populations.forEach((p, i) => p.projection.bias.forEach((_, j) => (p.projection.bias[j] = 0.1 * Math.sin(3 * i + j))));
    const invert = (decoder: DecoderPathway, l: number): void => {
      const { weights, bias } = populations[l - 1].projection;
      const inverse = math.inv(matrix(weights, 4, 4)) as number[][];
      decoder.projection.weights.set(inverse.flat());
      decoder.projection.bias.set(math.multiply(math.multiply(-1, Array.from(bias)), inverse) as number[]);
    };
    feedback.forEach((pathway, l) => pathway instanceof DecoderPathway && invert(pathway, l));
    invert((readoutFeedback as OutputDecoderPathway).decoder, 4);
    const errors = new Map<string, number>();
    circuit.reconstruction$.subscribe(({ pathway, error }) => errors.set(pathway, error));
    circuit.step(stimulus(randomBatch(8, 4, 4, 5), { probeDecoders: true, noise: 0.2 }));
    expect([...errors.keys()].sort()).toEqual(['g2', 'g3', 'g4']);
    for (const [, error] of errors) expect(error).toBeLessThan(1e-8);
    // A wrong output decoder shows in every loss below it: g2's probe comes down through g4 (a
    // weight: a linear decoder's bias cancels in the difference).
    (readoutFeedback as OutputDecoderPathway).decoder.projection.weights[0] += 0.5;
    circuit.step(stimulus(randomBatch(8, 4, 4, 5), { probeDecoders: true, noise: 0.2 }));
    for (const name of ['g2', 'g3', 'g4']) expect(errors.get(name)!).toBeGreaterThan(1e-4);
  });
});

describe('feedback-only passes (training.feedbackEpochs, extraFeedbackEpochs)', () => {
  const examples = (() => {
    const rng = streamState(4, 'test/passes');
    const images = new Float32Array(30 * 6);
    fillNormal(rng, images.length, images);
    return { images, labels: Int32Array.from({ length: 30 }, () => nextInt(rng, 3)), count: 30, features: 6 };
  })();

  it('run before the first epoch and after every epoch, training decoders only', async () => {
    const circuit = smallCircuit(smallModel([6, 5, 5, 3], 'tanh'), { name: 'dtp', topStep: 0.1, noise: 0.1 }, {
      forward: { name: 'sgd', lr: 0.1 },
      feedback: { name: 'sgd', lr: 0.1 },
    });
    const w1 = circuit.network.populations[0].projection.weights;
    const v3 = (circuit.network.feedback[2] as DecoderPathway).projection.weights;
    const before = { w1: Float32Array.from(w1), v3: Float32Array.from(v3) };
    const events = await lastValueFrom(
      train(circuit, { train: examples }, { epochs: 2, batchSize: 10, schedule: 'parallel', shuffle: true, evalBatchSize: 10, feedbackEpochs: 2, extraFeedbackEpochs: 1 }).pipe(
        filter((e): e is Extract<TrainerEvent, { kind: 'progress' }> => e.kind === 'progress'),
        toArray(),
      ),
    );
    // During the two pre-training passes (6 steps) the forward weights stay, the decoders learn.
    const phases = events.map((e) => `${e.epoch}:${e.phase}`);
    expect(phases).toEqual([
      ...Array(6).fill('1:decoders'),
      ...Array(3).fill('1:forward'),
      ...Array(3).fill('1:decoders'),
      ...Array(3).fill('2:forward'),
      ...Array(3).fill('2:decoders'),
    ]);
    expect(Array.from(v3)).not.toEqual(Array.from(before.v3));
    expect(Array.from(w1)).not.toEqual(Array.from(before.w1));
  });

  it('leave the forward weights alone: with no forward epoch’s worth of steps, only decoders change', async () => {
    const circuit = smallCircuit(smallModel([6, 5, 5, 3], 'tanh'), { name: 'dtp', topStep: 0.1, noise: 0.1 }, {
      forward: { name: 'sgd', lr: 0.1 },
      feedback: { name: 'sgd', lr: 0.1 },
    });
    const w1 = Float32Array.from(circuit.network.populations[0].projection.weights);
    const v3 = Float32Array.from((circuit.network.feedback[2] as DecoderPathway).projection.weights);
    const events$ = train(circuit, { train: examples }, { epochs: 1, batchSize: 10, schedule: 'parallel', shuffle: false, evalBatchSize: 10, feedbackEpochs: 3 });
    await new Promise<void>((resolve) => {
      let done = 0;
      const sub = events$.subscribe((e) => {
        if (e.kind === 'progress' && ++done === 9) {
          sub.unsubscribe();
          resolve();
        }
      });
    });
    expect(Array.from(circuit.network.populations[0].projection.weights)).toEqual(Array.from(w1));
    expect(Array.from((circuit.network.feedback[2] as DecoderPathway).projection.weights)).not.toEqual(Array.from(v3));
  });

  it('add to the alternating schedule’s own decoder phase: each decoder probed on 1 + W passes in epoch 1, one pass later', async () => {
    const sgd = { name: 'sgd', lr: 0.05 } as const;
    const circuit = smallCircuit(smallModel([6, 5, 4, 3], 'tanh'), { name: 'dtp', topStep: 0.5, noise: 0.1 }, { forward: sgd, feedback: sgd });
    const probes = new Map<number, number>();
    let epoch = 1;
    const counting = circuit.reconstruction$.subscribe(({ pathway }) => pathway === 'g2' && probes.set(epoch, (probes.get(epoch) ?? 0) + 1));
    const plan = { epochs: 2, batchSize: 10, schedule: 'alternating', shuffle: false, evalBatchSize: 30, feedbackEpochs: 2 } as const;
    await lastValueFrom(train(circuit, { train: examples }, plan).pipe(tap((e) => e.kind === 'epoch' && epoch++)));
    counting.unsubscribe();
    expect([...probes]).toEqual([[1, 3 * 3], [2, 3]]);
  });

  /** An experiment file on a small network with `rule`, `training` extras and optimisers, written to tmp. */
  const experimentFile = (name: string, rule: Record<string, unknown>, training: Record<string, unknown>, feedback: boolean): string => {
    const file = path.join(tmp, `${name}.json`);
    const adam = { name: 'adam', lr: 0.001 };
    const optimizer = feedback ? { forward: adam, feedback: adam } : { forward: adam };
    fs.writeFileSync(file, JSON.stringify({ name, model: smallModel([6, 5, 3], 'tanh'), rule, training: { epochs: 1, batchSize: 10, ...training }, optimizer }));
    return file;
  };

  it('are refused, with one line naming the field, for a rule without learned feedback', () => {
    const file = experimentFile('bp-passes', { name: 'bp' }, { feedbackEpochs: 2 }, false);
    expect(() => loadExperiment(file)).toThrow(/\/training\/feedbackEpochs trains feedback pathways alone; rule bp has none that learn/);
  });

  it('and `top` is refused for rules whose top target has no such choice', () => {
    const file = experimentFile('ddtp-top', { name: 'ddtp-linear', topStep: 0.1, noise: 0.1, top: 'output-decoder' }, {}, true);
    expect(() => loadExperiment(file)).toThrow(/ddtp-top\.json: \/rule\/top is read only by rules dtp and drl; rule ddtp-linear forms its top target its own way/);
  });
});

describe('input standardisation (data.normalize)', () => {
  it('maps every input x to (x − mean)/std', () => {
    const split = (values: number[], name: string): Dataset => ({ images: Float32Array.from(values), labels: Int32Array.from([0, 1]), count: 2, features: values.length / 2, classes: 2, name });
    const splits = normalizeSplits({ train: split([0, 0.5, 1, 0.25], 'train'), valid: split([1, 1], 'valid'), test: split([0, 0], 'test'), trainingFileCount: 4 }, { mean: 0.25, std: 0.5 });
    expect(Array.from(splits.train.images)).toEqual([-0.5, 0.5, 1.5, 0]);
    expect(Array.from(splits.valid.images)).toEqual([1.5, 1.5]);
    expect(Array.from(splits.test.images)).toEqual([-0.5, -0.5]);
  });

  it('with MNIST’s pixel statistics (0.1307, 0.3081; torchvision’s Normalize in their code) gives its training pixels mean ≈ 0, sd ≈ 1', () => {
    const { train: t } = loadData({ source: 'mnist', dir: null, validation: 0, trainLimit: null, normalize: { mean: 0.1307, std: 0.3081 } });
    let sum = 0;
    let squares = 0;
    for (const x of t.images) {
      sum += x;
      squares += x * x;
    }
    const mean = sum / t.images.length;
    expect(t.count).toBe(60000);
    expect(Math.abs(mean)).toBeLessThan(1e-3);
    expect(Math.sqrt(squares / t.images.length - mean * mean)).toBeCloseTo(1, 3);
  });
});

describe('a validation split drawn at random (data.validationPick "random"; their torch.utils.data.random_split)', () => {
  /** Ten examples whose one feature is their index (values 0, 10, 20, … over divisor 10) and whose label is index mod 3. */
  const ten: Examples = { name: 'ten', file: 'ten.npy', values: Uint8Array.from({ length: 10 }, (_, i) => 10 * i), labels: Uint8Array.from({ length: 10 }, (_, i) => i % 3), features: 1, classes: 3, divisor: 10 };
  const indices = (d: Dataset): number[] => Array.from(d.images, (x) => Math.round(x));

  it('holds out the last `validation` examples of a Fisher–Yates permutation on stream "data/validation", both splits in file order', () => {
    // The permutation by hand: swap i with a uniform j ≤ i, from the end.
    const order = Array.from({ length: 10 }, (_, i) => i);
    const rng = streamState(42, 'data/validation');
    for (let i = 9; i > 0; i--) {
      const j = nextInt(rng, i + 1);
      [order[i], order[j]] = [order[j], order[i]];
    }
    const expectedValid = order.slice(7).sort((a, b) => a - b);
    const expectedTrain = order.slice(0, 7).sort((a, b) => a - b);
    const { train, valid } = splitTraining('ten', ten, { validation: 3, validationSeed: 42 });
    expect(indices(valid)).toEqual(expectedValid);
    expect(indices(train)).toEqual(expectedTrain);
    expect(Array.from(valid.labels)).toEqual(expectedValid.map((i) => i % 3));
    expect(Array.from(train.labels)).toEqual(expectedTrain.map((i) => i % 3));
    expect(expectedValid).not.toEqual([7, 8, 9]);
    // trainLimit keeps the first of the training split, in file order.
    expect(indices(splitTraining('ten', ten, { validation: 3, validationSeed: 42, trainLimit: 4 }).train)).toEqual(expectedTrain.slice(0, 4));
    // Without a seed: the file's last examples, as before.
    expect(indices(splitTraining('ten', ten, { validation: 3 }).valid)).toEqual([7, 8, 9]);
  });

  it('gives every example the same chance to validate (3 of 10: 0.3 each over 2,000 seeds, within 4 standard errors)', () => {
    const counts = new Array(10).fill(0);
    for (let seed = 1; seed <= 2000; seed++) for (const i of indices(splitTraining('ten', ten, { validation: 3, validationSeed: seed }).valid)) counts[i]++;
    const sd = Math.sqrt((0.3 * 0.7) / 2000);
    for (const count of counts) expect(Math.abs(count / 2000 - 0.3)).toBeLessThan(4 * sd);
  });

  it('is drawn under the run’s seed (the file’s or --seed), splits MNIST 55,000 / 5,000 with every image once, and is refused where it cannot apply', () => {
    const adam = { name: 'adam', lr: 0.001 };
    const write = (name: string, data: Record<string, unknown>, rule: Record<string, unknown> = { name: 'bp' }): string => {
      const file = path.join(tmp, `${name}.json`);
      const optimizer = rule.name === 'bp' ? { forward: adam } : { forward: adam, feedback: adam };
      fs.writeFileSync(file, JSON.stringify({ name, model: smallModel([784, 5, 10], 'tanh'), data, rule, training: { epochs: 1, batchSize: 10, seed: 3 }, optimizer }));
      return file;
    };
    const random = write('pick-random', { source: 'mnist', validation: 5000, validationPick: 'random' });
    expect(loadExperiment(random).data).toMatchObject({ validation: 5000, validationSeed: 3 });
    expect(loadExperiment(random, { seed: 7 }).data).toMatchObject({ validationSeed: 7 });
    expect(loadExperiment(write('pick-last', { source: 'mnist', validation: 5000, validationPick: 'last' })).data).not.toHaveProperty('validationSeed');
    expect(() => loadExperiment(write('pick-bad', { source: 'mnist', validationPick: 'first' }))).toThrow(/pick-bad\.json: \/data\/validationPick/);
    expect(() => loadExperiment(write('pick-task', { source: 'task', task: 'adding', minLength: 5, maxLength: 5, validationPick: 'random' }))).toThrow(/\/data\/validationPick is not read by "source": "task"/);
    const side = write('pick-side', { source: 'mnist', validationPick: 'random', side: { file: 'side.npy' } }, { name: 'conditional', noise: 0.1 });
    expect(() => loadExperiment(side)).toThrow(/\/data\/side\/file has one row per image of the training file.*\/data\/validationPick "random" trains on others/);

    const { train, valid } = loadData({ source: 'mnist', dir: null, validation: 5000, trainLimit: null, validationSeed: 3 });
    const last = loadData({ source: 'mnist', dir: null, validation: 5000, trainLimit: null });
    expect([train.count, valid.count]).toEqual([55000, 5000]);
    const histogram = (...ds: Dataset[]): number[] => {
      const h = new Array(10).fill(0);
      for (const d of ds) for (const y of d.labels) h[y]++;
      return h;
    };
    expect(histogram(train, valid)).toEqual(histogram(last.train, last.valid));
    expect(Array.from(valid.labels)).not.toEqual(Array.from(last.valid.labels));
  });
});

describe('Adam and loss scale', () => {
  /** The parameters after `steps` Adam steps on gradients scale·g_t (and the spec's l2), g_t fixed pseudo-random. */
  const run = (spec: OptimizerSpec, scale: number, steps = 20): Float32Array => {
    const param = Float32Array.from([0.3, -0.2, 0.05, 1.1]);
    const optimizer = createOptimizer(spec, param);
    const rng = streamState(9, 'test/adam');
    for (let t = 0; t < steps; t++) {
      const g = new Float32Array(4);
      fillNormal(rng, 4, g);
      for (let i = 0; i < 4; i++) g[i] *= 1e-4 * scale;
      optimizer.step(g);
    }
    return param;
  };

  it('l2 adds λ₂·p to the gradient before the step (torch.optim.Adam’s weight_decay); correctedEpsilon puts ε on √v̂: the first step, analytically', () => {
    const lr = 0.01;
    const firstStep = (spec: Partial<OptimizerSpec>): number[] => {
      const param = Float32Array.from([0.5, -2]);
      createOptimizer({ name: 'adam', lr, l2: 0.1, epsilon: 1e-3, ...spec } as OptimizerSpec, param).step(Float32Array.from([0.02, 0.3]));
      return Array.from(param);
    };
    // Step 1, g' = g + λ₂p: m = (1−β₁)g', v = (1−β₂)g'², m̂ = g', v̂ = g'².
    const expected = (epsilon: (gp: number) => number): number[] =>
      [0.5, -2].map((p, i) => {
        const gp = [0.02, 0.3][i] + 0.1 * p;
        return p - (lr * gp) / (Math.abs(gp) + epsilon(gp));
      });
    // Algorithm 1 (torch): p − lr·m̂/(√v̂ + ε).
    firstStep({ correctedEpsilon: true }).forEach((p, i) => expect(p).toBeCloseTo(expected(() => 1e-3)[i], 6));
    // The ε̂ form: p − lr·√(1−β₂)/(1−β₁)·m/(√v + ε) = p − lr·g'/(|g'| + ε/√(1−β₂)).
    firstStep({}).forEach((p, i) => expect(p).toBeCloseTo(expected(() => 1e-3 / Math.sqrt(0.001))[i], 6));
  });

  it('with a loss scaled by c and ε is Adam with ε/c and the L2 weight λ₂/c (how the experiment files carry their 1/σ² scaling)', () => {
    const c = 0.4742889508169892;
    const eps = 2.838e-4;
    const l2 = 0.01;
    const theirs = run({ name: 'adam', lr: 1e-3, beta1: 0.999, epsilon: eps, l2 }, c);
    const ours = run({ name: 'adam', lr: 1e-3, beta1: 0.999, epsilon: eps / c, l2: l2 / c }, 1);
    const unscaled = run({ name: 'adam', lr: 1e-3, beta1: 0.999, epsilon: eps, l2 }, 1);
    for (let i = 0; i < 4; i++) expect(ours[i]).toBeCloseTo(theirs[i], 6);
    // The scale matters when ε is comparable with the gradients: ignoring it moves the parameters.
    expect(Math.max(...Array.from(unscaled, (x, i) => Math.abs(x - theirs[i])))).toBeGreaterThan(1e-5);
  });
});
