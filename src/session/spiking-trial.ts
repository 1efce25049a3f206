/**
 * The recorded trial of a network with spiking populations (an experiment's `record.trial`): when
 * the run ends, one trial (forward and target phases, not learnt from) of the first test image the
 * trained network misclassifies (the first test image if none), where the targets differ most from
 * the forward rates and the apical drive shows, recorded into the run folder:
 *   trial/manifest.json + binaries (spikes of every population, v of a few neurons per population;
 *   format in src/record/monitor-files.ts; step 0 is the trial's start), trial/rates.json (forward
 *   and target-phase rates and targets of every population), and trial.html (raster, traces, rates).
 * The trial runs on one-trial twins of the trained circuit (same parameters, rule and lesion), so
 * that the monitors see this trial's neurons only. A twin starts afresh, so the trial runs
 * identically twice: first to find the neurons whose targets lie farthest from their forward rates,
 * then recorded, tracing those.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Dataset } from '../data/dataset';
import { Circuit } from '../engine/circuit';
import { meanProbabilities } from '../engine/evaluation';
import { RunObserver } from '../engine/observer';
import { SpikingPhases } from '../network/spiking-phases';
import { writeMonitors } from '../record/monitor-files';
import { SpikeMonitor } from '../record/spike-monitor';
import { StateMonitor } from '../record/state-monitor';
import { reportPage } from '../report/page';
import { TrialRecord, trialRasterFigure, trialRatesFigure, trialTracesFigure } from '../report/figures/spiking-trial';

/** Index of the largest of the `classes` scores in row r. */
const argmax = (scores: Float32Array, classes: number, r: number): number => {
  let best = 0;
  for (let c = 1; c < classes; c++) if (scores[r * classes + c] > scores[r * classes + best]) best = c;
  return best;
};

/** The first of `data`'s examples that `circuit` misclassifies, scored `batch` at a time (−1: none). */
function firstMisclassified(circuit: Circuit, data: Dataset, batch: number): number {
  const classes = circuit.network.readout.size;
  const probabilities = new Float32Array(batch * classes);
  for (let start = 0; start < data.count; start += batch) {
    const rows = Math.min(batch, data.count - start);
    const labels = data.labels.subarray(start, start + rows);
    meanProbabilities(circuit, rows, data.images.subarray(start * data.features, (start + rows) * data.features), labels, 1, probabilities);
    for (let r = 0; r < rows; r++) if (argmax(probabilities, classes, r) !== labels[r]) return start + r;
  }
  return -1;
}

/** The clock of `circuit`'s spiking populations. */
function spikingPhases(circuit: Circuit): SpikingPhases {
  const clock = circuit.network.clocks[0];
  if (!(clock instanceof SpikingPhases)) throw new Error('record.trial records a trial of spiking populations; this network has none');
  return clock;
}

/** One trial of input x (not learnt from): forward phase, targets, target phase(s). */
function runTrial(twin: Circuit, x: Float32Array, label: Int32Array): void {
  twin.stimulus$.next({ step: 0, rows: 1, input: x, labels: label, learnForward: true, probeDecoders: false, noise: 0 });
}

export class SpikingTrialRecorder implements RunObserver {
  constructor(
    private readonly circuit: Circuit,
    /** A one-trial twin of the trained circuit, as it is now. */
    private readonly twin: () => Circuit,
    private readonly test: Dataset,
    private readonly dir: string,
    private readonly traces: number,
    private readonly title: string,
  ) {
    spikingPhases(circuit);
  }

  onEvent(): void {
    // The trial is recorded when the run ends.
  }

  close(): void {
    if (this.test.count === 0) return;
    const index = Math.max(firstMisclassified(this.circuit, this.test, this.circuit.network.options.maxRows), 0);
    const trial = this.record(index);
    fs.writeFileSync(path.join(this.dir, 'trial.html'), trialPage(trial, this.title));
  }

  /** Records one trial of test image `index` into `<dir>/trial`. */
  private record(index: number): TrialRecord {
    const data = this.test;
    const x = data.images.slice(index * data.features, (index + 1) * data.features);
    const label = Int32Array.of(data.labels[index]);
    const dry = this.twin();
    runTrial(dry, x, label);
    const traced = dry.network.hidden.map(({ target, activity, size }) => {
      const order = Array.from({ length: size }, (_, i) => i).sort((a, b) => Math.abs(target[b] - activity[b]) - Math.abs(target[a] - activity[a]) || a - b);
      return Uint32Array.from(order.slice(0, this.traces)).sort();
    });
    dry.dispose();
    const twin = this.twin();
    const phases = spikingPhases(twin);
    const { network: net, spec } = phases;
    const sim = net.simulation;
    const phase = spec.settleSteps + spec.countSteps;
    const steps = (spec.targetPhases === 'joint' ? 2 : 1 + net.layers.length) * phase;
    const spikes = net.groups.map((g) => new SpikeMonitor(g.name, g));
    const states = net.layers.map((g, k) => new StateMonitor(`${g.name}_v`, sim, g, [net.roles.membrane], traced[k], 1, steps));
    runTrial(twin, x, label);
    const { hidden, readout } = twin.network;
    const folder = path.join(this.dir, 'trial');
    const layers = net.groups.map((g, k) => {
      const l = g === net.encoder ? 0 : net.layers.indexOf(g) + 1;
      const { steps: s, indices } = spikes[k].spikes();
      const state = l === 0 ? null : states[l - 1];
      const population = l === 0 ? null : hidden[l - 1];
      return {
        name: g.name,
        size: g.size,
        spikeSteps: s.slice(),
        spikeIndices: indices.slice(),
        traced: state ? Array.from(state.indices) : [],
        v: state ? state.values[0].slice(0, state.rows * state.indices.length) : null,
        forward: population ? population.activity.slice(0, population.size) : x.slice(),
        target: population ? phases.targetPhaseRates(l).slice(0, population.size) : x.slice(),
        goal: population ? population.target.slice(0, population.size) : null,
      };
    });
    fs.mkdirSync(folder, { recursive: true });
    writeMonitors(path.dirname(folder), [...spikes, ...states], sim.dt, steps, 'trial');
    const probabilities = readout.activity.slice(0, readout.size);
    twin.dispose();
    const trial: TrialRecord = { dt: sim.dt, targetPhaseStep: phase, settleSteps: spec.settleSteps, steps, label: data.labels[index], predicted: argmax(probabilities, readout.size, 0), layers };
    fs.writeFileSync(
      path.join(folder, 'rates.json'),
      JSON.stringify({
        image: index,
        label: trial.label,
        predicted: trial.predicted,
        dt: trial.dt,
        target_phase_step: trial.targetPhaseStep,
        settle_steps: trial.settleSteps,
        probabilities: Array.from(probabilities),
        layers: layers.map((l) => ({ name: l.name, forward: Array.from(l.forward), target: Array.from(l.target), goal: l.goal ? Array.from(l.goal) : null })),
      }) + '\n',
    );
    return trial;
  }
}

/** The trial page: raster, membrane traces, rates and targets. */
function trialPage(trial: TrialRecord, title: string): string {
  return reportPage(title, `<p>One trial (a test image of digit ${trial.label}, read out as ${trial.predicted} in the forward phase): forward phase, then target phase (shaded) with top-down currents.</p>`, [
    { id: 'raster', title: 'Spike raster', caption: 'Every spike of every population (the input encoder when the input is spikes, the hidden LIF layers), trial/*.u32.', figure: trialRasterFigure(trial) },
    { id: 'traces', title: 'Membrane potentials', caption: 'v of the neurons of each hidden layer whose targets lie farthest from their forward rates, trial/*_v.v.f64.', figure: trialTracesFigure(trial) },
    { id: 'rates', title: 'Rates in both phases and the targets', caption: 'Spike-count rates (÷ r_max) in the forward and target phases and the target ĥ of the neurons whose targets differ most from their forward rates, trial/rates.json.', figure: trialRatesFigure(trial) },
  ]);
}
