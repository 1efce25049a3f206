/**
 * The JobRunner that sends runs to a BullMQ queue on Redis instead of local processes (queue.ts
 * says how jobs look). Any number of `apical worker --queue …` processes, on any machines, take
 * them; each finished run's summary and metrics come back through the queue and are written into
 * the run's local folder (config.json, metrics.jsonl, summary.json naming the worker's folder),
 * so `apical compare` skips, tabulates and reports them exactly as it does local runs.
 *
 * A worker killed mid-run holds its job's lock until the lock expires; BullMQ's stalled-job check
 * (run by the other workers) then puts the job back in the queue and another worker resumes it from
 * the last checkpoint in its store. A job that fails (an error in the run) is a failed outcome; one
 * left failed by an earlier comparison is retried.
 */
import * as os from 'os';
import { Job, Queue, QueueEvents } from 'bullmq';
import { loadExperiment } from '../experiment/experiment';
import { RunDirectory } from '../session/run-directory';
import { JobRunner, RunOutcome, RunRequest } from './job';
import { jobId, QueueAddress, RunJob, RunResult } from './queue';

/** The connection options BullMQ passes to ioredis. */
export function connection(address: QueueAddress): { host: string; port: number; username?: string; password?: string; maxRetriesPerRequest: null } {
  const { host, port, username, password } = address;
  return { host, port, username, password, maxRetriesPerRequest: null };
}

export class QueueRunner implements JobRunner {
  constructor(
    private readonly address: QueueAddress,
    private readonly log: (line: string) => void = () => undefined,
  ) {}

  async *run(requests: readonly RunRequest[]): AsyncIterable<RunOutcome> {
    const queue = new Queue<RunJob, RunResult>(this.address.name, { connection: connection(this.address) });
    const events = new QueueEvents(this.address.name, { connection: connection(this.address) });
    try {
      await events.waitUntilReady();
      const planned = requests.map((request) => {
        const experiment = loadExperiment(request.experiment, {
          seed: request.seed,
          epochs: request.epochs,
          trainLimit: request.trainLimit,
          dataDir: request.dataDir,
          set: request.set,
        });
        const job: RunJob = { key: request.key, experiment };
        return { request, job, id: jobId(job) };
      });
      const jobs = await queue.addBulk(
        planned.map(({ job, id }) => ({ name: 'run', data: job, opts: { jobId: id, attempts: 1, removeOnComplete: false, removeOnFail: false } })),
      );
      this.log(`queue ${this.address.name} on ${this.address.host}:${this.address.port}: ${jobs.length} runs queued; start workers with apical worker --queue`);
      const pending = new Map<string, Promise<RunOutcome>>();
      for (const [i, job] of jobs.entries()) {
        if (await job.isFailed()) await job.retry('failed');
        pending.set(planned[i].id, this.settle(job, events, planned[i].request));
      }
      while (pending.size > 0) {
        const outcome = await Promise.race(pending.values());
        pending.delete(planned.find((p) => p.request === outcome.request)!.id);
        yield outcome;
      }
    } finally {
      await events.close();
      await queue.close();
    }
  }

  /** Waits for `job` to end; a finished run is written into its local folder. */
  private async settle(job: Job<RunJob, RunResult>, events: QueueEvents, request: RunRequest): Promise<RunOutcome> {
    let result: RunResult;
    try {
      result = await job.waitUntilFinished(events);
    } catch (error) {
      return { request, status: 'failed', error: (error as Error).message };
    }
    const run = RunDirectory.create(request.out, true);
    const summary = { ...result.summary, worker: { host: result.host, dir: result.dir, coordinator: os.hostname() } };
    try {
      run.writeJson('config.json', result.config);
      for (const record of result.metrics) run.appendMetrics(record);
      run.writeJson('summary.json', summary);
    } finally {
      run.close();
    }
    return { request, status: 'finished', summary };
  }
}
