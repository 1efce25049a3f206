#!/usr/bin/env node
// Builds wasm/apical_kernels.wasm, the WebAssembly fallback kernels (src/kernels/wasm.ts), from the
// same C++ sources as the native addon: native/{gemm,elementwise,noise,table}.cc with the generic
// vector path of native/simd.h (GCC/Clang vector extensions) lowered to WebAssembly SIMD128, plus
// native/wasm/exports.cc (the C entry points), native/wasm/threads.cc (a helper thread: a second
// instance in a Node worker, on the same shared memory) and native/wasm/heap.cc (the allocator).
// The .wasm is committed: users need no compiler. Rebuild it after changing a kernel:
//   apt-get install clang lld wasi-libc libc++-dev-wasm32   # Debian 12: clang 14
//   node scripts/build-wasm.js [OUT]     # OUT defaults to wasm/apical_kernels.wasm
//
// The module imports a shared memory (atomics, bulk memory, thread-local storage per instance) and
// links no C runtime: Debian's wasi-libc is compiled without atomics, so of it only exp, log and pow
// are taken (pure functions, the same code as glibc's, which keeps wasm bit-identical to the native
// generic path), with its feature check turned off; the build fails if anything else got in.
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const native = path.join(root, 'native');
const out = path.resolve(process.argv[2] || path.join(root, 'wasm', 'apical_kernels.wasm'));
const sources = ['wasm/exports.cc', 'wasm/threads.cc', 'wasm/heap.cc', 'gemm.cc', 'elementwise.cc', 'noise.cc', 'table.cc'];
const libc = '/usr/lib/wasm32-wasi/libc.a';
/** The members of libc.a that may be linked: the math functions and their tables and error paths. */
const allowedLibc = /^(exp|log|pow)(_data)?\.o$|^__math_\w+\.o$/;
const args = [
  '--target=wasm32-wasi',
  '--sysroot=/usr', // Debian's wasi-libc headers: /usr/include/wasm32-wasi
  '-isystem', '/usr/include/wasm32-wasi/c++/v1', // Debian's libc++ headers for wasm32
  '-O3', '-msimd128', '-matomics', '-mbulk-memory', '-ftls-model=local-exec',
  '-std=c++17', '-fno-exceptions', '-fno-math-errno', '-fno-trapping-math',
  '-Wall', '-Wextra', '-Wno-unused-parameter',
  '-DAPICAL_ISA=wasm',
  '-nostdlib', '-Wl,--no-entry', '-Wl,--strip-all',
  '-Wl,--import-memory', '-Wl,--shared-memory', '-Wl,--max-memory=2147483648', '-Wl,-z,stack-size=262144',
  // what src/kernels/wasm-module.ts needs to give each instance its own stack and thread-locals
  '-Wl,--export=__stack_pointer', '-Wl,--export=__wasm_init_tls', '-Wl,--export=__tls_size',
  '-Wl,--export=__wasm_call_ctors',
  ...sources.map((s) => path.join(native, s)),
  libc, '-Wl,--no-check-features', '-Wl,--trace',
  '-o', out,
];
fs.mkdirSync(path.dirname(out), { recursive: true });
const result = spawnSync(process.env.CXX_WASM || 'clang++', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
if (result.error) {
  console.error(`clang++: ${result.error.message} (Debian: apt-get install clang lld wasi-libc libc++-dev-wasm32)`);
  process.exit(127);
}
if (result.status !== 0) process.exit(result.status ?? 1);
const linked = [...result.stdout.matchAll(/libc\.a\((.+)\)/g)].map((m) => m[1]);
const unexpected = linked.filter((member) => !allowedLibc.test(member));
const imports = WebAssembly.Module.imports(new WebAssembly.Module(fs.readFileSync(out)));
if (unexpected.length > 0 || imports.length !== 1 || imports[0].kind !== 'memory') {
  console.error(`${path.relative(root, out)}: linked ${unexpected.join(', ') || 'no unexpected libc.a members'}; imports ${JSON.stringify(imports)} (expected only the math functions and the shared memory)`);
  fs.rmSync(out);
  process.exit(1);
}
console.log(`wrote ${path.relative(root, out)} (${fs.statSync(out).size} bytes; from libc.a: ${linked.join(' ')})`);
