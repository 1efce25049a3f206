/**
 * SDTP's and AO-SDTP's `denoising` option (Bartunov et al. 2018, appendix 5.1): each decoder
 * learns to reconstruct the clean activity h from the response u to its noisy probe h̃ = h + ε,
 * ‖g(u) − h‖², where DTP's loss reconstructs h̃. With linear decoders g(u) = u·V + c and one SGD
 * step of rate η on the batch-mean loss, the two runs' weights differ by the hand-computed
 *   V_denoising − V_noisy = −η·(2/rows)·uᵀ·(h̃ − h),   c_denoising − c_noisy = −η·(2/rows)·Σ_r (h̃ − h)_r,
 * since their decoded values, probes and responses are the same before the step.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Circuit } from '../src/engine/circuit';
import { ConfigError, loadExperiment } from '../src/experiment/experiment';
import { DecoderPathway } from '../src/network/decoder';
import { TopDecoderPathway } from '../src/network/top-decoder';
import { randomBatch, smallCircuit, smallModel, stimulus } from './helpers';

const rows = 6;
const lr = 0.1;
const model = smallModel([8, 7, 6, 5, 3], 'tanh', 'linear');

/** A circuit of `name` after one step that probes and trains its decoders only. */
function probed(name: 'sdtp' | 'ao-sdtp', denoising: boolean): Circuit {
  const circuit = smallCircuit(model, { name, noise: 0.2, denoising }, { feedback: { name: 'sgd', lr } });
  circuit.step(stimulus(randomBatch(rows, 8, 3), { probeDecoders: true, noise: 0.2 }));
  return circuit;
}

/** Checks V's first `inputs` rows and c against the hand computation, u the response (rows × inputs). */
function expectDenoisingStep(
  noisy: { weights: Float32Array; bias: Float32Array },
  clean: { weights: Float32Array; bias: Float32Array },
  u: Float32Array,
  inputs: number,
  probe: Float32Array,
  h: Float32Array,
  n: number,
): void {
  const scale = -lr * (2 / rows);
  for (let i = 0; i < n; i++) {
    let bias = 0;
    for (let r = 0; r < rows; r++) bias += probe[r * n + i] - h[r * n + i];
    expect(clean.bias[i] - noisy.bias[i]).toBeCloseTo(scale * bias, 6);
    for (let j = 0; j < inputs; j++) {
      let weight = 0;
      for (let r = 0; r < rows; r++) weight += u[r * inputs + j] * (probe[r * n + i] - h[r * n + i]);
      expect(clean.weights[j * n + i] - noisy.weights[j * n + i]).toBeCloseTo(scale * weight, 6);
    }
  }
}

describe.each(['sdtp', 'ao-sdtp'] as const)('%s with denoising decoders', (name) => {
  const noisy = probed(name, false);
  const clean = probed(name, true);

  it('gives each hidden decoder g_l the step of ‖g_l(f_l(h̃)) − h_{l−1}‖²', () => {
    let checked = 0;
    clean.network.feedback.forEach((pathway, l) => {
      if (!pathway) return;
      const decoder = pathway as DecoderPathway;
      const below = clean.network.site(l).below!;
      const other = noisy.network.feedback[l] as DecoderPathway;
      expect(Array.from(decoder.response)).toEqual(Array.from(other.response));
      expect(Array.from(decoder.probe)).toEqual(Array.from(other.probe));
      expectDenoisingStep(other.projection, decoder.projection, decoder.response, decoder.projection.inSize, decoder.probe, below.activity, below.size);
      checked++;
    });
    expect(checked).toBe(2);
  });

  it('gives the read-out’s decoder the step of ‖g(p̃, s̃) − h_L‖² (the rows of V reading p̃)', () => {
    const decoder = clean.network.readoutFeedback as TopDecoderPathway<'top-decoder' | 'auxiliary-decoder'>;
    const other = noisy.network.readoutFeedback as TopDecoderPathway<'top-decoder' | 'auxiliary-decoder'>;
    const top = clean.network.hidden[clean.network.hidden.length - 1];
    expect(decoder.sideSize > 0).toBe(name === 'ao-sdtp');
    // V's rows for p̃ (the first `classes` inputs) change by uᵀ(h̃ − h) with u = p̃; c by Σ(h̃ − h).
    const p = decoder.response;
    const width = decoder.classes + decoder.sideSize;
    const firstRows = (w: Float32Array): Float32Array => w.subarray(0, decoder.classes * top.size);
    expect(decoder.projection.weights.length).toBe(width * top.size);
    expectDenoisingStep(
      { weights: firstRows(other.projection.weights), bias: other.projection.bias },
      { weights: firstRows(decoder.projection.weights), bias: decoder.projection.bias },
      p,
      decoder.classes,
      decoder.probe,
      top.activity,
      top.size,
    );
  });
});

describe('the denoising setting in an experiment file', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'apical-denoising-'));
  const file = (rule: Record<string, unknown>): string => {
    const json = JSON.parse(fs.readFileSync('experiments/bartunov-mnist/sdtp-paper.json', 'utf8'));
    json.model = path.resolve('models/mnist-tanh-5x256.json');
    json.rule = rule;
    const out = path.join(tmp, `${rule.name}.json`);
    fs.writeFileSync(out, JSON.stringify(json));
    return out;
  };

  it('is taken by sdtp and ao-sdtp and refused, in one line naming it, for conditional decoders', () => {
    expect(loadExperiment(file({ name: 'sdtp', noise: 0.1, denoising: true })).rule).toMatchObject({ denoising: true });
    expect(loadExperiment(file({ name: 'ao-sdtp', noise: 0.1, denoising: true })).rule).toMatchObject({ denoising: true });
    const f = file({ name: 'conditional', noise: 0.1, denoising: true });
    expect(() => loadExperiment(f)).toThrow(ConfigError);
    expect(() => loadExperiment(f)).toThrow(`${f}: /rule/denoising is not allowed here`);
  });
});
