/**
 * Experiment files: what to train (a model spec), how (a rule, an optimiser, a schedule) and on what
 * (data), with every default filled in, so that config.json in a run directory says exactly what ran.
 *
 * Any fault in a file becomes a ConfigError whose one-line message names the file, the JSON path of
 * the field and what was expected, e.g.
 *   experiments/x.json: /training/epochs must be integer
 */
import Ajv, { ErrorObject } from 'ajv';
import * as fs from 'fs';
import * as path from 'path';
import { SideSpec } from '../data/side-information';
import { DataOverrides, resolveData } from './data';
import { expandLayers, ModelSpec } from '../network/spec';
import { OptimizerSpec } from '../optim/optimizer';
import { createRule, RuleSpec } from '../rules';
import { experimentSchema, modelSchema } from './schema';
import { ConfigError } from './config-error';
import { applySetting } from './settings';
import type { Experiment } from './experiment-shape';
import { asExperiment, resolveSpikingDtpExperiment } from './spiking-dtp';

export { asConfigError, ConfigError } from './config-error';

export type { Experiment } from './experiment-shape';

/** Command-line overrides of an experiment's settings. */
export interface Overrides extends DataOverrides {
  readonly epochs?: number;
  readonly seed?: number;
  readonly checkpointEvery?: number;
  /**
   * Settings over the file's, each "a.b.c=value" (value as JSON, else a string), applied before the
   * file is checked: `--set optimizer.forward.lr=3e-4` for a learning-rate search over many files.
   * The value null removes the field (`--set lesion=null`: the same run without its lesion).
   */
  readonly set?: readonly string[];
}

const ajv = new Ajv({ allErrors: false, strict: true, strictTypes: false });
const validateExperiment = ajv.compile(experimentSchema);
const validateModel = ajv.compile(modelSchema);

/** One line for the first schema violation. */
function describe(file: string, error: ErrorObject | undefined): string {
  if (!error) return `${file}: does not match the schema`;
  const where = error.instancePath || '/';
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'additionalProperties') return `${file}: ${where} has an unknown field "${params.additionalProperty}"`;
  if (error.keyword === 'false schema') return `${file}: ${where} is not allowed here`;
  if (error.keyword === 'enum') return `${file}: ${where} must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
  return `${file}: ${where} ${error.message}`;
}

function readJson(file: string, what: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(`${file}: cannot read ${what} (${code === 'ENOENT' ? 'no such file' : code})`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${file}: not valid JSON (${(error as Error).message})`);
  }
}

/** Reads and checks a model spec file. */
export function loadModel(file: string): ModelSpec {
  const json = readJson(file, 'the model spec');
  if (!validateModel(json)) throw new ConfigError(describe(file, validateModel.errors?.[0]));
  return json as unknown as ModelSpec;
}

/** The experiment file's JSON with `settings` ("a.b.c=value", as --set takes them) applied, unchecked. */
export function experimentJson(file: string, settings: readonly string[] = []): unknown {
  const json = readJson(file, 'the experiment');
  for (const setting of settings) applySetting(json, setting, file);
  return json;
}

/** Reads, checks and resolves an experiment file (model inlined, defaults filled, overrides applied). */
export function loadExperiment(file: string, overrides: Overrides = {}): Experiment {
  const json = experimentJson(file, overrides.set);
  if ((json as { kind?: unknown } | null)?.kind === 'spiking-dtp') return asExperiment(resolveSpikingDtpExperiment(file, json, overrides));
  return resolveExperiment(json, file, overrides);
}

/**
 * Checks and resolves the experiment `json` as if read from `file` (a model named by path, and the
 * data files, are found from its folder; `overrides.set` is not applied again).
 */
export function resolveExperiment(json: unknown, file: string, overrides: Overrides = {}): Experiment {
  if (!validateExperiment(json)) throw new ConfigError(describe(file, validateExperiment.errors?.[0]));
  const raw = json as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

  let model: ModelSpec;
  if (typeof raw.model === 'string') {
    model = loadModel(path.resolve(path.dirname(file), raw.model));
  } else {
    if (!validateModel(raw.model)) throw new ConfigError(describe(file, prefix(validateModel.errors?.[0], '/model')));
    model = raw.model as ModelSpec;
  }
  const rule = raw.rule as RuleSpec;
  const feedback = (raw.optimizer.feedback as OptimizerSpec | undefined) ?? null;
  if (createRule(rule).uses.learnedFeedback && !feedback) {
    throw new ConfigError(`${file}: /optimizer needs a "feedback" optimiser: rule ${rule.name} learns its feedback pathways`);
  }
  const data = raw.data ?? {};
  if (data.side && !createRule(rule).uses.sideInformation) {
    throw new ConfigError(`${file}: /data/side is read only by rules with side information in their feedback (conditional); rule ${rule.name} has none`);
  }
  const side: SideSpec | undefined = data.side?.file ? { file: path.resolve(path.dirname(file), data.side.file) } : data.side;
  if (data.side?.file && data.validationPick === 'random') {
    throw new ConfigError(`${file}: /data/side/file has one row per image of the training file, matched to the first ones it trains on; /data/validationPick "random" trains on others (use "last")`);
  }
  if ('top' in rule && rule.top !== undefined && rule.name !== 'dtp' && rule.name !== 'drl') {
    throw new ConfigError(`${file}: /rule/top is read only by rules dtp and drl; rule ${rule.name} forms its top target its own way`);
  }
  const training = raw.training;
  const feedbackPasses = (['feedbackEpochs', 'extraFeedbackEpochs'] as const).filter((field) => training[field] !== undefined);
  if (feedbackPasses.length > 0 && !createRule(rule).uses.learnedFeedback) {
    throw new ConfigError(`${file}: /training/${feedbackPasses[0]} trains feedback pathways alone; rule ${rule.name} has none that learn`);
  }
  const hiddenLayers = expandLayers(model).length - 1;
  if (rule.name === 'tptt' && rule.inputWeights === 'bptt' && hiddenLayers > 1) {
    throw new ConfigError(`${file}: /rule/inputWeights "bptt" needs the loss gradient at the recurrent population's last state: it must be the only hidden layer (model "${model.name}" has ${hiddenLayers})`);
  }
  if (training.missingView && createRule(rule).feedback !== 'decoder') {
    throw new ConfigError(`${file}: /training/missingView fills the missing view in with a learned input decoder; rule ${rule.name} learns none (use dtp, ddtp, ...)`);
  }
  if (training.missingView && model.layers[0].recurrent) {
    throw new ConfigError(`${file}: /training/missingView needs a feed-forward first layer (its decoder g1 reconstructs the input); model "${model.name}" is recurrent`);
  }
  const seed: number = overrides.seed ?? training.seed ?? 1;
  const batchSize: number = training.batchSize;
  const evalBatchSize: number = training.evalBatchSize ?? 1000;
  const shuffle: boolean = training.shuffle ?? false;
  return {
    name: raw.name,
    description: raw.description ?? '',
    file,
    model,
    data: { ...resolveData(data, file, overrides, { seed, batchSize, evalBatchSize, shuffle }), ...(side ? { side } : {}) },
    rule,
    training: {
      epochs: overrides.epochs ?? training.epochs,
      batchSize,
      schedule: training.schedule ?? 'alternating',
      shuffle,
      seed,
      evalBatchSize,
      frozen: training.frozen ?? [],
      ...(training.inputNoise ? { inputNoise: training.inputNoise } : {}),
      ...(training.missingView ? { missingView: { fillSteps: 1, trainOn: 'both', ...training.missingView } } : {}),
      evaluation: { samples: training.evaluation?.samples ?? 1, every: training.evaluation?.every ?? 1 },
      continuousTraining: training.continuousTraining ?? false,
      checkpointEvery: overrides.checkpointEvery ?? training.checkpointEvery ?? null,
      ...(training.patience !== undefined ? { patience: training.patience } : {}),
      ...(training.stopAt !== undefined ? { stopAt: training.stopAt } : {}),
      ...(training.lrDecay !== undefined ? { lrDecay: training.lrDecay } : {}),
      ...Object.fromEntries(feedbackPasses.map((field) => [field, training[field]])),
    },
    optimizer: { forward: raw.optimizer.forward, feedback },
    record: raw.record ?? null,
    lesion: raw.lesion ?? null,
    metrics: { alignmentEvery: raw.metrics?.alignmentEvery ?? null },
  };
}

function prefix(error: ErrorObject | undefined, at: string): ErrorObject | undefined {
  return error && { ...error, instancePath: at + error.instancePath };
}
