/**
 * Targets against activity (Bengio 2014: top-down targets are where each population is asked to
 * go). For one recorded sample of a population: its activity h and its target ĥ for the recorded
 * units of one example, and the signal the population learns from, ĥ − h (for rules that form no
 * target, the top-down signal itself, e.g. back-propagation's ∂Loss/∂h).
 */
import { ActivitySample } from '../../record/formats';
import { axesLayout, Figure, palette } from '../figure';

/** activity, target and target − activity of row `row` of `sample`. */
export function targetsFigure(sample: ActivitySample, row = 0): Figure {
  const units = sample.units;
  const h = sample.activity[row];
  const data: Record<string, unknown>[] = [
    { type: 'scatter', mode: 'markers', name: 'activity h', x: units, y: h, marker: { color: palette[0], size: 13, symbol: 'circle-open', line: { width: 2 } } },
  ];
  if (sample.target) {
    const target = sample.target[row];
    data.push(
      { type: 'scatter', mode: 'markers', name: 'target ĥ', x: units, y: target, marker: { color: palette[1], size: 9, symbol: 'x' } },
      { type: 'bar', name: 'ĥ − h (right axis)', x: units, y: target.map((t, u) => t - h[u]), yaxis: 'y2', marker: { color: palette[2] }, opacity: 0.5 },
    );
  } else {
    data.push({ type: 'bar', name: 'top-down signal (right axis)', x: units, y: sample.topDown[row], yaxis: 'y2', marker: { color: palette[2] }, opacity: 0.5 });
  }
  return {
    data,
    layout: axesLayout('unit', 'activity', {
      title: { text: `${sample.population}, example ${sample.rows[row]}, epoch ${sample.epoch} step ${sample.step}` },
      yaxis2: { title: { text: sample.target ? 'ĥ − h' : 'top-down signal' }, overlaying: 'y', side: 'right', zeroline: true },
      legend: { x: 1.08 },
      barmode: 'overlay',
      height: 360,
    }),
  };
}

/** Root mean square of ĥ − h (or of the top-down signal) over the recorded units and rows of `sample`. */
export function signalSize(sample: ActivitySample): number {
  let sum = 0;
  let count = 0;
  sample.activity.forEach((row, r) =>
    row.forEach((h, u) => {
      const v = sample.target ? sample.target[r][u] - h : sample.topDown[r][u];
      sum += v * v;
      count++;
    }),
  );
  return Math.sqrt(sum / count);
}

/**
 * The size of the learning signal each population receives over training: rms(ĥ − h) of every
 * recorded sample (x = epoch + step/steps). A silenced pathway sends it to zero below itself.
 */
export function signalSizeFigure(byPopulation: ReadonlyMap<string, readonly ActivitySample[]>): Figure {
  const data = [...byPopulation].map(([population, samples], i) => ({
    type: 'scatter',
    mode: 'lines',
    name: population,
    x: samples.map((s) => s.epoch - 1 + s.step / s.steps),
    y: samples.map(signalSize),
    line: { color: palette[i % palette.length] },
  }));
  const anyTarget = [...byPopulation.values()].some((samples) => samples.some((s) => s.target));
  return { data, layout: axesLayout('epochs trained', anyTarget ? 'rms(ĥ − h)' : 'rms top-down signal', { height: 380 }) };
}

/**
 * Activity traces: the recorded units of one example of one population across the run, one line
 * per unit, targets dotted when the rule forms them. Only samples taken at the first sample's step
 * are drawn, one per epoch: without shuffling they show the same example every epoch.
 */
export function activityTracesFigure(all: readonly ActivitySample[], row = 0, maxUnits = 6): Figure {
  const first = all[0];
  const samples = all.filter((s) => s.step === first.step);
  const x = samples.map((s) => s.epoch);
  const data: Record<string, unknown>[] = [];
  first.units.slice(0, maxUnits).forEach((unit, u) => {
    const color = palette[u % palette.length];
    data.push({ type: 'scatter', mode: 'lines', name: `unit ${unit} h`, x, y: samples.map((s) => s.activity[row][u]), line: { color } });
    if (samples.some((s) => s.target)) {
      data.push({
        type: 'scatter',
        mode: 'lines',
        name: `unit ${unit} ĥ`,
        x,
        y: samples.map((s) => (s.target ? s.target[row][u] : null)),
        line: { color, dash: 'dot' },
      });
    }
  });
  return {
    data,
    layout: axesLayout('epoch', 'activity', { title: { text: `${first.population}, example ${first.rows[row]} of step ${first.step}` }, height: 360 }),
  };
}
