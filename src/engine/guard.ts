/**
 * The divergence guard: a NaN or an infinity in a loss, a target or a weight update stops training
 * at the step where it appears, with one line naming the population, the epoch and the step.
 *
 * What is checked, and when:
 *  - after every step: the read-out's loss and every decoder's reconstruction error (scalars the
 *    step computes anyway) and every learning population's bias gradient ∂b = 1ᵀ·Δ, the column sums
 *    of the delta Δ its weight update ΔW = Xᵀ·Δ is made of: a NaN or ±∞ anywhere in Δ reaches them,
 *    and a target ĥ feeds Δ (Δ = (h − ĥ)∘f'), so a non-finite target shows there too. A weight made
 *    non-finite by an update (finite Δ times an infinite input) shows in the next step's activity,
 *    and so in its loss. Scanning every delta or weight at every step would cost 3–12% of a step;
 *    these checks cost nothing measurable;
 *  - before every checkpoint and at the end of each epoch: every float array registered in the
 *    run's state (parameters, optimiser buffers, dynamic state), so a checkpoint is never written
 *    from a diverged state and the last good one is kept.
 * When something is caught, the message points at where the divergence starts: activity flows up,
 * so the lowest population with a non-finite activity; else targets flow down, so the highest
 * population with a non-finite target or delta.
 *
 * Finiteness of a float32 array is tested in the kernels as Σ (x − x)²: exactly 0 when every entry
 * is finite, NaN as soon as one is NaN or ±∞ (∞ − ∞ = NaN), at memory speed and without allocating.
 */
import { kernels } from '../kernels';
import { Population } from '../network/population';
import { StateArray, StateRegistry } from '../state/registry';
import { Circuit } from './circuit';

/** Where training diverged (`step` counts from 1 within the phase); the message is the one line the user sees. */
export class DivergenceError extends Error {
  override readonly name = 'DivergenceError';
  constructor(
    readonly where: { readonly population: string; readonly epoch: number; readonly step: number; readonly phase: string; readonly what: string },
  ) {
    super(`diverged at epoch ${where.epoch}, step ${where.step} (${where.phase}), population ${where.population}: ${where.what}`);
  }
}

/** True when the first `length` entries of `data` are all finite. */
export function allFinite(data: StateArray, length = data.length): boolean {
  if (data instanceof Float32Array) return kernels().sumSquaredDifference(length, data, data) === 0;
  for (let i = 0; i < length; i++) if (!Number.isFinite(data[i])) return false;
  return true;
}

/** The registered float arrays holding a NaN or ±∞, in registration order. */
export function nonFinite(state: StateRegistry): string[] {
  return state.arrays().filter((entry) => entry.finite && !allFinite(entry.data)).map((entry) => entry.name);
}

/** "(W1, V3 hold NaN or Inf)": the parameters (not optimiser buffers) among `names`. */
function holding(names: readonly string[]): string {
  const parameters = names.filter((name) => !name.includes('/'));
  const shown = parameters.length > 0 ? parameters : names;
  if (shown.length === 0) return '';
  const list = shown.length > 5 ? `${shown.slice(0, 5).join(', ')}, …` : shown.join(', ');
  return ` (${list} ${shown.length === 1 ? 'holds' : 'hold'} NaN or Inf)`;
}

export class DivergenceGuard {
  /** A non-finite loss or reconstruction error seen during the step, and the population it concerns. */
  private badScalar: { population: string; what: string } | null = null;
  private readonly subscriptions;

  constructor(private readonly circuit: Circuit) {
    const outcome = circuit.outcome$.subscribe(({ stimulus, loss }) => {
      const training = stimulus.learnForward || stimulus.probeDecoders;
      if (training && !Number.isFinite(loss)) this.badScalar ??= { population: circuit.network.readout.name, what: `the loss is ${loss}` };
    });
    const probes = circuit.reconstruction$.subscribe(({ pathway, error }) => {
      // Decoder g_l reconstructs population l−1.
      const below = circuit.network.populations[Number(pathway.replace(/^\D+/, '')) - 2]?.name ?? pathway;
      if (!Number.isFinite(error)) this.badScalar ??= { population: below, what: `the reconstruction error of decoder ${pathway} is ${error}` };
    });
    this.subscriptions = [outcome, probes];
  }

  /** Throws a DivergenceError if the step just taken produced a non-finite loss, target or update. */
  afterStep(epoch: number, phase: string, step: number, learnForward: boolean): void {
    const { populations } = this.circuit.network;
    const badDelta = learnForward ? populations.find((p) => !allFinite(p.projection.biasGrad)) : undefined;
    if (this.badScalar === null && badDelta === undefined) return;
    const source = this.firstNonFinitePopulation();
    const found = source
      ? { population: source.population.name, what: `its ${source.buffer} is not finite` }
      : (this.badScalar ?? { population: badDelta!.name, what: 'its delta is not finite' });
    const what = found.what + holding(nonFinite(this.circuit.network.state));
    throw new DivergenceError({ population: found.population, epoch, step: step + 1, phase, what });
  }

  /** Throws a DivergenceError if a registered float array holds a NaN or ±∞ (before a checkpoint). */
  checkState(epoch: number, phase: string, step: number): void {
    const [name] = nonFinite(this.circuit.network.state);
    if (name === undefined) return;
    const owner = this.circuit.network.populations.find((p) => p.projection.name === name.split('/')[0]);
    const population = owner?.name ?? name.split('/')[0];
    throw new DivergenceError({ population, epoch, step: step + 1, phase, what: `${name} holds NaN or Inf` });
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.unsubscribe();
  }

  private firstNonFinitePopulation(): { population: Population; buffer: string } | undefined {
    const { populations } = this.circuit.network;
    const bad = (population: Population, buffer: 'activity' | 'target' | 'delta'): boolean =>
      !allFinite(population[buffer], population.rows * population.size);
    const up = populations.find((p) => bad(p, 'activity'));
    if (up) return { population: up, buffer: 'activity' };
    for (const population of [...populations].reverse()) {
      for (const buffer of ['target', 'delta'] as const) if (bad(population, buffer)) return { population, buffer };
    }
    return undefined;
  }
}
