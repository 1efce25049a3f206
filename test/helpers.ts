/** Small circuits and synthetic data for tests. */
import { spawnSync, SpawnSyncReturns } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DataError } from '../src/data/data-error';
import { Circuit } from '../src/engine/circuit';
import { Stimulus } from '../src/engine/events';
import { buildCircuit, sizedFromData } from '../src/experiment/build';
import { asExperiment, loadSpikingDtpExperiment, SpikingDtpExperiment } from '../src/experiment/spiking-dtp';
import { streamState, fillNormal, nextInt } from '../src/kernels/random';
import { Network } from '../src/network/network';
import { SideChannel } from '../src/network/top-decoder';
import { ModelSpec } from '../src/network/spec';
import { OptimizerSpec } from '../src/optim/optimizer';
import { createRule, Rule, RuleSpec } from '../src/rules';

export function smallModel(sizes: number[], units: string, feedbackUnits = 'tanh'): ModelSpec {
  return {
    name: 'small',
    input: sizes[0],
    layers: [
      ...sizes.slice(1, -1).map((size) => ({ size, units })),
      { size: sizes[sizes.length - 1], units: 'softmax' },
    ],
    init: { name: 'orthogonal' },
    feedback: { units: feedbackUnits },
  };
}

export function smallCircuit(
  model: ModelSpec,
  ruleSpec: RuleSpec | Rule,
  options: { seed?: number; maxRows?: number; maxSteps?: number; forward?: OptimizerSpec; feedback?: OptimizerSpec; side?: SideChannel; inputDecoder?: boolean; missingView?: { start: number; end: number } } = {},
): Circuit {
  const rule = 'receive' in ruleSpec ? ruleSpec : createRule(ruleSpec);
  const seed = options.seed ?? 7;
  const network = new Network(model, {
    seed,
    maxRows: options.maxRows ?? 64,
    feedback: rule.feedback,
    readoutFeedback: rule.readoutFeedback,
    side: options.side,
    maxSteps: options.maxSteps,
    temporalFeedback: rule.temporalFeedback,
    decoderCentre: rule.decoderCentre,
    auxiliaryFeatures: rule.auxiliaryFeatures,
    inputDecoder: options.inputDecoder,
    missingView: options.missingView,
  });
  for (const p of network.populations) p.projection.setOptimizer(options.forward ?? { name: 'sgd', lr: 0 });
  const still = { name: 'sgd', lr: 0 } as const;
  const optimizers = { forward: options.forward ?? still, feedback: options.feedback ?? still, frozen: () => ({ weights: false, bias: false }) };
  for (const p of network.pathways()) p.setOptimizers?.(optimizers);
  return new Circuit(network, rule);
}

/** A Gaussian minibatch with random labels. */
export function randomBatch(rows: number, features: number, classes: number, seed = 3): { input: Float32Array; labels: Int32Array } {
  const rng = streamState(seed, 'test/batch');
  const input = new Float32Array(rows * features);
  fillNormal(rng, input.length, input);
  const labels = Int32Array.from({ length: rows }, () => nextInt(rng, classes));
  return { input, labels };
}

export function stimulus(batch: { input: Float32Array; labels: Int32Array }, flags: Partial<Stimulus> = {}): Stimulus {
  return {
    step: 0,
    rows: batch.labels.length,
    input: batch.input,
    labels: batch.labels,
    learnForward: false,
    probeDecoders: false,
    noise: 0,
    ...flags,
  };
}

/** Mean cross-entropy of the circuit on `batch`, without learning. */
export function meanLoss(circuit: Circuit, batch: { input: Float32Array; labels: Int32Array }): number {
  let loss = NaN;
  const sub = circuit.outcome$.subscribe((o) => (loss = o.loss / o.stimulus.rows));
  circuit.step(stimulus(batch));
  sub.unsubscribe();
  return loss;
}

/**
 * Checks every weight and bias gradient the circuit's last learning step left (lr = 0: the weights
 * unchanged) against central finite differences of `loss`; returns how many were checked.
 */
export function expectFiniteDifferenceGradients(circuit: Circuit, loss: () => number): number {
  let checked = 0;
  for (const population of circuit.network.populations) {
    const { projection } = population;
    for (const [param, grad] of [
      [projection.weights, Float32Array.from(projection.weightGrad)],
      [projection.bias, Float32Array.from(projection.biasGrad)],
    ] as const) {
      for (let i = 0; i < param.length; i++) {
        const saved = param[i];
        const eps = 1e-2;
        param[i] = saved + eps;
        const up = loss();
        param[i] = saved - eps;
        const down = loss();
        param[i] = saved;
        const numeric = (up - down) / (2 * eps);
        expect(Math.abs(grad[i] - numeric)).toBeLessThan(5e-4 + 2e-2 * Math.abs(numeric));
        checked++;
      }
    }
  }
  return checked;
}

const timing = new Set(['seconds', 'eval_seconds']);

/** The metrics.jsonl lines of the run folder `dir`, without the fields that time the run. */
export function runMetrics(dir: string): Record<string, unknown>[] {
  return fs
    .readFileSync(path.join(dir, 'metrics.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => Object.fromEntries(Object.entries(JSON.parse(line)).filter(([key]) => !timing.has(key))));
}

/** Runs `fn`, expects a one-line DataError, and checks its message holds every fragment. */
export function expectDataError(fn: () => unknown, ...fragments: (string | RegExp)[]): DataError {
  let err: unknown;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(DataError);
  const e = err as DataError;
  expect(e.name).toBe('DataError');
  expect(e.message).not.toContain('\n');
  for (const f of fragments) expect(e.message).toMatch(f);
  return e;
}

/**
 * The circuit of the committed spiking DTP experiment (experiments/mnist-spiking-dtp.json) as
 * `change` alters it, for data of `shape`.
 */
export function spikingDtpCircuit(change: (e: SpikingDtpExperiment) => SpikingDtpExperiment, shape = { features: 784, classes: 10 }): Circuit {
  const committed = loadSpikingDtpExperiment(path.join(__dirname, '..', 'experiments', 'mnist-spiking-dtp.json'));
  return buildCircuit(sizedFromData(asExperiment(change(committed)), shape));
}

/** One minibatch through a circuit: with `learn`, a training step; without, the trial's phases only (nothing learns). */
export function spikingTrials(circuit: Circuit, input: Float32Array, labels: Int32Array, rows: number, learn = true): void {
  const stimulus: Stimulus = { step: 0, rows, input, labels, learnForward: true, probeDecoders: true, noise: 0 };
  if (learn) circuit.step(stimulus);
  else circuit.stimulus$.next(stimulus);
}

/**
 * Writes a small spiking DTP experiment file `<dir>/<name>.json`: the committed experiment with
 * `layers`, 200 training, 100 validation and 100 test digits, batches of 20, `training` and `extra`
 * over it. Returns its path.
 */
export function spikingDtpFile(dir: string, name: string, layers: number[], training: { epochs: number; seed: number }, extra: Record<string, unknown> = {}): string {
  const root = path.join(__dirname, '..');
  const base = JSON.parse(fs.readFileSync(path.join(root, 'experiments', 'mnist-spiking-dtp.json'), 'utf8'));
  const file = path.join(dir, `${name}.json`);
  const experiment = {
    ...base,
    name,
    network: { ...base.network, layers, neuron: path.join(root, 'models', 'neurons', 'lif-apical.json') },
    data: { source: 'mnist', validation: 100, trainLimit: 200, testLimit: 100 },
    training: { ...training, batchSize: 20 },
    record: { traces: 1 },
    ...extra,
  };
  fs.writeFileSync(file, JSON.stringify(experiment));
  return file;
}

/**
 * An absolute path in text: a "/" that does not follow a path character (so "../tmp/x", "n/a" and
 * "s/epoch" are not) and starts with a folder of this machine's root ("/tmp/x", "`/work/…",
 * "--out=/root/x"; not a JSON pointer such as "/training/frozen").
 */
export const ABSOLUTE_PATH = new RegExp(
  `(?<![\\w.~-])/(${fs.readdirSync('/').map((name) => name.replace(/[^\w]/g, '\\$&')).join('|')})(/|\\b)`,
);

/**
 * An experiment file written to a fresh temporary folder, and `apical run` of it by the built CLI
 * (dist/, as a user types it): run(out, ...flags) writes the run to `out`, resolved in that folder.
 */
export function cliExperiment(prefix: string, experiment: Record<string, unknown>): { tmp: string; file: string; run: (out: string, ...extra: string[]) => SpawnSyncReturns<string> } {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const file = path.join(tmp, `${experiment.name}.json`);
  fs.writeFileSync(file, JSON.stringify(experiment));
  const cli = path.resolve('dist/src/cli/main.js');
  return { tmp, file, run: (out, ...extra) => spawnSync(process.execPath, [cli, 'run', file, '--out', path.resolve(tmp, out), ...extra], { encoding: 'utf8' }) };
}

/** 5-n-…-n-3 (four hidden layers of `width`): sigmoid populations sending Bernoulli samples, decoders reading the samples (Lee et al. 2015's stochastic net). */
export function stochasticNet(width: number): ModelSpec {
  return {
    name: 'stochastic-net',
    input: 5,
    layers: [...[width, width, width, width].map((size) => ({ size, units: 'sigmoid', send: 'sample' })), { size: 3, units: 'softmax' }],
    init: { name: 'orthogonal' },
    feedback: { units: 'tanh', input: 'sample' },
  };
}

/** Writes `base` (an experiment file) with its rule replaced into a fresh folder; returns a writer of one file per rule, named after it. */
export function withRules(base: string, prefix: string): (rule: Record<string, unknown>) => string {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return (rule) => {
    const json = JSON.parse(fs.readFileSync(base, 'utf8'));
    json.rule = rule;
    const out = path.join(tmp, `${rule.name}.json`);
    fs.writeFileSync(out, JSON.stringify(json));
    return out;
  };
}
