/**
 * `apical sweep <sweep.json> [--jobs J] [--out DIR]`: every cell of the sweep (a line at a depth)
 * as a separate run through a JobRunner (by default the local process pool of src/jobs), each into
 * DIR/<cell>; then DIR/sweep.csv, DIR/sweep.md, DIR/sweep.html (the figure of test error against
 * depth) and DIR/sweep-layers.csv (per-layer diagnostics, report/layer-diagnostics.ts), rewritten as each cell ends (cells not run yet are pending). Cells whose folder already
 * holds a finished run are skipped, so a sweep resumes.
 */
import * as fs from 'fs';
import * as path from 'path';
import { loadSweep, planSweep } from '../experiment/sweep';
import { finishedRun, JobRunner } from './job';
import { escapeHtml, reportPage } from '../report/page';
import { depthFigure, sweepCsv, sweepLayersCsv, sweepMarkdown, SweepRow } from '../report/sweep';
import { layerDiagnostics } from '../report/layer-diagnostics';
import { projectPath } from '../report/project-path';

export interface SweepOptions {
  readonly out: string;
  /** The command line, quoted in sweep.md. */
  readonly command: string;
  readonly log?: (line: string) => void;
}

export async function sweep(file: string, runner: JobRunner, options: SweepOptions): Promise<SweepRow[]> {
  const log = options.log ?? (() => undefined);
  const spec = loadSweep(file);
  // Relative to the working directory, so the runs' messages and the report name no absolute path.
  const out = projectPath(options.out);
  const cells = planSweep(spec, out);
  const rows = new Map<string, SweepRow>();
  const pending = cells.filter((cell) => {
    const folder = path.join(out, cell.key);
    const summary = finishedRun(folder, cell.experiment.training.epochs);
    if (summary) rows.set(cell.key, { units: cell.line.units, rule: cell.line.rule, depth: cell.depth, status: 'skipped', out: folder, summary, layers: layerDiagnostics(folder, cell.depth) });
    return !summary;
  });
  log(`sweep: ${cells.length} runs (${cells.length - pending.length} already finished) → ${out}`);
  const notes = [`\`${options.command}\``, ...(spec.description ? [spec.description] : [])];
  const report = (): SweepRow[] => {
    const all = cells.map(
      (cell) => rows.get(cell.key) ?? { units: cell.line.units, rule: cell.line.rule, depth: cell.depth, status: 'pending' as const, out: path.join(out, cell.key) },
    );
    fs.writeFileSync(path.join(out, 'sweep.csv'), sweepCsv(all));
    fs.writeFileSync(path.join(out, 'sweep.md'), sweepMarkdown(spec.name, all, notes));
    fs.writeFileSync(path.join(out, 'sweep-layers.csv'), sweepLayersCsv(all));
    const figure = { id: 'depth', title: 'Test error against depth', caption: `${spec.name}: test error at the last epoch (sweep.csv).`, figure: depthFigure(all) };
    fs.writeFileSync(path.join(out, 'sweep.html'), reportPage(spec.name, `<p>${escapeHtml(notes.slice(1).join(' '))}</p>`, [figure]));
    return all;
  };
  report();
  const byKey = new Map(pending.map((cell) => [cell.key, cell]));
  const requests = pending.map((cell) => ({ key: cell.key, experiment: cell.experiment.file, seed: cell.experiment.training.seed, out: path.join(out, cell.key) }));
  let done = 0;
  for await (const outcome of runner.run(requests)) {
    const cell = byKey.get(outcome.request.key)!;
    const base = { units: cell.line.units, rule: cell.line.rule, depth: cell.depth, out: outcome.request.out };
    done++;
    if (outcome.status === 'failed') {
      rows.set(cell.key, { ...base, status: 'failed', error: outcome.error });
      log(`[${done}/${pending.length}] ${cell.key}: not run: ${outcome.error}`);
    } else {
      rows.set(cell.key, { ...base, status: outcome.status, summary: outcome.summary, layers: layerDiagnostics(outcome.request.out, cell.depth) });
      const test = outcome.summary.final?.test_error;
      log(`[${done}/${pending.length}] ${cell.key}: test error ${test == null ? '—' : (100 * test).toFixed(2) + '%'}`);
    }
    report();
  }
  return report();
}
