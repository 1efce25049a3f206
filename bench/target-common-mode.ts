/**
 * Where the direction of straight-through DTP targets comes from, layer by layer (issue 17; RESULTS.md,
 * "Why the targets alternate at γ = 1"). Trains an experiment with DTP's decoders (a run folder in
 * --out, as `apical run` writes it) and, every N learning steps after the top-down phase, measures
 * for each hidden layer h_l below the top, on the batch, without drawing from any random stream:
 *  - angle_st:         ∠(ĥ_l − h_l, −∂L/∂h_l), the monitor's target_angle_st (dx/dh := 1 through every sample);
 *  - angle_st_centred: the same with each row's mean over the units removed from both vectors;
 *  - chain:            the angle of the target chain recomputed from the top's step, ĥ_{l−1} − h_{l−1} =
 *                      γ·(g_l(x_l + ĥ_l − h_l) − g_l(x_l)), with each decoder that has an input
 *                      transform reading x_l, the code population l sent (DTP-ST's decoders draw
 *                      their own sample of h_l), and each decoder without one reading x_l = h_l;
 *  - chain_v_centred:  that chain with the grand mean of every decoder's weights V_l removed;
 *  - st_w_centred:     angle_st against the straight-through gradient with the grand mean of every
 *                      forward matrix W_l removed (the read-out's kept);
 *  - pass, pass_h, pass_linear: ∠(the step the decoder passes down, the straight-through gradient's
 *                      pass-down of the same step above, (Δ_{l+1} ∘ f′)·W_{l+1}ᵀ), with the decoder as
 *                      the rule has it, reading h_{l+1} instead of a sample, and linear (Δ_{l+1}·V_{l+1});
 *  - share_target, share_gradient: the fraction of the squared norm in each row's mean over the units;
 *  - mean_target:      mean(ĥ_l − h_l)/rms(ĥ_l − h_l); mean_w, mean_v: mean/rms of the entries of
 *                      W_{l+1} and V_{l+1} (the matrices between h_l and the layer above).
 *  - activity, spread: the mean of h_l over the batch and its units, and its units' standard deviation
 *                      over the batch, averaged over the units (a population whose units sit at 0 or 1
 *                      for every example passes nothing up and its decoder has nothing to invert).
 * Writes <out>/common-mode.jsonl (one line per sample) and prints the last sample as a table.
 *
 *   APICAL_NATIVE_THREADS=1 node dist/bench/target-common-mode.js <experiment.json> --out DIR [--every N] [--set F=V]…
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseArgs } from 'util';
import { Circuit } from '../src/engine/circuit';
import { loadExperiment } from '../src/experiment/experiment';
import { kernels } from '../src/kernels';
import { angleDegrees, backpropagate } from '../src/metrics/alignment';
import { DecoderPathway } from '../src/network/decoder';
import { runExperiment } from '../src/session/kinds';

type LayerSample = Record<string, number>;

/** Each row's mean over its `width` units, removed (a copy). */
function centred(rows: number, width: number, v: Float32Array): Float32Array {
  const out = Float32Array.from(v.subarray(0, rows * width));
  for (let r = 0; r < rows; r++) {
    const row = out.subarray(r * width, (r + 1) * width);
    const mean = row.reduce((sum, x) => sum + x, 0) / width;
    for (let j = 0; j < width; j++) row[j] -= mean;
  }
  return out;
}

/** ‖v‖² over the first `length` entries. */
function sumOfSquares(length: number, v: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < length; i++) sum += v[i] * v[i];
  return sum;
}

/** The fraction of ‖v‖² in the rows' means over their units. */
const meanShare = (rows: number, width: number, v: Float32Array): number => 1 - sumOfSquares(rows * width, centred(rows, width, v)) / sumOfSquares(rows * width, v);

/** mean(v)/rms(v) over the first `length` entries. */
function relativeMean(length: number, v: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < length; i++) sum += v[i];
  return sum / length / Math.sqrt(sumOfSquares(length, v) / length);
}

/** Runs `work` with the grand mean of each matrix removed, then puts the matrices back. */
function withoutGrandMeans<T>(matrices: readonly Float32Array[], work: () => T): T {
  const saved = matrices.map((m) => Float32Array.from(m));
  for (const m of matrices) {
    const mean = m.reduce((sum, x) => sum + x, 0) / m.length;
    for (let i = 0; i < m.length; i++) m[i] -= mean;
  }
  try {
    return work();
  } finally {
    matrices.forEach((m, i) => m.set(saved[i]));
  }
}

const round = (x: number, digits: number): number => Number(x.toFixed(digits));

/** The mean of `rows` rows of h over its `width` units, and each unit's standard deviation over the rows, averaged. */
function activityStatistics(rows: number, width: number, h: Float32Array): { activity: number; spread: number } {
  let total = 0;
  let spread = 0;
  for (let j = 0; j < width; j++) {
    let sum = 0;
    let squares = 0;
    for (let r = 0; r < rows; r++) {
      const v = h[r * width + j];
      sum += v;
      squares += v * v;
    }
    const mean = sum / rows;
    total += mean;
    spread += Math.sqrt(Math.max(0, squares / rows - mean * mean));
  }
  return { activity: round(total / width, 3), spread: round(spread / width, 3) };
}

function measure(circuit: Circuit, rows: number, growth: number): Record<string, LayerSample> {
  const k = kernels();
  const { network } = circuit;
  const { hidden, feedback } = network;
  const L = hidden.length;
  const buffers = (): Float32Array[] => hidden.map((p) => new Float32Array(rows * p.size));
  const stGradient = (): Float32Array[] => {
    const grad = buffers();
    backpropagate(network, rows, grad, buffers(), true);
    return grad;
  };
  const step = (i: number): Float32Array => {
    const p = hidden[i];
    const out = new Float32Array(rows * p.size);
    k.axpby(out.length, 1, p.target, -1, p.activity, out);
    return out;
  };
  const decoder = (l: number): DecoderPathway => feedback[l] as DecoderPathway;
  /** g_l(base + d) − g_l(base), into a new buffer of h_{l−1}'s size (each read minus the decoder's centre c). */
  const difference = (l: number, base: Float32Array, d: Float32Array): Float32Array => {
    const { projection, unit } = decoder(l);
    const length = rows * projection.inSize;
    const stacked = new Float32Array(2 * length);
    k.axpby(length, 1, base, 1, d, stacked);
    stacked.set(base.subarray(0, length), length);
    decoder(l).subtractCentre(stacked.length, stacked, stacked);
    const decoded = new Float32Array(2 * rows * projection.outSize);
    projection.respond(2 * rows, stacked, unit.activation!, decoded);
    const out = new Float32Array(rows * projection.outSize);
    k.axpby(out.length, 1, decoded, -1, decoded.subarray(out.length), out);
    return out;
  };
  const chain = (): Float32Array[] => {
    const steps = buffers();
    steps[L - 1] = step(L - 1);
    for (let i = L - 2; i >= 0; i--) {
      const above = hidden[i + 1];
      steps[i] = difference(i + 2, decoder(i + 2).inputUnit ? above.sent : above.activity, steps[i + 1]);
      k.axpby(steps[i].length, growth, steps[i], 0, steps[i], steps[i]);
    }
    return steps;
  };
  const grad = stGradient();
  const decoders = hidden.slice(1).map((_, i) => decoder(i + 2).projection.weights);
  const sentChain = chain();
  const centredChain = withoutGrandMeans(decoders, chain);
  const centredGrad = withoutGrandMeans(
    hidden.map((p) => p.projection.weights),
    stGradient,
  );
  const sample: Record<string, LayerSample> = {};
  for (let i = 0; i < L - 1; i++) {
    const p = hidden[i];
    const above = hidden[i + 1];
    const n = rows * p.size;
    const target = step(i);
    const targetAbove = step(i + 1);
    // The straight-through gradient's pass-down of the step above: (Δ_{l+1} ∘ f′)·W_{l+1}ᵀ.
    const throughUnit = new Float32Array(rows * above.size);
    above.throughUnit(throughUnit.length, targetAbove, throughUnit);
    const passed = new Float32Array(n);
    k.gemm(false, true, rows, p.size, above.size, 1, throughUnit, above.projection.weights, 0, passed);
    const V = decoder(i + 2).projection;
    const linear = new Float32Array(n);
    k.gemm(false, false, rows, p.size, above.size, 1, targetAbove, V.weights, 0, linear);
    sample[p.name] = {
      angle_st: round(angleDegrees(n, target, grad[i], true), 1),
      angle_st_centred: round(angleDegrees(n, centred(rows, p.size, target), centred(rows, p.size, grad[i]), true), 1),
      chain: round(angleDegrees(n, sentChain[i], grad[i], true), 1),
      chain_v_centred: round(angleDegrees(n, centredChain[i], grad[i], true), 1),
      st_w_centred: round(angleDegrees(n, target, centredGrad[i], true), 1),
      pass: round(angleDegrees(n, target, passed), 1),
      pass_h: round(angleDegrees(n, difference(i + 2, above.activity, targetAbove), passed), 1),
      pass_linear: round(angleDegrees(n, linear, passed), 1),
      share_target: round(meanShare(rows, p.size, target), 3),
      share_gradient: round(meanShare(rows, p.size, grad[i]), 3),
      mean_target: round(relativeMean(n, target), 3),
      mean_w: round(relativeMean(above.projection.weights.length, above.projection.weights), 3),
      mean_v: round(relativeMean(V.weights.length, V.weights), 3),
      ...activityStatistics(rows, p.size, p.activity),
    };
  }
  return sample;
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { out: { type: 'string' }, every: { type: 'string' }, set: { type: 'string', multiple: true } },
  });
  const [file] = positionals;
  if (!file || !values.out) throw new Error('usage: target-common-mode <experiment.json> --out DIR [--every N] [--set F=V]…');
  const every = Number(values.every ?? 25);
  const experiment = loadExperiment(file, { set: values.set });
  const rule = experiment.rule as { name: string; stepGrowth?: number };
  const samples: string[] = [];
  let last: Record<string, LayerSample> = {};
  await runExperiment(experiment, {
    out: values.out,
    force: true,
    observe: (circuit) => {
      let steps = 0;
      const subscription = circuit.topDown$[1].subscribe(({ stimulus }) => {
        steps++;
        if (steps % every !== 0) return;
        last = measure(circuit, stimulus.rows, rule.stepGrowth ?? 1);
        samples.push(JSON.stringify({ step: steps, ...last }));
      });
      return { onEvent: () => undefined, close: () => subscription.unsubscribe() };
    },
  });
  fs.writeFileSync(path.join(values.out, 'common-mode.jsonl'), samples.join('\n') + '\n');
  const layers = Object.keys(last);
  console.log(`| ${file}, last sample | ${layers.join(' | ')} |`);
  console.log(`|---|${layers.map(() => '---:').join('|')}|`);
  for (const key of Object.keys(last[layers[0]] ?? {})) console.log(`| ${key} | ${layers.map((l) => last[l][key]).join(' | ')} |`);
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
