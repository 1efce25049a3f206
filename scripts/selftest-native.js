#!/usr/bin/env node
// Builds native/selftest/selftest.cc with one instruction set's copy of the kernels, outside Node,
// and runs it (it checks the kernels against plain loops; see that file):
//   node scripts/selftest-native.js neon      # arm64: cross-compiled with Debian's
//                                             # g++-aarch64-linux-gnu, run under qemu-aarch64
//   node scripts/selftest-native.js avx2      # or avx512, generic: this machine's g++, run here
// Exits with the self-test's status; prints its output (closing line "ISA: N passed, M failed").
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const isa = process.argv[2];
const targets = {
  neon: { cxx: 'aarch64-linux-gnu-g++', flags: ['-static'], run: ['qemu-aarch64'] },
  avx512: { cxx: 'g++', flags: ['-mavx512f', '-mavx512bw', '-mavx512dq', '-mavx512vl', '-mavx2', '-mfma'], run: [] },
  avx2: { cxx: 'g++', flags: ['-mavx2', '-mfma'], run: [] },
  generic: { cxx: 'g++', flags: [], run: [] },
};
const target = targets[isa];
if (!target) {
  console.error(`usage: node scripts/selftest-native.js ${Object.keys(targets).join('|')}`);
  process.exit(2);
}
const native = path.join(root, 'native');
const sources = ['selftest/selftest.cc', 'gemm.cc', 'elementwise.cc', 'noise.cc', 'table.cc', 'threadpool.cc'];
// The same flags as binding.gyp, for that set.
const common = ['-O3', '-std=c++17', '-fno-math-errno', '-fno-trapping-math', '-pthread', `-DAPICAL_ISA=${isa}`, ...target.flags];
const outDir = path.join(root, 'build', 'selftest');
fs.mkdirSync(outDir, { recursive: true });
const binary = path.join(outDir, `selftest-${isa}`);

function run(command, args) {
  const result = spawnSync(command, args, { stdio: 'inherit' });
  if (result.error) {
    console.error(`${command}: ${result.error.message}`);
    process.exit(127);
  }
  return result.status;
}

// The glue that picks a table at load time must compile for the target too.
if (run(target.cxx, [...common, '-fsyntax-only', path.join(native, 'dispatch.cc')]) !== 0) process.exit(1);
if (run(target.cxx, [...common, ...sources.map((s) => path.join(native, s)), '-o', binary]) !== 0) process.exit(1);
const [runner, ...runnerArgs] = target.run.length ? target.run : [binary];
process.exit(run(runner, target.run.length ? [...runnerArgs, binary] : []));
