/**
 * The demo page: a menu (rule, unit type, epochs), the live view's figures (live/page.ts: learning
 * curves, activity traces with targets, learning signal) and the spiking example's raster
 * (report/figures/spiking.ts), drawn from what the page's worker (worker.ts) posts. Choosing again
 * stops the run (the worker is ended) and starts the new one. The query string presets the menu
 * (?rule=fa&units=sign&epochs=3&threads=1). `window.apicalDemo` holds the epoch records, the
 * backend and any failure (for tests and the curious); `window.apicalLive` counts the live view's
 * events.
 */
import { escapeHtml, pageStyle } from '../report/page';
import { liveViewBody, liveViewScript } from '../live/page';
import { DEMO_EPOCHS, demoRules, demoUnits } from './demo-experiments';
import { DemoAssets } from './protocol';

const options = (names: readonly string[]): string => names.map((name) => `<option>${escapeHtml(name)}</option>`).join('');

export function demoPage(): string {
  return `<!doctype html>
<html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>apical — in the browser</title>
<style>${pageStyle} #status,#engine{color:#555} form{margin:12px 0} label{margin-right:14px}</style>
<script src="${DemoAssets.plotly}"></script></head>
<body><h1>apical <small>in the browser</small></h1>
<p>A 784-240×3-10 network learns MNIST digits (a bundled subset: 3,000 training, 500 validation and 1,000 test images) in this page, with
apical's WebAssembly kernels in a Web Worker: nothing is installed and nothing leaves the page.</p>
<form id="menu">
<label>rule <select id="rule">${options(demoRules)}</select></label>
<label>units <select id="units">${options(demoUnits)}</select></label>
<label>epochs <input id="epochs" type="number" min="1" max="100" value="${DEMO_EPOCHS}" style="width:4em"></label>
<button id="train" type="submit">train</button>
</form>
<p id="engine">loading the kernels…</p>
<p id="status">waiting…</p>
${liveViewBody}<h2>A spiking network</h2>
<p class="caption" id="raster-caption">A CUBA network (Vogels &amp; Abbott 2005; experiments/cuba.json, 500 ms) simulated in the worker from its equations: one dot per spike.</p>
<div class="plot" id="raster"></div>
<script>
(function () {
  var relay = new EventTarget();
  relay.close = function () {};
  var demo = { records: [], raster: 0, engine: null, failed: null, rasterSeconds: null };
  window.apicalDemo = demo;
  ${liveViewScript('relay')}
  var query = new URLSearchParams(location.search);
  var pick = function (id) { var v = query.get(id); if (v !== null) document.getElementById(id).value = v; };
  pick('rule'); pick('units'); pick('epochs');
  var threads = query.get('threads') === '1' ? 1 : 2;
  var engine = document.getElementById('engine');
  var worker = null;
  function start() {
    if (worker) worker.terminate();
    demo.records = []; demo.failed = null;
    var rule = document.getElementById('rule').value, units = document.getElementById('units').value;
    var epochs = Math.max(1, Math.min(100, Math.round(Number(document.getElementById('epochs').value) || ${DEMO_EPOCHS})));
    worker = new Worker('${DemoAssets.worker}');
    worker.onmessage = function (event) {
      var message = event.data;
      if (message.kind === 'ready') {
        demo.engine = message.data;
        engine.textContent = 'kernels: ' + message.data.backend + ' on ' + message.data.threads + (message.data.threads === 1 ? ' thread' : ' threads') +
          (message.data.isolated ? '' : ' (the page is not cross-origin isolated: one thread)') + '; training demo-' + rule + '-' + units;
      } else if (message.kind === 'raster') {
        demo.raster++; demo.rasterSeconds = message.data.seconds;
        Plotly.react('raster', message.data.figure.data, message.data.figure.layout, { displaylogo: false });
      } else if (message.kind === 'failed') {
        demo.failed = message.data.message;
        document.getElementById('status').textContent = 'stopped: ' + message.data.message;
      } else {
        if (message.kind === 'epoch') demo.records.push(message.data);
        relay.dispatchEvent(new MessageEvent(message.kind, { data: JSON.stringify(message.data) }));
      }
    };
    worker.onerror = function (event) { demo.failed = event.message; document.getElementById('status').textContent = 'stopped: ' + event.message; };
    worker.postMessage({ experiment: 'demo-' + rule + '-' + units, epochs: epochs, threads: threads });
  }
  document.getElementById('menu').onsubmit = function (event) { event.preventDefault(); start(); };
  document.getElementById('rule').onchange = start;
  document.getElementById('units').onchange = start;
  start();
})();
</script>
</body></html>
`;
}
