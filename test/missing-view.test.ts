/**
 * A missing modality (engine/missing-view.ts): the fill-in x⁽ᵏ⁺¹⁾ = [x₁, g₁(f₁(x⁽ᵏ⁾))₂] against the
 * same steps computed by hand from the network's weights; and, on a generated task whose second
 * view is redundant with the first (two halves of a class prototype), a DTP network trained on both
 * views fills the missing half in closer to the truth than zeros, and classifies better for it.
 */
import { lastValueFrom, toArray } from 'rxjs';
import { fillNormal, nextInt, streamState } from '../src/kernels/random';
import { train } from '../src/engine/trainer';
import { MissingView, MissingViewSpec } from '../src/engine/missing-view';
import { DecoderPathway } from '../src/network/decoder';
import { smallCircuit, smallModel } from './helpers';

const rule = { name: 'dtp', topStep: 0.5, noise: 0.1 } as const;

describe('filling in a missing view', () => {
  it('is K decode-and-clamp steps x ← [x1, g1(f1(x))2], as computed by hand', () => {
    const [features, split, hidden, rows] = [6, 4, 5, 3];
    const circuit = smallCircuit(smallModel([features, hidden, 3], 'tanh'), rule, { inputDecoder: true, maxRows: rows });
    const { network } = circuit;
    const view = new MissingView({ split, missing: 2, fillSteps: 3, trainOn: 'both' }, features);
    const input = new Float32Array(rows * features);
    fillNormal(streamState(5, 'test/views'), input.length, input);
    const x = view.blank(rows, input).slice();
    view.fillIn(network, rows, x, new Float32Array(rows * hidden), new Float32Array(rows * features));

    const { weights: W, bias: b } = network.hidden[0].projection;
    const { weights: V, bias: c } = (network.feedback[1] as DecoderPathway).projection;
    for (let r = 0; r < rows; r++) {
      const expected = Array.from(input.subarray(r * features, (r + 1) * features), (v, i) => (i < split ? v : 0));
      for (let k = 0; k < 3; k++) {
        const h = Array.from({ length: hidden }, (_, j) => Math.tanh(b[j] + expected.reduce((s, v, i) => s + v * W[i * hidden + j], 0)));
        for (let i = split; i < features; i++) expected[i] = Math.tanh(c[i] + h.reduce((s, v, j) => s + v * V[j * features + i], 0));
      }
      for (let i = 0; i < features; i++) expect(x[r * features + i]).toBeCloseTo(expected[i], 5);
    }
  });

  it('refuses a split that leaves a view empty, in one line', () => {
    expect(() => new MissingView({ split: 6, missing: 1, fillSteps: 1, trainOn: 'both' }, 6)).toThrow(/^missing view: split 6 must cut the input's 6 features into two non-empty views \(1 … 5\)$/);
  });

  it('from a network trained on both views, fills the missing half in closer to the truth than zeros', async () => {
    const [half, classes, count, hidden] = [8, 4, 400, 32];
    const rng = streamState(11, 'test/prototypes');
    const prototypes = new Float32Array(classes * 2 * half);
    fillNormal(rng, prototypes.length, prototypes);
    const draw = (n: number) => {
      const images = new Float32Array(n * 2 * half);
      fillNormal(rng, images.length, images);
      const labels = Int32Array.from({ length: n }, () => nextInt(rng, classes));
      for (let r = 0; r < n; r++) for (let i = 0; i < 2 * half; i++) images[r * 2 * half + i] = 0.6 * Math.tanh(prototypes[labels[r] * 2 * half + i]) + 0.05 * images[r * 2 * half + i];
      return { images, labels, count: n, features: 2 * half };
    };
    const missingView: MissingViewSpec = { split: half, missing: 2, fillSteps: 3, trainOn: 'both' };
    const circuit = smallCircuit(smallModel([2 * half, hidden, classes], 'tanh'), rule, {
      seed: 3,
      maxRows: count,
      inputDecoder: true,
      missingView: { start: half, end: 2 * half },
      forward: { name: 'rmsprop', lr: 0.003 },
      feedback: { name: 'rmsprop', lr: 0.003 },
    });
    const plan = { epochs: 10, batchSize: 20, schedule: 'parallel' as const, shuffle: false, evalBatchSize: count, seed: 3, missingView };
    const events = await lastValueFrom(train(circuit, { train: draw(count), test: draw(count) }, plan).pipe(toArray()));
    const last = events.flatMap((e) => (e.kind === 'epoch' ? [e.record as unknown as Record<string, number>] : [])).pop()!;
    expect(last.missing_view_sse_filled_in).toBeLessThan(0.5 * last.missing_view_sse_zero_filled);
    expect(last.test_error_filled_in).toBeLessThan(last.test_error_zero_filled);
  });
});
