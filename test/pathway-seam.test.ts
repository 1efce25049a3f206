/**
 * The pathway seam: a pathway kind defined and registered here, in the test, trains a network
 * through the circuit and the builder's optimiser assignment with no change to either. The kind is
 * a weight mirror (Akrout, Wilson, Humphreys, Lillicrap & Tweed 2019, NeurIPS, §4): a learned
 * feedback matrix B_l that sends errors down, out = Δ·Bᵀ, and learns from noise alone: population
 * l−1 is perturbed, h̃ = h_{l−1} + ξ, and B moves along the perturbation and the response it caused,
 *   ΔB = η·ξᵀ·(f_l(h̃) − f_l(h_{l−1}))/m,
 * which for small ξ is η·σ²·W_l∘f′, so B turns towards W_l without ever reading it.
 */
import { kernels } from '../src/kernels';
import { streamState } from '../src/kernels/random';
import { initialise } from '../src/network/init';
import { ErrorPathway, PathwayContext, PathwayOptimizers, PathwaySite, Probe, registerPathway } from '../src/network/pathway';
import { createOptimizer, Optimizer } from '../src/optim/optimizer';
import { StateRegistry } from '../src/state/registry';
import { angleDegrees } from '../src/metrics/alignment';
import { errorFeedbackUses, errorPropagation } from '../src/rules/error-propagation';
import { meanLoss, randomBatch, smallCircuit, smallModel, stimulus } from './helpers';

class WeightMirror implements ErrorPathway {
  readonly kind = 'weight-mirror';
  /** B, in W_l's layout (below × above). */
  readonly matrix: Float32Array;
  readonly grad: Float32Array;
  /** h̃ and ξ = h̃ − h of the last probe. */
  readonly perturbed: Float32Array;
  readonly xi: Float32Array;
  private readonly noisyResponse: Float32Array;
  private readonly cleanResponse: Float32Array;
  private optimizer: Optimizer | undefined;
  private pending = false;
  private readonly name: string;
  private readonly belowSize: number;
  private readonly aboveSize: number;

  constructor(
    c: PathwayContext,
    private readonly state: StateRegistry,
  ) {
    this.belowSize = c.belowSize;
    this.aboveSize = c.above.size;
    this.name = `B${c.above.index}`;
    this.matrix = c.state.register(this.name, new Float32Array(c.belowSize * c.above.size));
    initialise({ name: 'glorot-normal', gain: 0.1 }, c.belowSize, c.above.size, streamState(c.state.seed, `${this.name}/init`), this.matrix);
    this.grad = new Float32Array(this.matrix.length);
    this.perturbed = new Float32Array(c.maxRows * c.belowSize);
    this.xi = new Float32Array(c.maxRows * c.belowSize);
    this.noisyResponse = new Float32Array(c.maxRows * c.above.size);
    this.cleanResponse = new Float32Array(c.maxRows * c.above.size);
  }

  send(rows: number, delta: Float32Array, out: Float32Array): void {
    kernels().gemm(false, true, rows, this.belowSize, this.aboveSize, 1, delta, this.matrix, 0, out);
  }

  setOptimizers({ feedback }: PathwayOptimizers): void {
    this.optimizer = createOptimizer(feedback, this.matrix);
    for (const [buffer, data] of Object.entries(this.optimizer.state)) this.state.register(`${this.name}/${buffer}`, data, { replace: true });
  }

  feedbackMatrix(): Float32Array {
    return this.matrix;
  }

  probes({ above, below }: PathwaySite): Probe[] {
    if (!below) throw new Error('a weight mirror reaches a hidden population');
    const noise = this.state.stream(`${this.name}/mirror-noise`);
    const k = kernels();
    return [
      {
        after: above.index,
        pathway: `g${above.index}`,
        run: ({ rows, noise: sd }) => {
          k.addGaussianNoise(rows * below.size, below.activity, sd, noise, this.perturbed);
          k.axpby(rows * below.size, 1, this.perturbed, -1, below.activity, this.xi);
          above.respond(rows, this.perturbed, this.noisyResponse);
          above.respond(rows, below.activity, this.cleanResponse);
          k.axpby(rows * above.size, 1, this.noisyResponse, -1, this.cleanResponse, this.noisyResponse);
          // ∂ = −ξᵀ·(response change)/m: a descent step moves B along ξᵀ·Δf.
          k.gemm(true, false, below.size, above.size, rows, -1 / rows, this.xi, this.noisyResponse, 0, this.grad);
          this.pending = true;
          return k.sumSquaredDifference(rows * above.size, this.noisyResponse, new Float32Array(rows * above.size)) / rows;
        },
      },
    ];
  }

  applyGradients(): void {
    if (!this.pending) return;
    this.optimizer!.step(this.grad);
    this.pending = false;
  }
}

registerPathway('weight-mirror', (c) => new WeightMirror(c, c.state));

const rule = errorPropagation({
  name: 'weight-mirror',
  summary: 'Δ_l = (Δ_{l+1} B_{l+1}ᵀ) ∘ f′(a_l), B learned from noise — weight mirrors, Akrout et al. 2019',
  uses: { ...errorFeedbackUses, mirroredFeedback: true },
  feedback: 'weight-mirror',
});

describe('a pathway kind registered outside the library', () => {
  const model = smallModel([6, 8, 8, 3], 'tanh');

  it('applies exactly its probe’s update in the learning phase', () => {
    const circuit = smallCircuit(model, rule, { maxRows: 16, forward: { name: 'sgd', lr: 0 }, feedback: { name: 'sgd', lr: 0.5 } });
    const mirror = circuit.network.feedback[2] as WeightMirror;
    const batch = randomBatch(16, 6, 3);
    const before = Float32Array.from(mirror.matrix);
    circuit.step(stimulus(batch, { probeDecoders: true, noise: 0.1 }));
    const [h1, W2, b2] = [circuit.network.populations[0].activity, circuit.network.populations[1].projection.weights, circuit.network.populations[1].projection.bias];
    const f = (x: (r: number, i: number) => number, r: number, j: number) => {
      let a = b2[j];
      for (let i = 0; i < 8; i++) a += x(r, i) * W2[i * 8 + j];
      return Math.tanh(a);
    };
    for (let i = 0; i < 8; i++) {
      for (let j = 0; j < 8; j++) {
        let expected = 0;
        for (let r = 0; r < 16; r++) {
          const xi = mirror.perturbed[r * 8 + i] - h1[r * 8 + i];
          expected += xi * (f((q, m) => mirror.perturbed[q * 8 + m], r, j) - f((q, m) => h1[q * 8 + m], r, j));
        }
        expect(mirror.matrix[i * 8 + j]).toBeCloseTo(before[i * 8 + j] + (0.5 * expected) / 16, 5);
      }
    }
    expect(mirror.matrix).not.toEqual(before);
  });

  it('turns B towards W by itself, and the network learns through it', () => {
    const circuit = smallCircuit(model, rule, { maxRows: 32, forward: { name: 'sgd', lr: 0.2 }, feedback: { name: 'sgd', lr: 2, weightDecay: 0.05 } });
    const mirror = circuit.network.feedback[2] as WeightMirror;
    const W2 = circuit.network.populations[1].projection.weights;
    const batch = randomBatch(32, 6, 3);
    const angleBefore = angleDegrees(W2.length, mirror.matrix, W2);
    const lossBefore = meanLoss(circuit, batch);
    for (let step = 0; step < 300; step++) circuit.step(stimulus(batch, { step, learnForward: true, probeDecoders: true, noise: 0.1 }));
    expect(angleBefore).toBeGreaterThan(70);
    expect(angleDegrees(W2.length, mirror.matrix, W2)).toBeLessThan(30);
    expect(meanLoss(circuit, batch)).toBeLessThan(0.7 * lossBefore);
  });
});
