/**
 * The report of `apical sweep`: one CSV row per cell, a Markdown table of test error by line
 * (unit type · rule) and depth, and a plotly figure of test error against depth, one line per
 * rule and unit type. A cell that could not run (a rule needing a derivative its units lack)
 * appears with its reason, never as a number; a cell not run yet appears as pending ("…").
 * Cells with per-layer diagnostics (layer-diagnostics.ts) add sweep-layers.csv, one row per cell and
 * hidden layer, and a second table to sweep.md.
 */
import { csvCell } from './csv';
import { LayerDiagnostics } from './layer-diagnostics';
import { RunSummary } from './run-files';
import { axesLayout, Figure, palette } from './figure';

/** One cell and how it ended. */
export interface SweepRow {
  readonly units: string;
  readonly rule: string;
  readonly depth: number;
  readonly status: 'finished' | 'skipped' | 'failed' | 'pending';
  readonly out: string;
  readonly summary?: RunSummary;
  readonly error?: string;
  /** Per hidden layer, bottom to top, for cells that ran. */
  readonly layers?: readonly LayerDiagnostics[];
}

const percent = (v: number | null | undefined): string => (v === null || v === undefined ? '' : (100 * v).toFixed(2));


/** sweep.csv: errors in %, training seconds per epoch. */
export function sweepCsv(rows: readonly SweepRow[]): string {
  const header = 'units,rule,depth,status,epochs,train_error_pct,test_error_pct,seconds_per_epoch,out,error';
  const lines = rows.map((r) => {
    const s = r.summary;
    const perEpoch = s && s.epochs_completed > 0 ? (s.training_seconds / s.epochs_completed).toFixed(3) : '';
    return [r.units, r.rule, r.depth, r.status, s?.epochs_completed, percent(s?.final?.train_error), percent(s?.final?.test_error), perEpoch, r.out, r.error]
      .map(csvCell)
      .join(',');
  });
  return [header, ...lines].join('\n') + '\n';
}

const fixed = (v: number | null, digits: number): string => (v === null ? '' : Number.isNaN(v) ? 'NaN' : v.toFixed(digits));

/** sweep-layers.csv: one row per cell and hidden layer. */
export function sweepLayersCsv(rows: readonly SweepRow[]): string {
  const header = 'units,rule,depth,layer,reconstruction_error,target_angle_st_deg,target_angle_deg,target_rms';
  const lines = rows.flatMap((r) =>
    (r.layers ?? []).map((d) => [r.units, r.rule, r.depth, d.layer, fixed(d.recon, 4), fixed(d.angle_st, 2), fixed(d.angle, 2), fixed(d.rms, 5)].map(csvCell).join(',')),
  );
  return [header, ...lines].join('\n') + '\n';
}

/** The diagnostics table: per cell, each measure by layer from h1 (left) to the top (right). */
function diagnosticsMarkdown(rows: readonly SweepRow[]): string[] {
  const measured = rows.filter((r) => r.layers?.some((d) => d.angle_st !== null));
  if (measured.length === 0) return [];
  const series = (r: SweepRow, pick: (d: LayerDiagnostics) => string): string => (r.layers ?? []).map(pick).join(' · ');
  return [
    '',
    'Per-layer diagnostics at the last epoch (sweep-layers.csv), from h1 (left) to the top hidden layer (right): ' +
      '∠ST, the mean angle between the target direction ĥ − h and the straight-through gradient −∂L/∂h (degrees; 90 = no alignment, NaN = no target step); ' +
      'rms, the size of the target step ‖ĥ − h‖/√n; recon, the probe loss of the decoder forming that layer\'s target (— at the top).',
    '',
    '| units · rule | depth | ∠ST (°) | rms | recon |',
    '|---|---:|---|---|---|',
    ...measured.map(
      (r) =>
        `| ${r.units} · ${r.rule} | ${r.depth} | ${series(r, (d) => fixed(d.angle_st, 0))} | ${series(r, (d) => (d.rms === null ? '' : d.rms.toPrecision(2)))} | ${series(r, (d) => (d.recon === null ? '—' : d.recon.toFixed(1)))} |`,
    ),
  ];
}

/** Lines in the order first seen, each with its cells by depth. */
function byLine(rows: readonly SweepRow[]): Map<string, SweepRow[]> {
  const lines = new Map<string, SweepRow[]>();
  for (const row of rows) lines.set(`${row.units} · ${row.rule}`, [...(lines.get(`${row.units} · ${row.rule}`) ?? []), row]);
  return lines;
}

/** sweep.md: test error % (final epoch) by line and depth; reasons for cells that did not run. */
export function sweepMarkdown(title: string, rows: readonly SweepRow[], notes: readonly string[]): string {
  const depths = [...new Set(rows.map((r) => r.depth))].sort((a, b) => a - b);
  const failures: string[] = [];
  const table = [...byLine(rows)].map(([label, cells]) => {
    const values = depths.map((depth) => {
      const cell = cells.find((c) => c.depth === depth);
      if (!cell) return '';
      if (cell.status === 'pending') return '…';
      if (cell.status === 'failed') {
        failures.push(`${label}, depth ${depth}: ${cell.error}`);
        return `n/a [${failures.length}]`;
      }
      return percent(cell.summary?.final?.test_error);
    });
    return `| ${label} | ${values.join(' | ')} |`;
  });
  return [
    `# ${title}`,
    '',
    ...notes.flatMap((note) => [note, '']),
    'Test error % at the last epoch, by unit type · rule (rows) and number of hidden layers (columns).',
    '',
    `| units · rule | ${depths.join(' | ')} |`,
    `|---|${depths.map(() => '---:').join('|')}|`,
    ...table,
    ...(failures.length ? ['', ...failures.map((f, i) => `[${i + 1}] ${f}`)] : []),
    ...diagnosticsMarkdown(rows),
    '',
  ].join('\n');
}

/** Test error against depth (log₂ axis): one trace per line, colour by rule, dash by unit type. */
export function depthFigure(rows: readonly SweepRow[]): Figure {
  const rules = [...new Set(rows.map((r) => r.rule))];
  const unitTypes = [...new Set(rows.map((r) => r.units))];
  const dashes = ['solid', 'dash', 'dot', 'dashdot', 'longdash'];
  const data = [...byLine(rows)].map(([label, cells]) => {
    const done = cells.filter((c) => typeof c.summary?.final?.test_error === 'number');
    done.sort((a, b) => a.depth - b.depth);
    return {
      type: 'scatter',
      mode: 'lines+markers',
      name: label,
      x: done.map((c) => c.depth),
      y: done.map((c) => 100 * c.summary!.final!.test_error!),
      line: { color: palette[rules.indexOf(cells[0].rule) % palette.length], dash: dashes[unitTypes.indexOf(cells[0].units) % dashes.length] },
    };
  });
  return { data, layout: axesLayout('hidden layers', 'test error (%)', { xaxis: { title: { text: 'hidden layers' }, type: 'log', dtick: Math.log10(2) } }) };
}
