/**
 * A self-contained HTML page drawing report figures: the plotly.js bundle and every figure spec are
 * inlined, so the page opens from any folder, offline, on any machine. When the page has drawn,
 * `window.apicalReport` says how many figures drew and which failed (for tests and for users).
 */
import * as fs from 'fs';
import { ReportFigure } from './figure';

/** The minified plotly.js bundle (plotly.js-dist-min), read once. */
let bundle: string | undefined;
export function plotlyBundle(): string {
  bundle ??= fs.readFileSync(require.resolve('plotly.js-dist-min'), 'utf8');
  return bundle;
}

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/** JSON safe inside a <script> element. */
export const scriptJson = (value: unknown): string => JSON.stringify(value).replace(/</g, '\\u003c');

/** Inline script text: "</script" cannot close the element early. */
export const scriptText = (source: string): string => source.replace(/<\/script/gi, '<\\/script');

export const pageStyle = `body{font-family:system-ui,sans-serif;margin:24px auto;max-width:960px;color:#222}
h1{font-size:1.5em}h2{font-size:1.15em;margin:28px 0 4px}p.caption{color:#555;margin:0 0 6px;font-size:.9em}
table{border-collapse:collapse;font-size:.9em}td,th{border:1px solid #ccc;padding:3px 8px;text-align:left}`;

/** The page: a heading, an HTML block (e.g. a summary table), then every figure in order. */
export function reportPage(title: string, intro: string, figures: readonly ReportFigure[]): string {
  const sections = figures
    .map(
      (f) => `<section><h2>${escapeHtml(f.title)}</h2><p class="caption">${escapeHtml(f.caption)}</p><div class="plot" id="${escapeHtml(f.id)}"></div></section>`,
    )
    .join('\n');
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>${pageStyle}</style>
<script>${scriptText(plotlyBundle())}</script></head>
<body><h1>${escapeHtml(title)}</h1>
${intro}
${sections}
<script>
(function () {
  var figures = ${scriptJson(figures.map((f) => ({ id: f.id, data: f.figure.data, layout: f.figure.layout })))};
  var state = { figures: figures.length, drawn: 0, failed: [] };
  window.apicalReport = state;
  figures.forEach(function (f) {
    try {
      Plotly.newPlot(f.id, f.data, f.layout, { displaylogo: false }).then(
        function () { state.drawn++; },
        function (e) { state.failed.push(f.id + ': ' + e); });
    } catch (e) { state.failed.push(f.id + ': ' + e); }
  });
})();
</script>
</body></html>
`;
}

export { escapeHtml };
