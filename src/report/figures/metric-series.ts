/**
 * Any metric of metrics.jsonl against epoch (or a spiking run's simulated time): a number (one line per run) or an object of
 * numbers (one line per key and run), e.g. `reconstruction_error: { g2: …, g3: … }` or alignment
 * angles per layer. Drawn generically, so metrics added by new rules appear without new code.
 */
import { axesLayout, Figure, palette } from '../figure';
import { MetricsRecord } from '../run-files';

/** Keys the learning curves and the run summary already show, or that are bookkeeping. */
const shownElsewhere = new Set(['epoch', 't_end_s', 'train_error', 'valid_error', 'test_error', 'seconds', 'eval_seconds', 'wall_seconds', 'cpu_seconds', 'valid_loss', 'test_loss']);

/** What the records run along: training epochs, or a spiking run's simulated time. */
export function xAxis(records: readonly MetricsRecord[]): { key: string; title: string } {
  return records.some((r) => typeof r.epoch === 'number') ? { key: 'epoch', title: 'epoch' } : { key: 't_end_s', title: 'simulated time (s)' };
}

/**
 * The metric keys of `records` that hold a number or an object of numbers, in first-seen order;
 * a number that never changes (e.g. a constant probe noise) is not a series.
 */
export function seriesKeys(records: readonly MetricsRecord[]): string[] {
  const keys = new Set<string>();
  const seen = new Map<string, Set<string>>();
  for (const record of records) {
    for (const [key, value] of Object.entries(record)) {
      if (shownElsewhere.has(key)) continue;
      if (typeof value === 'number' || (isNumberRecord(value) && Object.keys(value).length > 0)) {
        keys.add(key);
        const values = seen.get(key) ?? new Set<string>();
        values.add(JSON.stringify(value));
        seen.set(key, values);
      }
    }
  }
  return [...keys].filter((key) => records.length < 2 || seen.get(key)!.size > 1);
}

/** An object of numbers (null or the string "NaN" for a value that could not be measured: a gap). */
function isNumberRecord(value: unknown): value is Record<string, number | null | 'NaN'> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((v) => typeof v === 'number' || v === null || v === 'NaN')
  );
}

const numberOrGap = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** "reconstruction_error" → "reconstruction error". */
export function metricTitle(key: string): string {
  return key.replace(/_/g, ' ');
}

/** The figure of metric `key` for every run; y is logarithmic when every value is positive and they span a decade. */
export function metricFigure(runs: readonly { readonly label: string; readonly records: readonly MetricsRecord[] }[], key: string): Figure {
  const data: Record<string, unknown>[] = [];
  const axis = xAxis(runs.flatMap((run) => run.records));
  runs.forEach((run, i) => {
    const parts = new Set<string>();
    for (const r of run.records) {
      const value = r[key];
      if (isNumberRecord(value)) for (const part of Object.keys(value)) parts.add(part);
    }
    const series = parts.size > 0 ? [...parts].sort((a, b) => a.localeCompare(b, 'en', { numeric: true })) : [null];
    series.forEach((part, j) => {
      data.push({
        type: 'scatter',
        mode: 'lines+markers',
        name: [runs.length > 1 ? run.label : null, part ?? (runs.length > 1 ? null : metricTitle(key))].filter(Boolean).join(' ') || run.label,
        x: run.records.map((r) => r[axis.key] ?? null),
        y: run.records.map((r) => {
          const value = r[key];
          if (part === null) return numberOrGap(value);
          return isNumberRecord(value) ? numberOrGap(value[part]) : null;
        }),
        line: { color: palette[(runs.length > 1 ? i : j) % palette.length], dash: runs.length > 1 ? ['solid', 'dash', 'dot', 'dashdot'][j % 4] : 'solid' },
        marker: { size: 4 },
      });
    });
  });
  const values = data.flatMap((trace) => (trace.y as (number | null)[]).filter((v): v is number => v !== null));
  const positive = values.length > 0 && values.every((v) => v > 0);
  const log = positive && Math.max(...values) / Math.min(...values) > 10;
  const unit = /angle/.test(key) ? 'degrees' : metricTitle(key);
  return { data, layout: axesLayout(axis.title, unit, log ? { yaxis: { title: { text: unit }, type: 'log' } } : {}) };
}
