/**
 * Records every spike of a population as (step, index) pairs, in arrival order (steps ascending,
 * indices ascending within a step). Kept in memory in doubling typed arrays, or, for long runs,
 * streamed to two files as it goes (see monitor-files.ts for the format). Recording only reads the
 * spike events: it never changes the simulation.
 */
import * as fs from 'fs';
import { Subscription } from 'rxjs';
import { NeuronGroup } from '../network/neuron-group';

export class SpikeMonitor {
  readonly kind = 'spikes';
  private steps = new Uint32Array(1024);
  private indices = new Uint32Array(1024);
  private length = 0;
  /** Spikes recorded so far, including those already streamed out. */
  count = 0;
  private readonly subscription: Subscription;
  private readonly files: { step: number; index: number } | null;

  /** `stream`: file stem to stream to (`<stem>.step.u32`, `<stem>.index.u32`), or null to keep in memory. */
  constructor(readonly name: string, readonly group: NeuronGroup, readonly stream: string | null = null) {
    this.files = stream ? { step: fs.openSync(`${stream}.step.u32`, 'w'), index: fs.openSync(`${stream}.index.u32`, 'w') } : null;
    this.subscription = group.spikes$.subscribe(({ step, indices }) => {
      const n = indices.length;
      if (n === 0) return;
      if (this.length + n > this.steps.length) this.makeRoom(n);
      this.steps.fill(step, this.length, this.length + n);
      this.indices.set(indices, this.length);
      this.length += n;
      this.count += n;
    });
  }

  private makeRoom(n: number): void {
    if (this.files) {
      this.flush();
      if (n <= this.steps.length) return;
    }
    let size = this.steps.length;
    while (size < this.length + n) size *= 2;
    const steps = new Uint32Array(size);
    const indices = new Uint32Array(size);
    steps.set(this.steps.subarray(0, this.length));
    indices.set(this.indices.subarray(0, this.length));
    this.steps = steps;
    this.indices = indices;
  }

  /** Writes buffered spikes to the stream files (no-op in memory). */
  flush(): void {
    if (!this.files) return;
    const write = (fd: number, a: Uint32Array): void => void fs.writeSync(fd, new Uint8Array(a.buffer, 0, this.length * 4));
    write(this.files.step, this.steps);
    write(this.files.index, this.indices);
    this.length = 0;
  }

  /** The spikes kept in memory (all of them unless streaming). */
  spikes(): { readonly steps: Uint32Array; readonly indices: Uint32Array } {
    return { steps: this.steps.subarray(0, this.length), indices: this.indices.subarray(0, this.length) };
  }

  /** Stops recording; a streaming monitor flushes and closes its files. */
  close(): void {
    this.subscription.unsubscribe();
    if (this.files) {
      this.flush();
      fs.closeSync(this.files.step);
      fs.closeSync(this.files.index);
    }
  }
}
