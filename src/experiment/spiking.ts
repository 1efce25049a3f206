/**
 * Spiking experiment files (`"kind": "spiking"`): populations of neuron models (models/neurons/*.json
 * or inline), synapses between them, monitors, a time step and a duration, in Brian2's vocabulary:
 *
 *   { "kind": "spiking", "name": "cuba", "dt": "0.1 ms", "duration": "1 s", "seed": 1,
 *     "parameters": { "we": "60*0.27/10 mV", "Ne": 3200 },
 *     "populations": [ { "name": "P", "model": "../models/neurons/cuba-lif.json", "size": 4000,
 *                        "init": { "v": "Vr + rand()*(Vt - Vr)" } } ],
 *     "synapses": [ { "name": "Ce", "source": "P", "target": "P", "on_pre": "ge += we",
 *                     "connect": { "condition": "i < Ne", "p": 0.02 } } ],
 *     "monitors": [ { "kind": "spikes", "population": "P" } ],
 *     "metrics": { "bin": "100 ms" } }
 *
 * A population with `"replay": "recording.nwb"` instead of a model replays recorded spike trains
 * (data/spike-trains.ts: an NWB file's Units table, or a .npy of times and indices; `{ "file": …,
 * "population": "P" }` takes one population's units of an apical export), each spike in the step its
 * time rounds to (network/spike-replay-group.ts); paths are relative to the experiment file.
 *
 * Faults become ConfigError (schema, files) or EquationError (equations, units), each one line.
 */
import Ajv from 'ajv';
import * as fs from 'fs';
import * as path from 'path';
import { ConfigError } from './config-error';
import { applySetting } from './settings';
import { ModelSpec } from '../equations/model';
import { SynapsesSpec } from '../network/synapses';

export interface PopulationSpec {
  readonly name: string;
  readonly model: ModelSpec;
  readonly size: number;
  readonly parameters: Readonly<Record<string, string | number>>;
  readonly init: Readonly<Record<string, string>>;
  /** Recorded spike trains this population replays instead of running its model. */
  readonly replay?: ReplaySpec;
}

export interface ReplaySpec {
  /** .nwb, .npy or .npz, resolved against the experiment file's folder. */
  readonly file: string;
  /** An NWB export's population to take the units of (default: every unit). */
  readonly population?: string;
}

/** The model of a replaying population: no state, the recording decides when it fires. */
const replayModel: ModelSpec = { name: 'spike replay', equations: [] };

export type MonitorSpec =
  | { readonly kind: 'spikes'; readonly name: string; readonly population: string; readonly stream: boolean }
  | { readonly kind: 'state'; readonly name: string; readonly population: string; readonly variables: readonly string[]; readonly indices: readonly number[]; readonly every: number }
  | { readonly kind: 'rate'; readonly name: string; readonly population: string; readonly bin: string };

export interface SpikingExperiment {
  readonly kind: 'spiking';
  readonly name: string;
  readonly description: string;
  readonly file: string;
  readonly dt: string;
  readonly duration: string;
  readonly seed: number;
  readonly parameters: Readonly<Record<string, string | number>>;
  readonly populations: readonly PopulationSpec[];
  readonly synapses: readonly SynapsesSpec[];
  readonly monitors: readonly MonitorSpec[];
  readonly metrics: { readonly bin: string };
}

const name = { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$' } as const;
const parameters = { type: 'object', additionalProperties: { type: ['string', 'number'] } } as const;
const statements = { type: 'object', additionalProperties: { type: 'string' } } as const;

export const neuronModelSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'equations'],
  properties: {
    name: { type: 'string' },
    description: { type: 'string' },
    equations: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
    parameters,
    threshold: { type: 'string' },
    reset: { type: 'string' },
    refractory: { type: 'string' },
    method: { enum: ['exact', 'euler', 'rk2', 'rk4'] },
  },
} as const;

export const spikingExperimentSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['kind', 'name', 'dt', 'duration', 'populations'],
  properties: {
    kind: { const: 'spiking' },
    name: { type: 'string' },
    description: { type: 'string' },
    dt: { type: 'string' },
    duration: { type: 'string' },
    seed: { type: 'integer', minimum: 0 },
    parameters,
    populations: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'size'],
        properties: {
          name,
          model: { anyOf: [{ type: 'string' }, { type: 'object' }] },
          replay: {
            anyOf: [
              { type: 'string' },
              { type: 'object', additionalProperties: false, required: ['file'], properties: { file: { type: 'string' }, population: name } },
            ],
          },
          size: { type: 'integer', minimum: 1 },
          parameters,
          init: statements,
        },
      },
    },
    synapses: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'source', 'target', 'on_pre', 'connect'],
        properties: {
          name,
          source: name,
          target: name,
          model: { type: 'string' },
          on_pre: { type: 'string' },
          init: statements,
          delay: { type: 'string' },
          connect: {
            type: 'object',
            additionalProperties: false,
            properties: {
              condition: { type: 'string' },
              p: { type: 'number', minimum: 0, maximum: 1 },
              indegree: { type: 'integer', minimum: 0 },
            },
          },
        },
      },
    },
    monitors: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['kind', 'population'],
        properties: {
          kind: { enum: ['spikes', 'state', 'rate'] },
          name,
          population: name,
          stream: { type: 'boolean' },
          variables: { type: 'array', items: { type: 'string' }, minItems: 1 },
          indices: { type: 'array', items: { type: 'integer', minimum: 0 } },
          every: { type: 'integer', minimum: 1 },
          bin: { type: 'string' },
        },
      },
    },
    metrics: { type: 'object', additionalProperties: false, properties: { bin: { type: 'string' } } },
  },
} as const;

const ajv = new Ajv({ allErrors: false, strict: true, strictTypes: false });
const validateExperiment = ajv.compile(spikingExperimentSchema);
const validateNeuronModel = ajv.compile(neuronModelSchema);

function readJson(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`${file}: cannot read (${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message})`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${file}: not valid JSON (${(error as Error).message})`);
  }
}

function schemaMessage(file: string, errors: typeof validateExperiment.errors): string {
  const e = errors?.[0];
  if (!e) return `${file}: does not match the schema`;
  const where = e.instancePath || '/';
  const params = e.params as Record<string, unknown>;
  if (e.keyword === 'additionalProperties') return `${file}: ${where} has an unknown field "${params.additionalProperty}"`;
  if (e.keyword === 'enum') return `${file}: ${where} must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
  return `${file}: ${where} ${e.message}`;
}

/** An experiment file's `kind`: "spiking", "spiking-dtp", or null for a training experiment (the CLI's dispatch). */
export function experimentKind(file: string): string | null {
  const json = readJson(file);
  const kind = typeof json === 'object' && json !== null ? (json as { kind?: unknown }).kind : undefined;
  return typeof kind === 'string' ? kind : null;
}

/** Reads and checks a neuron model file (models/neurons/*.json). */
export function loadNeuronModel(file: string): ModelSpec {
  const json = readJson(file);
  if (!validateNeuronModel(json)) throw new ConfigError(schemaMessage(file, validateNeuronModel.errors));
  return json as unknown as ModelSpec;
}

/** Reads, checks and resolves a spiking experiment (models inlined, defaults filled, `set` applied first: ./settings.ts). */
export function loadSpikingExperiment(
  file: string,
  overrides: { readonly seed?: number; readonly duration?: string; readonly set?: readonly string[] } = {},
): SpikingExperiment {
  const json = readJson(file);
  for (const setting of overrides.set ?? []) applySetting(json, setting, file);
  if (!validateExperiment(json)) throw new ConfigError(schemaMessage(file, validateExperiment.errors));
  const raw = json as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  const names = new Set<string>();
  const populations: PopulationSpec[] = raw.populations.map((p: any, k: number) => {
    if (names.has(p.name)) throw new ConfigError(`${file}: /populations/${k}/name "${p.name}" is used twice`);
    names.add(p.name);
    if ((p.model === undefined) === (p.replay === undefined)) throw new ConfigError(`${file}: /populations/${k} needs either "model" or "replay"`);
    if (p.replay !== undefined) {
      const modelField = ['init', 'parameters'].find((field) => p[field] !== undefined);
      if (modelField) throw new ConfigError(`${file}: /populations/${k}/${modelField}: a replaying population has no model to give it to`);
      const replay = typeof p.replay === 'string' ? { file: p.replay } : p.replay;
      return { name: p.name, model: replayModel, size: p.size, parameters: {}, init: {}, replay: { ...replay, file: path.resolve(path.dirname(file), replay.file) } };
    }
    let model: ModelSpec;
    if (typeof p.model === 'string') model = loadNeuronModel(path.resolve(path.dirname(file), p.model));
    else if (validateNeuronModel(p.model)) model = p.model as ModelSpec;
    else throw new ConfigError(schemaMessage(file, validateNeuronModel.errors?.map((e) => ({ ...e, instancePath: `/populations/${k}/model${e.instancePath}` }))));
    return { name: p.name, model, size: p.size, parameters: p.parameters ?? {}, init: p.init ?? {} };
  });
  const synapses: SynapsesSpec[] = raw.synapses ?? [];
  synapses.forEach((s, k) => {
    for (const end of ['source', 'target'] as const) {
      if (!names.has(s[end])) throw new ConfigError(`${file}: /synapses/${k}/${end} "${s[end]}" is not a population (there are ${[...names].join(', ')})`);
    }
  });
  const monitors: MonitorSpec[] = (raw.monitors ?? []).map((m: any, k: number) => {
    if (!names.has(m.population)) throw new ConfigError(`${file}: /monitors/${k}/population "${m.population}" is not a population`);
    const base = { name: m.name ?? `${m.population}_${m.kind}${k}`, population: m.population };
    if (m.kind === 'spikes') return { kind: 'spikes', ...base, stream: m.stream ?? false };
    if (m.kind === 'rate') return { kind: 'rate', ...base, bin: m.bin ?? '1 ms' };
    if (!m.variables) throw new ConfigError(`${file}: /monitors/${k} (state) needs "variables"`);
    return { kind: 'state', ...base, variables: m.variables, indices: m.indices ?? [0], every: m.every ?? 1 };
  });
  return {
    kind: 'spiking',
    name: raw.name,
    description: raw.description ?? '',
    file,
    dt: raw.dt,
    duration: overrides.duration ?? raw.duration,
    seed: overrides.seed ?? raw.seed ?? 1,
    parameters: raw.parameters ?? {},
    populations,
    synapses,
    monitors,
    metrics: { bin: raw.metrics?.bin ?? '100 ms' },
  };
}
