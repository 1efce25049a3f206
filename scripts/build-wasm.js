#!/usr/bin/env node
// Builds wasm/apical_kernels.wasm, the WebAssembly fallback kernels (src/kernels/wasm.ts), from the
// same C++ sources as the native addon: native/{gemm,elementwise,noise,table}.cc with the generic
// vector path of native/simd.h (GCC/Clang vector extensions) lowered to WebAssembly SIMD128, plus
// native/wasm/exports.cc (the C entry points) and native/wasm/serial.cc (one thread).
// The .wasm is committed: users need no compiler. Rebuild it after changing a kernel:
//   apt-get install clang lld wasi-libc libc++-dev-wasm32 libclang-rt-dev-wasm32   # Debian 12: clang 14
//   node scripts/build-wasm.js [OUT]     # OUT defaults to wasm/apical_kernels.wasm
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const native = path.join(root, 'native');
const out = path.resolve(process.argv[2] || path.join(root, 'wasm', 'apical_kernels.wasm'));
const sources = ['wasm/exports.cc', 'wasm/serial.cc', 'gemm.cc', 'elementwise.cc', 'noise.cc', 'table.cc'];
const args = [
  '--target=wasm32-wasi',
  '--sysroot=/usr', // Debian's wasi-libc: /usr/include/wasm32-wasi, /usr/lib/wasm32-wasi
  '-isystem', '/usr/include/wasm32-wasi/c++/v1', // Debian's libc++ for wasm32
  '-O3', '-msimd128', '-std=c++17', '-fno-exceptions', '-fno-math-errno', '-fno-trapping-math',
  '-Wall', '-Wextra', '-Wno-unused-parameter',
  '-DAPICAL_ISA=wasm',
  '-mexec-model=reactor', '-Wl,--no-entry', '-Wl,--strip-all',
  ...sources.map((s) => path.join(native, s)),
  '-o', out,
];
fs.mkdirSync(path.dirname(out), { recursive: true });
const result = spawnSync(process.env.CXX_WASM || 'clang++', args, { stdio: 'inherit' });
if (result.error) {
  console.error(`clang++: ${result.error.message} (Debian: apt-get install clang lld wasi-libc libc++-dev-wasm32 libclang-rt-dev-wasm32)`);
  process.exit(127);
}
if (result.status === 0) console.log(`wrote ${path.relative(root, out)} (${fs.statSync(out).size} bytes)`);
process.exit(result.status ?? 1);
