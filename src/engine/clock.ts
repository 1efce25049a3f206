/**
 * The clock: step numbers as a stream. Steps run synchronously in chunks; between chunks the clock
 * yields to Node's event loop (setImmediate) so progress can be drawn and Ctrl-C heard. This is the
 * only place apical touches scheduling (RxJS 9 drops schedulers, so none is used).
 */
import { Observable } from 'rxjs';

/** Emits 0 … count−1, yielding to the event loop after every `chunk` steps. */
export function ticks(count: number, chunk = 25): Observable<number> {
  return new Observable<number>((subscriber) => {
    let next = 0;
    let handle: NodeJS.Immediate | undefined;
    const run = (): void => {
      const end = Math.min(count, next + chunk);
      while (next < end && !subscriber.closed) subscriber.next(next++);
      if (subscriber.closed) return;
      if (next >= count) subscriber.complete();
      else handle = setImmediate(run);
    };
    handle = setImmediate(run);
    return () => {
      if (handle) clearImmediate(handle);
    };
  });
}
