/**
 * Learning curves as a plotly figure: train/valid/test error (%) against epoch for one or more runs,
 * written as a standalone HTML page that loads the plotly.js-dist bundle from this installation.
 * The figure spec (data + layout) is plain JSON, built and tested apart from the page.
 */
import * as fs from 'fs';
import * as path from 'path';
import { EpochRecord } from '../engine/trainer';

export interface Curve {
  readonly label: string;
  readonly records: readonly EpochRecord[];
}

export interface Figure {
  readonly data: readonly Record<string, unknown>[];
  readonly layout: Record<string, unknown>;
}

const splits = [
  { key: 'train_error', name: 'train', dash: 'dot' },
  { key: 'valid_error', name: 'valid', dash: 'dash' },
  { key: 'test_error', name: 'test', dash: 'solid' },
] as const;

/** The learning-curve figure for `curves`. */
export function learningCurveFigure(curves: readonly Curve[], title = 'Learning curves'): Figure {
  const palette = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b'];
  const data = curves.flatMap((curve, i) =>
    splits.map(({ key, name, dash }) => ({
      type: 'scatter',
      mode: 'lines',
      name: `${curve.label} ${name}`,
      x: curve.records.map((r) => r.epoch),
      y: curve.records.map((r) => (r[key] === null ? null : 100 * r[key]!)),
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
      height: 560,
    },
  };
}

/** A page drawing `figure` with the plotly bundle at `plotlyScript` (a path or URL). */
export function figurePage(figure: Figure, plotlyScript: string): string {
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>${String((figure.layout.title as { text?: string })?.text ?? 'apical')}</title>
<script src="${plotlyScript}"></script></head>
<body><div id="plot"></div>
<script>Plotly.newPlot('plot', ${JSON.stringify(figure.data)}, ${JSON.stringify(figure.layout)});</script>
</body></html>
`;
}

/** Writes the learning curves of `curves` to the HTML page `file`. */
export function writeLearningCurvesPage(file: string, curves: readonly Curve[], title?: string): string {
  const bundle = require.resolve('plotly.js-dist');
  const relative = path.relative(path.dirname(path.resolve(file)), bundle);
  fs.writeFileSync(file, figurePage(learningCurveFigure(curves, title), relative));
  return file;
}

/** Writes DIR/learning-curves.html for `curves`. */
export function writeLearningCurves(dir: string, curves: readonly Curve[], title?: string): string {
  return writeLearningCurvesPage(path.join(dir, 'learning-curves.html'), curves, title);
}

/** The curve of the run directory `dir`, labelled "<experiment> s<seed>". */
export function readRunCurve(dir: string): Curve {
  const metrics = path.join(dir, 'metrics.jsonl');
  if (!fs.existsSync(metrics)) throw new RunReadError(`${dir}: not a run directory (no metrics.jsonl)`);
  const records = fs
    .readFileSync(metrics, 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line, i) => {
      try {
        return JSON.parse(line) as EpochRecord;
      } catch {
        throw new RunReadError(`${metrics}: line ${i + 1} is not valid JSON`);
      }
    });
  let label = path.basename(dir);
  try {
    const config = JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8'));
    label = `${config.name} s${config.training.seed}`;
  } catch {
    // No readable config.json: the folder name serves as the label.
  }
  return { label, records };
}

/** A run directory that cannot be read. */
export class RunReadError extends Error {
  override readonly name = 'RunReadError';
}
