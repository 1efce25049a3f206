/**
 * An experiment of any kind that learns (a circuit of rate or spiking populations), as a plan of runs sees it:
 * its name and file, seed and epochs, its rule and the signals that rule uses, and the settings that
 * decide its results. `apical compare` and the job runners plan with this, never asking the kind.
 */
import { createRule, SignalUse } from '../rules';
import { ConfigError, Experiment, loadExperiment, Overrides } from './experiment';
import { experimentKind } from './spiking';

export interface LearningExperiment {
  readonly name: string;
  readonly file: string;
  readonly rule: { readonly name: string; readonly uses: SignalUse };
  readonly training: { readonly epochs: number; readonly seed: number };
  /** The experiment as its kind's loader resolved it (what a run writes to config.json). */
  readonly resolved: Experiment;
  /** Whether a run's config.json describes this very run (same settings, the checkpoint interval aside). */
  sameRun(config: unknown): boolean;
}

/** Reads, checks and resolves a learning experiment of any kind, `overrides` applied. */
export function loadLearningExperiment(file: string, overrides: Overrides = {}): LearningExperiment {
  const kind = experimentKind(file);
  if (kind === 'spiking') throw new ConfigError(`${file}: a spiking simulation ("kind": "spiking") learns nothing; compare and sweep take learning experiments`);
  const e = loadExperiment(file, overrides);
  return {
    name: e.name,
    file,
    rule: { name: e.rule.name, uses: createRule(e.rule).uses },
    training: e.training,
    resolved: e,
    sameRun: sameRun(e),
  };
}

/**
 * Whether a run's config.json describes a run of `experiment`: the same model, data, rule, training
 * and optimiser settings, the checkpoint interval aside.
 */
export function sameRun(experiment: Experiment): (config: unknown) => boolean {
  const settings = (e: Experiment): unknown[] => [e.model, e.data, e.rule, { ...e.training, checkpointEvery: undefined }, e.optimizer];
  const own = JSON.stringify(settings(experiment));
  return (config) => JSON.stringify(settings(config as Experiment)) === own;
}
