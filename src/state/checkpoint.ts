/**
 * Checkpoints: a state registry (registry.ts) as one self-checking binary file.
 *
 * Layout (little-endian):
 *   "APICALCP"                 8 bytes, magic
 *   format version             uint32 (1)
 *   header length H            uint32
 *   header                     H bytes of UTF-8 JSON: { meta, values, arrays: [{ name, dtype,
 *                              length, offset }], payloadBytes, sha256 }
 *   zero padding               to a multiple of 8 bytes
 *   payload                    every array's bytes at its offset (each 8-byte aligned)
 * The SHA-256 of the payload makes a damaged or truncated file an error, never a silent restore.
 *
 * Restoring is strict: the registry being restored into (a freshly built run of the same
 * experiment) must hold exactly the names, types and lengths the checkpoint holds; anything else
 * means the code or the experiment changed, and resuming would not be the same run.
 */
import { createHash } from 'crypto';
import { StateArray, StateRegistry } from './registry';

const MAGIC = 'APICALCP';
const VERSION = 1;

const dtypes = {
  float32: Float32Array,
  float64: Float64Array,
  int32: Int32Array,
  uint32: Uint32Array,
  uint8: Uint8Array,
} as const;
type Dtype = keyof typeof dtypes;

function dtypeOf(data: StateArray): Dtype {
  for (const [name, kind] of Object.entries(dtypes)) if (data instanceof kind) return name as Dtype;
  throw new Error('unsupported state array type');
}

interface ArrayRecord {
  readonly name: string;
  readonly dtype: Dtype;
  readonly length: number;
  readonly offset: number;
}

interface Header {
  readonly meta: Record<string, unknown>;
  readonly values: Record<string, unknown>;
  readonly arrays: readonly ArrayRecord[];
  readonly payloadBytes: number;
  readonly sha256: string;
}

/** A checkpoint read back: the run's own metadata and the state to restore. */
export interface Checkpoint {
  readonly meta: Record<string, unknown>;
  readonly values: Readonly<Record<string, unknown>>;
  readonly arrays: ReadonlyMap<string, StateArray>;
}

/** A file that is not a usable checkpoint, or one that does not fit the run. */
export class CheckpointError extends Error {
  override readonly name = 'CheckpointError';
}

const align8 = (n: number): number => Math.ceil(n / 8) * 8;

/** The registry's current state, with `meta` (the caller's own fields), as the bytes of a checkpoint. */
export function encodeCheckpoint(registry: StateRegistry, meta: Record<string, unknown>): Buffer[] {
  const arrays: ArrayRecord[] = [];
  const chunks: Buffer[] = [];
  let offset = 0;
  const hash = createHash('sha256');
  for (const { name, data } of registry.arrays()) {
    const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    const padding = Buffer.alloc(align8(bytes.length) - bytes.length);
    arrays.push({ name, dtype: dtypeOf(data), length: data.length, offset });
    chunks.push(bytes, padding);
    hash.update(bytes).update(padding);
    offset += bytes.length + padding.length;
  }
  const values = Object.fromEntries(registry.values().map((v) => [v.name, v.save()]));
  const header: Header = { meta, values, arrays, payloadBytes: offset, sha256: hash.digest('hex') };
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const prefix = Buffer.alloc(align8(16 + json.length));
  prefix.write(MAGIC, 0, 'latin1');
  prefix.writeUInt32LE(VERSION, 8);
  prefix.writeUInt32LE(json.length, 12);
  json.copy(prefix, 16);
  return [prefix, ...chunks];
}

/** Parses and verifies a checkpoint file's bytes; `file` names it in errors. */
export function decodeCheckpoint(bytes: Buffer, file: string): Checkpoint {
  if (bytes.length < 16 || bytes.toString('latin1', 0, 8) !== MAGIC) throw new CheckpointError(`${file}: not an apical checkpoint`);
  const version = bytes.readUInt32LE(8);
  if (version !== VERSION) throw new CheckpointError(`${file}: checkpoint format ${version}, this apical reads format ${VERSION}`);
  const headerLength = bytes.readUInt32LE(12);
  let header: Header;
  try {
    header = JSON.parse(bytes.toString('utf8', 16, 16 + headerLength)) as Header;
  } catch {
    throw new CheckpointError(`${file}: damaged checkpoint header`);
  }
  const start = align8(16 + headerLength);
  if (bytes.length !== start + header.payloadBytes) {
    throw new CheckpointError(`${file}: checkpoint is ${bytes.length} bytes, expected ${start + header.payloadBytes} (truncated?)`);
  }
  const payload = bytes.subarray(start);
  if (createHash('sha256').update(payload).digest('hex') !== header.sha256) throw new CheckpointError(`${file}: checkpoint checksum does not match (damaged file)`);
  const arrays = new Map<string, StateArray>();
  for (const { name, dtype, length, offset } of header.arrays) {
    const kind = dtypes[dtype];
    // Copy into a fresh, aligned buffer: the file's bytes need not be aligned for the typed array.
    const copy = new Uint8Array(length * kind.BYTES_PER_ELEMENT);
    copy.set(payload.subarray(offset, offset + copy.length));
    arrays.set(name, new kind(copy.buffer));
  }
  return { meta: header.meta, values: header.values, arrays };
}

/** Puts `checkpoint`'s state into `registry`, in place; they must hold exactly the same entries. */
export function restoreCheckpoint(registry: StateRegistry, checkpoint: Checkpoint, file: string): void {
  const registered = registry.arrays();
  for (const { name, data } of registered) {
    const saved = checkpoint.arrays.get(name);
    if (!saved) throw new CheckpointError(`${file}: checkpoint has no "${name}", which this run has (different code or experiment?)`);
    if (dtypeOf(saved) !== dtypeOf(data) || saved.length !== data.length) {
      throw new CheckpointError(`${file}: "${name}" is ${dtypeOf(saved)}[${saved.length}] in the checkpoint, ${dtypeOf(data)}[${data.length}] in this run`);
    }
  }
  const names = new Set(registered.map((entry) => entry.name));
  const extra = [...checkpoint.arrays.keys()].find((name) => !names.has(name));
  if (extra) throw new CheckpointError(`${file}: checkpoint holds "${extra}", which this run does not have (different code or experiment?)`);
  for (const value of registry.values()) {
    if (!(value.name in checkpoint.values)) throw new CheckpointError(`${file}: checkpoint has no "${value.name}"`);
  }
  // Values first: loading one may swap a component's buffers (an optimiser switched on), which the
  // arrays then fill.
  for (const value of registry.values()) value.load(checkpoint.values[value.name]);
  for (const { name, data } of registry.arrays()) data.set(checkpoint.arrays.get(name)! as never);
}
