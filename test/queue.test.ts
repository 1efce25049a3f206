/**
 * apical compare over a BullMQ queue on a local Redis: two workers, one killed with SIGKILL mid-run
 * once it has checkpointed; the comparison finishes with every run present once, the killed run
 * resumed by the other worker from its checkpoint, and a table identical to the local comparison
 * of the same seeds. A local comparison never loads BullMQ or the Redis client. A sweep over the
 * committed spiking DTP file runs through the queue with the same metrics as through local processes.
 */
import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Queue } from 'bullmq';
import { parseQueueUrl } from '../src/jobs/queue';
import { runMetrics } from './helpers';
import { startRedis, TestRedis } from './redis-server';

const cli = path.resolve('dist/src/cli/main.js');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'apical-queue-'));
const experiment = path.join(tmp, 'queued.json');
fs.writeFileSync(
  experiment,
  JSON.stringify({
    name: 'queued',
    model: { name: 'tiny', input: 784, layers: [{ size: 32, units: 'tanh', repeat: 2 }, { size: 10, units: 'softmax' }], init: { name: 'orthogonal' } },
    data: { validation: 500 },
    rule: { name: 'dtp', topStep: 0.3, noise: 0.36 },
    training: { epochs: 12, batchSize: 50, shuffle: true, evalBatchSize: 500 },
    optimizer: { forward: { name: 'rmsprop', lr: 0.01 }, feedback: { name: 'rmsprop', lr: 0.005 } },
  }),
);
const compareArgs = (out: string): string[] => ['compare', experiment, '--seeds', '3', '--train-limit', '500', '--out', out];

/** Reports at exit which of BullMQ's and ioredis's files the process loaded. */
const hook = path.join(tmp, 'loaded-modules.js');
fs.writeFileSync(hook, "process.on('exit', () => process.stderr.write('LOADED ' + JSON.stringify(Object.keys(require.cache).filter((f) => /node_modules[\\\\/](bullmq|ioredis)[\\\\/]/.test(f)).length) + '\\n'));\n");

function apical(args: string[], nodeArgs: string[] = []): { child: ChildProcess; output: () => string; ended: Promise<number | null> } {
  const child = spawn(process.execPath, [...nodeArgs, cli, ...args]);
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  return { child, output: () => output, ended: new Promise((resolve) => child.on('close', (code) => resolve(code))) };
}

/** compare.csv without the timing columns (which differ between any two runs) and the run folders. */
function table(out: string): string[][] {
  const rows = fs.readFileSync(path.join(out, 'compare.csv'), 'utf8').trim().split('\n').map((l) => l.split(','));
  const keep = rows[0].map((name, i) => (/seconds|wall|^out$/.test(name) ? -1 : i)).filter((i) => i >= 0);
  return rows.map((row) => keep.map((i) => row[i]));
}

describe('apical compare --queue with apical worker', () => {
  let redis: TestRedis;
  const workers: ChildProcess[] = [];
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    for (const worker of workers) worker.kill('SIGKILL');
    await redis?.stop();
  });

  it('finishes every run once despite a worker killed mid-run, with the local comparison’s table', async () => {
    const local = path.join(tmp, 'local');
    const localRun = apical([...compareArgs(local), '--jobs', '2'], ['-r', hook]);
    expect(await localRun.ended).toBe(0);
    expect(localRun.output()).toContain('LOADED 0'); // no BullMQ, no Redis client without --queue

    const store = path.join(tmp, 'store');
    const url = redis.url('compare-test');
    const start = (): ReturnType<typeof apical> => {
      const worker = apical(['worker', '--queue', url, '--store', store, '--lock', '3']);
      workers.push(worker.child);
      return worker;
    };
    const [victim, survivor] = [start(), start()];
    const queued = path.join(tmp, 'queued');
    const coordinator = apical([...compareArgs(queued), '--queue', url]);

    // Kill the first worker with SIGKILL as soon as its first run has written a checkpoint.
    const killedKey = await new Promise<string>((resolve) => {
      const poll = setInterval(() => {
        const match = /(\S+): training into (\S+)/.exec(victim.output());
        if (match && fs.existsSync(path.join(match[2], 'checkpoint.ckpt'))) {
          clearInterval(poll);
          victim.child.kill('SIGKILL');
          resolve(match[1]);
        }
      }, 20);
    });
    expect(await coordinator.ended).toBe(0);
    expect(survivor.output()).toContain(`${killedKey}: resuming from its checkpoint`);

    expect(table(queued)).toEqual(table(local));
    expect(table(queued).slice(1).map((row) => row.slice(0, 4).join(' '))).toEqual(['queued dtp 1 finished', 'queued dtp 2 finished', 'queued dtp 3 finished']);
    for (const seed of [1, 2, 3]) {
      const summary = JSON.parse(fs.readFileSync(path.join(queued, `queued-s${seed}`, 'summary.json'), 'utf8'));
      expect(summary.worker.dir).toContain(store);
      expect(fs.readFileSync(path.join(queued, `queued-s${seed}`, 'metrics.jsonl'), 'utf8').trim().split('\n')).toHaveLength(12);
    }
    const address = parseQueueUrl(url);
    const queue = new Queue(address.name, { connection: { host: address.host, port: address.port } });
    expect(await queue.getJobCounts('completed', 'failed', 'active', 'wait')).toEqual({ completed: 3, failed: 0, active: 0, wait: 0 });
    await queue.close();
  });

  it('runs a sweep of spiking DTP experiments through a worker, with the metrics of local runs', async () => {
    const sweepFile = path.join(tmp, 'spiking-sweep.json');
    const tiny = ['training.epochs=1', 'data.trainLimit=300', 'data.validation=200', 'data.testLimit=300', 'network.layers=[20]'];
    const spikingDtp = path.resolve('experiments/mnist-spiking-dtp.json');
    fs.writeFileSync(sweepFile, JSON.stringify({ name: 'sdtp', experiment: path.relative(tmp, spikingDtp), set: tiny, axes: { 'rule.topStep': [0.25, 0.5] } }));
    const local = path.join(tmp, 'sweep-local');
    expect(await apical(['sweep', sweepFile, '--jobs', '2', '--out', local]).ended).toBe(0);
    const worker = apical(['worker', '--queue', redis.url('sweep-test'), '--store', path.join(tmp, 'sweep-store')]);
    workers.push(worker.child);
    const queued = path.join(tmp, 'sweep-queued');
    const coordinator = apical(['sweep', sweepFile, '--queue', redis.url('sweep-test'), '--out', queued]);
    expect(await coordinator.ended).toBe(0);
    for (const cell of ['sdtp-rule.topStep=0.25', 'sdtp-rule.topStep=0.5']) {
      const summary = JSON.parse(fs.readFileSync(path.join(queued, cell, 'summary.json'), 'utf8'));
      expect(summary).toMatchObject({ rule: 'spiking-dtp', epochs_completed: 1 });
      expect(worker.output()).toContain(`${cell}: training into`);
      expect(runMetrics(path.join(queued, cell))).toEqual(runMetrics(path.join(local, cell)));
    }
  });
});
