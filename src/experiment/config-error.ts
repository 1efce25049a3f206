/** A fault in an experiment file or its overrides: a one-line message naming the file, the field and what was expected. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}
