/**
 * An append-only JSON-lines file written synchronously, line by line: memory stays bounded however
 * long the run (nothing queues in a stream's buffer while training holds the event loop).
 */
import * as fs from 'fs';

export class JsonLinesFile {
  private fd: number | null;
  /** Bytes written so far. */
  bytes = 0;

  constructor(readonly file: string) {
    this.fd = fs.openSync(file, 'w');
  }

  write(value: unknown): void {
    if (this.fd === null) throw new Error(`${this.file} is closed`);
    const line = JSON.stringify(value) + '\n';
    this.bytes += fs.writeSync(this.fd, line);
  }

  close(): void {
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = null;
  }
}

/** `value` rounded to 4 significant digits: recorded signals need no more, and lines stay short. */
export function round4(value: number): number {
  return value === 0 || !Number.isFinite(value) ? value : Number(value.toPrecision(4));
}
