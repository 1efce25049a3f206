/**
 * Serves a built demo folder (bundle.ts) on 127.0.0.1, cross-origin isolated (COOP: same-origin,
 * COEP: require-corp), so that the page's kernels may run on two threads over shared memory.
 * Text files are sent gzipped to browsers that accept it (plotly.js shrinks from 4.8 MB to 1.5 MB).
 */
import * as fs from 'fs';
import * as http from 'http';
import * as path from 'path';
import * as zlib from 'zlib';
import { DemoAssets } from './protocol';

/** The port is taken, or the server could not start: one line for the user. */
export class DemoServerError extends Error {
  override readonly name = 'DemoServerError';
}

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.bin': 'application/octet-stream',
};

/** The headers that make the page cross-origin isolated. */
export const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
} as const;

/** One file of the folder, read once, with its gzipped bytes. */
interface Served {
  readonly type: string;
  readonly plain: Buffer;
  readonly gzipped: Buffer;
}

/** Serves the demo in `dir` on 127.0.0.1:`port` (0: any free port); resolves with the server and its URL. */
export function serveDemo(dir: string, port: number): Promise<{ server: http.Server; url: string }> {
  const files = new Map<string, Served>();
  for (const name of Object.values(DemoAssets)) {
    const plain = fs.readFileSync(path.join(dir, name));
    files.set(`/${name}`, { type: TYPES[path.extname(name)], plain, gzipped: zlib.gzipSync(plain, { level: 9 }) });
  }
  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const file = files.get(url.pathname === '/' ? `/${DemoAssets.page}` : url.pathname);
    if (!file || (request.method !== 'GET' && request.method !== 'HEAD')) {
      response.writeHead(file ? 405 : 404, { 'Content-Type': 'text/plain', ...ISOLATION_HEADERS }).end(file ? 'GET only\n' : 'not found\n');
      return;
    }
    const gzip = /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''));
    const body = gzip ? file.gzipped : file.plain;
    response.writeHead(200, {
      'Content-Type': file.type,
      'Content-Length': body.length,
      'Cache-Control': 'no-cache',
      Vary: 'Accept-Encoding',
      ...(gzip ? { 'Content-Encoding': 'gzip' } : {}),
      ...ISOLATION_HEADERS,
    });
    response.end(request.method === 'HEAD' ? undefined : body);
  });
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new DemoServerError(
          error.code === 'EADDRINUSE'
            ? `--port ${port}: 127.0.0.1:${port} is already in use; choose another port, or --port 0 for any free one`
            : `cannot serve on 127.0.0.1:${port} (${error.code ?? error.message})`,
        ),
      ),
    );
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      resolve({ server, url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : port}/` });
    });
  });
}
