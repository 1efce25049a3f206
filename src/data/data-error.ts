/** Error raised for any missing or malformed data file. Messages are one line and name the file. */
export class DataError extends Error {
  override name = 'DataError';
  constructor(message: string) {
    super(message);
    Object.setPrototypeOf(this, new.target.prototype);
  }
}

/** The message of a caught error on one line, for a DataError that quotes it. */
export function errorText(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return msg.replace(/\s+/g, ' ').trim();
}
