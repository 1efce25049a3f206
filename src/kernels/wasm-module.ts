/**
 * The WebAssembly kernels' module, wherever it runs (Node: wasm.ts; a browser: wasm-browser.ts):
 * the native kernels' own C++ sources (native/), compiled by scripts/build-wasm.js with the generic
 * vector path of native/simd.h lowered to WebAssembly SIMD128, and committed as
 * wasm/apical_kernels.wasm.
 *
 * The module's linear memory is a shared WebAssembly.Memory, so that a helper thread (a second
 * instance of the module, see HELPER_PROGRAM) can take half of a large product. Each call copies its
 * input arrays in (one reused block, `apical_reserve`), runs the kernel, and copies its outputs
 * back. Outputs may therefore alias inputs exactly as the Kernels interface allows. Sizes and array
 * types are checked here with the native addon's messages (TypeError / RangeError naming the op and
 * the argument).
 *
 * Large products (native/gemm.cc, above a size threshold) are cut into chunks that the calling
 * thread and the helper claim from a shared ticket (native/wasm/threads.cc). The helper does
 * nothing but run `apical_helper()`: no messages pass, so the calling thread never waits for an
 * event loop. Each instance gets its own stack and thread-local block (the kernels' packing
 * buffers); the module's data and heap are shared. Results are bit-identical on one thread or two.
 */
import { Kernels } from './kernels';
import { float32SpikeProduct } from './spike-product';

type TypedArrayKind = 'f32' | 'i32' | 'u32';
type Mode = 'in' | 'out' | 'inout';

/** One array argument: its position, element type, required length and direction. */
interface ArraySlot {
  readonly arg: number;
  readonly name: string;
  readonly kind: TypedArrayKind;
  readonly length: (args: any[]) => number;
  readonly mode: Mode;
  readonly nullable?: boolean;
}

/** One Kernels method: its argument names (sizes checked as integers) and array arguments. */
interface OpSpec {
  readonly args: readonly string[];
  readonly sizes: readonly string[];
  readonly arrays: readonly ArraySlot[];
}

const f32 = (arg: number, name: string, length: (a: any[]) => number, mode: Mode, nullable = false): ArraySlot => ({ arg, name, kind: 'f32', length, mode, nullable });
const byLength = (a: any[]): number => a[0];
const byLength1 = (a: any[]): number => a[1];
/** Elements a strided block of a[0] rows of a[1] reaches at the stride a[s]: (rows − 1)·stride + width (0 if empty). */
const blockExtent = (s: number) => (a: any[]): number => (a[0] === 0 || a[1] === 0 ? 0 : (a[0] - 1) * a[s] + a[1]);

/** Every op, in the order of the Kernels interface, but spikeProduct (spike-product.ts: a module of its own). */
const OPS: Record<Exclude<keyof Kernels, 'name' | 'spikeProduct'>, OpSpec> = {
  gemm: {
    args: ['transA', 'transB', 'm', 'n', 'k', 'alpha', 'a', 'b', 'beta', 'c'],
    sizes: ['m', 'n', 'k'],
    arrays: [f32(6, 'a', (a) => a[2] * a[4], 'in'), f32(7, 'b', (a) => a[4] * a[3], 'in'), f32(9, 'c', (a) => a[2] * a[3], 'inout')],
  },
  dense: {
    args: ['m', 'n', 'k', 'x', 'w', 'bias', 'act', 'y'],
    sizes: ['m', 'n', 'k'],
    arrays: [f32(3, 'x', (a) => a[0] * a[2], 'in'), f32(4, 'w', (a) => a[2] * a[1], 'in'), f32(5, 'bias', (a) => a[1], 'in', true), f32(7, 'y', (a) => a[0] * a[1], 'out')],
  },
  denseConcat: {
    args: ['m', 'wa', 'wb', 'n', 'a', 'lda', 'b', 'z', 'w', 'bias', 'act', 'y'],
    sizes: ['m', 'wa', 'wb', 'n', 'lda'],
    arrays: [
      f32(4, 'a', blockExtent(5), 'in'),
      f32(6, 'b', (a) => a[0] * a[2], 'in', true),
      f32(7, 'z', (a) => a[0] * (a[1] + a[2]), 'out'),
      f32(8, 'w', (a) => (a[1] + a[2]) * a[3], 'in'),
      f32(9, 'bias', (a) => a[3], 'in', true),
      f32(11, 'y', (a) => a[0] * a[3], 'out'),
    ],
  },
  errorThroughSteps: {
    args: ['steps', 'rows', 'n', 'transB', 'b', 'act', 'states', 'deltas'],
    sizes: ['steps', 'rows', 'n'],
    arrays: [f32(4, 'b', (a) => a[2] * a[2], 'in'), f32(6, 'states', (a) => a[0] * a[1] * a[2], 'in'), f32(7, 'deltas', (a) => a[0] * a[1] * a[2], 'inout')],
  },
  activate: { args: ['act', 'length', 'a', 'y'], sizes: ['length'], arrays: [f32(2, 'a', byLength1, 'in'), f32(3, 'y', byLength1, 'out')] },
  deltaFromGrad: {
    args: ['act', 'length', 'y', 'g', 'd'],
    sizes: ['length'],
    arrays: [f32(2, 'y', byLength1, 'in'), f32(3, 'g', byLength1, 'in'), f32(4, 'd', byLength1, 'out')],
  },
  deltaFromTarget: {
    args: ['act', 'length', 'alpha', 'y', 't', 'd'],
    sizes: ['length'],
    arrays: [f32(3, 'y', byLength1, 'in'), f32(4, 't', byLength1, 'in'), f32(5, 'd', byLength1, 'out')],
  },
  axpby: {
    args: ['length', 'alpha', 'x', 'beta', 'y', 'out'],
    sizes: ['length'],
    arrays: [f32(2, 'x', byLength, 'in'), f32(4, 'y', byLength, 'in'), f32(5, 'out', byLength, 'out')],
  },
  copyBlock: {
    args: ['rows', 'width', 'src', 'srcStride', 'dst', 'dstStride'],
    sizes: ['rows', 'width', 'srcStride', 'dstStride'],
    // dst inout: the columns outside the block are kept.
    arrays: [f32(2, 'src', blockExtent(3), 'in'), f32(4, 'dst', blockExtent(5), 'inout')],
  },
  addDifference: {
    args: ['length', 'x', 'plus', 'minus', 'out'],
    sizes: ['length'],
    arrays: [f32(1, 'x', byLength, 'in'), f32(2, 'plus', byLength, 'in'), f32(3, 'minus', byLength, 'in'), f32(4, 'out', byLength, 'out')],
  },
  columnSums: {
    args: ['m', 'n', 'alpha', 'd', 'beta', 'out'],
    sizes: ['m', 'n'],
    arrays: [f32(3, 'd', (a) => a[0] * a[1], 'in'), f32(5, 'out', (a) => a[1], 'inout')],
  },
  softmaxCrossEntropy: {
    args: ['m', 'n', 'scores', 'labels', 'probs', 'gradScale', 'grad'],
    sizes: ['m', 'n'],
    arrays: [
      f32(2, 'scores', (a) => a[0] * a[1], 'in'),
      { arg: 3, name: 'labels', kind: 'i32', length: (a) => a[0], mode: 'in' },
      f32(4, 'probs', (a) => a[0] * a[1], 'out'),
      f32(6, 'grad', (a) => a[0] * a[1], 'out', true),
    ],
  },
  countErrors: {
    args: ['m', 'n', 'scores', 'labels'],
    sizes: ['m', 'n'],
    arrays: [f32(2, 'scores', (a) => a[0] * a[1], 'in'), { arg: 3, name: 'labels', kind: 'i32', length: (a) => a[0], mode: 'in' }],
  },
  sumSquaredDifference: { args: ['length', 'x', 'y'], sizes: ['length'], arrays: [f32(1, 'x', byLength, 'in'), f32(2, 'y', byLength, 'in')] },
  addGaussianNoise: {
    args: ['length', 'x', 'sigma', 'rng', 'out'],
    sizes: ['length'],
    arrays: [f32(1, 'x', byLength, 'in'), { arg: 3, name: 'rng', kind: 'u32', length: () => 4, mode: 'inout' }, f32(4, 'out', byLength, 'out')],
  },
  sgdStep: {
    args: ['length', 'param', 'grad', 'velocity', 'lr', 'momentum', 'weightDecay'],
    sizes: ['length'],
    arrays: [f32(1, 'param', byLength, 'inout'), f32(2, 'grad', byLength, 'in'), f32(3, 'velocity', byLength, 'inout')],
  },
  rmspropStep: {
    args: ['length', 'param', 'grad', 'avg', 'avgSq', 'inc', 'lr', 'rho', 'momentum', 'epsilon'],
    sizes: ['length'],
    arrays: [
      f32(1, 'param', byLength, 'inout'),
      f32(2, 'grad', byLength, 'in'),
      f32(3, 'avg', byLength, 'inout'),
      f32(4, 'avgSq', byLength, 'inout'),
      f32(5, 'inc', byLength, 'inout'),
    ],
  },
  adamStep: {
    args: ['length', 'param', 'grad', 'm', 'v', 'lr', 'beta1', 'beta2', 'epsilon', 't'],
    sizes: ['length'],
    arrays: [f32(1, 'param', byLength, 'inout'), f32(2, 'grad', byLength, 'in'), f32(3, 'm', byLength, 'inout'), f32(4, 'v', byLength, 'inout')],
  },
};

const CONSTRUCTORS = { f32: Float32Array, i32: Int32Array, u32: Uint32Array } as const;
const KIND_NAMES = { f32: 'a Float32Array', i32: 'an Int32Array', u32: 'a Uint32Array' } as const;

/** The exports a thread of the module needs to set itself up. */
interface ThreadExports {
  readonly __stack_pointer: { value: number };
  readonly __tls_size: { value: number };
  readonly __wasm_init_tls: (block: number) => void;
  readonly apical_alloc: (bytes: number) => number;
  readonly apical_threads: () => number;
}

interface WasmExports extends ThreadExports {
  readonly __wasm_call_ctors: () => void;
  readonly apical_reserve: (bytes: number) => number;
  readonly [op: string]: unknown;
}

/** Wraps one exported kernel: checks, copies in, calls, copies out. */
function wrap(op: string, spec: OpSpec, exports: WasmExports, memory: WebAssembly.Memory): (...args: unknown[]) => unknown {
  const fn = exports[op] as (...args: number[]) => number;
  const sizeArgs = spec.sizes.map((name) => spec.args.indexOf(name));
  const scalarArgs = spec.args.map((_, i) => i).filter((i) => !spec.arrays.some((slot) => slot.arg === i));
  return (...args: unknown[]): unknown => {
    if (args.length < spec.args.length) throw new TypeError(`${op}: expected ${spec.args.length} arguments, got ${args.length}`);
    for (const i of scalarArgs) {
      const want = spec.args[i].startsWith('trans') ? 'boolean' : 'number';
      if (typeof args[i] !== want) throw new TypeError(`${op}: argument '${spec.args[i]}' must be a ${want}`);
    }
    const act = spec.args.indexOf('act');
    if (act >= 0 && ![0, 1, 2, 3].includes(args[act] as number)) {
      throw new RangeError(`${op}: argument 'act' must be an Activation (0 identity, 1 tanh, 2 sigmoid, 3 relu)`);
    }
    for (const i of sizeArgs) {
      const v = args[i];
      if (typeof v !== 'number') throw new TypeError(`${op}: argument '${spec.args[i]}' must be a number`);
      if (!Number.isInteger(v) || v < 0 || v > 2147483647) throw new RangeError(`${op}: argument '${spec.args[i]}' must be an integer in [0, 2^31)`);
    }
    // Lay the arrays out in one block, each 64-byte aligned.
    const offsets: number[] = [];
    const lengths: number[] = [];
    let bytes = 0;
    for (const slot of spec.arrays) {
      const array = args[slot.arg];
      if (slot.nullable && array === null) {
        offsets.push(-1);
        lengths.push(0);
        continue;
      }
      if (!(array instanceof CONSTRUCTORS[slot.kind])) {
        throw new TypeError(`${op}: argument '${slot.name}' must be ${KIND_NAMES[slot.kind]}${slot.nullable ? ' or null' : ''}`);
      }
      const length = slot.length(args);
      if ((array as Float32Array).length < length) {
        throw new RangeError(`${op}: argument '${slot.name}' is too short: length ${(array as Float32Array).length}, needs at least ${length}`);
      }
      offsets.push(bytes);
      lengths.push(length);
      bytes += Math.ceil((length * 4) / 64) * 64 + 64;
    }
    if (op === 'softmaxCrossEntropy') {
      const n = args[1] as number;
      if ((args[3] as Int32Array).subarray(0, args[0] as number).some((label) => label < 0 || label >= n)) {
        throw new RangeError(`${op}: argument 'labels' has an entry outside [0, n)`);
      }
    }
    const base = exports.apical_reserve(bytes);
    const buffer = memory.buffer; // after reserve: the memory may have grown
    const call = args.map((a) => (typeof a === 'boolean' ? Number(a) : a)) as number[];
    spec.arrays.forEach((slot, s) => {
      if (offsets[s] < 0) {
        call[slot.arg] = 0;
        return;
      }
      const pointer = base + offsets[s];
      call[slot.arg] = pointer;
      if (slot.mode !== 'out') {
        const source = args[slot.arg] as Float32Array;
        new CONSTRUCTORS[slot.kind](buffer, pointer, lengths[s]).set(source.subarray(0, lengths[s]));
      }
    });
    const result = fn(...call);
    const after = memory.buffer; // the kernel may have grown the memory (scratch buffers)
    spec.arrays.forEach((slot, s) => {
      if (offsets[s] < 0 || slot.mode === 'in') return;
      (args[slot.arg] as Float32Array).set(new CONSTRUCTORS[slot.kind](after, base + offsets[s], lengths[s]));
    });
    return result;
  };
}

/** The WebAssembly kernels, and how many threads run them now (1, or 2 once the helper is up). */
export type WasmKernels = Kernels & { readonly threads: () => number };

/** Pages of 64 KiB: at start (above the module's data and stack) and at most (2 GiB: i32 pointers stay positive). */
const INITIAL_PAGES = 64;
const MAXIMUM_PAGES = 32768;

/** The helper's stack (the module's own, for the calling thread, is the same size). */
const STACK_BYTES = 256 * 1024;

/** What a helper thread receives: the module, the shared memory, and its own stack and thread-local block. */
export interface HelperStart {
  readonly module: WebAssembly.Module;
  readonly memory: WebAssembly.Memory;
  readonly stackTop: number;
  readonly tls: number;
}

/**
 * The helper thread's whole program once it holds its HelperStart as `start` (plain JavaScript:
 * each host wraps it in its own way of receiving `start`, so no file is looked for at run time).
 */
export const HELPER_PROGRAM = `
const instance = new WebAssembly.Instance(start.module, { env: { memory: start.memory } }).exports;
instance.__stack_pointer.value = start.stackTop;
instance.__wasm_init_tls(start.tls);
instance.apical_helper();
`;

/** One instance of the module on its own shared memory, set up as the calling thread. */
export class WasmInstance {
  readonly memory = new WebAssembly.Memory({ initial: INITIAL_PAGES, maximum: MAXIMUM_PAGES, shared: true });
  private readonly exports: WasmExports;

  constructor(readonly module: WebAssembly.Module) {
    this.exports = new WebAssembly.Instance(module, { env: { memory: this.memory } }).exports as unknown as WasmExports;
    this.exports.__wasm_init_tls(this.exports.apical_alloc(this.exports.__tls_size.value));
    this.exports.__wasm_call_ctors();
  }

  /** How many threads run the kernels now: 1, or 2 once a helper has started. */
  threads(): number {
    return this.exports.apical_threads();
  }

  /** A helper thread's start: a stack and a thread-local block of its own, in the shared memory. */
  helperStart(): HelperStart {
    const stackTop = this.exports.apical_alloc(STACK_BYTES) + STACK_BYTES;
    const tls = this.exports.apical_alloc(this.exports.__tls_size.value);
    return { module: this.module, memory: this.memory, stackTop, tls };
  }

  /** The kernels, named `wasm`. */
  kernels(): WasmKernels {
    const kernels: Record<string, unknown> = { name: 'wasm', threads: () => this.threads(), spikeProduct: float32SpikeProduct };
    for (const [op, spec] of Object.entries(OPS)) kernels[op] = wrap(op, spec, this.exports, this.memory);
    return kernels as unknown as WasmKernels;
  }
}
