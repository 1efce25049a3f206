/**
 * What `apical tune` writes: trials.csv (one row per trial and rung), tune.md (the rungs, the best
 * trials, the cost against training every trial to the budget) and the figures of tune.html
 * (validation error against each searched field; trials in the order they ended, with the best so far).
 */
import { csvLines } from './csv';
import { axesLayout, palette, ReportFigure } from './figure';

/** One trial trained at one rung, and how it ended. */
export interface TrialRow {
  readonly trial: number;
  readonly rung: number;
  readonly epochs: number;
  readonly settings: Readonly<Record<string, unknown>>;
  readonly status: 'finished' | 'skipped' | 'failed';
  readonly out: string;
  /** Lowest validation error over the run's epochs (the search's score), and its epoch. */
  readonly validError: number | null;
  readonly bestEpoch: number | null;
  /** Test error at that epoch: reported, never used to choose. */
  readonly testError: number | null;
  readonly trainingSeconds: number | null;
  /** Epochs the run trained: the rung's epochs, or fewer when patience stopped it. */
  readonly epochsTrained: number | null;
  readonly error?: string;
}

/** A searched field and whether its axis is logarithmic. */
export interface SearchedField {
  readonly field: string;
  readonly log: boolean;
}

const percent = (v: number | null): string => (v === null ? '—' : `${(100 * v).toFixed(2)}%`);

/** trials.csv: errors as fractions, one column per searched field. */
export function tuneCsv(fields: readonly SearchedField[], rows: readonly TrialRow[]): string {
  const header = ['trial', 'rung', 'epochs', ...fields.map((f) => f.field), 'status', 'valid_error', 'best_epoch', 'test_error', 'training_seconds', 'epochs_trained', 'out', 'error'];
  return csvLines(
    header,
    rows.map((r) => [
      r.trial,
      r.rung,
      r.epochs,
      ...fields.map((f) => (typeof r.settings[f.field] === 'object' ? JSON.stringify(r.settings[f.field]) : (r.settings[f.field] as string | number))),
      r.status,
      r.validError,
      r.bestEpoch,
      r.testError,
      r.trainingSeconds,
      r.epochsTrained,
      r.out,
      r.error,
    ]),
  );
}

export interface TuneSummary {
  readonly command: string;
  readonly experiment: string;
  readonly seed: number;
  readonly budget: number;
  readonly eta: number;
  readonly rungs: readonly { readonly epochs: number; readonly trials: number }[];
  /** False while the search runs: the files are rewritten as each run ends. */
  readonly ended: boolean;
  /** The best trial of the last rung, null while the search runs or when every run there failed. */
  readonly best: TrialRow | null;
  /** The experiment file with the best settings (relative to the search folder). */
  readonly bestFile: string | null;
}

/**
 * tune.md: the plan, the trials of the furthest rung reached ranked, and the cost: training seconds
 * spent against an estimate of training every trial to the budget (the same trials at the budget's
 * epochs, at the seconds per epoch measured in this search).
 */
export function tuneMarkdown(summary: TuneSummary, fields: readonly SearchedField[], rows: readonly TrialRow[]): string {
  const spent = rows.reduce((sum, r) => sum + (r.trainingSeconds ?? 0), 0);
  const epochsRun = rows.reduce((sum, r) => sum + (r.epochsTrained ?? 0), 0);
  const perEpoch = epochsRun > 0 ? spent / epochsRun : null;
  const trials = summary.rungs[0]?.trials ?? 0;
  const full = perEpoch === null ? null : trials * summary.budget * perEpoch;
  // The furthest rung any trial has reached (the plan's last, unless the search stopped or is still running).
  const last = Math.max(0, ...rows.map((r) => r.rung));
  const ended = rows.filter((r) => r.rung === last).length;
  const ranked = rows.filter((r) => r.rung === last).sort((a, b) => (a.validError ?? Infinity) - (b.validError ?? Infinity) || a.trial - b.trial);
  const hours = (s: number | null): string => (s === null ? '—' : (s / 3600).toFixed(2));
  const lines = [
    `# apical tune: ${summary.experiment}`,
    '',
    `\`${summary.command}\``,
    '',
    `Search seed ${summary.seed}; successive halving with η = ${summary.eta} up to ${summary.budget} epochs; the score is the lowest validation error of a run.`,
    '',
    '| rung | epochs | trials |',
    '|---|---|---|',
    ...summary.rungs.map((r, i) => `| ${i} | ${r.epochs} | ${r.trials} |`),
    '',
    `Training time: ${hours(spent)} hours for ${epochsRun} epochs (the trials' epoch seconds: wall-clock time, which counts any time a run waited for a core or was paused); every trial to ${summary.budget} epochs at the same ${perEpoch === null ? '—' : perEpoch.toFixed(2)} s per epoch: ${hours(full)} hours` +
      (full !== null && spent > 0 ? ` (${(full / spent).toFixed(1)}× this search).` : '.'),
    '',
    `## Rung ${last} (${summary.rungs[last]?.epochs ?? '—'} epochs${summary.ended ? '' : `; ${ended} of ${summary.rungs[last]?.trials ?? '—'} trials ended so far`})`,
    '',
    `| trial | ${fields.map((f) => f.field).join(' | ')} | valid error | best epoch | test error |`,
    `|---|${fields.map(() => '---|').join('')}---|---|---|`,
    ...ranked.map((r) => `| ${r.trial} | ${fields.map((f) => formatValue(r.settings[f.field])).join(' | ')} | ${percent(r.validError)} | ${r.bestEpoch ?? '—'} | ${percent(r.testError)} |`),
    '',
    summary.best && summary.bestFile
      ? `Best: trial ${summary.best.trial}, validation error ${percent(summary.best.validError)} (test ${percent(summary.best.testError)}); its experiment file: \`${summary.bestFile}\`.`
      : summary.ended
        ? 'No trial of the last rung finished.'
        : 'The search is under way: best.json is written when it ends.',
    '',
  ];
  return lines.join('\n');
}

function formatValue(value: unknown): string {
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : value.toPrecision(4);
  return JSON.stringify(value);
}

/**
 * The figures: validation error (%) against each searched field, one colour per rung; and every
 * run's validation error in the order the runs ended, with the best so far.
 */
export function tuneFigures(fields: readonly SearchedField[], rows: readonly TrialRow[]): ReportFigure[] {
  const scored = rows.filter((r) => r.validError !== null);
  const rungs = [...new Set(scored.map((r) => r.rung))].sort((a, b) => a - b);
  const byField = fields.map(({ field, log }): ReportFigure => ({
    id: `field-${field}`,
    title: `Validation error against ${field}`,
    caption: `Each point a trial at one rung (trials.csv); ${log ? 'log-uniform' : 'drawn'} values of ${field}.`,
    figure: {
      data: rungs.map((rung) => {
        const points = scored.filter((r) => r.rung === rung);
        return {
          type: 'scatter',
          mode: 'markers',
          name: `rung ${rung} (${points[0]?.epochs} epochs)`,
          x: points.map((r) => r.settings[field]),
          y: points.map((r) => 100 * r.validError!),
          text: points.map((r) => `trial ${r.trial}`),
          marker: { color: palette[rung % palette.length], size: 8 },
        };
      }),
      layout: axesLayout(field, 'validation error (%)', log ? { xaxis: { title: { text: field }, type: 'log' } } : {}),
    },
  }));
  let best = Infinity;
  const running = scored.map((r) => (best = Math.min(best, 100 * r.validError!)));
  const overTime: ReportFigure = {
    id: 'trials-over-time',
    title: 'Trials in the order they ended',
    caption: 'Validation error of every run (all rungs) in the order it ended, and the lowest so far (trials.csv).',
    figure: {
      data: [
        { type: 'scatter', mode: 'markers', name: 'run', x: scored.map((_, i) => i + 1), y: scored.map((r) => 100 * r.validError!), text: scored.map((r) => `trial ${r.trial}, rung ${r.rung}`), marker: { color: palette[0] } },
        { type: 'scatter', mode: 'lines', name: 'best so far', x: scored.map((_, i) => i + 1), y: running, line: { color: palette[1], shape: 'hv' } },
      ],
      layout: axesLayout('run', 'validation error (%)'),
    },
  };
  return [...byField, overTime];
}
