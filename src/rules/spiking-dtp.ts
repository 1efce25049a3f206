/**
 * Difference target propagation with spiking populations and top-down currents.
 *
 * A trial presents one image to a SpikingNetwork (spiking-network.ts) in two phases, each starting
 * from rest with the same input spike train (the encoder's stream replayed), so the rates differ
 * between the phases only through the top-down current:
 *  1. forward phase: no apical drive; each layer's rate h_l = spike count / (window · r_max);
 *  2. target phase: the same input, and each hidden population receives an apical current
 *     proportional to the difference between its target and its forward rate,
 *        va_l = κ · (ĥ_l − h_l) · (Vt − El),
 *     with targets made as in DTP (Lee et al. 2015) from spike-count rates:
 *        ĥ_L = h_L − η̂ · ∂loss/∂h_L          (softmax read-out of h_L, cross-entropy),
 *        ĥ_{l−1} = h_{l−1} + g_l(ĥ_l) − g_l(h_l),   g_l(h) = sigmoid(h V_l + c_l).
 * Each layer then learns locally from the difference between its own rates in the two phases,
 *        ΔW_l ∝ h_{l−1}ᵀ (h_l^target-phase − h_l^forward),  Δb_l ∝ (h_l^t − h_l^f),
 * which, since the apical current moves the rate along the neuron's f–I curve, is the DTP layer
 * loss's gradient ‖f(h_{l−1}W_l) − ĥ_l‖² with the neuron's own slope f′ in place of a derivative.
 * This is the apical-dendrite picture of Bengio (2014) and of Guerguiev, Lillicrap & Richards
 * (2017): the target arrives at a separate compartment and the plasticity is local.
 * Decoders g_l learn to reconstruct the rates of the layer below from the layer above, from the
 * pairs of both phases (the target phase supplies perturbed activity, as DTP's injected noise does):
 *        loss ‖g_l(h_l) − h_{l−1}‖².
 * The read-out (a softmax over h_L) learns by its ordinary gradient, as DTP's top layer does.
 */
import { Activation, kernels } from '../kernels';
import { fillNormal, streamState } from '../kernels/random';
import { createOptimizer, Optimizer, OptimizerSpec } from '../optim/optimizer';
import { SpikingNetwork } from '../network/spiking-network';

export interface SpikingDtpOptions {
  /** Top step η̂ on h_L. */
  readonly topStep: number;
  /** κ: apical drive per unit of rate difference, in units of Vt − El. */
  readonly apicalGain: number;
  readonly batchSize: number;
  /** Steps per phase: settle uncounted, then count. */
  readonly settleSteps: number;
  readonly countSteps: number;
  readonly forward: OptimizerSpec;
  readonly feedback: OptimizerSpec;
  readonly readout: OptimizerSpec;
  /** Initial weights: W ~ N(0, (scale / √fan-in)²), biases = bias. */
  readonly initScale: number;
  readonly initBias: number;
  readonly seed: number;
}

/** The rates of one trial, both phases, every layer (index 0 = input). */
export interface TrialRates {
  readonly forward: Float32Array[];
  readonly target: Float32Array[];
  /** Targets ĥ_l per hidden layer (index l), index 0 unused. */
  readonly targets: Float32Array[];
  readonly probabilities: Float32Array;
}

export class SpikingDtp {
  readonly readoutWeights: Float32Array;
  readonly readoutBias: Float32Array;
  /** V_l (n_l × n_{l−1}) and c_l of decoder g_l, for l = 2 … L (index l − 2). */
  readonly decoderWeights: Float32Array[];
  readonly decoderBiases: Float32Array[];
  private readonly sizes: number[];
  private readonly classes = 10;
  /** Per-batch rows: forward and target-phase rates of every layer. */
  private readonly batchForward: Float32Array[];
  private readonly batchTarget: Float32Array[];
  private readonly batchLabels: Int32Array;
  private rows = 0;
  private readonly optimizers: { param: Float32Array; grad: Float32Array; optimizer: Optimizer }[] = [];
  private readonly scratch: Float32Array[];

  constructor(readonly network: SpikingNetwork, readonly options: SpikingDtpOptions) {
    const L = network.options.layers.length;
    this.sizes = [network.options.input, ...network.options.layers];
    const B = options.batchSize;
    const init = streamState(options.seed, 'spiking-dtp/init');
    const normal = (n: number, std: number): Float32Array => {
      const out = new Float32Array(n);
      fillNormal(init, n, out);
      for (let i = 0; i < n; i++) out[i] *= std;
      return out;
    };
    for (let l = 0; l < L; l++) {
      network.weights[l].set(normal(network.weights[l].length, options.initScale / Math.sqrt(this.sizes[l])));
      network.biases[l].fill(options.initBias);
    }
    network.syncParameters();
    const top = this.sizes[L];
    this.readoutWeights = normal(top * this.classes, 1 / Math.sqrt(top));
    this.readoutBias = new Float32Array(this.classes);
    this.decoderWeights = [];
    this.decoderBiases = [];
    for (let l = 2; l <= L; l++) {
      this.decoderWeights.push(normal(this.sizes[l] * this.sizes[l - 1], 1 / Math.sqrt(this.sizes[l])));
      this.decoderBiases.push(new Float32Array(this.sizes[l - 1]));
    }
    this.batchForward = this.sizes.map((n) => new Float32Array(B * n));
    this.batchTarget = this.sizes.map((n) => new Float32Array(B * n));
    this.batchLabels = new Int32Array(B);
    const learn = (param: Float32Array, spec: OptimizerSpec): void => {
      this.optimizers.push({ param, grad: new Float32Array(param.length), optimizer: createOptimizer(spec, param) });
    };
    for (let l = 0; l < L; l++) {
      learn(network.weights[l], options.forward);
      learn(network.biases[l], options.forward);
    }
    learn(this.readoutWeights, options.readout);
    learn(this.readoutBias, options.readout);
    this.decoderWeights.forEach((V, k) => {
      learn(V, options.feedback);
      learn(this.decoderBiases[k], options.feedback);
    });
    const widest = Math.max(...this.sizes, this.classes);
    this.scratch = [0, 1, 2, 3].map(() => new Float32Array(B * widest));
  }

  /** Read-out probabilities of one row of top-layer rates (writes `probs`, returns it). */
  private readout(h: Float32Array, probs: Float32Array, label: number): Float32Array {
    const k = kernels();
    const top = this.sizes[this.sizes.length - 1];
    k.gemm(false, false, 1, this.classes, top, 1, h, this.readoutWeights, 0, probs);
    for (let c = 0; c < this.classes; c++) probs[c] += this.readoutBias[c];
    k.softmaxCrossEntropy(1, this.classes, probs, Int32Array.of(label), probs, 1, null);
    return probs;
  }

  /** g_l(h) for one row into `out`. */
  private decode(l: number, h: Float32Array, out: Float32Array): void {
    kernels().dense(1, this.sizes[l - 1], this.sizes[l], h, this.decoderWeights[l - 2], this.decoderBiases[l - 2], Activation.Sigmoid, out);
  }

  /** Runs the forward phase only and returns the read-out's probabilities. */
  infer(x: Float32Array, out: Float32Array = new Float32Array(this.classes)): Float32Array {
    const net = this.network;
    const L = this.sizes.length - 1;
    for (let l = 1; l <= L; l++) net.setApical(l, null);
    net.present(x);
    net.startTrial();
    net.runPhase(this.options.settleSteps, this.options.countSteps);
    const h = net.rates(L, new Float32Array(this.sizes[L]));
    return this.readout(h, out, 0);
  }

  /**
   * One training trial (both phases); learning happens once `batchSize` trials are collected.
   * With `learn` false the trial is only observed (recorded), not learnt from.
   * Returns the trial's rates and targets.
   */
  trial(x: Float32Array, label: number, learn = true): TrialRates {
    const net = this.network;
    const L = this.sizes.length - 1;
    const { settleSteps, countSteps, topStep, apicalGain } = this.options;
    const row = this.rows;
    const forward = this.sizes.map((n, l) => this.batchForward[l].subarray(row * n, (row + 1) * n));
    const target = this.sizes.map((n, l) => this.batchTarget[l].subarray(row * n, (row + 1) * n));

    for (let l = 1; l <= L; l++) net.setApical(l, null);
    net.present(x);
    net.startTrial();
    forward[0].set(x);
    target[0].set(x);
    net.runPhase(settleSteps, countSteps);
    for (let l = 1; l <= L; l++) net.rates(l, forward[l]);

    // Targets: ĥ_L from the read-out's gradient, then difference correction through the decoders.
    const probabilities = this.readout(forward[L], new Float32Array(this.classes), label);
    const targets: Float32Array[] = this.sizes.map((n) => new Float32Array(n));
    const top = this.sizes[L];
    const grad = new Float32Array(this.classes);
    for (let c = 0; c < this.classes; c++) grad[c] = probabilities[c] - (c === label ? 1 : 0);
    const dh = new Float32Array(top);
    kernels().gemm(false, true, 1, top, this.classes, 1, grad, this.readoutWeights, 0, dh);
    for (let j = 0; j < top; j++) targets[L][j] = forward[L][j] - topStep * dh[j];
    for (let l = L; l >= 2; l--) {
      const plus = new Float32Array(this.sizes[l - 1]);
      const minus = new Float32Array(this.sizes[l - 1]);
      this.decode(l, targets[l], plus);
      this.decode(l, forward[l], minus);
      kernels().addDifference(this.sizes[l - 1], forward[l - 1], plus, minus, targets[l - 1]);
    }
    for (let l = 1; l <= L; l++) {
      const drive = new Float32Array(this.sizes[l]);
      for (let j = 0; j < drive.length; j++) drive[j] = apicalGain * (targets[l][j] - forward[l][j]);
      net.setApical(l, drive);
    }
    net.rewind();
    net.runPhase(settleSteps, countSteps);
    for (let l = 1; l <= L; l++) net.rates(l, target[l]);
    for (let l = 1; l <= L; l++) net.setApical(l, null);

    if (learn) {
      this.batchLabels[row] = label;
      this.rows++;
      if (this.rows === this.options.batchSize) this.learn();
    }
    return { forward: forward.map((a) => a.slice()), target: target.map((a) => a.slice()), targets, probabilities };
  }

  /** Applies the collected trials' updates (a partial batch too) and starts a new batch. */
  learn(): void {
    const m = this.rows;
    if (m === 0) return;
    const k = kernels();
    const L = this.sizes.length - 1;
    let o = 0;
    const next = (): { grad: Float32Array; optimizer: Optimizer } => this.optimizers[o++];
    const [diff] = this.scratch;
    // Local forward updates: gradient of −(h^t − h^f)·(h_{l−1} W_l), averaged over the batch.
    for (let l = 1; l <= L; l++) {
      const n = this.sizes[l];
      const kIn = this.sizes[l - 1];
      k.axpby(m * n, -1, this.batchTarget[l], 1, this.batchForward[l], diff);
      const w = next();
      k.gemm(true, false, kIn, n, m, 1 / m, this.batchForward[l - 1], diff, 0, w.grad);
      w.optimizer.step(w.grad);
      const b = next();
      k.columnSums(m, n, 1 / m, diff, 0, b.grad);
      b.optimizer.step(b.grad);
    }
    this.network.syncParameters();
    // Read-out: softmax cross-entropy gradient on the forward-phase top rates.
    const top = this.sizes[L];
    const [, scores, dscores] = this.scratch;
    k.gemm(false, false, m, this.classes, top, 1, this.batchForward[L], this.readoutWeights, 0, scores);
    for (let r = 0; r < m; r++) for (let c = 0; c < this.classes; c++) scores[r * this.classes + c] += this.readoutBias[c];
    k.softmaxCrossEntropy(m, this.classes, scores, this.batchLabels.subarray(0, m), scores, 1, dscores);
    const u = next();
    k.gemm(true, false, top, this.classes, m, 1, this.batchForward[L], dscores, 0, u.grad);
    const c = next();
    k.columnSums(m, this.classes, 1, dscores, 0, c.grad);
    u.optimizer.step(u.grad);
    c.optimizer.step(c.grad);
    // Decoders: reconstruct layer l−1 from layer l, on both phases' rates.
    for (let l = 2; l <= L; l++) {
      const V = next();
      const cb = next();
      V.grad.fill(0);
      cb.grad.fill(0);
      const [, , y, d] = this.scratch;
      for (const batch of [this.batchForward, this.batchTarget]) {
        k.dense(m, this.sizes[l - 1], this.sizes[l], batch[l], this.decoderWeights[l - 2], this.decoderBiases[l - 2], Activation.Sigmoid, y);
        k.deltaFromTarget(Activation.Sigmoid, m * this.sizes[l - 1], 1 / m, y, batch[l - 1], d);
        k.gemm(true, false, this.sizes[l], this.sizes[l - 1], m, 1, batch[l], d, 1, V.grad);
        k.columnSums(m, this.sizes[l - 1], 1, d, 1, cb.grad);
      }
      V.optimizer.step(V.grad);
      cb.optimizer.step(cb.grad);
    }
    this.rows = 0;
  }
}
