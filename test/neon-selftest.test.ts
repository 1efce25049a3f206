/**
 * The arm64 NEON path of the native kernels, on an x86-64 machine: native/selftest/selftest.cc built
 * with Debian's aarch64 cross compiler and run under qemu-user (scripts/selftest-native.js), checking
 * the kernels against plain loops on odd shapes and every transpose. Runs when the cross tools are
 * installed (.ci/run installs them); on an arm64 machine the NEON path is the addon's own and
 * test/kernels.test.ts covers it.
 */
import { spawnSync } from 'child_process';
import * as os from 'os';

const hasTool = (tool: string): boolean => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;
const crossTools = os.arch() !== 'arm64' && hasTool('aarch64-linux-gnu-g++') && hasTool('qemu-aarch64');
const itCross = crossTools ? it : it.skip;

describe('NEON kernels under qemu-aarch64', () => {
  itCross(
    'pass the self-test against plain loops',
    () => {
      const result = spawnSync(process.execPath, ['scripts/selftest-native.js', 'neon'], { encoding: 'utf8' });
      const lines = result.stdout.trim().split('\n');
      expect(lines[lines.length - 1]).toMatch(/^neon: \d+ passed, 0 failed$/);
      expect(result.status).toBe(0);
    },
    180_000,
  );
});
