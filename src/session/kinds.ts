/**
 * The experiment kinds by the `kind` field of their files (none: a rate experiment), and the run
 * of an experiment file or run folder of any kind.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Experiment, Overrides } from '../experiment/experiment';
import { experimentKind, SpikingExperiment } from '../experiment/spiking';
import { AnyExperimentKind } from './kind';
import { rateKind, Summary } from './rate';
import { OpenOptions } from './run-directory';
import { NewRunOptions, OpenedRun, openSession, runSession } from './session';
import { spikingKind, SpikingSummary } from './spiking';

const kinds: readonly AnyExperimentKind[] = [rateKind, spikingKind];

/**
 * The kind an experiment file's `kind` field names; anything else is read as a rate experiment
 * (spiking DTP files are, translated by the experiment loader; any other's schema then says what is wrong).
 */
function kindOf(name: string | null): AnyExperimentKind {
  return kinds.find((k) => k.name === name) ?? rateKind;
}

/** An experiment file read and checked by its kind, with the file's own epoch count (before --epochs). */
export interface LoadedExperiment {
  readonly kind: AnyExperimentKind;
  readonly experiment: object;
  readonly fileEpochs: number | null;
}

/** Reads the experiment file `file` of whatever kind it is. */
export function loadAnyExperiment(file: string, overrides: Overrides): LoadedExperiment {
  const kind = kindOf(experimentKind(file));
  return { kind, ...kind.load(file, overrides) };
}

/** The kind of the run in folder `dir` (by its config.json; a folder without one counts as a rate run). */
export function runKind(dir: string): AnyExperimentKind {
  const config = path.join(dir, 'config.json');
  return fs.existsSync(config) ? kindOf(experimentKind(config)) : rateKind;
}

/** Opens the run in `dir`, of whatever kind, with its checkpoint, ready to `resume`. */
export function openRun(dir: string, options: OpenOptions = {}): OpenedRun<object, unknown> {
  return openSession(runKind(dir), dir, options);
}

/** Trains a rate experiment into a new run folder. */
export const runExperiment = async (experiment: Experiment, options: NewRunOptions): Promise<Summary> => (await runSession(rateKind, experiment, options)).summary;

/** Simulates a spiking experiment into a new run folder. */
export const runSpikingExperiment = async (experiment: SpikingExperiment, options: NewRunOptions): Promise<SpikingSummary> => (await runSession(spikingKind, experiment, options)).summary;
