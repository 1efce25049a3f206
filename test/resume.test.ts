/**
 * Runs that survive, through the command line: killed with SIGKILL at random moments several times
 * and resumed, or stopped by SIGTERM and resumed, a run ends bit-identical to one never stopped;
 * a full disk (a tiny tmpfs) stops it with one line and leaves every file usable; a run folder that
 * cannot be created or written is refused before training; a vanished run folder stops the run.
 * The tmpfs and read-only cases mount file systems, which needs root (as in CI).
 */
import { ChildProcess, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { nextUniform, streamState } from '../src/kernels/random';
import { decodeCheckpoint } from '../src/state/checkpoint';
import { runMetrics } from './helpers';

const cli = path.resolve('dist/src/cli/main.js');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'apical-resume-'));
const root = process.getuid?.() === 0;

/**
 * A small DTP net with shuffling, decoders, recorders (a recorder's files and the weights it holds
 * from the start of an epoch) and a lesion that redraws a decoder at the boundary of epochs 1 and 2:
 * every kind of state a checkpoint holds.
 */
const experimentFile = path.join(tmp, 'tiny-dtp.json');
fs.writeFileSync(
  experimentFile,
  JSON.stringify({
    name: 'tiny-dtp',
    model: { name: 'tiny', input: 784, layers: [{ size: 32, units: 'tanh', repeat: 2 }, { size: 10, units: 'softmax' }], init: { name: 'orthogonal' } },
    data: { validation: 500, trainLimit: 500 },
    rule: { name: 'dtp', topStep: 0.3, noise: 0.36 },
    training: { epochs: 10, batchSize: 50, shuffle: true, evalBatchSize: 500, checkpointEvery: 1 },
    optimizer: { forward: { name: 'rmsprop', lr: 0.01 }, feedback: { name: 'rmsprop', lr: 0.005 } },
    lesion: { pathway: 'g2', mode: 'randomise', fromEpoch: 2 },
    record: { activity: { every: 3, units: 4 }, weights: { bins: 8 } },
  }),
);

interface Ended {
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `apical args…`; `onStdout` may stop it. */
function apical(args: string[], onStdout?: (stdout: string, child: ChildProcess) => void, options: { uid?: number; gid?: number } = {}): Promise<Ended> {
  const child = spawn(process.execPath, [cli, ...args], { ...options, cwd: process.cwd() });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
    onStdout?.(stdout, child);
  });
  child.stderr.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve) => child.on('close', (status, signal) => resolve({ status, signal, stdout, stderr })));
}

const epochLines = (stdout: string): number => (stdout.match(/^epoch +\d+\//gm) ?? []).length;

const metrics = runMetrics;

/** Every weights file of `dir`, byte for byte. */
function weights(dir: string): Map<string, Buffer> {
  const folder = path.join(dir, 'weights');
  return new Map(fs.readdirSync(folder).map((f) => [f, fs.readFileSync(path.join(folder, f))]));
}

/** Every file of `dir`/record, byte for byte. */
function recordings(dir: string): Map<string, Buffer> {
  const folder = path.join(dir, 'record');
  return new Map(fs.readdirSync(folder).map((f) => [f, fs.readFileSync(path.join(folder, f))]));
}

function expectSameRun(dir: string, reference: string): void {
  expect(metrics(dir)).toEqual(metrics(reference));
  const recorded = recordings(reference);
  expect([...recordings(dir).keys()].sort()).toEqual(['activity.jsonl', 'manifest.json', 'weights.jsonl']);
  for (const [file, bytes] of recordings(dir)) expect([file, bytes.equals(recorded.get(file)!)]).toEqual([file, true]);
  const ours = weights(dir);
  const theirs = weights(reference);
  expect([...ours.keys()].sort()).toEqual([...theirs.keys()].sort());
  for (const [file, bytes] of theirs) expect(ours.get(file)!.equals(bytes)).toBe(true);
  const summary = JSON.parse(fs.readFileSync(path.join(dir, 'summary.json'), 'utf8'));
  expect(summary).toMatchObject({ interrupted: false, diverged: false, epochs_completed: 10 });
  expect(fs.existsSync(path.join(dir, 'checkpoint.ckpt'))).toBe(false);
  expect(fs.existsSync(path.join(dir, 'run.lock'))).toBe(false);
}

function expectOneLine(ended: Ended, status: number, ...fragments: string[]): void {
  expect(ended.status).toBe(status);
  const lines = ended.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  for (const fragment of fragments) expect(lines[0]).toContain(fragment);
}

/** Mounts a fresh tmpfs of `size` at a new folder (root only). */
function tmpfs(size: string, readOnly = false): string {
  const dir = fs.mkdtempSync(path.join(tmp, 'fs-'));
  const result = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}${readOnly ? ',ro' : ''}`, 'tmpfs', dir], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`mount failed: ${result.stderr}`);
  mounted.push(dir);
  return dir;
}
const mounted: string[] = [];
afterAll(() => {
  for (const dir of mounted) spawnSync('umount', [dir]);
});
const asRoot = root ? it : it.skip;
/**
 * Root may write anywhere, so the permission test runs apical as "nobody"; that needs a checkout
 * nobody can read (a clone inside a 0700 folder, such as mktemp -d's, is not), else it is skipped.
 */
const nobody = { uid: 65534, gid: 65534 };
const canDropToNobody = !root || spawnSync(process.execPath, ['-e', `require('fs').accessSync(${JSON.stringify(cli)}, require('fs').constants.R_OK)`], nobody).status === 0;

describe('checkpoint and resume from the command line', () => {
  const reference = path.join(tmp, 'reference');
  /** The shortest gap between two epoch lines of the reference run, in ms: one epoch on this machine. */
  let epochMs = Infinity;
  beforeAll(async () => {
    if (!fs.existsSync(cli)) throw new Error(`${cli} is missing: npm test builds it (npm run build)`);
    let lines = 0;
    let last = 0;
    const ended = await apical(['run', experimentFile, '--out', reference], (stdout) => {
      const now = performance.now();
      if (epochLines(stdout) === lines) return;
      if (lines > 0) epochMs = Math.min(epochMs, now - last);
      lines = epochLines(stdout);
      last = now;
    });
    expect(ended.status).toBe(0);
  });

  it('killed with SIGKILL at random moments three times and resumed, ends identical to a run never stopped', async () => {
    const dir = path.join(tmp, 'killed');
    const rng = streamState(2026, 'test/kill-times');
    let kills = 0;
    for (let attempt = 0; kills < 3 && attempt < 8; attempt++) {
      // Kill a random time, less than one epoch, after the next epoch line (mid-step,
      // mid-evaluation or mid-write), so each attempt gets a little further and none finishes.
      const delay = epochMs * nextUniform(rng);
      const args = attempt === 0 ? ['run', experimentFile, '--out', dir] : ['resume', dir];
      let armed = false;
      const ended = await apical(args, (stdout, child) => {
        if (armed || epochLines(stdout) < 1) return;
        armed = true;
        setTimeout(() => child.kill('SIGKILL'), delay);
      });
      if (ended.signal === 'SIGKILL') kills++;
      else expect([ended.status, ended.stderr]).toEqual([0, '']);
      if (ended.status === 0) break;
    }
    expect(kills).toBe(3);
    if (!fs.existsSync(path.join(dir, 'summary.json')) || JSON.parse(fs.readFileSync(path.join(dir, 'summary.json'), 'utf8')).interrupted !== false) {
      expect((await apical(['resume', dir])).status).toBe(0);
    }
    expectSameRun(dir, reference);
  });

  it('stopped by SIGTERM mid-epoch: exit 143, a checkpoint and an interrupted summary; resumed, identical', async () => {
    const dir = path.join(tmp, 'terminated');
    let sent = false;
    const ended = await apical(['run', experimentFile, '--out', dir], (stdout, child) => {
      if (!sent && epochLines(stdout) >= 2) sent = child.kill('SIGTERM');
    });
    expect(ended.status).toBe(143);
    expect(ended.stderr).toContain('SIGTERM');
    const summary = JSON.parse(fs.readFileSync(path.join(dir, 'summary.json'), 'utf8'));
    expect(summary).toMatchObject({ interrupted: true, signal: 'SIGTERM', diverged: false });
    expect(metrics(dir)).toHaveLength(summary.epochs_completed);
    expect(decodeCheckpoint(fs.readFileSync(path.join(dir, 'checkpoint.ckpt')), 'c').meta.epochs_completed).toBe(summary.epochs_completed);
    const resumed = await apical(['resume', dir]);
    expect(resumed.status).toBe(0);
    expectSameRun(dir, reference);
  });

  asRoot('on a full disk stops with one line; the last checkpoint, metrics and config stay usable and the run resumes', async () => {
    // Room for one checkpoint (~0.45 MB) but not for a second beside it.
    const disk = tmpfs('800k');
    const dir = path.join(disk, 'run');
    const ended = await apical(['run', experimentFile, '--out', dir]);
    expectOneLine(ended, 74, 'checkpoint.ckpt', 'no space left on the device (ENOSPC)', 'training stopped');
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8')).name).toBe('tiny-dtp');
    const lines = fs.readFileSync(path.join(dir, 'metrics.jsonl'), 'utf8');
    expect(lines.endsWith('\n')).toBe(true);
    const kept = decodeCheckpoint(fs.readFileSync(path.join(dir, 'checkpoint.ckpt')), 'c').meta.epochs_completed as number;
    expect(kept).toBeGreaterThanOrEqual(1);
    expect(metrics(dir).length).toBeGreaterThan(kept);
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    // Make room and go on: the result is the uninterrupted run's.
    expect(spawnSync('mount', ['-o', 'remount,size=64m', disk]).status).toBe(0);
    expect((await apical(['resume', dir])).status).toBe(0);
    expectSameRun(dir, reference);
  });

  it('refuses a second apical process in a run folder in use, and takes over the lock a killed one left', async () => {
    const dir = path.join(tmp, 'busy');
    let others: Promise<Ended[]> | undefined;
    let pid = 0;
    const first = await apical(['run', experimentFile, '--out', dir, '--epochs', '100000'], (stdout, child) => {
      if (others || epochLines(stdout) < 1) return;
      pid = child.pid!;
      others = Promise.all([apical(['resume', dir]), apical(['run', experimentFile, '--out', dir, '--force'])]);
      void others.then(() => child.kill('SIGKILL'));
    });
    expect(first.signal).toBe('SIGKILL');
    for (const ended of await others!) expectOneLine(ended, 2, `${dir}: in use by apical process ${pid} on ${os.hostname()}`);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'run.lock'), 'utf8')).pid).toBe(pid);
    // The killed process's lock is stale: a resume takes the folder over (and is stopped here).
    let sent = false;
    const resumed = await apical(['resume', dir], (stdout, child) => {
      if (!sent && epochLines(stdout) >= 1) sent = child.kill('SIGTERM');
    });
    expect(resumed.status).toBe(143);
    expect(fs.existsSync(path.join(dir, 'run.lock'))).toBe(false);
  });

  it('a run folder that vanishes mid-run stops it with one line naming the folder', async () => {
    const dir = path.join(tmp, 'vanishing');
    const ended = await apical(['run', experimentFile, '--out', dir, '--epochs', '200', '--checkpoint-every', '0'], (stdout) => {
      if (epochLines(stdout) >= 1 && fs.existsSync(dir)) fs.rmSync(dir, { recursive: true });
    });
    expectOneLine(ended, 74, dir, 'the folder no longer exists (ENOENT)');
  });
});

describe('run folders that cannot be used are refused before training', () => {
  it('--out under a file', async () => {
    const file = path.join(tmp, 'a-file');
    fs.writeFileSync(file, 'x');
    const ended = await apical(['run', experimentFile, '--out', path.join(file, 'run')]);
    expectOneLine(ended, 2, path.join(file, 'run'), 'cannot be created', 'ENOTDIR');
    expect(ended.stdout).not.toMatch(/^epoch /m);
  });

  asRoot('on a read-only file system', async () => {
    const disk = tmpfs('1m', true);
    const ended = await apical(['run', experimentFile, '--out', path.join(disk, 'run')]);
    expectOneLine(ended, 2, path.join(disk, 'run'), 'read-only file system (EROFS)');
  });

  (canDropToNobody ? it : it.skip)('without permission to write', async () => {
    const dir = path.join(tmp, 'locked');
    fs.mkdirSync(dir);
    fs.chmodSync(dir, 0o555);
    fs.chmodSync(tmp, 0o755); // mkdtemp's 0700 would hide the experiment file from nobody
    const ended = await apical(['run', experimentFile, '--out', path.join(dir, 'run')], undefined, root ? nobody : {});
    expectOneLine(ended, 2, path.join(dir, 'run'), 'permission denied (EACCES)');
  });

  it('resume of a folder with no checkpoint says so', async () => {
    const dir = path.join(tmp, 'empty-run');
    fs.mkdirSync(dir);
    expectOneLine(await apical(['resume', dir]), 2, dir, 'no checkpoint');
  });
});
