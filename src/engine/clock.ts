/**
 * The clock: step numbers as a stream. Steps run synchronously in chunks; between chunks the clock
 * yields to the event loop (Node's setImmediate; a browser, which has none, a zero timeout) so
 * progress can be drawn and Ctrl-C heard. This is the only place apical touches scheduling
 * (RxJS 9 drops schedulers, so none is used).
 */
import { Observable } from 'rxjs';

/** Runs `task` once the event loop has had its turn; returns how to cancel it. */
function afterEventLoop(task: () => void): () => void {
  if (typeof setImmediate === 'function') {
    const handle = setImmediate(task);
    return () => clearImmediate(handle);
  }
  const handle = setTimeout(task, 0);
  return () => clearTimeout(handle);
}

/** Emits 0 … count−1, yielding to the event loop after every `chunk` steps. */
export function ticks(count: number, chunk = 25): Observable<number> {
  return new Observable<number>((subscriber) => {
    let next = 0;
    let cancel: (() => void) | undefined;
    const run = (): void => {
      const end = Math.min(count, next + chunk);
      while (next < end && !subscriber.closed) subscriber.next(next++);
      if (subscriber.closed) return;
      if (next >= count) subscriber.complete();
      else cancel = afterEventLoop(run);
    };
    cancel = afterEventLoop(run);
    return () => cancel?.();
  });
}
