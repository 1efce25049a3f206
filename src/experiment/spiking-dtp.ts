/**
 * Spiking DTP experiment files (`"kind": "spiking-dtp"`, e.g. experiments/mnist-spiking-dtp.json):
 * a layered spiking network (src/network/spiking-network.ts) trained on MNIST by difference target
 * propagation with top-down currents (src/rules/spiking-dtp.ts). Times and rates carry units;
 * `network.encoder` is a rate-to-spike model file (poisson.json, regular.json) or "current" (the
 * input as rate-coded currents, src/network/spiking-network.ts).
 * Faults become one-line ConfigErrors naming the file and field.
 *
 * Such a file is read in its own format and then said in the one experiment shape every learning
 * run takes (`asExperiment`): a model whose hidden populations spike (network/spec.ts, SpikingSpec)
 * and whose input and class count are the data's, the rule `spiking-dtp`, one step per minibatch
 * (schedule "parallel"), and the recorded trial (record.trial) — so it runs through the same
 * builder, circuit and trainer as any rate experiment.
 */
import Ajv from 'ajv';
import * as fs from 'fs';
import * as path from 'path';
import { Experiment } from './experiment-shape';
import { ConfigError } from './config-error';
import { loadNeuronModel } from './spiking';
import { parameterQuantity, siValue } from '../equations/dimensions';
import { ModelSpec } from '../equations/model';
import { defaultNeuronRoles, NeuronRoles } from '../network/neuron-roles';
import { lesionSchema, LesionSpec } from './lesion';
import { metricsSchema, optimizerSchema, trainingSchema, withOnly } from './schema';
import { recordSchema, RecordSpec } from '../record/spec';
import { OptimizerSpec } from '../optim/optimizer';

export interface SpikingDtpExperiment {
  readonly kind: 'spiking-dtp';
  readonly name: string;
  readonly description: string;
  readonly file: string;
  readonly dt: string;
  /** Uncounted start of each phase, and the counted window after it. */
  readonly settle: string;
  readonly count: string;
  readonly network: {
    readonly layers: readonly number[];
    readonly neuron: ModelSpec;
    readonly encoder: ModelSpec | null;
    readonly inputRate: string;
    readonly maxRate: string;
    /** The neuron model's names for the roles the network needs (network/neuron-roles.ts), when not lif-apical's. */
    readonly roles?: NeuronRoles;
  };
  readonly rule: { readonly topStep: number; readonly apicalGain: number; readonly initScale: number; readonly initBias: number; readonly targetPhases: 'joint' | 'per-layer'; readonly lrDecay: number };
  readonly data: { readonly dir: string | null; readonly validation: number; readonly trainLimit: number | null; readonly testLimit: number | null };
  readonly training: { readonly epochs: number; readonly batchSize: number; readonly seed: number; readonly shuffle: boolean };
  readonly optimizer: { readonly forward: OptimizerSpec; readonly feedback: OptimizerSpec; readonly readout: OptimizerSpec };
  /** How many neurons per layer to trace in the recorded trial, and the rate recorders switched on (record/spec.ts). */
  readonly record: { readonly traces: number } & Pick<RecordSpec, 'activity' | 'weights'>;
  /** Alignment metrics every N learning steps (metrics/alignment.ts); null: off. */
  readonly metrics: { readonly alignmentEvery: number | null };
  /** A decoder pathway silenced from some epoch on (lesion.ts; only "silence": the decoders have no projection to freeze or redraw). */
  readonly lesion?: LesionSpec;
}

const schema = {
  type: 'object',
  additionalProperties: false,
  required: ['kind', 'name', 'dt', 'settle', 'count', 'network', 'rule', 'training', 'optimizer'],
  properties: {
    kind: { const: 'spiking-dtp' },
    name: { type: 'string' },
    description: { type: 'string' },
    dt: { type: 'string' },
    settle: { type: 'string' },
    count: { type: 'string' },
    network: {
      type: 'object',
      additionalProperties: false,
      required: ['layers', 'neuron', 'encoder', 'inputRate', 'maxRate'],
      properties: {
        layers: { type: 'array', minItems: 1, items: { type: 'integer', minimum: 1 } },
        neuron: { type: 'string' },
        encoder: { type: 'string' },
        inputRate: { type: 'string' },
        maxRate: { type: 'string' },
        roles: {
          type: 'object',
          additionalProperties: false,
          properties: Object.fromEntries(['threshold', 'rest', 'synapseTau', 'membrane', 'synapse', 'basal', 'apical'].map((role) => [role, { type: 'string' }])),
        },
      },
    },
    rule: {
      type: 'object',
      additionalProperties: false,
      required: ['topStep', 'apicalGain'],
      properties: {
        topStep: { type: 'number', exclusiveMinimum: 0 },
        apicalGain: { type: 'number', exclusiveMinimum: 0 },
        initScale: { type: 'number', exclusiveMinimum: 0 },
        initBias: { type: 'number' },
        targetPhases: { enum: ['joint', 'per-layer'] },
        lrDecay: { type: 'number', exclusiveMinimum: 0, maximum: 1 },
      },
    },
    data: {
      type: 'object',
      additionalProperties: false,
      properties: {
        source: { const: 'mnist' },
        dir: { type: 'string' },
        validation: { type: 'integer', minimum: 0 },
        trainLimit: { type: 'integer', minimum: 1 },
        testLimit: { type: 'integer', minimum: 1 },
      },
    },
    training: withOnly(trainingSchema, ['epochs', 'batchSize', 'seed', 'shuffle']),
    optimizer: {
      type: 'object',
      additionalProperties: false,
      required: ['forward', 'feedback', 'readout'],
      properties: { forward: optimizerSchema, feedback: optimizerSchema, readout: optimizerSchema },
    },
    record: { type: 'object', additionalProperties: false, properties: { traces: { type: 'integer', minimum: 0 }, ...withOnly(recordSchema, ['activity', 'weights']).properties } },
    metrics: metricsSchema,
    lesion: { ...lesionSchema, properties: { ...lesionSchema.properties, mode: { const: 'silence' } } },
  },
} as const;

const validate = new Ajv({ allErrors: false, strict: true, strictTypes: false }).compile(schema);

export interface SpikingDtpOverrides {
  readonly epochs?: number;
  readonly seed?: number;
  readonly dataDir?: string;
  readonly trainLimit?: number;
}

/** Rule settings a file may leave out. */
export const ruleDefaults = { initScale: 1.5, initBias: 0.8, targetPhases: 'joint', lrDecay: 1 } as const;

/** Reads, checks and resolves a spiking DTP experiment (models inlined, defaults filled). */
export function loadSpikingDtpExperiment(file: string, overrides: SpikingDtpOverrides = {}): SpikingDtpExperiment {
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError(`${file}: cannot read the experiment (${(error as Error).message.split('\n')[0]})`);
  }
  return resolveSpikingDtpExperiment(file, json, overrides);
}

/** Checks and resolves the JSON `json` of the spiking DTP experiment file `file`. */
export function resolveSpikingDtpExperiment(file: string, json: unknown, overrides: SpikingDtpOverrides = {}): SpikingDtpExperiment {
  if (!validate(json)) {
    const e = validate.errors?.[0];
    const params = (e?.params ?? {}) as Record<string, unknown>;
    const where = e?.instancePath || '/';
    throw new ConfigError(
      e?.keyword === 'additionalProperties' ? `${file}: ${where} has an unknown field "${params.additionalProperty}"` : `${file}: ${where} ${e?.message ?? 'does not match the schema'}`,
    );
  }
  const raw = json as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  const model = (name: string): ModelSpec => loadNeuronModel(path.resolve(path.dirname(file), name));
  const data = raw.data ?? {};
  return {
    kind: 'spiking-dtp',
    name: raw.name,
    description: raw.description ?? '',
    file,
    dt: raw.dt,
    settle: raw.settle,
    count: raw.count,
    network: {
      ...raw.network,
      neuron: model(raw.network.neuron),
      encoder: raw.network.encoder === 'current' ? null : model(raw.network.encoder),
      ...(raw.network.roles ? { roles: { ...defaultNeuronRoles, ...raw.network.roles } } : {}),
    },
    rule: { ...ruleDefaults, ...raw.rule },
    data: { dir: overrides.dataDir ?? data.dir ?? null, validation: data.validation ?? 10000, trainLimit: overrides.trainLimit ?? data.trainLimit ?? null, testLimit: data.testLimit ?? null },
    training: {
      epochs: overrides.epochs ?? raw.training.epochs,
      batchSize: raw.training.batchSize,
      seed: overrides.seed ?? raw.training.seed ?? 1,
      shuffle: raw.training.shuffle ?? true,
    },
    optimizer: raw.optimizer,
    record: { ...raw.record, traces: raw.record?.traces ?? 5 },
    metrics: { alignmentEvery: raw.metrics?.alignmentEvery ?? null },
    ...(raw.lesion ? { lesion: raw.lesion } : {}),
  };
}

const si = (text: string, what: string): number => siValue(parameterQuantity(text, new Map(), what));

/** A spiking DTP experiment in the one experiment shape the builder takes (see the file's comment). */
export function asExperiment(e: SpikingDtpExperiment): Experiment {
  const where = e.file;
  const dt = si(e.dt, `${where}, dt`);
  const steps = (text: string, field: string): number => Math.round(si(text, `${where}, ${field}`) / dt);
  const zeros = { name: 'zeros' } as const;
  return {
    name: e.name,
    description: e.description,
    file: e.file,
    model: {
      name: `${e.name}-network`,
      input: 0,
      sizesFromData: true,
      layers: [...e.network.layers.map((size) => ({ size, units: 'spike-count rate', init: zeros })), { size: 0, units: 'softmax', init: zeros }],
      feedback: { units: 'sigmoid', init: zeros },
      spiking: {
        dt,
        settleSteps: steps(e.settle, 'settle'),
        countSteps: steps(e.count, 'count'),
        neuron: e.network.neuron,
        ...(e.network.roles ? { roles: e.network.roles } : {}),
        encoder: e.network.encoder,
        inputRate: si(e.network.inputRate, `${where}, network.inputRate`),
        maxRate: si(e.network.maxRate, `${where}, network.maxRate`),
        apicalGain: e.rule.apicalGain,
        targetPhases: e.rule.targetPhases,
        init: { stream: 'spiking-dtp/init', scale: e.rule.initScale, bias: e.rule.initBias },
      },
    },
    data: { source: 'mnist', dir: e.data.dir, validation: e.data.validation, trainLimit: e.data.trainLimit, ...(e.data.testLimit !== null ? { testLimit: e.data.testLimit } : {}) },
    rule: { name: 'spiking-dtp', topStep: e.rule.topStep },
    training: {
      epochs: e.training.epochs,
      batchSize: e.training.batchSize,
      schedule: 'parallel',
      shuffle: e.training.shuffle,
      seed: e.training.seed,
      evalBatchSize: e.training.batchSize,
      frozen: [],
      evaluation: { samples: 1, every: 1 },
      continuousTraining: false,
      checkpointEvery: 1,
      ...(e.rule.lrDecay !== 1 ? { lrDecay: e.rule.lrDecay } : {}),
      shuffleStream: 'spiking-dtp/shuffle',
    },
    optimizer: { forward: e.optimizer.forward, feedback: e.optimizer.feedback, readout: e.optimizer.readout },
    record: { ...(e.record.activity ? { activity: e.record.activity } : {}), ...(e.record.weights ? { weights: e.record.weights } : {}), trial: { traces: e.record.traces } },
    lesion: e.lesion ?? null,
    metrics: { alignmentEvery: e.metrics?.alignmentEvery ?? null },
  };
}
