#!/usr/bin/env node
// Builds the native kernel addon (native/, binding.gyp) with node-gyp during `npm install`; run it
// again with `npm rebuild` or `node scripts/build-native.js`. A failed build is not fatal: apical
// then runs on the same kernels compiled to WebAssembly (wasm/, committed) and says so at start-up
// (src/kernels/index.ts).
// Set APICAL_SKIP_NATIVE=1 to skip the build.
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
if (process.env.APICAL_SKIP_NATIVE === '1' || !fs.existsSync(path.join(root, 'binding.gyp'))) {
  process.exit(0);
}

// node-gyp ships inside npm: npm names it in npm_config_node_gyp when it runs this script; outside
// npm, find it next to the npm that came with this Node.
const prefix = path.dirname(path.dirname(process.execPath));
const nodeGyp =
  process.env.npm_config_node_gyp ||
  path.join(prefix, 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
const args = [nodeGyp, 'rebuild'];
// Build against this Node's own headers when they are installed (no download needed).
if (!process.env.npm_config_nodedir && fs.existsSync(path.join(prefix, 'include', 'node', 'node_api.h'))) {
  args.push(`--nodedir=${prefix}`);
}
const result = fs.existsSync(nodeGyp)
  ? spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' })
  : { status: 1 };
if (result.status !== 0) {
  console.warn(
    'apical: the native kernels did not build; apical will run on its WebAssembly kernels (the same ' +
      'kernels, one thread, no AVX). Install python3, make and g++, then run `npm rebuild` to retry.',
  );
}
