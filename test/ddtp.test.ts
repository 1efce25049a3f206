/** DDTP: direct difference targets from the output, against DTP's with exact inverses; its probes. */
import * as math from 'mathjs';
import { Circuit } from '../src/engine/circuit';
import { DecoderPathway } from '../src/network/decoder';
import { DirectDecoderPathway } from '../src/network/direct-decoder';
import { randomBatch, smallCircuit, smallModel, stimulus } from './helpers';

const rows = 5;
const matrix = (a: Float32Array, r: number, c: number): number[][] =>
  Array.from({ length: r }, (_, i) => Array.from(a.subarray(i * c, (i + 1) * c)));

describe('DDTP-linear', () => {
  const model = smallModel([4, 4, 4, 4, 3], 'linear', 'linear');
  const batch = randomBatch(rows, 4, 3);
  const topStep = 0.5;

  it.each(['batch-mean', 'example'] as const)('with exact direct inverses Q_j = W_outᵀ·W_L⁻¹·…·W_{j+1}⁻¹ gives DTP’s targets with exact inverses (top gradient of the %s loss)', (topGradient) => {
    const dtp = smallCircuit(model, { name: 'dtp', topStep, topGradient, noise: 0.1 });
    const ddtp = smallCircuit(model, { name: 'ddtp-linear', topStep, topGradient, noise: 0.1 });
    const { populations, hidden, readout } = dtp.network;
    // DTP: g_l = f_l⁻¹ (V = W⁻¹, c = −b·W⁻¹).
    dtp.network.feedback.forEach((pathway, l) => {
      if (!(pathway instanceof DecoderPathway)) return;
      const { weights, bias } = populations[l - 1].projection;
      const inverse = math.inv(matrix(weights, 4, 4)) as number[][];
      pathway.projection.weights.set(inverse.flat());
      pathway.projection.bias.set(math.multiply(math.multiply(-1, Array.from(bias)), inverse) as number[]);
    });
    // DDTP: Q_j maps an output displacement to the displacement of h_j that DTP's chain gives.
    let q = math.transpose(matrix(readout.projection.weights, 4, 3)) as number[][];
    for (let j = hidden.length; j >= 1; j--) {
      const pathway = (j === hidden.length ? ddtp.network.readoutFeedback : ddtp.network.feedback[j + 1]) as DirectDecoderPathway<'direct-decoder-linear'>;
      pathway.projection.weights.set(q.flat());
      pathway.projection.bias.fill(0.3); // cancels in the difference
      if (j > 1) q = math.multiply(q, math.inv(matrix(populations[j - 1].projection.weights, 4, 4))) as number[][];
    }
    dtp.step(stimulus(batch, { learnForward: true }));
    ddtp.step(stimulus(batch, { learnForward: true }));
    hidden.forEach((p, i) => {
      const other = ddtp.network.hidden[i];
      for (let k = 0; k < rows * 4; k++) expect(other.target[k]).toBeCloseTo(p.target[k], 5);
    });
    expect(hidden.some((p) => p.target.some((t, k) => Math.abs(t - p.activity[k]) > 1e-3))).toBe(true);
  });
});

describe('DDTP probes', () => {
  it.each(['ddtp-linear', 'ddtp-tanh'] as const)('%s: the decoders learn to explain most of the probe noise from the output’s response', (name) => {
    // Five classes, six units per population: the output's response carries most of a probe's displacement.
    const sigma = 0.1;
    const circuit: Circuit = smallCircuit(smallModel([8, 6, 6, 6, 5], 'tanh'), { name, topStep: 0.1, noise: sigma }, {
      feedback: { name: 'adam', lr: 0.01 },
    });
    const errors: number[] = [];
    circuit.reconstruction$.subscribe(({ error }) => errors.push(error));
    for (let step = 0; step < 400; step++) circuit.step(stimulus(randomBatch(16, 8, 5, step), { probeDecoders: true, noise: sigma }));
    const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
    const pathways = 3;
    const silent = sigma * sigma * 6; // the loss of decoders that send nothing: E‖ε‖²
    expect(mean(errors.slice(-50 * pathways))).toBeLessThan(0.75 * silent);
    expect(mean(errors.slice(-50 * pathways))).toBeLessThan(0.7 * mean(errors.slice(0, 5 * pathways)));
  });
});
