import * as fs from 'fs';
import { DataError } from './data-error';

/** The bytes of a data file; a missing or unreadable file is a one-line DataError naming it. */
export function readDataFile(file: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new DataError(code === 'ENOENT' ? `${file}: missing data file (no such file)` : `${file}: cannot read file (${code ?? (error as Error).message})`);
  }
}
