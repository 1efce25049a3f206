/**
 * The live page: learning curves, activity traces of one chosen population (activity solid, target
 * dotted) and the learning signal rms(ĥ − h) of every population, extended as server-sent events
 * arrive. A `hello` event (sent first, and first again on every reconnection) resets the plots,
 * so reloading or reconnecting redraws the run so far without duplicates. Minibatch and trace points
 * are drawn together at most once a second (and at every epoch's end): each plotly call redraws a
 * whole figure, and on a busy machine drawing every event took more CPU than the training it
 * showed. `window.apicalLive` counts what arrived (for tests and the curious).
 */
import { escapeHtml, pageStyle } from '../report/page';

/** The live view's figures, drawn by liveViewScript (plotly.js must be loaded). */
export const liveViewBody = `<h2>Learning curves</h2><div class="plot" id="curves"></div>
<h2>Activity traces <select id="population"></select></h2>
<p class="caption">Activity h (solid) and target ĥ (dotted) of the first units of the first example of every sampled minibatch.</p>
<div class="plot" id="traces"></div>
<h2>Learning signal per population</h2>
<p class="caption">rms(ĥ − h) over the population's units for the first example of every sampled minibatch.</p>
<div class="plot" id="signal"></div>
`;

/**
 * The script that draws liveViewBody from the events of `source`: a JavaScript expression for an
 * object with addEventListener(kind, listener) whose events carry JSON in `data` (hello, batch,
 * epoch, trace, done: what live/feed.ts sends), such as an EventSource.
 */
export function liveViewScript(source: string): string {
  return `(function () {
  var state = { hello: 0, batch: 0, epoch: 0, trace: 0, done: false, errors: [] };
  window.apicalLive = state;
  var size = { width: 900, height: 380, margin: { t: 20, r: 20, b: 45, l: 60 } };
  var info = null, traces = [], chosen = null;
  var pending = null, timer = null;
  function clearPending() { pending = { x: [], y: [], signalX: [], signalY: [], traced: false }; if (timer) clearTimeout(timer); timer = null; }
  clearPending();
  function flush() {
    var p = pending; clearPending();
    if (p.x.length) Plotly.extendTraces('curves', { x: [p.x], y: [p.y] }, [0], 2000);
    if (p.signalX.length) Plotly.extendTraces('signal', { x: p.signalX, y: p.signalY }, p.signalX.map(function (_, i) { return i; }), 2000);
    if (p.traced) drawTraces();
  }
  function later() { if (!timer) timer = setTimeout(flush, 1000); }
  var select = document.getElementById('population');
  var statusLine = document.getElementById('status');
  function axes(x, y, extra) { return Object.assign({ xaxis: { title: { text: x } }, yaxis: { title: { text: y } } }, size, extra || {}); }
  function reset(hello) {
    info = hello; traces = []; clearPending();
    Plotly.newPlot('curves', [
      { type: 'scatter', mode: 'lines', name: 'train (running)', x: [], y: [], line: { color: '#bbb' } },
      { type: 'scatter', mode: 'lines+markers', name: 'train', x: [], y: [], line: { color: '#1f77b4', dash: 'dot' } },
      { type: 'scatter', mode: 'lines+markers', name: 'valid', x: [], y: [], connectgaps: true, line: { color: '#1f77b4', dash: 'dash' } },
      { type: 'scatter', mode: 'lines+markers', name: 'test', x: [], y: [], connectgaps: true, line: { color: '#1f77b4' } }
    ], axes('epoch', 'error (%)'), { displaylogo: false });
    select.innerHTML = '';
    hello.populations.forEach(function (name) { var o = document.createElement('option'); o.text = name; select.add(o); });
    chosen = hello.populations[0];
    drawTraces();
    var palette = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];
    Plotly.newPlot('signal', hello.populations.map(function (name, i) {
      return { type: 'scatter', mode: 'lines', name: name, x: [], y: [], line: { color: palette[i % 10] } };
    }), axes('epochs trained', 'rms(ĥ − h)'), { displaylogo: false });
  }
  function drawTraces() {
    var palette = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b'];
    var data = [];
    for (var u = 0; u < info.units; u++) {
      var x = [], h = [], t = [];
      traces.forEach(function (s) { var p = s.populations.find(function (q) { return q.population === chosen; }); if (p && u < p.activity.length) { x.push(s.x); h.push(p.activity[u]); t.push(p.target[u]); } });
      data.push({ type: 'scatter', mode: 'lines', name: 'unit ' + u + ' h', x: x, y: h, line: { color: palette[u % 6] } });
      data.push({ type: 'scatter', mode: 'lines', name: 'unit ' + u + ' ĥ', x: x, y: t, line: { color: palette[u % 6], dash: 'dot' }, showlegend: false });
    }
    Plotly.react('traces', data, axes('epochs trained', 'activity'), { displaylogo: false });
  }
  select.onchange = function () { chosen = select.value; drawTraces(); };
  var source = ${source};
  source.addEventListener('hello', function (e) { state.hello++; reset(JSON.parse(e.data)); statusLine.textContent = 'training…'; });
  source.addEventListener('batch', function (e) {
    var b = JSON.parse(e.data); state.batch++;
    pending.x.push(b.epoch - 1 + b.step / info.steps); pending.y.push(100 * b.train_error); later();
  });
  source.addEventListener('epoch', function (e) {
    var r = JSON.parse(e.data); state.epoch++;
    flush();
    var pct = function (v) { return v === null || v === undefined ? null : 100 * v; };
    Plotly.extendTraces('curves', { x: [[r.epoch], [r.epoch], [r.epoch]], y: [[pct(r.train_error)], [pct(r.valid_error)], [pct(r.test_error)]] }, [1, 2, 3]);
    statusLine.textContent = 'epoch ' + r.epoch + ': test error ' + (r.test_error === null ? '—' : (100 * r.test_error).toFixed(2) + '%');
  });
  source.addEventListener('trace', function (e) {
    var s = JSON.parse(e.data); state.trace++;
    traces.push(s); if (traces.length > 400) traces.shift();
    s.populations.forEach(function (p, i) {
      if (!pending.signalX[i]) { pending.signalX[i] = []; pending.signalY[i] = []; }
      pending.signalX[i].push(s.x); pending.signalY[i].push(p.signal);
    });
    pending.traced = true; later();
  });
  source.addEventListener('done', function () {
    state.done = true; if (source.close) source.close(); flush(); drawTraces();
    statusLine.textContent += ' — run finished';
  });
  source.onerror = function () { if (!state.done) statusLine.textContent = 'reconnecting…'; };
})();
`;
}

export function livePage(title: string): string {
  return `<!doctype html>
<html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>${escapeHtml(title)} — live</title>
<style>${pageStyle} #status{color:#555}</style>
<script src="/plotly.min.js"></script></head>
<body><h1>${escapeHtml(title)} <small>live</small></h1>
<p id="status">connecting…</p>
${liveViewBody}<script>
${liveViewScript("new EventSource('/events')")}</script>
</body></html>
`;
}
