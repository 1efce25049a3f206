/**
 * An append-only JSON-lines file written synchronously, line by line: memory stays bounded however
 * long the run (nothing queues in a stream's buffer while training holds the event loop).
 *
 * A resumed run reopens the file as it is and cuts it back to the length its checkpoint recorded
 * (`truncate`), dropping whatever was written after the checkpoint (a line torn by a crash
 * included), so the file ends as the uninterrupted run's does.
 */
import * as fs from 'fs';
import { CheckpointError } from '../state/checkpoint';

export class JsonLinesFile {
  private fd: number | null;
  /** Bytes written so far: the offset of the next line. */
  bytes = 0;

  /** Opens `file` empty, or, with `resume`, as it is (to be cut back by `truncate`). */
  constructor(
    readonly file: string,
    resume = false,
  ) {
    this.fd = fs.openSync(file, resume ? 'r+' : 'w');
  }

  write(value: unknown): void {
    const line = JSON.stringify(value) + '\n';
    this.bytes += fs.writeSync(this.open(), line, this.bytes);
  }

  /** Flushes the file to the disk (before a checkpoint records its length). */
  sync(): void {
    fs.fsyncSync(this.open());
  }

  /** Cuts the file back to its first `bytes` bytes and writes on from there. */
  truncate(bytes: number): void {
    const size = fs.fstatSync(this.open()).size;
    if (size < bytes) throw new CheckpointError(`${this.file} holds ${size} bytes, fewer than the ${bytes} its checkpoint recorded (cut short since)`);
    fs.ftruncateSync(this.open(), bytes);
    this.bytes = bytes;
  }

  close(): void {
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = null;
  }

  private open(): number {
    if (this.fd === null) throw new Error(`${this.file} is closed`);
    return this.fd;
  }
}

/** `value` rounded to 4 significant digits: recorded signals need no more, and lines stay short. */
export function round4(value: number): number {
  return value === 0 || !Number.isFinite(value) ? value : Number(value.toPrecision(4));
}
