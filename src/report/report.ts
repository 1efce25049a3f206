/**
 * `apical report`: every figure a run's files support, on one self-contained page, with the figure
 * specs beside it as JSON. One run gives its learning curves, per-metric series (reconstruction
 * error per decoder, alignment angles, …), targets against activity, activity traces, weight and
 * update histograms and decoded digits, as far as it recorded them; several runs are compared.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ActivitySample } from '../record/formats';
import { ReportFigure } from './figure';
import { alignmentFigure, readAlignment } from './figures/alignment';
import { comparisonFigure } from './figures/comparison';
import { digitsFigure } from './figures/digits';
import { histogramFigure, updateSizeFigure } from './figures/histograms';
import { learningCurveFigure } from './figures/learning-curves';
import { metricFigure, metricTitle, seriesKeys } from './figures/metric-series';
import { rasterFigure, rateFigure, stateFigure } from './figures/spiking';
import { activityTracesFigure, signalSize, signalSizeFigure, targetsFigure } from './figures/targets';
import { escapeHtml, reportPage } from './page';
import { MonitorData } from './monitor-data';
import { readRun, RunFiles } from './run-files';

function byPopulation(samples: readonly ActivitySample[]): Map<string, ActivitySample[]> {
  const groups = new Map<string, ActivitySample[]>();
  for (const s of samples) {
    const list = groups.get(s.population) ?? [];
    list.push(s);
    groups.set(s.population, list);
  }
  return groups;
}

/** The figures of one run's recordings (prefix distinguishes runs in a multi-run report). */
function recordingFigures(run: RunFiles, prefix: string): ReportFigure[] {
  const figures: ReportFigure[] = [];
  const of = runLabel(run, prefix);
  const populations = byPopulation(run.activity);
  if (populations.size > 0) {
    figures.push({
      id: `${prefix}signal-size`,
      title: `Learning signal per population${of}`,
      caption:
        'Root-mean-square of target minus activity (ĥ − h; for rules without targets, of the top-down signal) over the recorded units and examples, at every recorded step (record/activity.jsonl). A silenced feedback pathway drops it to zero below itself.',
      figure: signalSizeFigure(populations),
    });
  }
  for (const [population, samples] of populations) {
    // The last epoch's sample with the strongest learning signal (all are zero below a silenced pathway).
    const lastEpoch = samples.filter((s) => s.epoch === samples[samples.length - 1].epoch);
    const last = lastEpoch.reduce((a, b) => (signalSize(b) > signalSize(a) ? b : a));
    figures.push({
      id: `${prefix}targets-${population}`,
      title: `Targets against activity: ${population}${of}`,
      caption: last.target
        ? 'Activity h, target ĥ and the signal the population learns from, ĥ − h, for the recorded units of one example, at the step of the last epoch with the strongest signal (record/activity.jsonl).'
        : 'Activity h and the top-down signal delivered to the population (this rule forms no target) at the last recorded step (record/activity.jsonl).',
      figure: targetsFigure(last),
    });
    if (samples.filter((s) => s.step === samples[0].step).length > 1) {
      figures.push({
        id: `${prefix}traces-${population}`,
        title: `Activity traces: ${population}${of}`,
        caption: 'Activity (solid) and target (dotted) of recorded units of one example, after each epoch (record/activity.jsonl).',
        figure: activityTracesFigure(samples),
      });
    }
  }
  if (run.reconstructions.length > 0) {
    const shown = run.reconstructions.length > 1 ? [run.reconstructions[0], run.reconstructions[run.reconstructions.length - 1]] : run.reconstructions;
    for (const sample of shown) {
      figures.push({
        id: `${prefix}digits-e${sample.epoch}`,
        title: `Decoder reconstructions, epoch ${sample.epoch}${of}`,
        caption: 'Each row: an input, then the activity of h1, h2, … decoded back down to the input by the learned decoders g_1 ∘ … ∘ g_l (record/reconstructions.jsonl).',
        figure: digitsFigure(sample),
      });
    }
  }
  if (run.weights.length > 0) {
    const lastEpoch = run.weights[run.weights.length - 1].epoch;
    const last = run.weights.filter((s) => s.epoch === lastEpoch);
    figures.push(
      {
        id: `${prefix}weights-histogram`,
        title: `Weight histograms${of}`,
        caption: `Distribution of every parameter array's entries after epoch ${lastEpoch} (record/weights.jsonl).`,
        figure: histogramFigure(last, 'values'),
      },
      {
        id: `${prefix}updates-histogram`,
        title: `Update histograms${of}`,
        caption: `Distribution of each entry's change over epoch ${lastEpoch} (record/weights.jsonl).`,
        figure: histogramFigure(last, 'update'),
      },
      {
        id: `${prefix}update-size`,
        title: `Update size per epoch${of}`,
        caption: 'Root-mean-square change of each parameter array over each epoch: a frozen or lesioned pathway drops to zero (record/weights.jsonl).',
        figure: updateSizeFigure(run.weights),
      },
    );
  }
  if (run.monitors) figures.push(...monitorFigures(run.monitors, prefix, of, 'monitors'));
  if (run.trial) figures.push(...monitorFigures(run.trial, `${prefix}trial-`, `${of} (recorded trial)`, 'trial'));
  return figures;
}

/** Raster, state traces and rates of a spiking run's monitors. */
function monitorFigures(monitors: MonitorData, prefix: string, of: string, folder: string): ReportFigure[] {
  const figures: ReportFigure[] = [];
  for (const spikes of monitors.spikes) {
    figures.push({
      id: `${prefix}raster-${spikes.name}`,
      title: `Raster: ${spikes.population}${of}`,
      caption: `One dot per spike, neuron index against time (${folder}/${spikes.name}.*.u32).`,
      figure: rasterFigure(spikes, monitors.dt),
    });
  }
  for (const state of monitors.states) {
    for (const variable of state.variables) {
      figures.push({
        id: `${prefix}state-${state.name}-${variable}`,
        title: `${variable === 'v' ? 'Membrane potential' : `State variable ${variable}`}: ${state.population}${of}`,
        caption: `${variable} of neurons ${state.indices.join(', ')}, sampled every ${state.every} steps (${folder}/${state.name}.${variable}.f64).`,
        figure: stateFigure(state, variable, monitors.dt),
      });
    }
  }
  for (const rates of monitors.rates) {
    figures.push({
      id: `${prefix}rate-${rates.name}`,
      title: `Population rate: ${rates.population}${of}`,
      caption: `Spikes per neuron per second in each bin (${folder}/${rates.name}.rate.f64).`,
      figure: rateFigure(rates, monitors.dt),
    });
  }
  return figures;
}

function runLabel(run: RunFiles, prefix: string): string {
  return prefix ? ` (${run.label})` : '';
}

/** Every figure the runs' files support, in reading order. */
export function reportFigures(runs: readonly RunFiles[]): ReportFigure[] {
  const curves = runs.map((run) => ({ label: run.label, records: run.metrics }));
  const figures: ReportFigure[] = [];
  const learns = runs.some((run) => run.metrics.some((r) => typeof r.train_error === 'number'));
  if (learns) {
    figures.push({
      id: 'learning-curves',
      title: 'Learning curves',
      caption: 'Classification error on the training (dotted), validation (dashed) and test (solid) sets after each epoch (metrics.jsonl).',
      figure: learningCurveFigure(curves),
    });
  }
  if (runs.length > 1 && learns) {
    figures.push({
      id: 'comparison',
      title: 'Runs compared',
      caption: 'Test error at the last epoch a run was tested and at its epoch of best validation error, per run.',
      figure: comparisonFigure(curves),
    });
  }
  // Alignment samples (metrics/alignment.ts, written as each epoch's `alignment` list): one figure
  // for all runs, mean over runs of the same label.
  const alignment = new Map<string, ReturnType<typeof readAlignment>[]>();
  for (const run of runs) {
    const samples = readAlignment(run.dir);
    if (samples.length > 0) alignment.set(run.label, [...(alignment.get(run.label) ?? []), samples]);
  }
  if (alignment.size > 0) {
    figures.push({
      id: 'alignment',
      title: 'Alignment with back-propagation',
      caption: 'Per layer: the angle between the rule’s update and back-propagation’s, between feedback and forward weights, and between the target direction and −∂L/∂h (metrics.jsonl, field "alignment").',
      figure: alignmentFigure(alignment),
    });
  }
  const keys = [...new Set(runs.flatMap((run) => seriesKeys(run.metrics)))];
  for (const key of keys) {
    figures.push({
      id: `metric-${key}`,
      title: metricTitle(key)[0].toUpperCase() + metricTitle(key).slice(1),
      caption: `${metricTitle(key)} after each ${learns ? 'epoch' : 'window'} (metrics.jsonl, field "${key}").`,
      figure: metricFigure(curves, key),
    });
  }
  runs.forEach((run, i) => figures.push(...recordingFigures(run, runs.length > 1 ? `run${i + 1}-` : '')));
  return figures;
}

function percent(value: unknown): string {
  return typeof value === 'number' ? `${(100 * value).toFixed(2)}%` : '—';
}

/** One table row per run: experiment, rule, seed, epochs, final and best-validation test error. */
function summaryTable(runs: readonly RunFiles[]): string {
  const rows = runs.map((run) => {
    const s = run.summary ?? {};
    const last = run.metrics[run.metrics.length - 1] ?? {};
    const cells = [
      run.label,
      String(run.config?.rule?.name ?? run.config?.kind ?? '—'),
      String(run.metrics.length) + (s.interrupted ? ' (interrupted)' : ''),
      percent(last.train_error),
      percent(last.test_error),
      s.best_valid ? `${percent(s.best_valid.test_error)} (epoch ${s.best_valid.epoch})` : '—',
      typeof s.training_seconds === 'number' ? `${s.training_seconds.toFixed(1)} s` : '—',
    ];
    return `<tr>${cells.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`;
  });
  return `<table><tr><th>run</th><th>rule</th><th>epochs</th><th>final train error</th><th>final test error</th><th>test error at best validation</th><th>training time</th></tr>
${rows.join('\n')}</table>`;
}

/** Writes the report of the run directories `dirs` to `out` (HTML) and its figure specs to `out` with .json. */
export function writeReport(dirs: readonly string[], out: string): { html: string; json: string; figures: ReportFigure[] } {
  const runs = dirs.map(readRun);
  const figures = reportFigures(runs);
  const title = runs.length === 1 ? `apical report: ${runs[0].label}` : `apical report: ${runs.length} runs`;
  fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
  fs.writeFileSync(out, reportPage(title, summaryTable(runs), figures));
  const json = out.replace(/\.html?$/i, '') + '.json';
  fs.writeFileSync(json, JSON.stringify({ runs: runs.map((r) => ({ dir: r.dir, label: r.label })), figures }, null, 1) + '\n');
  return { html: out, json, figures };
}
