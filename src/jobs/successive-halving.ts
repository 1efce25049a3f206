/**
 * Successive halving (Jamieson & Talwalkar 2016; the synchronous form of Li et al.'s ASHA, 2020):
 * n trials are trained for a small number of epochs, the best 1/η of them (lowest validation
 * error) go on to η times as many epochs, and so on until the budget. With rungs of
 * r, ηr, η²r … R epochs, a search of n trials costs about (K + 1)·n·r epochs for K + 1 rungs
 * instead of n·R for a grid or random search that trains every trial to the end.
 *
 * Each rung runs its trials from the start for that rung's epochs (a run is an ordinary
 * `apical run --epochs E`), so a rung's result does not depend on how it was scheduled, and
 * promotions, decided once a rung is complete, are the same on every machine and every re-run:
 * the same command proposes and promotes the same trials.
 */

export interface Rung {
  /** 0 for the first. */
  readonly index: number;
  readonly epochs: number;
  /** Trials trained at this rung. */
  readonly trials: number;
}

/**
 * The rungs of a search of `trials` trials with at most `budget` epochs each, reduction factor
 * `eta` (≥ 2), and at least `minEpochs` epochs at the first rung: epochs budget/η^K … budget,
 * trial counts n, ⌈n/η⌉, … (at least 1).
 */
export function rungs(trials: number, budget: number, eta: number, minEpochs = 1): Rung[] {
  if (!(Number.isInteger(trials) && trials >= 1)) throw new RangeError(`trials must be a positive integer, got ${trials}`);
  if (!(Number.isInteger(budget) && budget >= 1)) throw new RangeError(`budget must be a positive integer of epochs, got ${budget}`);
  if (!(eta >= 2)) throw new RangeError(`eta must be at least 2, got ${eta}`);
  if (!(Number.isInteger(minEpochs) && minEpochs >= 1 && minEpochs <= budget)) throw new RangeError(`minEpochs must be an integer from 1 to the budget ${budget}, got ${minEpochs}`);
  // The most halvings that keep the first rung at minEpochs or more and leave at least one trial.
  let halvings = 0;
  while (budget / eta ** (halvings + 1) >= minEpochs && trials / eta ** halvings > 1) halvings++;
  const out: Rung[] = [];
  let count = trials;
  for (let k = 0; k <= halvings; k++) {
    out.push({ index: k, epochs: Math.max(minEpochs, Math.round(budget / eta ** (halvings - k))), trials: count });
    count = Math.max(1, Math.ceil(count / eta));
  }
  return out;
}

export interface RungResult {
  readonly trial: number;
  /** The score to minimise (validation error); null when the run failed or never validated. */
  readonly score: number | null;
}

/**
 * The `count` trials promoted from a complete rung: lowest score first, ties broken by trial number;
 * failed trials (null) are never promoted.
 */
export function promote(results: readonly RungResult[], count: number): number[] {
  return results
    .filter((r): r is { trial: number; score: number } => r.score !== null && Number.isFinite(r.score))
    .sort((a, b) => a.score - b.score || a.trial - b.trial)
    .slice(0, count)
    .map((r) => r.trial);
}
