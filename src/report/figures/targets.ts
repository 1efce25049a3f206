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
    { type: 'scatter', mode: 'markers', name: 'activity h', x: units, y: h, marker: { color: palette[0], size: 9 } },
  ];
  if (sample.target) {
    const target = sample.target[row];
    data.push(
      { type: 'scatter', mode: 'markers', name: 'target ĥ', x: units, y: target, marker: { color: palette[1], size: 9, symbol: 'x' } },
      { type: 'bar', name: 'ĥ − h', x: units, y: target.map((t, u) => t - h[u]), marker: { color: palette[2] }, opacity: 0.6 },
    );
  } else {
    data.push({ type: 'bar', name: 'top-down signal', x: units, y: sample.topDown[row], marker: { color: palette[2] }, opacity: 0.6 });
  }
  return {
    data,
    layout: axesLayout('unit', 'value', {
      title: { text: `${sample.population}, example ${sample.rows[row]}, epoch ${sample.epoch} step ${sample.step}` },
      barmode: 'overlay',
      height: 360,
    }),
  };
}

/**
 * Activity traces: the recorded units of one example of one population across the run (one line
 * per unit, x = epoch + step/steps), with targets dashed when the rule forms them.
 */
export function activityTracesFigure(samples: readonly ActivitySample[], stepsPerEpoch: number, row = 0, maxUnits = 6): Figure {
  const first = samples[0];
  const x = samples.map((s) => s.epoch - 1 + s.step / stepsPerEpoch);
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
    layout: axesLayout('epoch', 'activity', { title: { text: `${first.population}, example ${first.rows[row]}` }, height: 360 }),
  };
}
