/**
 * One recorded spiking-DTP trial (runs/<run>/trial/, see src/session/spiking-trial.ts): for every
 * layer a spike raster across both phases, membrane traces of a few neurons, and each neuron's rate
 * in the forward phase, in the target phase, and its target ĥ.
 */
import { Figure, palette } from '../figure';

export interface TrialRecord {
  readonly dt: number;
  /** Step at which the target phase starts; steps counted in each phase start after `settle`. */
  readonly targetPhaseStep: number;
  readonly settleSteps: number;
  readonly steps: number;
  readonly label: number;
  /** The read-out's class after the forward phase. */
  readonly predicted: number;
  readonly layers: readonly {
    readonly name: string;
    readonly size: number;
    readonly spikeSteps: Uint32Array;
    readonly spikeIndices: Uint32Array;
    /** Traced neurons and their v (volts), one row per step. */
    readonly traced: readonly number[];
    readonly v: Float64Array | null;
    readonly forward: Float32Array;
    readonly target: Float32Array;
    /** ĥ (null for the input). */
    readonly goal: Float32Array | null;
  }[];
}

const phaseShapes = (trial: TrialRecord, yref: string): Record<string, unknown>[] => [
  { type: 'rect', xref: 'x', yref, x0: trial.targetPhaseStep * trial.dt * 1000, x1: trial.steps * trial.dt * 1000, y0: 0, y1: 1, fillcolor: '#fdd', opacity: 0.35, line: { width: 0 }, layer: 'below' },
];

/** Raster of every layer, stacked, with the target phase shaded. */
export function trialRasterFigure(trial: TrialRecord): Figure {
  const n = trial.layers.length;
  const data = trial.layers.map((layer, k) => ({
    type: 'scattergl',
    mode: 'markers',
    name: layer.name,
    x: Array.from(layer.spikeSteps, (s) => +(s * trial.dt * 1000).toFixed(6)),
    y: Array.from(layer.spikeIndices),
    marker: { size: 2, color: palette[k % palette.length] },
    xaxis: 'x',
    yaxis: k === 0 ? 'y' : `y${k + 1}`,
  }));
  const layout: Record<string, unknown> = {
    width: 900,
    height: 220 * n,
    margin: { t: 30, r: 20, b: 50, l: 70 },
    showlegend: false,
    xaxis: { title: { text: 'time (ms): forward phase, then target phase (shaded)' }, anchor: `y${n === 1 ? '' : n}` },
    shapes: trial.layers.map((_, k) => phaseShapes(trial, `y${k === 0 ? '' : k + 1} domain`)[0]),
  };
  trial.layers.forEach((layer, k) => {
    const top = 1 - k / n;
    layout[`yaxis${k === 0 ? '' : k + 1}`] = { title: { text: `${layer.name} neuron` }, domain: [top - 1 / n + 0.04, top], range: [-0.5, layer.size - 0.5] };
  });
  return { data, layout };
}

/** Membrane potential of the traced neurons of every hidden layer. */
export function trialTracesFigure(trial: TrialRecord): Figure {
  const data: Record<string, unknown>[] = [];
  trial.layers.forEach((layer, k) => {
    if (!layer.v) return;
    const width = layer.traced.length;
    const rows = layer.v.length / width;
    layer.traced.forEach((neuron, c) => {
      data.push({
        type: 'scatter',
        mode: 'lines',
        name: `${layer.name}[${neuron}]`,
        x: Array.from({ length: rows }, (_, r) => +(r * trial.dt * 1000).toFixed(6)),
        y: Array.from({ length: rows }, (_, r) => +(layer.v![r * width + c] * 1000).toFixed(4)),
        line: { width: 1, color: palette[(k * 3 + c) % palette.length] },
      });
    });
  });
  return {
    data,
    layout: {
      width: 900,
      height: 420,
      margin: { t: 30, r: 20, b: 50, l: 70 },
      xaxis: { title: { text: 'time (ms)' } },
      yaxis: { title: { text: 'v (mV)' } },
      shapes: phaseShapes(trial, 'paper'),
    },
  };
}

/**
 * Per layer: forward-phase rate, target-phase rate and target ĥ of the `show` neurons whose targets
 * lie farthest from their forward rates (largest |ĥ − h| first), where the apical drive acts.
 */
export function trialRatesFigure(trial: TrialRecord, show = 40): Figure {
  const hidden = trial.layers.filter((l) => l.goal);
  const n = hidden.length;
  const data: Record<string, unknown>[] = [];
  const layout: Record<string, unknown> = { width: 900, height: 260 * n, margin: { t: 30, r: 20, b: 50, l: 70 }, barmode: 'group' };
  hidden.forEach((layer, k) => {
    const axis = k === 0 ? '' : String(k + 1);
    const distance = (i: number): number => Math.abs(layer.goal![i] - layer.forward[i]);
    const chosen = Array.from({ length: layer.forward.length }, (_, i) => i)
      .sort((a, b) => distance(b) - distance(a) || a - b)
      .slice(0, show);
    const x = chosen.map(String);
    const series: [string, Float32Array, string][] = [
      ['forward phase', layer.forward, palette[0]],
      ['target phase', layer.target, palette[1]],
      ['target ĥ', layer.goal!, palette[2]],
    ];
    for (const [name, values, color] of series) {
      data.push({
        type: name === 'target ĥ' ? 'scatter' : 'bar',
        mode: 'markers',
        name,
        legendgroup: name,
        showlegend: k === 0,
        x,
        y: chosen.map((i) => +values[i].toFixed(4)),
        marker: { color },
        xaxis: `x${axis}`,
        yaxis: `y${axis}`,
      });
    }
    const top = 1 - k / n;
    layout[`xaxis${axis}`] = { title: { text: `${layer.name} neuron (largest |ĥ − h| first)` }, type: 'category', anchor: `y${axis}` };
    layout[`yaxis${axis}`] = { title: { text: 'rate / r_max' }, domain: [top - 1 / n + 0.08, top] };
  });
  return { data, layout };
}
