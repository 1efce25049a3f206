/** Learning curves: train/valid/test error (%) against epoch, one colour per run. */
import { Figure, palette } from '../figure';
import { MetricsRecord } from '../run-files';

export interface Curve {
  readonly label: string;
  readonly records: readonly MetricsRecord[];
}

const splits = [
  { key: 'train_error', name: 'train', dash: 'dot' },
  { key: 'valid_error', name: 'valid', dash: 'dash' },
  { key: 'test_error', name: 'test', dash: 'solid' },
] as const;

/** The learning-curve figure for `curves`; a missing value (null) is a gap. */
export function learningCurveFigure(curves: readonly Curve[], title = 'Learning curves'): Figure {
  const data = curves.flatMap((curve, i) =>
    splits.map(({ key, name, dash }) => ({
      type: 'scatter',
      mode: 'lines',
      name: `${curve.label} ${name}`,
      x: curve.records.map((r) => r.epoch),
      y: curve.records.map((r) => (typeof r[key] === 'number' ? 100 * (r[key] as number) : null)),
      line: { color: palette[i % palette.length], dash },
    })),
  );
  return {
    data,
    layout: {
      title: { text: title },
      xaxis: { title: { text: 'epoch' } },
      yaxis: { title: { text: 'error (%)' }, type: 'log' },
      width: 900,
      height: 480,
    },
  };
}
