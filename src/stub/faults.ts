import { AccordError, ErrorCodes } from '../errors/index.js';

/** The ways the stub can misbehave on purpose, for scenarios. */
export const FAULT_MODES = Object.freeze(['none', 'latency', 'error', 'timeout', 'reset'] as const);

/** One of {@link FAULT_MODES}. */
export type FaultMode = (typeof FAULT_MODES)[number];

/**
 * A fault in force. `latency` answers normally after `delayMs`; `error` answers `status` (the
 * document's example for it when there is one); `timeout` never answers; `reset` destroys the
 * connection. `operations` limits it to some operationIds; `times` ends it after that many requests.
 */
export interface Fault {
  readonly mode: FaultMode;
  /** latency: how long to wait before answering. @default 1000 */
  readonly delayMs: number;
  /** error: the status to answer. @default 503 */
  readonly status: number;
  /** Only these operationIds; empty: every operation. @default [] */
  readonly operations: readonly string[];
  /** How many requests it hits before the stub behaves again; null: until changed. @default null */
  readonly times: number | null;
}

/** No fault: the stub answers from the document. */
export const NO_FAULT: Fault = Object.freeze({ mode: 'none', delayMs: 1000, status: 503, operations: Object.freeze([]), times: null });

/**
 * Reads a fault from what the admin endpoint or the CLI was given (`{"mode":"latency","delayMs":2000}`
 * or just `"reset"`); anything unknown is an {@link AccordError} naming it.
 */
export function parseFault(input: unknown): Fault {
  const value = typeof input === 'string' ? { mode: input } : input;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new AccordError(ErrorCodes.STUB_FAULT_UNKNOWN, `a fault is an object like {"mode":"latency","delayMs":2000}, got ${JSON.stringify(input)}`);
  }
  const raw = value as Record<string, unknown>;
  const known = ['mode', 'delayMs', 'status', 'operations', 'times'];
  const unknownKey = Object.keys(raw).find((key) => !known.includes(key));
  if (unknownKey !== undefined) throw new AccordError(ErrorCodes.STUB_FAULT_UNKNOWN, `unknown fault setting \`${unknownKey}\` (expected ${known.join(', ')})`);
  const mode = raw.mode;
  if (typeof mode !== 'string' || !(FAULT_MODES as readonly string[]).includes(mode)) {
    throw new AccordError(ErrorCodes.STUB_FAULT_UNKNOWN, `unknown fault mode ${JSON.stringify(mode ?? null)}: expected one of ${FAULT_MODES.join(', ')}`);
  }
  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const given = raw[name];
    if (given === undefined) return fallback;
    if (typeof given !== 'number' || !Number.isInteger(given) || given < min || given > max) {
      throw new AccordError(ErrorCodes.STUB_FAULT_UNKNOWN, `fault \`${name}\` must be an integer from ${min} to ${max}, got ${JSON.stringify(given)}`);
    }
    return given;
  };
  const operations = raw.operations ?? [];
  if (!Array.isArray(operations) || !operations.every((item) => typeof item === 'string')) {
    throw new AccordError(ErrorCodes.STUB_FAULT_UNKNOWN, `fault \`operations\` must be a list of operationIds, got ${JSON.stringify(operations)}`);
  }
  return Object.freeze({
    mode: mode as FaultMode,
    delayMs: integer('delayMs', NO_FAULT.delayMs, 0, 600_000),
    status: integer('status', NO_FAULT.status, 500, 599),
    operations: Object.freeze([...operations]),
    times: raw.times === undefined || raw.times === null ? null : integer('times', 1, 1, 1_000_000),
  });
}
