/** Batched all-to-all spike delivery (src/network/dense-spike-projection.ts): both ways add w's rows. */
import { DenseSpikeProjection } from '../src/network/dense-spike-projection';
import { nextUniform, streamState } from '../src/kernels/random';

test('events and matrix delivery add, to each copy, the weight rows of its spiking neurons', () => {
  const k = 7, n = 5, batch = 3;
  const rng = streamState(4, 'test/dense');
  const targets = { events: new Float64Array(batch * n), matrix: new Float64Array(batch * n) };
  const events = new DenseSpikeProjection(k, n, targets.events, 'events');
  const matrix = new DenseSpikeProjection(k, n, targets.matrix, 'matrix');
  for (const p of [events, matrix]) {
    for (let i = 0; i < k * n; i++) p.weights[i] = i % 2 === 0 ? 0.25 * i : -0.5; // exact in float32
    p.weightsChanged();
  }
  const expected = new Float64Array(batch * n);
  for (let step = 0; step < 4; step++) {
    const spiking = Uint32Array.from({ length: batch * k }, (_, i) => i).filter(() => nextUniform(rng) < 0.3);
    for (const index of spiking) {
      const b = Math.floor(index / k), i = index % k;
      for (let j = 0; j < n; j++) expected[b * n + j] += events.weights[i * n + j];
    }
    events.receive({ step, population: 'h1', indices: spiking });
    matrix.receive({ step, population: 'h1', indices: spiking });
  }
  expect(Array.from(targets.events)).toEqual(Array.from(expected));
  expect(Array.from(targets.matrix)).toEqual(Array.from(expected));
  expect(expected.some((v) => v !== 0)).toBe(true);
});
