/** Histograms of weights and of their updates over one epoch, one step-line per parameter array. */
import { WeightStats } from '../../record/formats';
import { axesLayout, Figure, palette } from '../figure';

/** Histograms of `which` ("values" or "update") of every parameter array in `stats` (one epoch's). */
export function histogramFigure(stats: readonly WeightStats[], which: 'values' | 'update'): Figure {
  const data = stats.map((s, i) => {
    const { edges, counts } = s[which].histogram;
    const total = counts.reduce((a, b) => a + b, 0) || 1;
    return {
      type: 'scatter',
      mode: 'lines',
      line: { shape: 'hvh', color: palette[i % palette.length] },
      name: s.name,
      x: counts.map((_, b) => (edges[b] + edges[b + 1]) / 2),
      y: counts.map((c) => c / total),
    };
  });
  const epoch = stats[0]?.epoch;
  return {
    data,
    layout: axesLayout(which === 'values' ? 'weight' : 'update over the epoch', 'fraction of entries', {
      title: { text: `${which === 'values' ? 'weights' : 'updates'} after epoch ${epoch}` },
      yaxis: { title: { text: 'fraction of entries' }, type: 'log' },
    }),
  };
}

/** Root-mean-square update of every parameter array against epoch. */
export function updateSizeFigure(stats: readonly WeightStats[]): Figure {
  const names = [...new Set(stats.map((s) => s.name))];
  const data = names.map((name, i) => {
    const rows = stats.filter((s) => s.name === name);
    return {
      type: 'scatter',
      mode: 'lines+markers',
      name,
      x: rows.map((s) => s.epoch),
      y: rows.map((s) => s.update.rms),
      line: { color: palette[i % palette.length] },
      marker: { size: 4 },
    };
  });
  return { data, layout: axesLayout('epoch', 'rms update per epoch', { yaxis: { title: { text: 'rms update per epoch' }, type: 'log' } }) };
}
