/**
 * `npm run demo [-- --port N] [-- --out DIR]`: builds the demo page (bundle.ts) into DIR (default
 * dist/demo) and serves it on 127.0.0.1:N (default 8080; 0: any free port) until stopped. Mistakes
 * (an unknown flag, a bad port, a port in use) are one line and exit status 2 or 1.
 */
import * as path from 'path';
import { packageRoot } from '../kernels/native';
import { buildDemo } from './bundle';
import { DemoServerError, serveDemo } from './serve';

const USAGE = 'usage: npm run demo -- [--port N] [--out DIR]';

/** The flags of `argv`, or a one-line complaint. */
export function demoOptions(argv: readonly string[]): { port: number; out: string } | string {
  const options = { port: 8080, out: path.join(packageRoot(), 'dist', 'demo') };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (flag !== '--port' && flag !== '--out') return `unknown option ${flag}; ${USAGE}`;
    if (value === undefined) return `${flag} needs a value; ${USAGE}`;
    if (flag === '--out') options.out = path.resolve(value);
    else if (!/^\d+$/.test(value) || Number(value) > 65535) return `--port ${value}: expected a port number 0..65535`;
    else options.port = Number(value);
  }
  return options;
}

async function main(): Promise<void> {
  const options = demoOptions(process.argv.slice(2));
  if (typeof options === 'string') {
    process.stderr.write(`apical demo: ${options}\n`);
    process.exit(2);
  }
  const sizes = await buildDemo(options.out);
  const total = Object.values(sizes).reduce((sum, bytes) => sum + bytes, 0);
  process.stdout.write(`demo built in ${options.out} (${(total / 1e6).toFixed(1)} MB before compression)\n`);
  const { url } = await serveDemo(options.out, options.port);
  process.stdout.write(`demo: ${url} (Ctrl-C stops it)\n`);
}

main().catch((error: Error) => {
  process.stderr.write(`apical demo: ${error instanceof DemoServerError ? error.message : error.message.split('\n')[0]}\n`);
  process.exit(1);
});
