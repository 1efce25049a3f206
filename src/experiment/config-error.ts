/** A fault in an experiment file or its overrides: a one-line message naming the file, the field and what was expected. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** What `build` throws, as the fault of the experiment file `file` (a model the code cannot build…). */
export function asConfigError<T>(file: string, build: () => T): T {
  try {
    return build();
  } catch (error) {
    throw new ConfigError(`${file}: ${(error as Error).message}`);
  }
}
