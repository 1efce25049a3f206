/**
 * Writing files so that a crash, a full disk or a vanished folder never leaves a damaged one.
 *
 *  - writeFileAtomic: the bytes go to "<file>.tmp", are flushed (fsync), and the temporary file is
 *    renamed over the old one, then the folder is flushed: a reader sees the old file or the new
 *    one, never a part (rename(2) is atomic within a filesystem).
 *  - appendLine: appends one line; if the write fails half-way (ENOSPC), the file is truncated back
 *    to its old length, so it never ends in a torn line.
 * Any failure becomes a DiskError whose one-line message names the file and the cause.
 */
import * as fs from 'fs';
import * as path from 'path';

/** A file system fault while writing a run: disk full, folder gone, read-only, no permission. */
export class DiskError extends Error {
  override readonly name = 'DiskError';
}

const causes: Record<string, string> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EFBIG: 'file too large (file-size limit)',
  ENOENT: 'the folder no longer exists',
  EROFS: 'read-only file system',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EEXIST: 'exists and is not a folder',
  EIO: 'input/output error',
};

/** The cause of a file system error in words, e.g. "no space left on the device (ENOSPC)". */
export function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  return code ? `${causes[code] ?? (error as Error).message} (${code})` : (error as Error).message;
}

function diskError(what: string, error: unknown): DiskError {
  return new DiskError(`${what}: ${describeFsError(error)}`);
}

function writeAll(fd: number, bytes: Buffer): void {
  for (let at = 0; at < bytes.length; ) at += fs.writeSync(fd, bytes, at, bytes.length - at);
}

/** Flushes a folder's entries (a rename) to disk; not every file system lets a folder be opened. */
function syncFolder(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Some file systems refuse fsync on folders; the rename itself is still atomic.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** Replaces `file` with `data` atomically (see above). */
export function writeFileAtomic(file: string, data: string | Buffer | readonly Buffer[]): void {
  const tmp = `${file}.tmp`;
  let fd: number | undefined;
  try {
    fd = fs.openSync(tmp, 'w');
    const chunks = typeof data === 'string' ? [Buffer.from(data, 'utf8')] : Buffer.isBuffer(data) ? [data] : data;
    for (const chunk of chunks) writeAll(fd, chunk);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;
    fs.renameSync(tmp, file);
  } catch (error) {
    if (fd !== undefined) fs.closeSync(fd);
    fs.rmSync(tmp, { force: true });
    throw diskError(`cannot write ${file}`, error);
  }
  syncFolder(path.dirname(file));
}

/** Appends `line` and a newline to `file`, flushed; on failure the file keeps its old length. */
export function appendLine(file: string, line: string): void {
  let fd: number | undefined;
  let length = 0;
  try {
    fd = fs.openSync(file, 'a');
    length = fs.fstatSync(fd).size;
    writeAll(fd, Buffer.from(line + '\n', 'utf8'));
    fs.fsyncSync(fd);
    fs.closeSync(fd);
  } catch (error) {
    if (fd !== undefined) {
      try {
        fs.ftruncateSync(fd, length);
      } catch {
        // Truncating needs no space; if even that fails the folder is gone.
      }
      fs.closeSync(fd);
    }
    throw diskError(`cannot append to ${file}`, error);
  }
}
