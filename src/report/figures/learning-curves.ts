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
      yaxis: { title: { text: 'error (%)' }, type: 'log', range: logRange(curves) },
      width: 900,
      height: 480,
    },
  };
}

/**
 * The log axis' range (log10 of %): from a tenth of the lowest validation or test error up to the
 * highest error. A training error falling towards 0 would otherwise stretch the axis over decades
 * and squeeze the held-out curves, the ones runs are compared by, into a thin band; it runs off
 * the bottom instead. Undefined (plotly's own range) when nothing was evaluated.
 */
function logRange(curves: readonly Curve[]): [number, number] | undefined {
  const values = (keys: readonly string[]): number[] =>
    curves.flatMap((curve) => curve.records.flatMap((r) => keys.map((key) => r[key as keyof MetricsRecord]).filter((v): v is number => typeof v === 'number' && v > 0)));
  const heldOut = values(['valid_error', 'test_error']);
  const all = values(splits.map((split) => split.key));
  if (heldOut.length === 0 || all.length === 0) return undefined;
  const low = Math.min(...heldOut) / 10;
  const high = Math.max(...all);
  return [Math.log10(100 * low), Math.log10(100 * high) + 0.05];
}
