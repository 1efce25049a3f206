/**
 * The native code generator: the same loops as the JavaScript generator (javascript.ts), from the
 * same syntax trees, emitted as C++ (the `cpp` Dialect), compiled with g++ for this machine's
 * instruction set and cached (compiler.ts), and run by the addon on the typed arrays' memory,
 * on both cores where the loop allows (native/spiking.cc). Brian2's C++ standalone and cython
 * targets do the same (Stimberg et al. 2019).
 *
 * The state update runs in blocks of 256 neurons, each block in three passes: the update of every
 * neuron (refractory or not: a select), then the threshold test and refractory countdown (selects
 * again, leaving one flag per neuron), both vectorised by g++; then, in a block where a neuron
 * spiked, a scan of the flags, eight at a time, collecting the spikes in index order. Each neuron's arithmetic and the
 * order of the spikes are the JavaScript loop's, so the results are the same bits. A model whose
 * update or threshold calls rand() runs in blocks of one neuron, drawing in neuron order from the
 * same xoshiro128** stream as JavaScript (random.ts), on one thread.
 *
 * Synapses run over the same compressed sparse rows; each row's postsynaptic indices ascend, so
 * the two threads split a row by target index (a binary search) and every target still receives
 * its spikes in the one-thread order. Per-synapse initial values and connection conditions run
 * once at set-up and stay JavaScript.
 */
import { MathNode } from 'mathjs';
import { POISSON_CHUNK } from '../kernels/random';
import { cpp, toSource } from './expression';
import { CodeGenerator, CompiledModel, Delivery, PopulationArrays, StateArrays, StatementsFunction, StepFunction, SynapseContext, SynapticFunction } from './generator';
import { local, stateUpdate } from './integrate';
import { javascriptGenerator } from './javascript';
import { Model, Statement } from './model';
import { modelResolver, statementSource, synapseResolver, touchedVariables } from './resolve';
import { NativeBinding, NativeCompiler, NativeLibrary } from './compiler';

/**
 * xoshiro128** and the uniform and Poisson recipes of random.ts, bit for bit (the Poisson limit
 * e^−λ through <cmath>'s exp, which V8's Math.exp matches but for, at worst, the last bit of rare
 * arguments: a product landing on that bit would count differently).
 */
const prelude = `#include <cmath>
#include <cstdint>
#include <cstring>
namespace {
inline double apical_uniform(uint32_t* s) {
  const uint32_t s0 = s[0], s1 = s[1], s2 = s[2] ^ s0, s3 = s[3] ^ s1;
  const uint32_t rotated = s1 * 5u;
  const uint32_t result = ((rotated << 7) | (rotated >> 25)) * 9u;
  s[0] = s0 ^ s3;
  s[1] = s1 ^ s2;
  s[2] = s2 ^ (s1 << 9);
  s[3] = (s3 << 11) | (s3 >> 21);
  return ((result >> 8) + 0.5) * 5.9604644775390625e-8;
}
inline double apical_poisson(uint32_t* s, double lambda) {
  double count = 0;
  for (double rest = lambda; rest > 0; rest -= ${POISSON_CHUNK}.0) {
    const double limit = std::exp(-(rest < ${POISSON_CHUNK}.0 ? rest : ${POISSON_CHUNK}.0));
    for (double product = apical_uniform(s); product > limit; product *= apical_uniform(s)) count++;
  }
  return count;
}
}  // namespace
`;

/** A loop's random draws from its `stream` argument, as rand() and poisson() are spelled in C++. */
const draws = `auto uniform = [stream]() { return apical_uniform(stream); };
  auto poisson = [stream](double lambda) { return apical_poisson(stream, lambda); };
  (void)uniform;
  (void)poisson;`;

const usesRand = (code: string): boolean => /\b(uniform|poisson)\(/.test(code);

/** `double* __restrict a_v = state[0];` for every variable. */
const loadArrays = (model: Model, restrict: string): string => model.variables.map((v, k) => `double* ${restrict} a_${v.name} = state[${k}];`).join('\n  ');

function statementsFunction(model: Model, dt: number, statements: readonly Statement[], where: string): string {
  const touched = touchedVariables(model, statements);
  return `extern "C" void apical_statements(const uint32_t* indices, int32_t count, int32_t n, double* const* state, int64_t step, uint32_t* stream) {
  ${draws}
  ${loadArrays(model, '')}
  const double t = step * ${cpp.literal(dt)};
  (void)t;
  for (int32_t s = 0; s < count; s++) {
    const int32_t i = indices[s];
    ${touched.map((v) => `double ${local(v.name)} = a_${v.name}[i];`).join('\n    ')}
    ${statementSource(statements, modelResolver(model, dt, cpp), where, '\n    ', cpp)}
    ${touched.map((v) => `a_${v.name}[i] = ${local(v.name)};`).join('\n    ')}
  }
}
`;
}

function modelSource(model: Model, dt: number): { source: string; refractorySteps: number; method: CompiledModel['method'] } {
  const resolve = modelResolver(model, dt, cpp);
  const { method, shared, free, clamped, assign } = stateUpdate(model, dt, resolve, cpp);
  const refractorySteps = Math.round(model.refractory / dt);
  const odes = model.variables.filter((v) => v.rhs !== null);
  const threshold = model.threshold ? toSource(model.threshold, resolve, `model "${model.name}", threshold`, cpp) : null;
  const random = usesRand(shared + free + clamped + (threshold ?? ''));
  const loads = model.variables.map((v) => `double ${local(v.name)} = a_${v.name}[i];`).join(' ');
  const block = random ? 1 : 256;
  const source = `${prelude}
extern "C" const int32_t apical_parallel = ${random ? 0 : 1};

extern "C" int32_t apical_update(int32_t begin, int32_t end, int32_t n, double* const* state, int32_t* __restrict refractory, int64_t step, uint32_t* stream, uint32_t* __restrict spikes) {
  ${draws}
  ${loadArrays(model, '__restrict')}
  const double t = step * ${cpp.literal(dt)};
  (void)t;
  int32_t count = 0;
  uint8_t spiked[${block}];
  for (int32_t block = begin; block < end; block += ${block}) {
    const int32_t size = end - block < ${block} ? end - block : ${block};
    int32_t* __restrict r = refractory + block;
    for (int32_t s = 0; s < size; s++) {
      const int32_t i = block + s;
      const bool notref = r[s] == 0;
      ${loads}
      ${shared.split('\n').join('\n      ')}
      if (notref) {
        ${free.split('\n').join('\n        ')}
        ${assign.split('\n').join('\n        ')}
      } else {
        ${clamped.split('\n').join('\n        ')}
        ${assign.split('\n').join('\n        ')}
      }
      ${odes.map((v) => `a_${v.name}[i] = ${local(v.name)};`).join(' ')}
    }
    int32_t any = 0;
    for (int32_t s = 0; s < size; s++) {
      const int32_t i = block + s;
      const int32_t remaining = r[s];
      const bool notref = remaining == 0;
      ${loads}
      const bool spike = ${threshold ? `notref && (${threshold})` : 'false'};
      spiked[s] = spike;
      any |= spike;
      r[s] = spike ? ${Math.max(refractorySteps - 1, 0)} : remaining - (remaining != 0);
    }
    if (!any) continue;
    // The spikes in index order, eight flags at a time.
    for (int32_t s = 0; s < size; s += 8) {
      uint64_t word = 0;
      std::memcpy(&word, spiked + s, size - s < 8 ? size - s : 8);
      for (; word != 0; word &= word - 1) spikes[count++] = block + s + (__builtin_ctzll(word) >> 3);
    }
  }
  return count;
}

${statementsFunction(model, dt, model.reset, `model "${model.name}", reset`)}`;
  return { source, refractorySteps, method };
}

function synapseSource(statements: readonly Statement[], context: SynapseContext, where: string): string {
  const resolve = synapseResolver(context, cpp);
  const body = statementSource(statements, resolve, where, '\n      ', cpp);
  // Targets split between threads: safe unless a statement writes a presynaptic variable.
  const parallel = statements.every((s) => !resolve(s.target)?.startsWith('src'));
  const arrays = [
    ...context.variables.map((_, k) => `double* syn${k} = synapse[${k}];`),
    ...context.source.variables.map((_, k) => `double* src${k} = pre[${k}];`),
    ...context.target.variables.map((_, k) => `double* tgt${k} = target[${k}];`),
  ].join('\n  ');
  return `${prelude}
extern "C" const int32_t apical_parallel = ${parallel ? 1 : 0};

/** The first k in [k, end) with post[k] >= j (post ascends within a row). */
static uint32_t firstAtLeast(const uint32_t* post, uint32_t k, uint32_t end, uint32_t j) {
  while (k < end) {
    const uint32_t middle = k + (end - k) / 2;
    if (post[middle] < j) k = middle + 1; else end = middle;
  }
  return k;
}

extern "C" void apical_deliver(const uint32_t* spikes, int32_t count, const uint32_t* rowStart, const uint32_t* post, double* const* synapse, double* const* pre, double* const* target, uint32_t lo, uint32_t hi) {
  (void)synapse; (void)pre; (void)target;
  ${arrays}
  for (int32_t s = 0; s < count; s++) {
    const uint32_t i = spikes[s];
    uint32_t k = rowStart[i];
    uint32_t end = rowStart[i + 1];
    if (lo > 0) k = firstAtLeast(post, k, end, lo);
    if (hi < ${context.target.size}u) end = firstAtLeast(post, k, end, hi);
    for (; k < end; k++) {
      const uint32_t j = post[k];
      (void)j;
      ${body}
    }
  }
}
`;
}

/** Whether two arguments are the same object, or arrays holding the same objects. */
function same(x: unknown, y: unknown): boolean {
  if (x === y) return true;
  if (!Array.isArray(x) || !Array.isArray(y) || x.length !== y.length) return false;
  for (let k = 0; k < x.length; k++) if (x[k] !== y[k]) return false;
  return true;
}

/** A copy of an array of arrays (the caller may replace an element in place); anything else as is. */
const kept = (x: unknown): unknown => (Array.isArray(x) ? [...x] : x);

interface Slot {
  readonly args: readonly unknown[];
  readonly binding: NativeBinding;
}

/**
 * The addon's binding of a loop to its arrays (up to five arguments), made again only when a call
 * passes other arrays (a population passes the same ones every step); one per key (a Synapses'
 * delay groups each have their own rowStart). The check allocates nothing: it runs every step.
 */
function bindings<A, B, C, D, E>(bind: (a: A, b: B, c: C, d: D, e: E) => NativeBinding): (key: object, a: A, b: B, c: C, d: D, e: E) => NativeBinding {
  const slots = new WeakMap<object, Slot>();
  return (key, a, b, c, d, e) => {
    const slot = slots.get(key);
    if (slot && same(a, slot.args[0]) && same(b, slot.args[1]) && same(c, slot.args[2]) && same(d, slot.args[3]) && same(e, slot.args[4])) return slot.binding;
    const binding = bind(a, b, c, d, e);
    slots.set(key, { args: [a, b, c, d, e].map(kept), binding });
    return binding;
  };
}

/** The native code generator over `compiler` (see the file comment). */
export function cppGenerator(compiler: NativeCompiler): CodeGenerator {
  const { addon } = compiler;
  /** How each synaptic function made here binds a delivery's arrays, for fused steps. */
  const deliveryBindings = new WeakMap<SynapticFunction, (delivery: Delivery) => NativeBinding>();
  const statementsCall = (library: NativeLibrary): StatementsFunction => {
    const bound = bindings((n: number, state: StateArrays, stream: Uint32Array, _d: undefined, _e: undefined) => addon.bindStatements(library, n, state, stream));
    return (indices, count, n, state, step, stream) => addon.statements(bound(state, n, state, stream, undefined, undefined), indices, count, step);
  };
  return {
    name: 'native',
    model(model: Model, dt: number): CompiledModel {
      const { source, refractorySteps, method } = modelSource(model, dt);
      const library = compiler.load(source);
      const bound = bindings((n: number, state: StateArrays, refractory: Int32Array, stream: Uint32Array, spikes: Uint32Array) =>
        addon.bindUpdate(library, n, state, refractory, stream, spikes),
      );
      return {
        model,
        dt,
        method,
        variableNames: model.variables.map((v) => v.name),
        refractorySteps,
        update: (n, state, refractory, step, stream, spikes) => addon.update(bound(state, n, state, refractory, stream, spikes), n, step),
        reset: statementsCall(library),
        source,
        stepper({ n, state, refractory, stream, spikes }: PopulationArrays, deliveries: readonly Delivery[]): StepFunction | undefined {
          const binders = deliveries.map((d) => deliveryBindings.get(d.deliver));
          if (binders.some((b) => b === undefined)) return undefined;
          const fused = addon.bindStep(
            addon.bindUpdate(library, n, state, refractory, stream, spikes),
            addon.bindStatements(library, n, state, stream),
            deliveries.map((d, k) => (binders[k] as (delivery: Delivery) => NativeBinding)(d)),
          );
          return (step, resetCount, resetStep) => addon.step(fused, n, step, resetCount, resetStep);
        },
      };
    },
    neuronStatements(model: Model, dt: number, statements: readonly Statement[], where: string): StatementsFunction {
      return statementsCall(compiler.load(prelude + statementsFunction(model, dt, statements, where)));
    },
    synapticStatements(statements: readonly Statement[], context: SynapseContext, where: string): SynapticFunction {
      const library = compiler.load(synapseSource(statements, context, where));
      const { source, target } = context;
      const bound = bindings((rowStart: Uint32Array, post: Uint32Array, synapse: StateArrays, pre: StateArrays, tgt: StateArrays) =>
        addon.bindDeliver(library, rowStart, post, synapse, pre, tgt, source.size, target.size, post.length),
      );
      const deliver: SynapticFunction = (spikes, count, rowStart, post, synapse, pre, tgt) => addon.deliver(bound(rowStart, rowStart, post, synapse, pre, tgt), spikes, count);
      deliveryBindings.set(deliver, (d) => addon.bindDeliver(library, d.rowStart, d.post, d.synapse, d.pre, d.target, source.size, target.size, d.post.length));
      return deliver;
    },
    perSynapseExpression: (expression: MathNode, context: SynapseContext, where: string) => javascriptGenerator.perSynapseExpression(expression, context, where),
    pairCondition: (expression: MathNode | null, context: SynapseContext, where: string) => javascriptGenerator.pairCondition(expression, context, where),
  };
}
