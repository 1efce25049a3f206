/**
 * A backend or instruction set that was asked for (APICAL_BACKEND, APICAL_ISA) and cannot be had:
 * a user-facing, one-line error (the CLI prints it without a stack trace and exits non-zero).
 */
export class BackendError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackendError';
  }
}
