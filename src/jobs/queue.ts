/**
 * Runs through a queue on a Redis server: what the coordinator (`apical compare --queue`, queue-
 * runner.ts) and the workers (`apical worker`, queue-worker.ts) agree on. This file loads nothing of
 * BullMQ or Redis: without `--queue` those are never imported.
 *
 *   --queue redis://[user:password@]host[:port]/name
 *
 * names a BullMQ queue `name` on that server (port 6379 by default). A job is one run: its key
 * ("fa-s2") and the resolved experiment, exactly what `apical run` would train, so a worker needs
 * no experiment files, only the package and MNIST. A job's id is its key and a digest of the
 * experiment: the same run asked again (a restarted comparison) is the same job, a different one
 * never collides. The job's result is the run's summary and metrics; its weights stay in the
 * worker's store.
 */
import { createHash } from 'crypto';
import { EpochRecord } from '../engine/trainer';
import { Experiment } from '../experiment/experiment';
import { RunSummary } from '../report/run-files';

export interface QueueAddress {
  readonly host: string;
  readonly port: number;
  readonly username?: string;
  readonly password?: string;
  /** The BullMQ queue's name. */
  readonly name: string;
}

/** A --queue value that is not a usable address. */
export class QueueUrlError extends Error {
  override readonly name = 'QueueUrlError';
}

/** Parses `redis://[user:password@]host[:port]/name`. */
export function parseQueueUrl(text: string): QueueAddress {
  const bad = (why: string): QueueUrlError => new QueueUrlError(`--queue ${text}: ${why} (expected redis://host:port/name)`);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw bad('not a URL');
  }
  if (url.protocol !== 'redis:') throw bad(`the scheme must be redis://, not ${url.protocol}//`);
  if (!url.hostname) throw bad('no host');
  const name = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!/^[A-Za-z0-9._-]+$/.test(name)) throw bad(name ? `queue name "${name}" may only use letters, digits, ".", "_" and "-"` : 'no queue name');
  const port = url.port ? Number(url.port) : 6379;
  return {
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port,
    ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
    ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
    name,
  };
}

/** What a job carries to a worker. */
export interface RunJob {
  readonly key: string;
  readonly experiment: Experiment;
}

/** What a worker sends back for a finished run. */
export interface RunResult {
  readonly summary: RunSummary;
  readonly metrics: readonly EpochRecord[];
  readonly config: unknown;
  /** Where the run folder (weights included) is: host name and path. */
  readonly host: string;
  readonly dir: string;
}

/** The job id of `job`: its key and a digest of its experiment. */
export function jobId(job: RunJob): string {
  return `${job.key}-${createHash('sha256').update(JSON.stringify(job.experiment)).digest('hex').slice(0, 16)}`;
}
