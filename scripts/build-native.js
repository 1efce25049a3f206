#!/usr/bin/env node
// Builds the native kernel addon (native/, binding.gyp) with node-gyp during `npm install`.
// A failed build is not fatal: apical then runs on the plain TypeScript reference kernels and
// says so at start-up (see src/kernels/index.ts). Set APICAL_SKIP_NATIVE=1 to skip the build.
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
if (process.env.APICAL_SKIP_NATIVE === '1' || !fs.existsSync(path.join(root, 'binding.gyp'))) {
  process.exit(0);
}
const nodeGyp = process.platform === 'win32' ? 'node-gyp.cmd' : 'node-gyp';
const result = spawnSync(nodeGyp, ['rebuild'], { cwd: root, stdio: 'inherit' });
if (result.status !== 0) {
  console.warn(
    'apical: the native kernels did not build; apical will run on the (slow) TypeScript reference ' +
      'kernels. Install python3, make and g++, then run `npm rebuild` to retry.',
  );
}
