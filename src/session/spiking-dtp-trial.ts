/**
 * A spiking DTP network's read-out and its recorded trial: forward-phase classification of a data
 * set, and one trial of one image (not learnt from) recorded into the run folder:
 *   trial/manifest.json + binaries (spikes of every layer, v of a few neurons per layer; format in
 *   src/record/monitor-files.ts; step 0 is the trial's start), trial/rates.json (forward and
 *   target-phase rates and targets of every layer), and trial.html (raster, traces, rates).
 */
import * as fs from 'fs';
import * as path from 'path';
import { Dataset } from '../data/dataset';
import { writeMonitors } from '../record/monitor-files';
import { SpikeMonitor } from '../record/spike-monitor';
import { StateMonitor } from '../record/state-monitor';
import { reportPage } from '../report/page';
import { TrialRecord, trialRasterFigure, trialRatesFigure, trialTracesFigure } from '../report/figures/spiking-trial';
import { SpikingDtp } from '../rules/spiking-dtp';

/** Index of the largest of the `classes` scores in row r. */
export const argmax = (scores: Float32Array, classes: number, r: number): number => {
  let best = 0;
  for (let c = 1; c < classes; c++) if (scores[r * classes + c] > scores[r * classes + best]) best = c;
  return best;
};

/** Forward-phase classification of the first `count` examples: the error and the first misclassified example (-1: none). */
export function spikingEvaluation(rule: SpikingDtp, data: Dataset, count = data.count): { error: number; firstWrong: number } {
  const B = rule.network.batch;
  const probs = new Float32Array(B * data.classes);
  let errors = 0;
  let firstWrong = -1;
  for (let start = 0; start < count; start += B) {
    const rows = Math.min(B, count - start);
    rule.infer(data.images.subarray(start * data.features, (start + rows) * data.features), rows, probs);
    for (let r = 0; r < rows; r++) {
      if (argmax(probs, data.classes, r) === data.labels[start + r]) continue;
      errors++;
      if (firstWrong < 0) firstWrong = start + r;
    }
  }
  return { error: errors / count, firstWrong };
}

/** Fraction of the first `count` examples whose forward-phase read-out is wrong. */
export function spikingError(rule: SpikingDtp, data: Dataset, count = data.count): number {
  return spikingEvaluation(rule, data, count).error;
}

/** Records one trial of image `index` of `data` (not learnt from) into `<dir>/trial`. */
export function recordTrial(trained: SpikingDtp, data: Dataset, index: number, dir: string, traces: number): TrialRecord {
  // One-trial copies of the network, so that the monitors see this trial's neurons only. A copy
  // starts afresh, so the trial runs identically twice: first to find the neurons whose targets lie
  // farthest from their forward rates (where the apical drive shows), then recorded, tracing those.
  const x = data.images.slice(index * data.features, (index + 1) * data.features);
  const label = Int32Array.of(data.labels[index]);
  const dry = trained.withBatch(1).trials(x, label, 1, false);
  const traced = dry.targets.slice(1).map((goal, k) => {
    const forward = dry.forward[k + 1];
    const order = Array.from(goal.keys()).sort((a, b) => Math.abs(goal[b] - forward[b]) - Math.abs(goal[a] - forward[a]) || a - b);
    return Uint32Array.from(order.slice(0, traces)).sort();
  });
  const rule = trained.withBatch(1);
  const net = rule.network;
  const sim = net.simulation;
  const phase = rule.options.settleSteps + rule.options.countSteps;
  const steps = (rule.options.targetPhases === 'joint' ? 2 : 1 + rule.network.layers.length) * phase;
  const spikes = net.groups.map((g) => new SpikeMonitor(g.name, g));
  const states = net.layers.map((g, k) => new StateMonitor(`${g.name}_v`, sim, g, [net.roles.membrane], traced[k], 1, steps));
  const rates = rule.trials(x, label, 1, false);
  const folder = path.join(dir, 'trial');
  const layers = net.groups.map((g, k) => {
    const l = g === net.encoder ? 0 : net.layers.indexOf(g) + 1;
    const { steps: s, indices } = spikes[k].spikes();
    const state = l === 0 ? null : states[l - 1];
    return {
      name: g.name,
      size: g.size,
      spikeSteps: s.slice(),
      spikeIndices: indices.slice(),
      traced: state ? Array.from(state.indices) : [],
      v: state ? state.values[0].slice(0, state.rows * state.indices.length) : null,
      forward: rates.forward[l].slice(),
      target: rates.target[l].slice(),
      goal: l === 0 ? null : rates.targets[l].slice(),
    };
  });
  fs.mkdirSync(folder, { recursive: true });
  writeMonitors(path.dirname(folder), [...spikes, ...states], sim.dt, steps, 'trial');
  const probabilities = Array.from(rates.probabilities);
  const trial: TrialRecord = { dt: sim.dt, targetPhaseStep: phase, settleSteps: rule.options.settleSteps, steps, label: data.labels[index], predicted: argmax(rates.probabilities, data.classes, 0), layers };
  fs.writeFileSync(
    path.join(folder, 'rates.json'),
    JSON.stringify({
      image: index,
      label: trial.label,
      predicted: trial.predicted,
      dt: trial.dt,
      target_phase_step: trial.targetPhaseStep,
      settle_steps: trial.settleSteps,
      probabilities,
      layers: layers.map((l) => ({ name: l.name, forward: Array.from(l.forward), target: Array.from(l.target), goal: l.goal ? Array.from(l.goal) : null })),
    }) + '\n',
  );
  return trial;
}

/** The trial page: raster, membrane traces, rates and targets. */
export function trialPage(trial: TrialRecord, title: string): string {
  return reportPage(title, `<p>One trial (a test image of digit ${trial.label}, read out as ${trial.predicted} in the forward phase): forward phase, then target phase (shaded) with top-down currents.</p>`, [
    { id: 'raster', title: 'Spike raster', caption: 'Every spike of every population (the input encoder when the input is spikes, the hidden LIF layers), trial/*.u32.', figure: trialRasterFigure(trial) },
    { id: 'traces', title: 'Membrane potentials', caption: 'v of the neurons of each hidden layer whose targets lie farthest from their forward rates, trial/*_v.v.f64.', figure: trialTracesFigure(trial) },
    { id: 'rates', title: 'Rates in both phases and the targets', caption: 'Spike-count rates (÷ r_max) in the forward and target phases and the target ĥ of the neurons whose targets differ most from their forward rates, trial/rates.json.', figure: trialRatesFigure(trial) },
  ]);
}
