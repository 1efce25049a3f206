/**
 * The live view's worker thread: runs the event server (live/event-server.ts) with its own event
 * loop, so pages load and events flow while training keeps the main thread busy. Messages from
 * the main thread: { kind, data } to send, { close: graceMs } to finish (event-server's `finish`).
 */
import { parentPort, workerData } from 'worker_threads';
import { EventServer } from './event-server';

const { port, title, history } = workerData as { port: number; title: string; history: number };
const server = new EventServer(title, history);
server.listen(port).then(
  (url) => parentPort!.postMessage({ listening: url }),
  (error: NodeJS.ErrnoException) => parentPort!.postMessage({ failed: error.code ?? error.message }),
);
parentPort!.on('message', (message: { kind?: string; data?: unknown; close?: number }) => {
  if (message.close !== undefined) void server.finish(message.close, () => parentPort!.postMessage({ waiting: true })).then(() => parentPort!.close());
  else server.send(message.kind!, message.data);
});
