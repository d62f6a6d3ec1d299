/** Process exit codes of the `accord` CLI. */
export const ExitCodes = {
  /** Every gate passed. */
  OK: 0,
  /** A gate said no (a result with `ok: false`). */
  GATE_FAILED: 1,
  /** Bad input or usage: one clear line, no stack trace. */
  USAGE: 2,
  /** Internal error: a bug; the stack trace is printed. */
  INTERNAL: 70,
} as const;
