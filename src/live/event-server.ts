/**
 * The live view's HTTP server: a page and a server-sent-event stream on 127.0.0.1 only (never
 * another interface). Every message is also kept (bounded: the last `history` of each kind) and
 * replayed to a page that connects late or reloads, so closing, reloading or opening many pages
 * never touches the run. It runs in its own worker thread (live/worker.ts), so pages are served
 * while training holds the main thread.
 *
 *   GET /               the live page (live/page.ts)
 *   GET /plotly.min.js  the plotly bundle of this installation
 *   GET /events         text/event-stream: `event: <kind>` + `data: <json>` per message
 */
import * as http from 'http';
import { plotlyBundle } from '../report/page';
import { livePage } from './page';

export class EventServer {
  private readonly clients = new Set<http.ServerResponse>();
  /** Replayed to every page that connects: kind → its messages so far (bounded). */
  private readonly kept = new Map<string, string[]>();
  readonly server: http.Server;

  constructor(
    private readonly title: string,
    private readonly history: number,
  ) {
    this.server = http.createServer((request, response) => this.handle(request, response));
  }

  /** Listens on 127.0.0.1:`port` (0: any free port); resolves with the URL. */
  listen(port: number): Promise<string> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => resolve(`http://127.0.0.1:${(this.server.address() as { port: number }).port}/`));
    });
  }

  private handle(request: http.IncomingMessage, response: http.ServerResponse): void {
    const url = (request.url ?? '/').split('?')[0];
    if (url === '/') {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      response.end(livePage(this.title));
    } else if (url === '/plotly.min.js') {
      response.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'max-age=3600' });
      response.end(plotlyBundle());
    } else if (url === '/events') {
      response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
      response.write('retry: 1000\n\n');
      for (const lines of this.kept.values()) for (const line of lines) response.write(line);
      this.clients.add(response);
      request.on('close', () => this.clients.delete(response));
      this.onConnect?.();
      this.onConnect = null;
    } else if (url === '/favicon.ico') {
      response.writeHead(204).end();
    } else {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
    }
  }

  /** Sends `data` as an event of `kind` to every open page, and keeps it for pages to come. */
  send(kind: string, data: unknown): void {
    const line = `event: ${kind}\ndata: ${JSON.stringify(data)}\n\n`;
    const kept = this.kept.get(kind) ?? [];
    kept.push(line);
    if (kept.length > this.history) kept.shift();
    this.kept.set(kind, kept);
    for (const client of this.clients) client.write(line);
  }

  /**
   * Ends the stream once a page has it whole, then stops listening. A page open now has everything
   * already; if none is, the server waits up to `graceMs` for one to connect (a run can end before
   * the page the user just opened has asked for its events) and replays it the kept messages;
   * `waiting` is called when it starts to wait.
   */
  async finish(graceMs: number, waiting: () => void = () => {}): Promise<void> {
    if (this.clients.size === 0 && graceMs > 0) {
      waiting();
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, graceMs);
        this.onConnect = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    await this.close();
  }

  /** Called once when a page next opens the event stream (finish's wait). */
  private onConnect: (() => void) | null = null;

  /** Ends every page's stream (after what was sent has gone out) and stops listening. */
  async close(): Promise<void> {
    await Promise.all([...this.clients].map((client) => new Promise<void>((resolve) => client.end(resolve))));
    this.clients.clear();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeIdleConnections();
    });
  }
}
