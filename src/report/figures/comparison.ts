/**
 * Several runs side by side: the last test error (%) of each run (the last epoch it was evaluated:
 * a run still going, or one tested every N epochs, has epochs without one) and the test error at
 * its best validation error.
 */
import { Figure, palette } from '../figure';
import { MetricsRecord } from '../run-files';

export function comparisonFigure(runs: readonly { readonly label: string; readonly records: readonly MetricsRecord[] }[]): Figure {
  const final = runs.map((run) => {
    const last = [...run.records].reverse().find((r) => typeof r.test_error === 'number');
    return last ? 100 * (last.test_error as number) : null;
  });
  const best = runs.map((run) => {
    let bestValid = Infinity;
    let test: number | null = null;
    for (const r of run.records) {
      if (typeof r.valid_error === 'number' && r.valid_error < bestValid && typeof r.test_error === 'number') {
        bestValid = r.valid_error;
        test = 100 * r.test_error;
      }
    }
    return test;
  });
  const labels = runs.map((run) => run.label);
  return {
    data: [
      { type: 'bar', name: 'last test error', x: labels, y: final, marker: { color: palette[0] } },
      { type: 'bar', name: 'test error at best validation', x: labels, y: best, marker: { color: palette[1] } },
    ],
    layout: {
      barmode: 'group',
      yaxis: { title: { text: 'test error (%)' } },
      width: 900,
      height: 420,
      margin: { t: 30, r: 20, b: 80, l: 70 },
    },
  };
}
