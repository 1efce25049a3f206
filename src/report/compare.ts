/**
 * The comparison report of `apical compare`: one CSV row per run and, per experiment (one rule with
 * its settings), a Markdown table of mean ± sd over seeds beside the rule's plausibility columns.
 * A failed run is a row with its error; it counts in "runs" but not in the means.
 */
import { csvCell } from './csv';
import { RunSummary } from './run-files';
import { SignalUse } from '../rules';
import { plausibilityCells, plausibilityTitles } from './plausibility';

/** One planned run and how it ended. */
export interface ComparedRun {
  readonly experiment: string;
  readonly rule: string;
  readonly uses: SignalUse;
  readonly seed: number;
  readonly out: string;
  readonly status: 'finished' | 'skipped' | 'failed';
  readonly summary?: RunSummary;
  readonly error?: string;
}

const csvColumns = [
  'experiment', 'rule', 'seed', 'status', 'epochs', 'train_error', 'valid_error', 'test_error',
  'best_valid_epoch', 'best_valid_test_error', 'seconds_per_epoch', 'out', 'error',
] as const;


/** Seconds of training per epoch of a finished run. */
function secondsPerEpoch(summary: RunSummary): number | null {
  return summary.epochs_completed > 0 ? summary.training_seconds / summary.epochs_completed : null;
}

/** compare.csv: one row per run, errors as fractions. */
export function compareCsv(runs: readonly ComparedRun[]): string {
  const rows = runs.map((run) => {
    const s = run.summary;
    const cells: Record<(typeof csvColumns)[number], string | number | null | undefined> = {
      experiment: run.experiment,
      rule: run.rule,
      seed: run.seed,
      status: run.status,
      epochs: s?.epochs_completed,
      train_error: s?.final?.train_error,
      valid_error: s?.final?.valid_error,
      test_error: s?.final?.test_error,
      best_valid_epoch: s?.best_valid?.epoch,
      best_valid_test_error: s?.best_valid?.test_error,
      seconds_per_epoch: s ? secondsPerEpoch(s) : null,
      out: run.out,
      error: run.error,
    };
    return csvColumns.map((c) => csvCell(cells[c])).join(',');
  });
  return [csvColumns.join(','), ...rows].join('\n') + '\n';
}

/** Mean and sample standard deviation (n − 1); sd is NaN for one value. */
export function meanSd(values: readonly number[]): { mean: number; sd: number; n: number } {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const sd = n > 1 ? Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1)) : NaN;
  return { mean, sd, n };
}

/** "1.85 ± 0.04" (scaled by `scale`), "1.85" for one value, "—" for none. */
export function formatMeanSd(values: readonly number[], scale: number, digits: number): string {
  if (values.length === 0) return '—';
  const { mean, sd } = meanSd(values.map((v) => v * scale));
  return Number.isNaN(sd) ? mean.toFixed(digits) : `${mean.toFixed(digits)} ± ${sd.toFixed(digits)}`;
}

/** compare.md's table: one row per experiment, in the order first seen. */
export function compareTable(runs: readonly ComparedRun[]): string {
  const groups = new Map<string, ComparedRun[]>();
  for (const run of runs) groups.set(run.experiment, [...(groups.get(run.experiment) ?? []), run]);
  const header =
    '| experiment | rule | runs | train error % | test error % | best-valid test error % | s/epoch | ' +
    `${plausibilityTitles().join(' | ')} |`;
  const rule = `|---|---|---:|---:|---:|---:|---:|${plausibilityTitles().map(() => ':-:').join('|')}|`;
  const rows = [...groups.values()].map((group) => {
    const done = group.flatMap((r) => (r.summary ? [r.summary] : []));
    const pick = (f: (s: RunSummary) => number | null | undefined): number[] =>
      done.flatMap((s) => {
        const v = f(s);
        return v === null || v === undefined ? [] : [v];
      });
    const first = group[0];
    return (
      `| ${first.experiment} | ${first.rule} | ${done.length}/${group.length} | ` +
      `${formatMeanSd(pick((s) => s.final?.train_error), 100, 2)} | ` +
      `${formatMeanSd(pick((s) => s.final?.test_error), 100, 2)} | ` +
      `${formatMeanSd(pick((s) => s.best_valid?.test_error), 100, 2)} | ` +
      `${formatMeanSd(pick(secondsPerEpoch), 1, 2)} | ${plausibilityCells(first.uses).join(' | ')} |`
    );
  });
  return [header, rule, ...rows].join('\n');
}

/** compare.md: the table, then every failed run with its error. */
export function compareMarkdown(runs: readonly ComparedRun[], command: string): string {
  const failed = runs.filter((r) => r.status === 'failed');
  const failures = failed.length
    ? ['', '## Failed runs', '', ...failed.map((r) => `- ${r.experiment} seed ${r.seed} (${r.out}): ${r.error}`)]
    : [];
  return [
    '# apical compare',
    '',
    `\`${command}\``,
    '',
    'Errors in %, mean ± sd over seeds (final epoch; best-valid: the test error at the epoch of lowest validation error); s/epoch: training seconds per epoch.',
    '',
    compareTable(runs),
    ...failures,
    '',
  ].join('\n');
}
