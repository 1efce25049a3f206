/**
 * The part of the WebAssembly JavaScript API that the kernels use. Node provides it globally;
 * TypeScript declares it only in its DOM library, which this project does not load.
 */
declare namespace WebAssembly {
  function compile(bytes: ArrayBuffer): Promise<Module>;
  class Module {
    constructor(bytes: Uint8Array);
  }
  class Instance {
    constructor(module: Module, imports?: Record<string, Record<string, unknown>>);
    readonly exports: Record<string, unknown>;
  }
  class Memory {
    constructor(descriptor: { initial: number; maximum?: number; shared?: boolean });
    readonly buffer: ArrayBuffer;
    /** Adds `pages` pages of 64 KiB; returns the previous size in pages. */
    grow(pages: number): number;
  }
}
