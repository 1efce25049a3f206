/**
 * The memory a page may use, in memory-limit.ts's place in a browser bundle (web/bundle.ts): the
 * device's memory as the browser reports it (navigator.deviceMemory, in GB, rounded down and capped
 * by the browser, in windows and workers alike), or no limit where the browser does not say.
 */
export function memoryLimit(): number {
  const gigabytes = (globalThis as { navigator?: { deviceMemory?: number } }).navigator?.deviceMemory;
  return gigabytes ? gigabytes * 2 ** 30 : Infinity;
}
