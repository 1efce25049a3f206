/**
 * The report of `apical sweep`: one CSV row per cell (its value on every axis, then how it ended), a
 * Markdown table of test error whose rows are the cells' values on every axis but the last (for a
 * depth sweep: unit type · rule) and whose columns are their values on the last (depth), and a plotly
 * figure of test error against the last axis, one line per row of the table. A cell that could not
 * run (a rule needing a derivative its units lack) appears with its reason, never as a number; a
 * cell not run yet appears as pending ("…").
 * Cells with per-layer diagnostics (layer-diagnostics.ts: runs with alignment metrics) add
 * sweep-layers.csv, one row per cell and hidden layer, sweep-layers-epochs.csv, the same at every
 * epoch, and a second table to sweep.md.
 * A sweep whose cells repeat at several seeds (`layout.seeded`) adds a seed column to the CSVs and
 * the diagnostics table; its table and figure give each cell's mean ± sample sd over the seeds that
 * finished (n in brackets; the figure's error bars are ± sd).
 */
import { csvCell } from './csv';
import { EpochDiagnostics, LayerDiagnostics } from './layer-diagnostics';
import { RunSummary } from './run-files';
import { axesLayout, Figure, palette } from './figure';
import { formatMeanSd, meanSd } from './compare';

/** A sweep's axes (the CSV's first columns) and whether its figure's x axis is logarithmic. */
export interface SweepLayout {
  readonly axes: readonly { readonly name: string; readonly title: string }[];
  readonly logX: boolean;
  /** Whether cells repeat at several seeds (a seed column; mean ± sd over seeds). */
  readonly seeded?: boolean;
}

/** One cell and how it ended. */
export interface SweepRow {
  /** The cell's value on each axis. */
  readonly labels: readonly (string | number)[];
  /** The cell's seed, in a sweep whose cells repeat at several seeds. */
  readonly seed?: number;
  readonly status: 'finished' | 'skipped' | 'failed' | 'pending';
  readonly out: string;
  readonly summary?: RunSummary;
  readonly error?: string;
  /** Per hidden layer, bottom to top, for cells that ran: at the last epoch, and at every epoch. */
  readonly layers?: readonly LayerDiagnostics[];
  readonly history?: readonly EpochDiagnostics[];
}

const percent = (v: number | null | undefined): string => (v === null || v === undefined ? '' : (100 * v).toFixed(2));

/** The CSVs' first columns: the axes, then the seed when cells repeat at several seeds. */
const axisNames = (layout: SweepLayout): string[] => [...layout.axes.map((axis) => axis.name), ...(layout.seeded ? ['seed'] : [])];
/** A cell's values in those columns. */
const cellLabels = (layout: SweepLayout, row: SweepRow): (string | number | undefined)[] => [...row.labels, ...(layout.seeded ? [row.seed] : [])];

/** sweep.csv: errors in %, training seconds per epoch. */
export function sweepCsv(layout: SweepLayout, rows: readonly SweepRow[]): string {
  const header = [...axisNames(layout), 'status,epochs,train_error_pct,test_error_pct,seconds_per_epoch,out,error'].join(',');
  const lines = rows.map((r) => {
    const s = r.summary;
    const perEpoch = s && s.epochs_completed > 0 ? (s.training_seconds / s.epochs_completed).toFixed(3) : '';
    return [...cellLabels(layout, r), r.status, s?.epochs_completed, percent(s?.final?.train_error), percent(s?.final?.test_error), perEpoch, r.out, r.error]
      .map(csvCell)
      .join(',');
  });
  return [header, ...lines].join('\n') + '\n';
}

/** A row's line: its values on every axis but the last. */
const lineOf = (row: SweepRow): string => row.labels.slice(0, -1).join(' · ');
/** A row's place on the last axis. */
const xOf = (row: SweepRow): string | number => row.labels[row.labels.length - 1];


const fixed = (v: number | null, digits: number): string => (v === null ? '' : Number.isNaN(v) ? 'NaN' : v.toFixed(digits));

/** Whether the cell measured per-layer target angles (its experiment had alignment metrics). */
const measuredAngles = (r: SweepRow): boolean => r.layers?.some((d) => d.angle_st !== null) ?? false;

const LAYER_COLUMNS = 'layer,reconstruction_error,target_angle_st_deg,target_angle_deg,target_rms';
/** A layer's diagnostics as CSV cells, after `before` (the cell's labels, and the epoch). */
const layerRow = (before: readonly (string | number | undefined)[], d: LayerDiagnostics): string =>
  [...before, d.layer, fixed(d.recon, 4), fixed(d.angle_st, 2), fixed(d.angle, 2), fixed(d.rms, 5)].map(csvCell).join(',');

/** sweep-layers.csv: one row per cell and hidden layer at the last epoch, after the cell's value on every axis. */
export function sweepLayersCsv(layout: SweepLayout, rows: readonly SweepRow[]): string {
  const header = [...axisNames(layout), LAYER_COLUMNS].join(',');
  const lines = rows.flatMap((r) => (r.layers ?? []).map((d) => layerRow(cellLabels(layout, r), d)));
  return [header, ...lines].join('\n') + '\n';
}

/** sweep-layers-epochs.csv: as sweep-layers.csv for every epoch of every cell (when targets start, or stop, reaching a layer). */
export function sweepLayersByEpochCsv(layout: SweepLayout, rows: readonly SweepRow[]): string {
  const header = [...axisNames(layout), 'epoch', LAYER_COLUMNS].join(',');
  const lines = rows.flatMap((r) => (r.history ?? []).flatMap((e) => e.layers.map((d) => layerRow([...cellLabels(layout, r), e.epoch], d))));
  return [header, ...lines].join('\n') + '\n';
}

/** The diagnostics table: per cell, each measure by layer from h1 (left) to the top (right). */
function diagnosticsMarkdown(layout: SweepLayout, rows: readonly SweepRow[]): string[] {
  const measured = rows.filter(measuredAngles);
  if (measured.length === 0) return [];
  const series = (r: SweepRow, pick: (d: LayerDiagnostics) => string): string => (r.layers ?? []).map(pick).join(' · ');
  const lineAxes = layout.axes.slice(0, -1);
  return [
    '',
    'Per-layer diagnostics at the last epoch (sweep-layers.csv), from h1 (left) to the top hidden layer (right): ' +
      '∠ST, the mean angle between the target direction ĥ − h and the straight-through gradient −∂L/∂h (degrees; 90 = no alignment, NaN = no target step); ' +
      'rms, the size of the target step ‖ĥ − h‖/√n; recon, the probe loss of the decoder forming that layer\'s target (— at the top).',
    '',
    `| ${lineAxes.map((axis) => axis.name).join(' · ')} | ${layout.axes[layout.axes.length - 1].name} |${layout.seeded ? ' seed |' : ''} ∠ST (°) | rms | recon |`,
    `|---|---:|${layout.seeded ? '---:|' : ''}---|---|---|`,
    ...measured.map(
      (r) =>
        `| ${lineOf(r)} | ${xOf(r)} |${layout.seeded ? ` ${r.seed} |` : ''} ${series(r, (d) => fixed(d.angle_st, 0))} | ${series(r, (d) => (d.rms === null ? '' : d.rms.toPrecision(2)))} | ${series(r, (d) => (d.recon === null ? '—' : d.recon.toFixed(1)))} |`,
    ),
  ];
}

/** Lines in the order first seen, each with its cells. */
function byLine(rows: readonly SweepRow[]): Map<string, SweepRow[]> {
  const lines = new Map<string, SweepRow[]>();
  for (const row of rows) lines.set(lineOf(row), [...(lines.get(lineOf(row)) ?? []), row]);
  return lines;
}

/** The last axis's values in the order first seen, numbers ascending. */
function columns(rows: readonly SweepRow[]): (string | number)[] {
  const values = [...new Set(rows.map(xOf))];
  return values.every((v) => typeof v === 'number') ? (values as number[]).sort((a, b) => a - b) : values;
}

/** The final test errors of the cells that have one. */
const testErrors = (cells: readonly SweepRow[]): number[] =>
  cells.flatMap((c) => (typeof c.summary?.final?.test_error === 'number' ? [c.summary.final.test_error] : []));

/**
 * One place in sweep.md's table, over a cell's seeds: "7.44 ± 0.12 (2)" (mean ± sd %, n seeds
 * finished), with " …" while others are pending; "…" while all are; "n/a [k]" when none could run.
 */
function seedsCell(cells: readonly SweepRow[], failed: () => string): string {
  const errors = testErrors(cells);
  const pending = cells.some((c) => c.status === 'pending');
  if (errors.length === 0) return pending ? '…' : failed();
  return `${formatMeanSd(errors, 100, 2)} (${errors.length})${pending ? ' …' : ''}`;
}

/** sweep.md: test error % (final epoch) by line and the last axis; reasons for cells that did not run. */
export function sweepMarkdown(title: string, layout: SweepLayout, rows: readonly SweepRow[], notes: readonly string[]): string {
  const lineAxes = layout.axes.slice(0, -1);
  const last = layout.axes[layout.axes.length - 1];
  const xs = columns(rows);
  const failures: string[] = [];
  const table = [...byLine(rows)].map(([label, cells]) => {
    const values = xs.map((x) => {
      const here = cells.filter((c) => xOf(c) === x);
      const failed = (): string => {
        for (const cell of here.filter((c) => c.status === 'failed')) failures.push(`${label ? `${label}, ` : ''}${last.name} ${x}${layout.seeded ? `, seed ${cell.seed}` : ''}: ${cell.error}`);
        return `n/a [${failures.length}]`;
      };
      if (layout.seeded) return here.length ? seedsCell(here, failed) : '';
      const cell = here[0];
      if (!cell) return '';
      if (cell.status === 'pending') return '…';
      if (cell.status === 'failed') return failed();
      return percent(cell.summary?.final?.test_error);
    });
    return `| ${label || 'test error %'} | ${values.join(' | ')} |`;
  });
  const rowsAre = lineAxes.length ? ` by ${lineAxes.map((axis) => axis.title).join(' · ')} (rows) and` : ' by';
  const over = layout.seeded ? ' (mean ± sample sd over seeds; in brackets the number of seeds finished)' : '';
  return [
    `# ${title}`,
    '',
    ...notes.flatMap((note) => [note, '']),
    `Test error % at the last epoch${over},${rowsAre} ${last.title} (columns).`,
    '',
    `| ${lineAxes.map((axis) => axis.name).join(' · ')} | ${xs.join(' | ')} |`,
    `|---|${xs.map(() => '---:').join('|')}|`,
    ...table,
    ...(failures.length ? ['', ...failures.map((f, i) => `[${i + 1}] ${f}`)] : []),
    ...diagnosticsMarkdown(layout, rows),
    '',
  ].join('\n');
}

/**
 * Test error against the last axis (log₂ if `layout.logX`): one trace per line, its colour by the
 * line's last value (a depth sweep's rule), its dash by its first when it has two (the unit type).
 */
export function sweepFigure(layout: SweepLayout, rows: readonly SweepRow[]): Figure {
  const lineValues = (row: SweepRow): readonly (string | number)[] => row.labels.slice(0, -1);
  const colourOf = (row: SweepRow): string | number | undefined => lineValues(row)[lineValues(row).length - 1];
  const dashOf = (row: SweepRow): string | number | undefined => (lineValues(row).length > 1 ? lineValues(row)[0] : undefined);
  const colours = [...new Set(rows.map(colourOf))];
  const dashValues = [...new Set(rows.map(dashOf))];
  const dashes = ['solid', 'dash', 'dot', 'dashdot', 'longdash'];
  const order = columns(rows);
  const data = [...byLine(rows)].map(([label, cells]) => {
    // Per place on the x axis, the test errors (%) of its finished seeds (one, in a sweep without seeds).
    const points = order.map((x) => ({ x, errors: testErrors(cells.filter((c) => xOf(c) === x)).map((e) => 100 * e) })).filter((p) => p.errors.length);
    const stats = points.map((p) => meanSd(p.errors));
    return {
      type: 'scatter',
      mode: 'lines+markers',
      name: label || 'test error',
      x: points.map((p) => p.x),
      y: stats.map((s) => s.mean),
      ...(layout.seeded ? { error_y: { type: 'data', array: stats.map((s) => (Number.isNaN(s.sd) ? 0 : s.sd)), visible: true } } : {}),
      line: { color: palette[colours.indexOf(colourOf(cells[0])) % palette.length], dash: dashes[dashValues.indexOf(dashOf(cells[0])) % dashes.length] },
    };
  });
  const title = layout.axes[layout.axes.length - 1].title;
  const xaxis = layout.logX ? { title: { text: title }, type: 'log', dtick: Math.log10(2) } : { title: { text: title }, ...(order.every((v) => typeof v === 'number') ? {} : { type: 'category' }) };
  return { data, layout: axesLayout(title, 'test error (%)', { xaxis }) };
}
