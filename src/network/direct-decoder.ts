/**
 * A learned direct feedback pathway from the output to one hidden population j (Meulemans, Carzaniga,
 * Suykens, Sacramento & Grewe 2020, "A Theoretical Framework for Target Propagation", DDTP):
 *   g_j(o) = unit(o·Q_j + c_j),  unit linear (DDTP-linear) or tanh,
 * where o is the output in log-probability space, o = log p (the read-out's scores up to a constant
 * per row, which the difference cancels; the error δ_out = p − onehot(y) sums to zero per row).
 * It carries a difference: ĥ_j = h_j + g_j(ô) − g_j(o), ô = o − η̂·δ_out.
 * Trained by the difference reconstruction loss on direct connections: population j is probed,
 * h̃_j = h_j + ε, the network responds up to the output, õ, and
 *   L = mean over the batch of ‖(g_j(õ) − g_j(o)) − ε‖²,
 * so g_j learns to map output displacements back to the displacement of h_j that caused them.
 */
import { Activation, kernels } from '../kernels';
import { differenceReconstructionDelta } from './difference-reconstruction';
import { Pathway, PathwayOptimizers, PathwaySite, Probe } from './pathway';
import { Projection } from './projection';

/** Floor of probabilities before the logarithm (float32 softmax can underflow to 0). */
const TINY = 1e-30;

/** out ← log(max(p, TINY)) over `length` entries. */
export function logProbabilities(length: number, p: Float32Array, out: Float32Array): void {
  for (let i = 0; i < length; i++) out[i] = Math.log(Math.max(p[i], TINY));
}

/** Row-wise log-softmax in place: x ← x − log Σ exp(x) for `rows` rows of `classes` scores. */
export function logSoftmaxRows(rows: number, classes: number, x: Float32Array): void {
  for (let r = 0; r < rows; r++) {
    const row = x.subarray(r * classes, (r + 1) * classes);
    let max = -Infinity;
    for (let c = 0; c < classes; c++) max = Math.max(max, row[c]);
    let sum = 0;
    for (let c = 0; c < classes; c++) sum += Math.exp(row[c] - max);
    const shift = max + Math.log(sum);
    for (let c = 0; c < classes; c++) row[c] -= shift;
  }
}

export class DirectDecoderPathway<K extends 'direct-decoder-linear' | 'direct-decoder-tanh'> implements Pathway {
  /** h̃_j: the noisy probe of the population this pathway reaches. */
  readonly probe: Float32Array;
  /** õ and o: the output's log-probabilities for the probe and for the clean sweep. */
  readonly noisyOutput: Float32Array;
  readonly cleanOutput: Float32Array;
  private pending = false;
  readonly activation: Activation;
  private readonly stacked: Float32Array;
  private readonly decoded: Float32Array;
  private readonly delta: Float32Array;

  constructor(
    readonly kind: K,
    /** Q_j: classes → the population's size. */
    readonly projection: Projection,
    private readonly maxRows: number,
  ) {
    this.activation = kind === 'direct-decoder-linear' ? Activation.Identity : Activation.Tanh;
    const { inSize: classes, outSize: size } = projection;
    this.probe = new Float32Array(maxRows * size);
    this.noisyOutput = new Float32Array(maxRows * classes);
    this.cleanOutput = new Float32Array(maxRows * classes);
    this.stacked = new Float32Array(2 * maxRows * classes);
    this.decoded = new Float32Array(2 * maxRows * size);
    this.delta = new Float32Array(2 * maxRows * size);
  }

  projections(): readonly Projection[] {
    return [this.projection];
  }

  setOptimizers({ feedback, frozen }: PathwayOptimizers): void {
    this.projection.setOptimizer(feedback, frozen(this.projection));
  }

  /**
   * The probe (part of the forward sweep, once the read-out has responded): h_j is probed with
   * noise, h̃_j = h_j + ε (stream "<h_j>/direct-noise"), the populations above respond in turn up to
   * the read-out, and the decoder learns from the clean and noisy outputs (as log-probabilities).
   */
  probes({ below: population, populations, readout, state }: PathwaySite): Probe[] {
    if (!population) throw new Error(`decoder ${this.projection.name} reaches a hidden population`);
    const k = kernels();
    const top = populations[readout.index - 2];
    const widest = Math.max(...populations.map((p) => p.size));
    const ping = new Float32Array(this.maxRows * widest);
    const pong = new Float32Array(this.maxRows * widest);
    const sent = new Float32Array(this.maxRows * widest);
    const noise = state.stream(`${population.name}/direct-noise`);
    return [
      {
        after: readout.index,
        pathway: `g${population.index + 1}`,
        run: ({ rows, noise: sd }) => {
          readout.respond(rows, top.send(rows, top.activity, sent), this.cleanOutput);
          logSoftmaxRows(rows, readout.size, this.cleanOutput);
          k.addGaussianNoise(rows * population.size, population.activity, sd, noise, this.probe);
          let x = this.probe;
          for (let m = population.index + 1; m < readout.index; m++) {
            const out = x === ping ? pong : ping;
            populations[m - 1].respond(rows, populations[m - 2].send(rows, x, sent), out);
            x = out;
          }
          readout.respond(rows, top.send(rows, x, sent), this.noisyOutput);
          logSoftmaxRows(rows, readout.size, this.noisyOutput);
          return this.learnFromProbe(rows, population.activity);
        },
      },
    ];
  }

  /** decoded[0..2rows) ← g([a; b]). */
  private decodeBoth(rows: number, a: Float32Array, b: Float32Array): void {
    const classes = this.projection.inSize;
    this.stacked.set(a.subarray(0, rows * classes), 0);
    this.stacked.set(b.subarray(0, rows * classes), rows * classes);
    this.projection.respond(2 * rows, this.stacked, this.activation, this.decoded);
  }

  /**
   * out ← g(ô) − g(o) for the read-out's probabilities p and error δ_out (rows × classes):
   * o = log p, ô = o − η̂·δ_out.
   */
  sendTargetDifference(rows: number, p: Float32Array, error: Float32Array, topStep: number, out: Float32Array): void {
    const classes = this.projection.inSize;
    const n = rows * classes;
    logProbabilities(n, p, this.cleanOutput);
    kernels().axpby(n, 1, this.cleanOutput, -topStep, error, this.noisyOutput);
    this.decodeBoth(rows, this.noisyOutput, this.cleanOutput);
    const size = rows * this.projection.outSize;
    kernels().axpby(size, 1, this.decoded, -1, this.decoded.subarray(size, 2 * size), out);
  }

  /**
   * Gradients of the difference reconstruction loss for the probe now in `probe` (around the clean
   * activity `h`) and the outputs in `noisyOutput`/`cleanOutput`; returns its batch mean.
   */
  learnFromProbe(rows: number, h: Float32Array): number {
    const size = rows * this.projection.outSize;
    this.decodeBoth(rows, this.noisyOutput, this.cleanOutput);
    // The displacement d = h̃ − h, written into the probe's buffer.
    kernels().axpby(size, 1, this.probe, -1, h, this.probe);
    const loss = differenceReconstructionDelta(this.activation, rows, this.projection.outSize, this.decoded, this.probe, this.delta);
    this.projection.accumulateGradients(2 * rows, this.stacked, this.delta);
    this.pending = true;
    return loss;
  }

  /** One optimiser step, if a probe left gradients (learning phase). */
  applyGradients(): void {
    if (!this.pending) return;
    this.projection.applyGradients();
    this.pending = false;
  }
}
