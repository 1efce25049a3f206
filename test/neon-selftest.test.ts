/**
 * The arm64 NEON path of the native kernels, on an x86-64 machine: native/selftest/selftest.cc built
 * with Debian's aarch64 cross compiler and run under qemu-user (scripts/selftest-native.js), checking
 * the kernels against plain loops on odd shapes and every transpose, and giving bit for bit the
 * results of this machine's AVX2 path (both fuse multiply-adds and sum in the same order). Runs
 * when the cross tools are installed (.ci/run installs them); on an arm64 machine the NEON path is
 * the addon's own and test/kernels.test.ts covers it.
 */
import { spawnSync } from 'child_process';
import * as os from 'os';
import { loadNativeAddon } from '../src/kernels/native';

const hasTool = (tool: string): boolean => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;
const crossTools = os.arch() !== 'arm64' && hasTool('aarch64-linux-gnu-g++') && hasTool('qemu-aarch64');
const itCross = crossTools ? it : it.skip;
const addon = loadNativeAddon();
const hostAvx2 = typeof addon !== 'string' && addon.isas.includes('avx2');

/** Builds and runs the self-test of one path; returns its closing line and workload digest. */
function selftest(isa: string): { status: number | null; closing: string; digest: string } {
  const result = spawnSync(process.execPath, ['scripts/selftest-native.js', isa], { encoding: 'utf8' });
  const lines = result.stdout.trim().split('\n');
  return { status: result.status, closing: lines[lines.length - 1], digest: lines.find((l) => l.startsWith('workload digest: ')) ?? '' };
}

describe('NEON kernels under qemu-aarch64', () => {
  itCross(
    'pass the self-test against plain loops, with the AVX2 path\'s results bit for bit',
    () => {
      const neon = selftest('neon');
      expect(neon.closing).toMatch(/^neon: \d+ passed, 0 failed$/);
      expect(neon.status).toBe(0);
      expect(neon.digest).toMatch(/^workload digest: [0-9a-f]{16}$/);
      if (hostAvx2) expect(selftest('avx2').digest).toBe(neon.digest);
    },
    180_000,
  );
});
