/**
 * Sweep files: many runs planned from one file, each cell an experiment file run with settings over
 * it, exactly as `apical run FILE --set field=value …` would run it. Two forms:
 *
 * Over any experiment file (e.g. experiments/spiking-dtp-sweep.json): every combination of the
 * values of `axes` (fields as `--set` names them), with `set` applied to every cell first. Nothing
 * here knows the experiment's kind: a spiking DTP file sweeps as a rate one does.
 *
 *   { "name": "sdtp-width", "experiment": "mnist-spiking-dtp.json", "set": ["training.epochs=5"],
 *     "axes": { "network.layers": [[100], [300], [300, 300]], "rule.topStep": [0.25, 0.5] } }
 *
 * By depth (experiments/depth-sweep.json): one experiment per (line, depth) pair, where a line is
 * a unit type with a learning rule, and depth the number of identical hidden populations of `width`
 * units between the input and a softmax read-out. The sweep writes each generated experiment file
 * into its output folder, so every cell can be re-run alone with `apical run`.
 *
 *   { "name": "depth-sweep", "depths": [2, 4, 8], "width": 240,
 *     "training": { "epochs": 5, "batchSize": 100 }, "data": { "trainLimit": 10000 },
 *     "lines": [ { "units": "sign", "rule": "dtp",
 *                  "layer": { "units": "tanh", "send": "sign" }, "feedback": { "input": "sign" },
 *                  "learning": { "rule": { "name": "dtp", … }, "optimizer": { … } } } ] }
 *
 * Two optional fields make a depth sweep one run of settings chosen per cell, over several seeds
 * (experiments/depth-sweep-full-mnist.json):
 *   - `"seeds": [1, 2]` — one cell per (line, depth, seed), each with that `training.seed` and the
 *     key `<name>-<units>-<rule>-d<depth>-s<seed>`; the report gives mean ± sd over the seeds. A
 *     file without `seeds` makes one cell per (line, depth), keyed `…-d<depth>`, at its own seed.
 *   - a line's `"atDepth": { "8": ["rule.stepGrowth=1.5"] }` — settings (as `--set` takes them)
 *     applied to that line's generated experiment file at that depth only, so one line carries the
 *     setting chosen on validation at each depth. A key must be one of `depths`.
 */
import Ajv, { ErrorObject } from 'ajv';
import * as fs from 'fs';
import * as path from 'path';
import { ConfigError, Experiment, loadExperiment } from './experiment';
import { applySetting } from './settings';

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
  /** Settings over the generated experiment at one depth ("8": ["rule.stepGrowth=1.5"], as `--set` takes them). */
  readonly atDepth?: Readonly<Record<string, readonly string[]>>;
}

/** A sweep by depth. */
export interface DepthSweep {
  readonly form: 'depth';
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
  /** The training seeds: one cell per line, depth and seed (absent: one cell per line and depth, at `training.seed`). */
  readonly seeds?: readonly number[];
  readonly lines: readonly SweepLine[];
}

/** A sweep over the settings of one experiment file. */
export interface ExperimentSweep {
  readonly form: 'experiment';
  readonly name: string;
  readonly description: string;
  readonly file: string;
  /** The experiment file, resolved from the sweep file's folder. */
  readonly experiment: string;
  /** Settings of every cell ("a.b=value"). */
  readonly set: readonly string[];
  /** Each field's values, in the file's order (the last one is the table's columns). */
  readonly axes: readonly { readonly field: string; readonly values: readonly unknown[] }[];
}

export type Sweep = DepthSweep | ExperimentSweep;

/** One column of a sweep's table: its name in sweep.csv, and how the table's caption says it. */
export interface SweepAxis {
  readonly name: string;
  readonly title: string;
}

/** One cell of a sweep: an experiment file run with settings over it (as `apical run FILE --set …`). */
export interface SweepCell {
  readonly key: string;
  /** The cell's value on each of the plan's axes, in order. */
  readonly labels: readonly (string | number)[];
  /** The cell's experiment, resolved with its settings (its `file` is the one to run). */
  readonly experiment: Experiment;
  /** `--set` settings over that file. */
  readonly set: readonly string[];
  /** The cell's seed, when the sweep runs every cell at several seeds (a depth sweep's `seeds`). */
  readonly seed?: number;
}

/**
 * Every cell of a sweep, whatever its file's form: the table's rows are the cells' values on every
 * axis but the last, its columns their values on the last (the figure's x axis, logarithmic if `logX`).
 */
export interface SweepPlan {
  readonly name: string;
  readonly description: string;
  readonly axes: readonly SweepAxis[];
  readonly logX: boolean;
  /** Whether the cells repeat at several seeds (the report then gives mean ± sd over each cell's seeds). */
  readonly seeded: boolean;
  readonly cells: readonly SweepCell[];
}

const object = { type: 'object' } as const;
const depthSweepSchema = {
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
    seeds: { type: 'array', minItems: 1, uniqueItems: true, items: { type: 'integer', minimum: 0 } },
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
          atDepth: {
            type: 'object',
            propertyNames: { pattern: '^[1-9][0-9]*$' },
            additionalProperties: { type: 'array', items: { type: 'string' } },
          },
        },
      },
    },
  },
} as const;

const experimentSweepSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'experiment', 'axes'],
  properties: {
    $schema: { type: 'string' },
    name: { type: 'string', pattern: '^[A-Za-z0-9._-]+$' },
    description: { type: 'string' },
    experiment: { type: 'string' },
    set: { type: 'array', items: { type: 'string' } },
    axes: {
      type: 'object',
      minProperties: 1,
      propertyNames: { pattern: '^[A-Za-z_$][\\w$]*(\\.[A-Za-z_$][\\w$]*)*$' },
      additionalProperties: { type: 'array', minItems: 1 },
    },
  },
} as const;

const ajv = new Ajv({ strict: true });
const validateDepthSweep = ajv.compile(depthSweepSchema);
const validateExperimentSweep = ajv.compile(experimentSweepSchema);

function describe(file: string, error: ErrorObject | undefined): string {
  if (!error) return `${file}: does not match the sweep schema`;
  const where = error.instancePath || '/';
  if (error.keyword === 'additionalProperties') return `${file}: ${where} has an unknown field "${(error.params as { additionalProperty: string }).additionalProperty}"`;
  if (error.propertyName !== undefined) return `${file}: ${where} has the key "${error.propertyName}", which ${error.message}`;
  return `${file}: ${where} ${error.message}`;
}

/** Reads and checks a sweep file of either form (one with an `experiment` field sweeps that file's settings). */
export function loadSweep(file: string): Sweep {
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(`${file}: ${code === 'ENOENT' ? 'cannot read the sweep (no such file)' : `not a readable JSON sweep (${(error as Error).message})`}`);
  }
  if (typeof json === 'object' && json !== null && 'experiment' in json) {
    if (!validateExperimentSweep(json)) throw new ConfigError(describe(file, validateExperimentSweep.errors?.[0]));
    const raw = json as { name: string; description?: string; experiment: string; set?: string[]; axes: Record<string, unknown[]> };
    return {
      form: 'experiment',
      name: raw.name,
      description: raw.description ?? '',
      file,
      experiment: path.join(path.dirname(file), raw.experiment),
      set: raw.set ?? [],
      axes: Object.entries(raw.axes).map(([field, values]) => ({ field, values })),
    };
  }
  if (!validateDepthSweep(json)) throw new ConfigError(describe(file, validateDepthSweep.errors?.[0]));
  const raw = json as Omit<DepthSweep, 'form' | 'file' | 'input' | 'classes' | 'description'> & { input?: number; classes?: number; description?: string };
  const labels = raw.lines.map((line) => `${line.units}-${line.rule}`);
  const twice = labels.find((label, i) => labels.indexOf(label) !== i);
  if (twice) throw new ConfigError(`${file}: /lines has two lines named ${twice} (units and rule must differ)`);
  raw.lines.forEach((line, i) => {
    const stray = Object.keys(line.atDepth ?? {}).find((depth) => !raw.depths.includes(Number(depth)));
    if (stray) throw new ConfigError(`${file}: /lines/${i}/atDepth has depth ${stray}, not one of the sweep's depths (${raw.depths.join(', ')})`);
  });
  return { ...raw, form: 'depth', file, description: raw.description ?? '', input: raw.input ?? 784, classes: raw.classes ?? 10 };
}

/**
 * The experiment file of one cell (a plain JSON object, written as is): the line at `depth`, with the
 * line's settings at that depth applied, at `seed` when the sweep has seeds.
 */
export function cellExperiment(sweep: DepthSweep, line: SweepLine, depth: number, seed?: number): Record<string, unknown> {
  const name = `${sweep.name}-${line.units}-${line.rule}-d${depth}${seed === undefined ? '' : `-s${seed}`}`;
  const experiment: Record<string, unknown> = {
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
    training: { ...sweep.training, ...line.training, ...(seed === undefined ? {} : { seed }) },
    optimizer: line.learning.optimizer,
    ...(sweep.metrics ? { metrics: sweep.metrics } : {}),
  };
  const settings = line.atDepth?.[String(depth)] ?? [];
  if (settings.length === 0) return experiment;
  // A deep copy, so the settings change this cell's file and nothing the sweep's other cells share.
  const json = JSON.parse(JSON.stringify(experiment)) as Record<string, unknown>;
  const where = `${sweep.file}: /lines/${sweep.lines.indexOf(line)}/atDepth/${depth}`;
  for (const setting of settings) {
    try {
      applySetting(json, setting, `the cell's experiment`);
    } catch (error) {
      throw new ConfigError(`${where}: ${(error as Error).message}`);
    }
  }
  return json;
}

/** Every cell of the sweep `sweep`, each checked like any experiment file; generated files go to `<out>/experiments/`. */
export function planSweep(sweep: Sweep, out: string): SweepPlan {
  return sweep.form === 'depth' ? planDepthSweep(sweep, out) : planExperimentSweep(sweep);
}

/** Loads a cell's experiment; a fault is reported against the sweep file and `where`, then the experiment's own message. */
function checkedCell(sweep: Sweep, where: string, file: string, set: readonly string[]): Experiment {
  try {
    return loadExperiment(file, { set });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    throw new ConfigError(`${sweep.file}: ${where}: ${sweep.form === 'depth' ? error.message.slice(file.length + 2) : error.message}`);
  }
}

/** A cell per line, depth (and seed), its experiment written to `<out>/experiments/<key>.json`. */
function planDepthSweep(sweep: DepthSweep, out: string): SweepPlan {
  const folder = path.join(out, 'experiments');
  fs.mkdirSync(folder, { recursive: true });
  const seeds: readonly (number | undefined)[] = sweep.seeds ?? [undefined];
  const cells = sweep.lines.flatMap((line, i) =>
    sweep.depths.flatMap((depth) =>
      seeds.map((seed) => {
        const experiment = cellExperiment(sweep, line, depth, seed);
        const key = experiment.name as string;
        const file = path.join(folder, `${key}.json`);
        fs.writeFileSync(file, JSON.stringify(experiment, null, 2) + '\n');
        const where = line.atDepth?.[String(depth)]?.length ? `/lines/${i}/atDepth/${depth} (${line.units} ${line.rule})` : `/lines/${i} (${line.units} ${line.rule})`;
        return { key, labels: [line.units, line.rule, depth], experiment: checkedCell(sweep, where, file, []), set: [], seed };
      }),
    ),
  );
  const axes = [
    { name: 'units', title: 'unit type' },
    { name: 'rule', title: 'rule' },
    { name: 'depth', title: 'number of hidden layers' },
  ];
  return { name: sweep.name, description: sweep.description, axes, logX: true, seeded: sweep.seeds !== undefined, cells };
}

/** A value as a cell's label: numbers and strings as they are, anything else as its JSON. */
const label = (value: unknown): string | number => (typeof value === 'number' || typeof value === 'string' ? value : JSON.stringify(value));

/** A cell per combination of the axes' values (the last axis varying fastest), keyed by its values. */
function planExperimentSweep(sweep: ExperimentSweep): SweepPlan {
  const combinations = sweep.axes.reduce<unknown[][]>((partial, axis) => partial.flatMap((values) => axis.values.map((value) => [...values, value])), [[]]);
  const keys = new Set<string>();
  const cells = combinations.map((values) => {
    const settings = sweep.axes.map((axis, i) => `${axis.field}=${JSON.stringify(values[i])}`);
    const key = [sweep.name, ...sweep.axes.map((axis, i) => `${axis.field}=${String(label(values[i])).replace(/[^A-Za-z0-9.+-]+/g, '_')}`)].join('-');
    if (keys.has(key)) throw new ConfigError(`${sweep.file}: /axes gives two cells the folder name ${key} (make the values differ in more than punctuation)`);
    keys.add(key);
    const set = [...sweep.set, ...settings];
    return { key, labels: values.map(label), experiment: checkedCell(sweep, `/axes (${settings.join(' ')})`, sweep.experiment, set), set };
  });
  const axes = sweep.axes.map((axis) => ({ name: axis.field, title: axis.field }));
  return { name: sweep.name, description: sweep.description, axes, logX: false, seeded: false, cells };
}
