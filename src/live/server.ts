/**
 * The live view's handle in the main thread: starts the event server in a worker thread
 * (live/worker.ts) and posts it messages. Posting is all the run ever does for the live view, so
 * pages opening, reloading or closing cannot slow or change it.
 */
import * as path from 'path';
import { Worker } from 'worker_threads';

/** The port is taken, or the server could not start. */
export class LiveServerError extends Error {
  override readonly name = 'LiveServerError';
}

export class LiveServer {
  /** Messages sent so far. */
  sent = 0;

  private constructor(
    private readonly worker: Worker,
    readonly url: string,
  ) {}

  /** Serves the live view on 127.0.0.1:`port` (0: any free port). */
  static start(port: number, title: string, history = 2000): Promise<LiveServer> {
    const worker = new Worker(path.join(__dirname, 'worker.js'), { workerData: { port, title, history } });
    return new Promise((resolve, reject) => {
      worker.once('error', reject);
      worker.once('message', (message: { listening?: string; failed?: string }) => {
        if (message.listening) {
          resolve(new LiveServer(worker, message.listening));
          return;
        }
        void worker.terminate();
        reject(
          new LiveServerError(
            message.failed === 'EADDRINUSE'
              ? `--port ${port}: 127.0.0.1:${port} is already in use (another live view?); choose another port, or --port 0 for any free one`
              : `--live: cannot serve on 127.0.0.1:${port} (${message.failed})`,
          ),
        );
      });
    });
  }

  /** Sends `data` as an event of `kind` to every open page (and to pages opened later). */
  send(kind: string, data: unknown): void {
    this.worker.postMessage({ kind, data });
    this.sent++;
  }

  /**
   * Flushes what was sent to the open pages, ends their streams and stops the server; with no page
   * open, first waits up to `graceMs` for one, so a page opened as a short run ends still gets the
   * whole run; `waiting` is called if it waits.
   */
  close(graceMs = 0, waiting: () => void = () => {}): Promise<void> {
    return new Promise((resolve) => {
      this.worker.once('exit', () => resolve());
      this.worker.on('message', (message: { waiting?: boolean }) => {
        if (message.waiting) waiting();
      });
      this.worker.postMessage({ close: graceMs });
    });
  }
}
