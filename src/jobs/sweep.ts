/**
 * `apical sweep <sweep.json> [--jobs J] [--out DIR]`: every cell of the sweep (experiment/sweep.ts:
 * a line at a depth, or a combination of settings of any experiment file) as a separate run through a JobRunner (by default the local process pool of src/jobs), each into
 * DIR/<cell>; then DIR/sweep.csv, DIR/sweep.md and DIR/sweep.html (the figure of test error against
 * the sweep's last axis), with DIR/sweep-layers.csv (per-layer diagnostics, report/layer-diagnostics.ts)
 * when the cells measure alignment metrics, rewritten as each cell ends (cells not run yet are pending). Cells whose folder already
 * holds a finished run are skipped and cells stopped part way (a checkpoint of the same run) continue from their checkpoint, so a
 * sweep resumes. A depth sweep with `seeds` runs every cell at each seed and
 * reports mean ± sd over them.
 */
import * as fs from 'fs';
import * as path from 'path';
import { loadSweep, planSweep, SweepCell } from '../experiment/sweep';
import { finishedRun, interruptedRun, JobRunner } from './job';
import { sameRun } from '../experiment/learning-experiment';
import { escapeHtml, reportPage } from '../report/page';
import { sweepCsv, sweepFigure, sweepLayersByEpochCsv, sweepLayersCsv, sweepMarkdown, SweepRow } from '../report/sweep';
import { layerDiagnosticsByEpoch } from '../report/layer-diagnostics';
import { expandLayers } from '../network/spec';
import { projectPath } from '../report/project-path';

export interface SweepOptions {
  readonly out: string;
  /** The command line, quoted in sweep.md. */
  readonly command: string;
  readonly log?: (line: string) => void;
}

export async function sweep(file: string, runner: JobRunner, options: SweepOptions): Promise<SweepRow[]> {
  const log = options.log ?? (() => undefined);
  // Relative to the working directory, so the runs' messages and the report name no absolute path.
  const out = projectPath(options.out);
  const plan = planSweep(loadSweep(file), out);
  fs.mkdirSync(out, { recursive: true });
  const { cells } = plan;
  const diagnosed = cells.some((cell) => cell.experiment.metrics.alignmentEvery !== null);
  /** A finished cell's per-layer diagnostics, at the last epoch and at every epoch (none when no cell measures alignment metrics). */
  const diagnostics = (cell: SweepCell, folder: string): Pick<SweepRow, 'layers' | 'history'> => {
    if (!diagnosed) return {};
    const history = layerDiagnosticsByEpoch(folder, expandLayers(cell.experiment.model).length - 1);
    return { layers: history.length ? history[history.length - 1].layers : [], history };
  };
  /** A cell's labels and seed (in a sweep over seeds), as every row of it begins. */
  const named = (cell: SweepCell): Pick<SweepRow, 'labels' | 'seed'> => ({ labels: cell.labels, seed: cell.seed });
  const rows = new Map<string, SweepRow>();
  const pending = cells.filter((cell) => {
    const folder = path.join(out, cell.key);
    const summary = finishedRun(folder, cell.experiment.training.epochs);
    if (summary) rows.set(cell.key, { ...named(cell), status: 'skipped', out: folder, summary, ...diagnostics(cell, folder) });
    return !summary;
  });
  const resume = new Set(pending.filter((cell) => interruptedRun(path.join(out, cell.key), sameRun(cell.experiment))).map((cell) => cell.key));
  log(`sweep: ${cells.length} runs (${cells.length - pending.length} already finished, ${resume.size} to resume from a checkpoint) → ${out}`);
  const notes = [`\`${options.command}\``, ...(plan.description ? [plan.description] : [])];
  const report = (): SweepRow[] => {
    const all = cells.map((cell) => rows.get(cell.key) ?? { ...named(cell), status: 'pending' as const, out: path.join(out, cell.key) });
    fs.writeFileSync(path.join(out, 'sweep.csv'), sweepCsv(plan, all));
    fs.writeFileSync(path.join(out, 'sweep.md'), sweepMarkdown(plan.name, plan, all, notes));
    if (diagnosed) {
      fs.writeFileSync(path.join(out, 'sweep-layers.csv'), sweepLayersCsv(plan, all));
      fs.writeFileSync(path.join(out, 'sweep-layers-epochs.csv'), sweepLayersByEpochCsv(plan, all));
    }
    const last = plan.axes[plan.axes.length - 1].title;
    const figure = { id: 'sweep', title: `Test error against ${last}`, caption: `${plan.name}: test error at the last epoch (sweep.csv).`, figure: sweepFigure(plan, all) };
    fs.writeFileSync(path.join(out, 'sweep.html'), reportPage(plan.name, `<p>${escapeHtml(notes.slice(1).join(' '))}</p>`, [figure]));
    return all;
  };
  report();
  const byKey = new Map(pending.map((cell) => [cell.key, cell]));
  const requests = pending.map((cell) => ({
    key: cell.key,
    experiment: cell.experiment.file,
    seed: cell.experiment.training.seed,
    out: path.join(out, cell.key),
    set: cell.set,
    resume: resume.has(cell.key),
  }));
  let done = 0;
  for await (const outcome of runner.run(requests)) {
    const cell = byKey.get(outcome.request.key)!;
    const base = { ...named(cell), out: outcome.request.out };
    done++;
    if (outcome.status === 'failed') {
      rows.set(cell.key, { ...base, status: 'failed', error: outcome.error });
      log(`[${done}/${pending.length}] ${cell.key}: not run: ${outcome.error}`);
    } else {
      rows.set(cell.key, { ...base, status: outcome.status, summary: outcome.summary, ...diagnostics(cell, outcome.request.out) });
      const test = outcome.summary.final?.test_error;
      log(`[${done}/${pending.length}] ${cell.key}: test error ${test == null ? '—' : (100 * test).toFixed(2) + '%'}`);
    }
    report();
  }
  return report();
}
