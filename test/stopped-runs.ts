/** Runs stopped part way, and a pool that records what it is asked: for the tests of plans that resume (compare, sweep). */
import { Subject } from 'rxjs';
import { Experiment } from '../src/experiment/experiment';
import { JobRunner, RunRequest } from '../src/jobs/job';
import { LocalPool } from '../src/jobs/local-pool';
import { RunSummary } from '../src/report/run-files';
import { runExperiment } from '../src/session/kinds';

/** Runs `experiment` into `out` and stops it, as SIGTERM does, at the end of its first epoch: the folder then holds its checkpoint. */
export async function runStoppedAfterEpoch1(experiment: Experiment, out: string): Promise<RunSummary> {
  const stop$ = new Subject<string>();
  return (await runExperiment(experiment, { out, force: true, stop: stop$, onEvent: (event) => event.kind === 'epoch' && stop$.next('SIGTERM') })) as RunSummary;
}

/** A one-process local pool that records every request it is handed in `asked`. */
export function recordingPool(asked: RunRequest[]): JobRunner {
  const pool = new LocalPool({ jobs: 1 });
  return {
    run(requests) {
      asked.push(...requests);
      return pool.run(requests);
    },
  };
}
