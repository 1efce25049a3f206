/** DRL: the difference reconstruction loss through every layer above, zero for exact inverses; it trains. */
import * as math from 'mathjs';
import { Circuit } from '../src/engine/circuit';
import { DecoderPathway } from '../src/network/decoder';
import { randomBatch, smallCircuit, smallModel, stimulus } from './helpers';

const matrix = (a: Float32Array, r: number, c: number): number[][] =>
  Array.from({ length: r }, (_, i) => Array.from(a.subarray(i * c, (i + 1) * c)));

function probeErrors(circuit: Circuit, steps: number, noise: number, rows = 8, features = 4, classes = 3): Map<string, number[]> {
  const errors = new Map<string, number[]>();
  circuit.reconstruction$.subscribe(({ pathway, error }) => errors.set(pathway, [...(errors.get(pathway) ?? []), error]));
  for (let step = 0; step < steps; step++) circuit.step(stimulus(randomBatch(rows, features, classes, step), { probeDecoders: true, noise }));
  return errors;
}

describe('DRL', () => {
  it('is zero for exact inverses on an invertible linear network, through every layer above', () => {
    const circuit = smallCircuit(smallModel([4, 4, 4, 4, 3], 'linear', 'linear'), { name: 'drl', topStep: 0.1, noise: 0.2 });
    const { populations, feedback } = circuit.network;
    populations.forEach((p, i) => p.projection.bias.forEach((_, j) => (p.projection.bias[j] = 0.1 * Math.sin(3 * i + j))));
    feedback.forEach((pathway, l) => {
      if (!(pathway instanceof DecoderPathway)) return;
      const { weights, bias } = populations[l - 1].projection;
      const inverse = math.inv(matrix(weights, 4, 4)) as number[][];
      pathway.projection.weights.set(inverse.flat());
      pathway.projection.bias.set(math.multiply(math.multiply(-1, Array.from(bias)), inverse) as number[]);
    });
    const errors = probeErrors(circuit, 1, 0.2);
    expect([...errors.keys()].sort()).toEqual(['g2', 'g3']);
    for (const [, [error]] of errors) expect(error).toBeLessThan(1e-8);
  });

  it('is positive for random decoders and falls as they learn, g2’s through g3', () => {
    const circuit = smallCircuit(smallModel([8, 10, 10, 10, 3], 'tanh'), { name: 'drl', topStep: 0.1, noise: 0.2 }, {
      feedback: { name: 'adam', lr: 0.003 },
    });
    const errors = probeErrors(circuit, 300, 0.2, 16, 8, 3);
    const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
    for (const name of ['g2', 'g3']) {
      const series = errors.get(name)!;
      expect(series[0]).toBeGreaterThan(0.1);
      expect(mean(series.slice(-30))).toBeLessThan(0.5 * mean(series.slice(0, 5)));
    }
  });
});
