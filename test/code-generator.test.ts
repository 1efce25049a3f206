/** The code generator's callables against hand-computed values, and readQuantity's checks and messages. */
import { codeGenerator } from '../src/equations/compile';
import { parameterQuantity, readQuantity } from '../src/equations/dimensions';
import { EquationError, parseExpression } from '../src/equations/expression';
import { SynapseContext } from '../src/equations/generator';
import { parseModel, parseStatements } from '../src/equations/model';
import { streamState } from '../src/kernels/random';

/** Synapses with variable w from a source of 2 neurons (v) to a target of 3 (ge, v); constant scale = 2. */
const context: SynapseContext = {
  variables: ['w'],
  source: { variables: ['v'], size: 2 },
  target: { variables: ['ge', 'v'], size: 3 },
  constants: new Map([['scale', 2]]),
  dt: 1e-4,
};

describe('code generator', () => {
  const generator = codeGenerator();

  test('on_pre statements run for every synapse of each spiking neuron, reading x_pre, x_post, own variables and constants', () => {
    // Synapses 0: 0→0, 1: 0→2, 2: 1→2 (rows of the CSR by presynaptic neuron).
    const rowStart = Uint32Array.from([0, 2, 3]);
    const post = Uint32Array.from([0, 2, 2]);
    const w = Float64Array.from([0.5, 0.25, 4]);
    const vPre = Float64Array.from([1, 8]);
    const ge = Float64Array.from([0, 0, 100]);
    const vPost = Float64Array.from([3, 5, 7]);
    const deliver = generator.synapticStatements(parseStatements('ge += w * scale + v_pre; w *= v_post', 'test'), context, 'test');
    deliver(Uint32Array.from([1, 0]), 2, rowStart, post, [w], [vPre], [ge, vPost]);
    // Neuron 1 first: synapse 2 (j = 2): ge[2] = 100 + 4·2 + 8 = 116, w = 4·7 = 28.
    // Then neuron 0: synapse 0 (j = 0): ge[0] = 0.5·2 + 1 = 2, w = 0.5·3 = 1.5;
    //                synapse 1 (j = 2): ge[2] = 116 + 0.25·2 + 1 = 117.5, w = 0.25·7 = 1.75.
    expect(Array.from(ge)).toEqual([2, 0, 117.5]);
    expect(Array.from(w)).toEqual([1.5, 1.75, 28]);
    expect(Array.from(vPost)).toEqual([3, 5, 7]);
  });

  test('a per-synapse expression is evaluated synapse by synapse, rand() drawn in synapse order', () => {
    let draws = 0;
    const rand = (): number => ++draws;
    const f = generator.perSynapseExpression(parseExpression('i + 10*j + 100*N_post + 1000*rand()', 'test'), context, 'test');
    const values = f(Uint32Array.from([1, 0, 1]), Uint32Array.from([2, 0, 1]), 3, rand);
    expect(Array.from(values)).toEqual([1 + 20 + 300 + 1000, 0 + 0 + 300 + 2000, 1 + 10 + 300 + 3000]);
  });

  test('a connection condition reads i and j; none admits every pair', () => {
    const below = generator.pairCondition(parseExpression('i < j', 'test'), context, 'test');
    expect([below(0, 1), below(1, 1), below(2, 1)]).toEqual([true, false, false]);
    expect(generator.pairCondition(null, context, 'test')(5, 0)).toBe(true);
  });

  test('neuron statements run over the listed neurons only, reading the index and the constants', () => {
    const model = parseModel({ name: 'm', equations: ['x : 1', 'y : 1'], parameters: { c: 3 } });
    const x = Float64Array.from([1, 2, 3]);
    const y = Float64Array.from([0, 0, 0]);
    const run = generator.neuronStatements(model, 1e-4, parseStatements('x = x * c + i; y = x - 1', 'test'), 'test');
    run(Uint32Array.from([2, 0]), 2, 3, [x, y], 0, streamState(1, "unused"));
    expect(Array.from(x)).toEqual([1 * 3 + 0, 2, 3 * 3 + 2]);
    expect(Array.from(y)).toEqual([2, 0, 10]);
  });

  test('an unknown name in synapse code is one line naming where', () => {
    expect(() => generator.synapticStatements(parseStatements('ge += u', 'test'), context, 'synapses "S", on_pre')).toThrow(
      new EquationError('synapses "S", on_pre, "ge += u": unknown name "u"'),
    );
  });
});

describe('readQuantity', () => {
  test('gives the SI value of a quantity of the required dimension, constants allowed', () => {
    expect(readQuantity('0.1 ms', 'second', 'f')).toBeCloseTo(1e-4, 18);
    expect(readQuantity('2 * tau', 'second', 'f', new Map([['tau', parameterQuantity('10 ms', new Map(), 'f')]]))).toBeCloseTo(0.02, 16);
    expect(readQuantity('5 kHz', 'Hz', 'f')).toBe(5000);
    expect(readQuantity(3, '1', 'f')).toBe(3);
  });

  test('a quantity of another dimension is one line naming where, the text and both dimensions', () => {
    expect(() => readQuantity('5 mV', 'second', 'cuba.json, dt')).toThrow(new EquationError('cuba.json, dt "5 mV" is volt, not a time'));
    expect(() => readQuantity('20 ms', 'Hz', 'x.json, network.maxRate')).toThrow(new EquationError('x.json, network.maxRate "20 ms" is second, not a rate'));
    expect(() => readQuantity('3 Hz', 'volt', 'f, Vt')).toThrow(new EquationError('f, Vt "3 Hz" is Hz, not volt'));
    expect(() => readQuantity(0.5, 'second', 'f, bin')).toThrow(new EquationError('f, bin "0.5" is 1, not a time'));
  });

  test('text that is not a quantity is one line naming where', () => {
    expect(() => readQuantity('5 parsecs/', 'second', 'f, dt')).toThrow(/^f, dt: cannot evaluate "5 parsecs\/"/);
  });
});
