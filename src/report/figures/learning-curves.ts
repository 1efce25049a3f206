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

/**
 * The learning-curve figure for `curves`. A split evaluated only at some epochs (a stochastic net's
 * 100-sample test every 50 epochs) is drawn through the epochs it has, with markers; a split never
 * evaluated has no trace.
 */
export function learningCurveFigure(curves: readonly Curve[], title = 'Learning curves'): Figure {
  const data = curves.flatMap((curve, i) =>
    splits.flatMap(({ key, name, dash }) => {
      const evaluated = curve.records.filter((r) => typeof r[key] === 'number');
      if (evaluated.length === 0) return [];
      return [
        {
          type: 'scatter',
          mode: evaluated.length < curve.records.length ? 'lines+markers' : 'lines',
          name: `${curve.label} ${name}`,
          x: evaluated.map((r) => r.epoch),
          y: evaluated.map((r) => 100 * (r[key] as number)),
          line: { color: palette[i % palette.length], dash },
        },
      ];
    }),
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
