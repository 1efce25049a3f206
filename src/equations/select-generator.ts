/**
 * The spiking loops' backend in Node: compiled C++ (cpp.ts, through g++ and the native addon) when
 * both are present, else generated JavaScript (javascript.ts), the reference.
 * APICAL_SPIKING_BACKEND=javascript|native forces one; without it a missing compiler or addon falls
 * back to JavaScript with one line on stderr saying why.
 *
 * A browser bundle (web/bundle.ts) puts select-generator-browser.ts in this file's place.
 */
import { BackendError } from '../kernels/backend-error';
import { nativeCompiler } from './compiler';
import { cppGenerator } from './cpp';
import { CodeGenerator } from './generator';
import { javascriptGenerator } from './javascript';

const SPIKING_BACKENDS = ['javascript', 'native'] as const;

let chosen: { readonly forced: string | undefined; readonly generator: CodeGenerator } | undefined;

/** The backend this process generates its loops with (see the file comment). */
export function selectGenerator(): CodeGenerator {
  const forced = process.env.APICAL_SPIKING_BACKEND || undefined;
  if (chosen && chosen.forced === forced) return chosen.generator;
  if (forced !== undefined && !(SPIKING_BACKENDS as readonly string[]).includes(forced)) {
    throw new BackendError(`APICAL_SPIKING_BACKEND must be one of ${SPIKING_BACKENDS.join(', ')}; got "${forced}"`);
  }
  let generator = javascriptGenerator;
  if (forced !== 'javascript') {
    const compiler = nativeCompiler();
    if (typeof compiler !== 'string') generator = cppGenerator(compiler);
    else if (forced === 'native') throw new BackendError(`APICAL_SPIKING_BACKEND=native is not available: ${compiler}`);
    else process.stderr.write(`apical: spiking loops run as JavaScript: ${compiler}\n`);
  }
  chosen = { forced, generator };
  return generator;
}
