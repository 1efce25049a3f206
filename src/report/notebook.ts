/**
 * Figures in Jupyter notebooks (tslab kernel): the plotly bundle is put into the notebook once as
 * an HTML output (it then works offline, like a report page), and each figure is a small HTML
 * output that draws with it.
 *
 *   import * as tslab from 'tslab';
 *   tslab.display.html(notebookPlotly());
 *   tslab.display.html(notebookFigure(learningCurveFigure(curves)));
 */
import { Figure } from './figure';
import { plotlyBundle, scriptJson, scriptText } from './page';

/** An HTML output that loads plotly.js into the notebook page. */
export function notebookPlotly(): string {
  return `<script>${scriptText(plotlyBundle())}</script>`;
}

let figures = 0;

/** An HTML output drawing `figure`; `id` names its element (default: apical-figure-<n>). */
export function notebookFigure(figure: Figure, id = `apical-figure-${++figures}`): string {
  return `<div id="${id}"></div>
<script>Plotly.newPlot(${scriptJson(id)}, ${scriptJson(figure.data)}, ${scriptJson(figure.layout)}, { displaylogo: false });</script>`;
}
