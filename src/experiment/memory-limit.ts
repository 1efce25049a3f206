/**
 * The memory this process may use, in Node: physical memory, or the container's limit (cgroup v2 or
 * v1) when lower. network-memory.ts checks a spiking network against it.
 *
 * A browser bundle (web/bundle.ts) puts memory-limit-browser.ts in this file's place.
 */
import * as fs from 'fs';
import * as os from 'os';

export function memoryLimit(): number {
  let limit = os.totalmem();
  for (const file of ['/sys/fs/cgroup/memory.max', '/sys/fs/cgroup/memory/memory.limit_in_bytes']) {
    try {
      const value = Number(fs.readFileSync(file, 'utf8').trim());
      if (Number.isFinite(value) && value > 0) limit = Math.min(limit, value);
    } catch {
      // no such limit
    }
  }
  return limit;
}
