/**
 * Difference target propagation with spiking populations and top-down currents.
 *
 * A trial presents one image to a SpikingNetwork (spiking-network.ts) in two phases, each starting
 * from rest with the same input (the encoder's stream replayed, or the same input current), so the
 * rates differ between the phases only through the top-down current. A minibatch of trials runs
 * together (the network simulates one copy per trial); parameters change only between minibatches,
 * so this is the same computation as running the trials one after another.
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
 * With `targetPhases: "per-layer"` there is one target phase per layer, only that layer driven, so
 * that its rate change is its own drive's (in the joint phase layer l's change also carries the
 * change of layer l − 1 through the synapses).
 * Decoders g_l learn to reconstruct the rates of the layer below from the layer above, from the
 * forward pairs and from the pairs of the phase that perturbed h_{l−1} (its target drive supplies
 * perturbed activity, as DTP's injected noise does): loss ‖g_l(h_l) − h_{l−1}‖².
 * The read-out (a softmax over h_L) learns by its ordinary gradient, as DTP's top layer does.
 * Every learning rate is lr · lrDecay^(epoch − 1) (setEpoch). On MNIST a small top step (0.5) works
 * best: with η̂ = 2 the targets of misclassified digits leave the rates' range and the target
 * phase saturates the neurons (RESULTS.md).
 */
import { kernels } from '../kernels';
import { fillNormal, streamState } from '../kernels/random';
import { createOptimizer, Optimizer, OptimizerSpec } from '../optim/optimizer';
import { LearnedArray, RateDecoderPathway } from '../network/rate-decoder';
import { SpikingNetwork } from '../network/spiking-network';
import { StateRegistry } from '../state/registry';
import { LocalView, Rule } from './rule';
import { targetPropagationUses } from './target-propagation';

export interface SpikingDtpOptions {
  /** Top step η̂ on h_L. */
  readonly topStep: number;
  /** κ: apical drive per unit of rate difference, in units of Vt − El. */
  readonly apicalGain: number;
  /** Steps per phase: settle uncounted, then count. */
  readonly settleSteps: number;
  readonly countSteps: number;
  /**
   * "joint": one target phase, every layer driven at once (each layer's rate change then also
   * carries the change of the layer below); "per-layer": one target phase per layer, only it
   * driven, so its rate change is its own drive's (L + 1 phases per trial).
   */
  readonly targetPhases: 'joint' | 'per-layer';
  /** Learning rates are multiplied by lrDecay^(epoch − 1) in epoch `epoch` (see setEpoch). */
  readonly lrDecay: number;
  readonly forward: OptimizerSpec;
  readonly feedback: OptimizerSpec;
  readonly readout: OptimizerSpec;
  /** Initial weights: W ~ N(0, (scale / √fan-in)²), biases = bias. */
  readonly initScale: number;
  readonly initBias: number;
  readonly seed: number;
  /** Classes the read-out tells apart (from the data). */
  readonly classes: number;
}

/** The rates of a batch of trials, both phases, every layer (index 0 = input), rows × n each. */
export interface TrialRates {
  readonly rows: number;
  readonly forward: Float32Array[];
  readonly target: Float32Array[];
  /** Targets ĥ_l per hidden layer (index l), index 0 unused. */
  readonly targets: Float32Array[];
  /** The read-out's probabilities from the forward phase, rows × classes. */
  readonly probabilities: Float32Array;
}

/**
 * Spiking DTP's target formation, in the seam every rule fills (rule.ts): at h_L the read-out's
 * gradient ∂loss/∂h_L arrives as topDown, ĥ_L = h_L − η̂·topDown; each decoder pathway sends
 * ĥ_{l−1} = h_{l−1} + g_l(ĥ_l) − g_l(h_l). A population forms no delta when it receives its target:
 * its rate change in the target phase, driven by the target, is what it learns from.
 */
export function spikingDifferenceTargetPropagation(topStep: number): Rule {
  return {
    name: 'spiking-dtp',
    summary: 'ĥ_{l−1} = h_{l−1} + g_l(ĥ_l) − g_l(h_l) on spike-count rates, targets as apical currents, ΔW_l ∝ h_{l−1}ᵀ(h_l^target − h_l) — spiking DTP',
    uses: { ...targetPropagationUses, derivativeChain: false },
    feedback: 'rate-decoder',
    top(at, rows) {
      kernels().axpby(rows * at.size, -topStep, at.topDown, 1, at.activity, at.target);
    },
    receive() {
      // The target is formed; the delta comes from the target phase.
    },
    descend(pathway, above, below, rows) {
      if (!(pathway instanceof RateDecoderPathway)) throw new Error(`rule spiking-dtp needs rate-decoder pathways, got ${pathway.kind}`);
      pathway.sendTarget(rows, above.target, above.activity, below.activity, below.target);
    },
    silenced(at, rows) {
      at.target.set(at.activity.subarray(0, rows * at.size));
    },
  };
}

/** What the rule sees of a spiking population: its forward rates, the signal from above, its target. */
function rateView(name: string, size: number, activity: Float32Array, topDown: Float32Array, target: Float32Array): LocalView {
  const noDerivative = (): never => {
    throw new Error(`population ${name} is spiking: its rates have no unit derivative`);
  };
  return { name, size, activity, topDown, target, delta: new Float32Array(0), throughUnit: noDerivative, throughSend: noDerivative };
}

export class SpikingDtp {
  readonly readoutWeights: Float32Array;
  readonly readoutBias: Float32Array;
  /** feedback[l]: the decoder pathway g_l from population l to l − 1 (l = 2 … L; undefined elsewhere). */
  readonly feedback: (RateDecoderPathway | undefined)[];
  /** The rule forming the targets (a lesion wraps it). */
  rule: Rule;
  /** Learned parameters and their optimisers, in a fixed order (for checkpoints). */
  readonly optimizers: { readonly name: string; readonly param: Float32Array; readonly grad: Float32Array; readonly optimizer: Optimizer }[] = [];
  private readonly sizes: number[];
  private readonly classes: number;
  /** The batch's rows: forward and target-phase rates and targets of every layer. */
  private readonly batchForward: Float32Array[];
  private readonly batchTarget: Float32Array[];
  /** Per-layer target phases: layer l's rates in the phase that drove layer l − 1. */
  private readonly batchAnswer: Float32Array[];
  private readonly batchGoal: Float32Array[];
  private readonly probabilities: Float32Array;
  private readonly scratch: Float32Array[];
  /** What the rule sees of each hidden population (index l), and of the read-out. */
  private readonly views: LocalView[];
  private readonly readoutView: LocalView;
  /** Each optimiser's spec (its lr rewritten by setEpoch) and its initial lr. */
  private readonly schedule: { spec: { lr: number }; lr: number }[] = [];

  constructor(readonly network: SpikingNetwork, readonly options: SpikingDtpOptions) {
    const L = network.options.layers.length;
    this.classes = options.classes;
    this.sizes = [network.options.input, ...network.options.layers];
    const B = network.batch;
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
    const decoderWeights: Float32Array[] = [];
    const decoderBiases: Float32Array[] = [];
    for (let l = 2; l <= L; l++) {
      decoderWeights.push(normal(this.sizes[l] * this.sizes[l - 1], 1 / Math.sqrt(this.sizes[l])));
      decoderBiases.push(new Float32Array(this.sizes[l - 1]));
    }
    this.batchForward = this.sizes.map((n) => new Float32Array(B * n));
    this.batchTarget = this.sizes.map((n) => new Float32Array(B * n));
    this.batchAnswer = this.sizes.map((n) => new Float32Array(options.targetPhases === 'joint' ? 0 : B * n));
    this.batchGoal = this.sizes.map((n) => new Float32Array(B * n));
    this.probabilities = new Float32Array(B * this.classes);
    const learn = (name: string, param: Float32Array, spec: OptimizerSpec): LearnedArray => {
      // The optimiser reads its spec's lr at every step: this copy is where setEpoch decays it.
      const scheduled = { ...spec };
      this.schedule.push({ spec: scheduled, lr: spec.lr });
      const entry = { name, param, grad: new Float32Array(param.length), optimizer: createOptimizer(scheduled, param) };
      this.optimizers.push(entry);
      return entry;
    };
    for (let l = 0; l < L; l++) {
      learn(`W${l + 1}`, network.weights[l], options.forward);
      learn(`b${l + 1}`, network.biases[l], options.forward);
    }
    learn('readout/W', this.readoutWeights, options.readout);
    learn('readout/b', this.readoutBias, options.readout);
    this.feedback = [undefined, undefined];
    decoderWeights.forEach((V, k) => {
      const l = k + 2;
      const weights = learn(`g${l}/V`, V, options.feedback);
      const bias = learn(`g${l}/c`, decoderBiases[k], options.feedback);
      this.feedback[l] = new RateDecoderPathway(l, this.sizes[l], this.sizes[l - 1], weights, bias, B);
    });
    const widest = Math.max(...this.sizes, this.classes);
    this.scratch = [0, 1, 2, 3].map(() => new Float32Array(B * widest));
    this.rule = spikingDifferenceTargetPropagation(options.topStep);
    // ∂loss/∂h_L arrives at the top population (a scratch buffer: nothing else is sent down).
    const [, topDown] = this.scratch;
    this.views = this.sizes.map((n, l) => rateView(l === 0 ? 'input' : `h${l}`, n, this.batchForward[l], l === L ? topDown : new Float32Array(0), this.batchGoal[l]));
    const [grad] = this.scratch;
    this.readoutView = rateView('out', this.classes, this.probabilities, grad, new Float32Array(0));
  }

  /** Sets every learning rate for epoch `epoch` (1-based): lr · lrDecay^(epoch − 1), a step decay per epoch. */
  setEpoch(epoch: number): void {
    for (const entry of this.schedule) entry.spec.lr = entry.lr * this.options.lrDecay ** (epoch - 1);
  }

  /** Registers the state that carries from one minibatch to the next: parameters, optimiser buffers, the network's streams. */
  register(state: StateRegistry): void {
    for (const { name, param, optimizer } of this.optimizers) {
      state.register(name, param);
      for (const [key, buffer] of Object.entries(optimizer.state)) state.register(`${name}/${key}`, buffer);
    }
    this.network.register(state);
  }

  /**
   * A copy of this learner and its network, with the same parameters, simulating `batch` (at most
   * this one's batch) trials at a time, to observe trials: it forms its targets through this one's
   * rule and decoder pathways (a lesion included), and must not learn.
   */
  withBatch(batch: number): SpikingDtp {
    const copy = new SpikingDtp(new SpikingNetwork({ ...this.network.options, batch }), this.options);
    copy.optimizers.forEach((o, k) => o.param.set(this.optimizers[k].param));
    copy.network.syncParameters();
    copy.rule = this.rule;
    this.feedback.forEach((pathway, l) => (copy.feedback[l] = pathway));
    return copy;
  }

  /** The read-out's probabilities for `rows` rows of top-layer rates (labels for the gradient, or null). */
  private readout(rows: number, h: Float32Array, labels: Int32Array | null, probs: Float32Array, grad: Float32Array | null): void {
    const k = kernels();
    const top = this.sizes[this.sizes.length - 1];
    k.gemm(false, false, rows, this.classes, top, 1, h, this.readoutWeights, 0, probs);
    for (let r = 0; r < rows; r++) for (let c = 0; c < this.classes; c++) probs[r * this.classes + c] += this.readoutBias[c];
    // grad = p − onehot per row (gradScale m undoes the kernel's batch mean).
    k.softmaxCrossEntropy(rows, this.classes, probs, labels ?? new Int32Array(rows), probs, rows, grad);
  }

  /** The forward phase of `rows` trials (x: rows × input); leaves the rates in batchForward. */
  private forwardPhase(x: Float32Array, rows: number): void {
    const net = this.network;
    const L = this.sizes.length - 1;
    for (let l = 1; l <= L; l++) net.setApical(l, null);
    net.present(x, rows);
    net.startTrial();
    net.runPhase(this.options.settleSteps, this.options.countSteps);
    this.batchForward[0].set(x.subarray(0, rows * this.sizes[0]));
    for (let l = 1; l <= L; l++) net.rates(l, this.batchForward[l], rows);
  }

  /** The read-out's probabilities after the forward phase, rows × classes into `out`. */
  infer(x: Float32Array, rows: number, out: Float32Array): Float32Array {
    this.forwardPhase(x, rows);
    this.readout(rows, this.batchForward[this.sizes.length - 1], null, out, null);
    return out;
  }

  /**
   * `rows` training trials (x: rows × input, at most the network's batch), both phases; with `learn`
   * the parameters are then updated from them (one minibatch), otherwise the trials are only
   * observed (recorded). Returns views of the trials' rates, valid until the next call.
   */
  trials(x: Float32Array, labels: Int32Array, rows: number, learn = true): TrialRates {
    const net = this.network;
    const k = kernels();
    const L = this.sizes.length - 1;
    const { apicalGain } = this.options;
    this.forwardPhase(x, rows);
    const forward = this.batchForward;
    const goal = this.batchGoal;

    // Targets, in the circuit's order (engine/circuit.ts): ∂loss/∂h_L through the read-out's
    // weights, the rule's top target, then down the decoder pathways, population by population.
    const top = this.sizes[L];
    const [grad] = this.scratch;
    const views = this.views;
    this.readout(rows, forward[L], labels, this.probabilities, grad);
    k.gemm(false, true, rows, top, this.classes, 1, grad, this.readoutWeights, 0, views[L].topDown);
    this.rule.top(views[L], rows);
    this.rule.receive(views[L], rows);
    for (let l = L; l >= 2; l--) {
      this.rule.descend(this.feedback[l]!, views[l], views[l - 1], rows, this.readoutView);
      this.rule.receive(views[l - 1], rows);
    }
    const [drive] = this.scratch;
    this.batchTarget[0].set(x.subarray(0, rows * this.sizes[0]));
    if (this.options.targetPhases === 'joint') {
      for (let l = 1; l <= L; l++) {
        k.axpby(rows * this.sizes[l], apicalGain, goal[l], -apicalGain, forward[l], drive);
        net.setApical(l, drive, rows);
      }
      net.rewind();
      net.runPhase(this.options.settleSteps, this.options.countSteps);
      for (let l = 1; l <= L; l++) net.rates(l, this.batchTarget[l], rows);
      for (let l = 1; l <= L; l++) net.setApical(l, null);
    } else {
      // One target phase per layer, the others undriven: layer l's rate change is its own apical
      // drive's alone, and layer l+1 meanwhile answers the change of l through its synapses.
      for (let l = 1; l <= L; l++) {
        k.axpby(rows * this.sizes[l], apicalGain, goal[l], -apicalGain, forward[l], drive);
        net.setApical(l, drive, rows);
        net.rewind();
        net.runPhase(this.options.settleSteps, this.options.countSteps);
        net.rates(l, this.batchTarget[l], rows);
        if (l < L) net.rates(l + 1, this.batchAnswer[l + 1], rows);
        net.setApical(l, null);
      }
    }

    if (learn) this.learn(rows, labels);
    const view = (a: Float32Array[]): Float32Array[] => a.map((v, l) => v.subarray(0, rows * this.sizes[l]));
    return { rows, forward: view(forward), target: view(this.batchTarget), targets: view(goal), probabilities: this.probabilities.subarray(0, rows * this.classes) };
  }

  /** Applies the updates of the batch's `m` trials. */
  private learn(m: number, labels: Int32Array): void {
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
    k.softmaxCrossEntropy(m, this.classes, scores, labels.subarray(0, m), scores, 1, dscores);
    const u = next();
    k.gemm(true, false, top, this.classes, m, 1, this.batchForward[L], dscores, 0, u.grad);
    const c = next();
    k.columnSums(m, this.classes, 1, dscores, 0, c.grad);
    u.optimizer.step(u.grad);
    c.optimizer.step(c.grad);
    // Decoders learn from pairs (h_l, h_{l−1}): the forward phase's, and those of the phase that
    // perturbed h_{l−1}.
    const perturbed = this.options.targetPhases === 'joint' ? this.batchTarget : this.batchAnswer;
    for (let l = 2; l <= L; l++) {
      this.feedback[l]!.learnFromPairs(m, [
        [this.batchForward, this.batchForward],
        [perturbed, this.batchTarget],
      ]);
    }
  }
}
