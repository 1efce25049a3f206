/**
 * Sweep files (experiments/depth-sweep.json): one experiment per (line, depth) pair, where a line is
 * a unit type with a learning rule, and depth the number of identical hidden populations of `width`
 * units between the input and a softmax read-out. The sweep writes each generated experiment file
 * into its output folder, so every cell can be re-run alone with `apical run`.
 *
 *   { "name": "depth-sweep", "depths": [2, 4, 8], "width": 240,
 *     "training": { "epochs": 5, "batchSize": 100 }, "data": { "trainLimit": 10000 },
 *     "lines": [ { "units": "sign", "rule": "dtp",
 *                  "layer": { "units": "tanh", "send": "sign" }, "feedback": { "input": "sign" },
 *                  "learning": { "rule": { "name": "dtp", … }, "optimizer": { … } } } ] }
 */
import Ajv, { ErrorObject } from 'ajv';
import * as fs from 'fs';
import * as path from 'path';
import { ConfigError, Experiment, loadExperiment } from './experiment';

export interface SweepLine {
  /** The unit type, as the table and figure name it ("sign"). */
  readonly units: string;
  /** The rule, as the table and figure name it ("bp-ste"). */
  readonly rule: string;
  /** Every hidden layer: a model spec layer without size and repeat. */
  readonly layer: Record<string, unknown>;
  readonly feedback?: Record<string, unknown>;
  /** The experiment's rule and optimizer. */
  readonly learning: { readonly rule: Record<string, unknown>; readonly optimizer: Record<string, unknown> };
  /** Training settings over the sweep's (e.g. evaluation samples for random units). */
  readonly training?: Record<string, unknown>;
}

export interface Sweep {
  readonly name: string;
  readonly description: string;
  readonly file: string;
  readonly depths: readonly number[];
  readonly width: number;
  readonly input: number;
  readonly classes: number;
  readonly init?: Record<string, unknown>;
  readonly data?: Record<string, unknown>;
  readonly training: Record<string, unknown>;
  /** Every cell's measurements (experiment files' `metrics`: alignmentEvery gives the per-layer diagnostics). */
  readonly metrics?: Record<string, unknown>;
  readonly lines: readonly SweepLine[];
}

/** One cell of the sweep: a line at a depth, as a resolved experiment in its own file. */
export interface SweepCell {
  readonly line: SweepLine;
  readonly depth: number;
  readonly key: string;
  readonly experiment: Experiment;
}

const object = { type: 'object' } as const;
const sweepSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'depths', 'width', 'training', 'lines'],
  properties: {
    $schema: { type: 'string' },
    name: { type: 'string', pattern: '^[A-Za-z0-9._-]+$' },
    description: { type: 'string' },
    depths: { type: 'array', minItems: 1, uniqueItems: true, items: { type: 'integer', minimum: 1 } },
    width: { type: 'integer', minimum: 1 },
    input: { type: 'integer', minimum: 1 },
    classes: { type: 'integer', minimum: 2 },
    init: object,
    data: object,
    training: object,
    metrics: object,
    lines: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['units', 'rule', 'layer', 'learning'],
        properties: {
          units: { type: 'string', pattern: '^[A-Za-z0-9._-]+$' },
          rule: { type: 'string', pattern: '^[A-Za-z0-9._-]+$' },
          layer: object,
          feedback: object,
          learning: {
            type: 'object',
            additionalProperties: false,
            required: ['rule', 'optimizer'],
            properties: { rule: object, optimizer: object },
          },
          training: object,
        },
      },
    },
  },
} as const;

const validateSweep = new Ajv({ strict: true }).compile(sweepSchema);

function describe(file: string, error: ErrorObject | undefined): string {
  if (!error) return `${file}: does not match the sweep schema`;
  const where = error.instancePath || '/';
  if (error.keyword === 'additionalProperties') return `${file}: ${where} has an unknown field "${(error.params as { additionalProperty: string }).additionalProperty}"`;
  return `${file}: ${where} ${error.message}`;
}

/** Reads and checks a sweep file. */
export function loadSweep(file: string): Sweep {
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(`${file}: ${code === 'ENOENT' ? 'cannot read the sweep (no such file)' : `not a readable JSON sweep (${(error as Error).message})`}`);
  }
  if (!validateSweep(json)) throw new ConfigError(describe(file, validateSweep.errors?.[0]));
  const raw = json as Omit<Sweep, 'file' | 'input' | 'classes' | 'description'> & { input?: number; classes?: number; description?: string };
  const labels = raw.lines.map((line) => `${line.units}-${line.rule}`);
  const twice = labels.find((label, i) => labels.indexOf(label) !== i);
  if (twice) throw new ConfigError(`${file}: /lines has two lines named ${twice} (units and rule must differ)`);
  return { ...raw, file, description: raw.description ?? '', input: raw.input ?? 784, classes: raw.classes ?? 10 };
}

/** The experiment file of one cell (a plain JSON object, written as is). */
export function cellExperiment(sweep: Sweep, line: SweepLine, depth: number): Record<string, unknown> {
  const name = `${sweep.name}-${line.units}-${line.rule}-d${depth}`;
  return {
    name,
    description: `${sweep.name}: ${depth} hidden layers of ${sweep.width} ${line.units} units trained by ${line.rule} (generated from ${path.basename(sweep.file)})`,
    model: {
      name: `${line.units}-${depth}x${sweep.width}`,
      input: sweep.input,
      layers: [{ ...line.layer, size: sweep.width, repeat: depth }, { size: sweep.classes, units: 'softmax' }],
      ...(sweep.init ? { init: sweep.init } : {}),
      ...(line.feedback ? { feedback: line.feedback } : {}),
    },
    ...(sweep.data ? { data: sweep.data } : {}),
    rule: line.learning.rule,
    training: { ...sweep.training, ...line.training },
    optimizer: line.learning.optimizer,
    ...(sweep.metrics ? { metrics: sweep.metrics } : {}),
  };
}

/**
 * Every cell, its experiment written to `<out>/experiments/<key>.json` and checked like any
 * experiment file; a fault is reported against the sweep file and the line.
 */
export function planSweep(sweep: Sweep, out: string): SweepCell[] {
  const folder = path.join(out, 'experiments');
  fs.mkdirSync(folder, { recursive: true });
  return sweep.lines.flatMap((line, i) =>
    sweep.depths.map((depth) => {
      const experiment = cellExperiment(sweep, line, depth);
      const key = experiment.name as string;
      const file = path.join(folder, `${key}.json`);
      fs.writeFileSync(file, JSON.stringify(experiment, null, 2) + '\n');
      try {
        return { line, depth, key, experiment: loadExperiment(file) };
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        throw new ConfigError(`${sweep.file}: /lines/${i} (${line.units} ${line.rule}): ${error.message.slice(file.length + 2)}`);
      }
    }),
  );
}
