/**
 * Spiking populations as neuroscientists draw them: a raster (one dot per spike, WebGL `scattergl`
 * so tens of thousands of spikes stay fast), membrane-potential and other state traces of sampled
 * neurons, and the population rate.
 */
import { RateData, SpikeData, StateData } from '../monitor-data';
import { axesLayout, Figure, palette } from '../figure';

/** The raster of `spikes`: time (ms) against neuron index; at most `maxSpikes` (the first ones). */
export function rasterFigure(spikes: SpikeData, dt: number, maxSpikes = 200000): Figure {
  const n = Math.min(spikes.step.length, maxSpikes);
  const x = new Array<number>(n);
  const y = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    x[i] = +(spikes.step[i] * dt * 1000).toFixed(4);
    y[i] = spikes.index[i];
  }
  return {
    data: [{ type: 'scattergl', mode: 'markers', name: `${spikes.population} spikes`, x, y, marker: { size: 2, color: '#222' } }],
    layout: axesLayout('time (ms)', 'neuron', {
      title: { text: `${spikes.population}: ${spikes.step.length} spikes${n < spikes.step.length ? ` (first ${n} drawn)` : ''}` },
      yaxis: { title: { text: 'neuron' }, range: [-0.5, spikes.size - 0.5] },
      height: 480,
    }),
  };
}

/** Millivolts for volts (membrane potentials read better so); other units as they are. */
function scale(unit: string | undefined): { factor: number; label: string } {
  if (unit === 'volt' || unit === 'V') return { factor: 1000, label: 'mV' };
  return { factor: 1, label: unit && unit !== '1' ? unit : '' };
}

/** Traces of `variable` for every recorded neuron of `state`, against time (ms). */
export function stateFigure(state: StateData, variable: string, dt: number): Figure {
  const { factor, label } = scale(state.units[variable]);
  const columns = state.indices.length;
  const values = state.values[variable];
  const x = Array.from({ length: state.rows }, (_, r) => +(r * state.every * dt * 1000).toFixed(4));
  const data = state.indices.map((neuron, c) => ({
    type: 'scatter',
    mode: 'lines',
    name: `neuron ${neuron}`,
    x,
    y: Array.from({ length: state.rows }, (_, r) => values[r * columns + c] * factor),
    line: { color: palette[c % palette.length], width: 1 },
  }));
  return { data, layout: axesLayout('time (ms)', label ? `${variable} (${label})` : variable, { height: 380 }) };
}

/** The population rate (Hz) per bin against time (ms). */
export function rateFigure(rates: RateData, dt: number): Figure {
  const binMs = rates.binSteps * dt * 1000;
  return {
    data: [
      {
        type: 'scatter',
        mode: 'lines',
        name: `${rates.population} rate`,
        x: Array.from(rates.rates, (_, b) => +(b * binMs).toFixed(4)),
        y: Array.from(rates.rates),
        line: { color: palette[0], width: 1 },
      },
    ],
    layout: axesLayout('time (ms)', 'rate (Hz)', { title: { text: `${rates.population}, ${+binMs.toFixed(3)} ms bins` }, height: 340 }),
  };
}
