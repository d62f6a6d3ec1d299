import type { ErrorCode } from './codes.js';

export interface AccordErrorOptions {
  /** The underlying error, for programmatic callers (the CLI prints only the message and details). */
  cause?: unknown;
  /** Extra lines shown under the message (e.g. the tail of a log). */
  details?: string;
}

/**
 * A user-facing error: bad input, a missing tool, an unreachable dependency.
 * The CLI prints `message` (and `details`) without a stack trace and exits 2.
 */
export class AccordError extends Error {
  override readonly name = 'AccordError';
  readonly code: ErrorCode;
  readonly details: string | undefined;

  constructor(code: ErrorCode, message: string, options: AccordErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.details = options.details;
  }
}

/** True when `error` is an {@link AccordError}, optionally with the given code. */
export function isAccordError(error: unknown, code?: ErrorCode): error is AccordError {
  return error instanceof AccordError && (code === undefined || error.code === code);
}
