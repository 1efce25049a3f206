/**
 * JSON schemas for experiment files (experiments/*.json) and model specs (models/*.json).
 * Checked with ajv; every violation is reported with its JSON path (see load.ts).
 */
import { initNames } from '../network/init';
import { gradientTargetRuleNames, labelTargetRuleNames, plainRuleNames, ruleNames } from '../rules';
import { inputWeightsUpdates, topGradients, topTargets } from '../rules/target-propagation';
import { derivativeNames, units, unitTypeNames } from '../units';
import { recordSchema } from '../record/spec';
import { dataProperties } from './data';
import { lesionSchema } from './lesion';

const hiddenUnitNames = Object.keys(units).filter((name) => !units[name].readout);
/** Rate units: the ones decoders can use (their derivative is fused into the kernels). */
const rateUnitNames = hiddenUnitNames.filter((name) => units[name].activation !== undefined);

/**
 * The rule schema of the gradient-target rules `names`: topStep, topGradient, noise, noiseDecay, top (refused
 * with its own message by rules that do not read it: experiment.ts) and their own options `extra`.
 */
function gradientTargetRule(names: readonly (typeof gradientTargetRuleNames)[number][], extra: Record<string, object>) {
  return {
    if: { properties: { name: { enum: names } } },
    then: {
      additionalProperties: false,
      required: ['topStep', 'noise'],
      properties: {
        name: {},
        topStep: { type: 'number', exclusiveMinimum: 0 },
        topGradient: { enum: topGradients },
        noise: { type: 'number', minimum: 0 },
        noiseDecay: { type: 'number', exclusiveMinimum: 0 },
        top: { enum: topTargets },
        ...extra,
      },
    },
  };
}

/** Options of the rules whose targets pass down a chain of decoders (dtp, drl). */
const decoderChainOptions = { stepGrowth: { type: 'number', exclusiveMinimum: 0 }, stepClip: { type: 'number', exclusiveMinimum: 0 }, project: { type: 'boolean' }, straightThrough: { type: 'boolean' } };

/** A unit: a name, or a name with its derivative and parameters (see src/units). */
const unit = {
  if: { type: 'string' },
  then: { enum: unitTypeNames },
  else: {
    type: 'object',
    additionalProperties: false,
    required: ['name'],
    properties: {
      name: { enum: unitTypeNames },
      derivative: { enum: derivativeNames },
      levels: { type: 'integer', minimum: 2 },
      window: { type: 'number', exclusiveMinimum: 0 },
    },
  },
} as const;

const init = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: {
    name: { enum: initNames },
    gain: { type: 'number', exclusiveMinimum: 0 },
  },
} as const;

/** An optimiser and its settings (optim/optimizer.ts), as every experiment kind writes it. */
export const optimizerSchema = {
  type: 'object',
  required: ['name', 'lr'],
  properties: {
    name: { enum: ['sgd', 'rmsprop', 'adam'] },
    lr: { type: 'number', exclusiveMinimum: 0 },
  },
  allOf: [
    {
      if: { properties: { name: { const: 'sgd' } } },
      then: {
        additionalProperties: false,
        properties: {
          name: {},
          lr: {},
          momentum: { type: 'number', minimum: 0, exclusiveMaximum: 1 },
          weightDecay: { type: 'number', minimum: 0 },
        },
      },
    },
    {
      if: { properties: { name: { const: 'rmsprop' } } },
      then: {
        additionalProperties: false,
        properties: {
          name: {},
          lr: {},
          rho: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 },
          momentum: { type: 'number', minimum: 0, exclusiveMaximum: 1 },
          epsilon: { type: 'number', exclusiveMinimum: 0 },
        },
      },
    },
    {
      if: { properties: { name: { const: 'adam' } } },
      then: {
        additionalProperties: false,
        properties: {
          name: {},
          lr: {},
          beta1: { type: 'number', minimum: 0, exclusiveMaximum: 1 },
          beta2: { type: 'number', minimum: 0, exclusiveMaximum: 1 },
          epsilon: { type: 'number', exclusiveMinimum: 0 },
          weightDecay: { type: 'number', minimum: 0 },
          l2: { type: 'number', minimum: 0 },
          correctedEpsilon: { type: 'boolean' },
        },
      },
    },
  ],
} as const;

export const modelSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'input', 'layers'],
  properties: {
    $schema: { type: 'string' },
    name: { type: 'string', minLength: 1 },
    description: { type: 'string' },
    input: { type: 'integer', minimum: 1 },
    layers: {
      type: 'array',
      minItems: 2,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['size', 'units'],
        properties: {
          size: { type: 'integer', minimum: 1 },
          units: unit,
          send: unit,
          repeat: { type: 'integer', minimum: 1 },
          init,
          recurrent: { type: 'object', additionalProperties: false, properties: { init } },
          inputCentre: {
            oneOf: [
              { type: 'number' },
              { type: 'object', additionalProperties: false, required: ['start', 'rate'], properties: { start: { type: 'number' }, rate: { type: 'number', exclusiveMinimum: 0, maximum: 1 } } },
            ],
          },
        },
      },
    },
    init,
    feedback: {
      type: 'object',
      additionalProperties: false,
      properties: { units: { enum: rateUnitNames }, init, input: unit },
    },
  },
} as const;

/** The `training` section of a rate experiment file (a spiking DTP file takes some of its fields: spiking-dtp.ts). */
export const trainingSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['epochs', 'batchSize'],
  properties: {
    epochs: { type: 'integer', minimum: 1 },
    batchSize: { type: 'integer', minimum: 1 },
    schedule: { enum: ['alternating', 'parallel'] },
    shuffle: { type: 'boolean' },
    seed: { type: 'integer', minimum: 0 },
    evalBatchSize: { type: 'integer', minimum: 1 },
    frozen: { type: 'array', uniqueItems: true, items: { type: 'string', pattern: '^[WbVc][0-9]+$' } },
    inputNoise: {
      type: 'object',
      additionalProperties: false,
      required: ['std'],
      properties: { std: { type: 'number', minimum: 0 }, decay: { type: 'number', exclusiveMinimum: 0 } },
    },
    evaluation: {
      type: 'object',
      additionalProperties: false,
      properties: { samples: { type: 'integer', minimum: 1 }, every: { type: 'integer', minimum: 1 } },
    },
    continuousTraining: { type: 'boolean' },
    missingView: {
      type: 'object',
      additionalProperties: false,
      required: ['split', 'missing'],
      properties: {
        split: { type: 'integer', minimum: 1 },
        missing: { enum: [1, 2] },
        fillSteps: { type: 'integer', minimum: 1 },
        trainOn: { enum: ['both', 'present'] },
      },
    },
    checkpointEvery: { type: 'integer', minimum: 0 },
    patience: { type: 'integer', minimum: 1 },
    stopAt: { type: 'number', minimum: 0, maximum: 1 },
    lrDecay: { type: 'number', exclusiveMinimum: 0, maximum: 1 },
    feedbackEpochs: { type: 'integer', minimum: 0 },
    extraFeedbackEpochs: { type: 'integer', minimum: 0 },
  },
} as const;

/** The `metrics` section of an experiment file: alignment metrics every N learning steps (metrics/alignment.ts). */
export const metricsSchema = {
  type: 'object',
  additionalProperties: false,
  properties: { alignmentEvery: { type: 'integer', minimum: 1 } },
} as const;

/** A schema like the object schema `schema` with only the properties `names`. */
export function withOnly<S extends { readonly properties: object }, K extends keyof S['properties']>(schema: S, names: readonly K[]): Omit<S, 'properties'> & { readonly properties: Pick<S['properties'], K> } {
  const properties = schema.properties as Record<K, unknown>;
  return { ...schema, properties: Object.fromEntries(names.map((name) => [name, properties[name]])) as Pick<S['properties'], K> };
}

export const experimentSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'model', 'rule', 'training', 'optimizer'],
  properties: {
    $schema: { type: 'string' },
    name: { type: 'string', pattern: '^[A-Za-z0-9._-]+$' },
    description: { type: 'string' },
    model: { anyOf: [{ type: 'string', minLength: 1 }, { type: 'object' }] },
    data: {
      type: 'object',
      additionalProperties: false,
      properties: {
        ...dataProperties,
        side: {
          type: 'object',
          additionalProperties: false,
          minProperties: 1,
          maxProperties: 1,
          properties: {
            embedding: { type: 'array', minItems: 1, items: { type: 'array', minItems: 1, items: { type: 'number' } } },
            file: { type: 'string', minLength: 1 },
          },
        },
      },
    },
    rule: {
      type: 'object',
      required: ['name'],
      properties: { name: { enum: ruleNames } },
      allOf: [
        {
          if: { properties: { name: { enum: plainRuleNames } } },
          then: { additionalProperties: false, properties: { name: {} } },
        },
        {
          if: { properties: { name: { enum: labelTargetRuleNames } } },
          then: {
            additionalProperties: false,
            required: ['noise'],
            properties: {
              name: {},
              noise: { type: 'number', minimum: 0 },
              noiseDecay: { type: 'number', exclusiveMinimum: 0 },
              difference: { type: 'boolean' },
              denoising: { type: 'boolean' },
              auxiliaryFeatures: { type: 'integer', minimum: 1 },
            },
          },
        },
        {
          if: { properties: { name: { enum: ['sdtp', 'ao-sdtp'] } } },
          then: { properties: { difference: false } },
        },
        {
          if: { properties: { name: { enum: ['sdtp', 'conditional'] } } },
          then: { properties: { auxiliaryFeatures: false } },
        },
        {
          if: { properties: { name: { const: 'conditional' } } },
          then: { properties: { denoising: false } },
        },
        // Per-layer step growth compounds along the chain of decoders (dtp, drl); projection acts
        // where the rule forms targets from differences (not tp).
        // The auto-encoder objective rides on each decoder's own probe, which DRL replaces (dtp only).
        gradientTargetRule(['dtp'], { ...decoderChainOptions, autoEncoder: { type: 'number', minimum: 0 }, decoderCentre: { oneOf: [{ type: 'number' }, { const: 'mean' }] } }),
        gradientTargetRule(['drl'], decoderChainOptions),
        gradientTargetRule(['ddtp-linear', 'ddtp-tanh'], { project: { type: 'boolean' } }),
        gradientTargetRule(['tp'], {}),
        gradientTargetRule(['tptt'], { inputWeights: { enum: inputWeightsUpdates } }),
      ],
    },
    training: trainingSchema,
    metrics: metricsSchema,
    optimizer: {
      type: 'object',
      additionalProperties: false,
      required: ['forward'],
      properties: { forward: optimizerSchema, feedback: optimizerSchema },
    },
    record: recordSchema,
    lesion: lesionSchema,
  },
} as const;
