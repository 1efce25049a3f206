/**
 * apical as a library: the public API that notebooks and scripts import.
 *
 *   import * as apical from 'apical';           // or '../dist/src/index' inside this repository
 *   const experiment = apical.loadExperiment('experiments/mnist-dtp.json', { epochs: 2, trainLimit: 5000 });
 *   const summary = await apical.runExperiment(experiment, { out: 'runs/try', force: true });
 *   const run = apical.readRun('runs/try');      // metrics, recordings, config, summary
 *   apical.writeReport(['runs/try'], 'runs/try/report.html');
 *
 * Below that level: `buildLesionedCircuit` gives the circuit an experiment describes (its RxJS
 * streams: activity$, topDown$, outcome$, reconstruction$), `train` drives it epoch by epoch,
 * `loadMnist` gives the data, and the figure builders turn run files into plotly specs that
 * `notebookFigure` draws in a notebook. Spiking experiments (experiments/cuba.json) run with
 * `loadSpikingExperiment` and `runSpikingExperiment`; their monitors read back with `readRun`.
 *
 * Every kind of experiment runs through the session (src/session/): `runSession(kind, experiment,
 * options)` into a new folder, `openSession(kind, dir).resume(options)` from a checkpoint, or by
 * file and folder whatever their kind, `loadAnyExperiment(file, overrides)` and `openRun(dir)`.
 */

// Experiments and runs.
export { ConfigError, loadExperiment } from './experiment/experiment';
export type { Experiment, Overrides } from './experiment/experiment';
export { buildCircuit, buildLesionedCircuit } from './experiment/build';
export { FeedbackLesion } from './experiment/lesion';
export type { LesionMode, LesionSpec } from './experiment/lesion';
export { experimentKind, loadNeuronModel, loadSpikingExperiment } from './experiment/spiking';
export type { SpikingExperiment } from './experiment/spiking';
export { buildSpiking } from './experiment/build-spiking';
export { asExperiment as spikingDtpAsExperiment, loadSpikingDtpExperiment } from './experiment/spiking-dtp';
export type { SpikingDtpExperiment } from './experiment/spiking-dtp';

// The run session: a run's life for every kind of experiment.
export { openSession, runSession } from './session/session';
export type { NewRunOptions, OpenedRun, SessionOptions, SessionResult } from './session/session';
export type { AnyExperimentKind, EpochResult, ExperimentKind, SessionEvent, Training } from './session/kind';
export { loadAnyExperiment, openRun, runExperiment, runKind, runSpikingExperiment } from './session/kinds';
export { rateKind } from './session/rate';
export type { Summary } from './session/rate';
export { spikingKind } from './session/spiking';
export type { SpikingSummary } from './session/spiking';
export { SpikingTrialRecorder } from './session/spiking-trial';
export { RunDirectory } from './session/run-directory';

// Spiking populations: equations with units, groups, synapses, the simulation clock, monitors.
export { EquationError } from './equations/expression';
export { evaluateConstants, parseModel } from './equations/model';
export type { Model, ModelSpec as NeuronModelSpec } from './equations/model';
export { compileModel } from './equations/compile';
export { NeuronGroup } from './network/neuron-group';
export type { SpikeEvent } from './network/neuron-group';
export { Synapses } from './network/synapses';
export type { SynapsesSpec } from './network/synapses';
export { Simulation } from './network/simulation';
export { SpikeMonitor } from './record/spike-monitor';
export { StateMonitor } from './record/state-monitor';
export { RateMonitor } from './record/rate-monitor';
export { writeMonitors } from './record/monitor-files';
export { SpikeStatistics } from './metrics/spike-statistics';
export { SpikingNetwork } from './network/spiking-network';
export { RateToSpikes } from './network/rate-to-spikes';
export { spikingDifferenceTargetPropagation } from './rules/spiking-dtp';

// The engine.
export { Circuit } from './engine/circuit';
export { evaluate, train } from './engine/trainer';
export type { DataSplits, EpochRecord, Examples, TrainerEvent, TrainingPlan } from './engine/trainer';
export type { RunObserver } from './engine/observer';
export type { Activity, Outcome, Reconstruction, Stimulus, TopDown } from './engine/events';
export { Network } from './network/network';
export { allRules, createRule, ruleNames } from './rules';
export type { Rule, RuleSpec } from './rules';
export { kernels } from './kernels';

// Data.
export { loadMnist, subset } from './data/mnist';
export type { Dataset, MnistOptions, MnistSplits } from './data/mnist';
export { loadData } from './data/source';
export type { DataSource } from './data/source';
export type { Splits } from './data/splits';

// Recordings, reports and figures.
export type { ActivitySample, ReconstructionSample, WeightStats } from './record/formats';
export type { RecordSpec } from './record/spec';
export { readRun } from './report/run-files';
export type { MetricsRecord, RunFiles } from './report/run-files';
export { reportFigures, writeReport } from './report/report';
export type { Figure, ReportFigure } from './report/figure';
export { learningCurveFigure } from './report/figures/learning-curves';
export { metricFigure, seriesKeys } from './report/figures/metric-series';
export { activityTracesFigure, signalSize, signalSizeFigure, targetsFigure } from './report/figures/targets';
export { histogramFigure, updateSizeFigure } from './report/figures/histograms';
export { digitsFigure } from './report/figures/digits';
export { comparisonFigure } from './report/figures/comparison';
export { alignmentFigure, readAlignment } from './report/figures/alignment';
export type { AlignmentSample } from './metrics/alignment';
export { rasterFigure, rateFigure, stateFigure } from './report/figures/spiking';
export { readMonitors } from './report/monitor-data';
export type { MonitorData, RateData, SpikeData, StateData } from './report/monitor-data';
export { plausibilityTable } from './report/plausibility';
export { notebookFigure, notebookPlotly } from './report/notebook';
