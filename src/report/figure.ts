/**
 * A plotly figure as plain JSON (data + layout), built in Node and drawn by the browser, so that it
 * can be tested as data and stored beside the page that draws it.
 */
export interface Figure {
  readonly data: readonly Record<string, unknown>[];
  readonly layout: Record<string, unknown>;
}

/** A figure with the id and title a report page shows it under. */
export interface ReportFigure {
  /** Unique within a report, e.g. "learning-curves" or "targets-h3". */
  readonly id: string;
  readonly title: string;
  /** One sentence under the title: what is drawn, from which file. */
  readonly caption: string;
  readonly figure: Figure;
}

export const palette = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];

/** The layout every report figure shares: titled axes, a fixed size. */
export function axesLayout(xTitle: string, yTitle: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    xaxis: { title: { text: xTitle } },
    yaxis: { title: { text: yTitle } },
    width: 900,
    height: 420,
    margin: { t: 30, r: 20, b: 50, l: 70 },
    ...extra,
  };
}
