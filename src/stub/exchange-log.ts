import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** How the stub came to its answer. */
export type ExchangeOutcome = 'example' | 'rejected' | 'not-found' | 'fault';

/** One request the stub got and what it did, as a line of the recording. */
export interface Exchange {
  readonly time: string;
  /** The contract the stub served, as it was given (so a recording can be checked on its own). */
  readonly contract: string;
  /** The operationId it routed to, or null. */
  readonly operation: string | null;
  readonly request: {
    readonly method: string;
    readonly path: string;
    readonly query: Record<string, string | string[]>;
    readonly headers: Record<string, string>;
    readonly body: unknown;
  };
  /** null when no answer was sent (a timeout or reset fault). */
  readonly response: { readonly status: number; readonly headers: Record<string, string>; readonly body: unknown } | null;
  readonly outcome: ExchangeOutcome;
  /** The fault mode that shaped the answer, when one did. */
  readonly fault?: string;
  readonly durationMs: number;
}

/** Keeps exchanges in memory (the last `limit`) and, when given a file, as JSON lines. */
export interface ExchangeLog {
  add(exchange: Exchange): void;
  list(): readonly Exchange[];
  clear(): void;
  /** Writes what is pending; called on stop. */
  flush(): void;
  close(): void;
}

/** How often a recording gets its pending lines: a reader that waits longer sees every exchange answered before it began. */
// Lines are written in batches: one append per request would cost a system call each at 500/s.
export const RECORDING_FLUSH_MS = 50;

/** Opens the exchange log; `file` is truncated first so one run's recording stands alone. */
export function createExchangeLog(file: string | undefined, limit = 10_000): ExchangeLog {
  // A ring of the last `limit`: dropping the oldest with splice moved 10,000 entries on every request once full.
  let kept: Exchange[] = [];
  let next = 0;
  let pending: string[] = [];
  if (file !== undefined) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, '');
  }
  const flush = () => {
    if (file === undefined || pending.length === 0) return;
    const text = pending.join('');
    pending = [];
    appendFileSync(file, text);
  };
  const timer = file === undefined ? undefined : setInterval(flush, RECORDING_FLUSH_MS);
  timer?.unref();
  return {
    add(exchange) {
      if (kept.length < limit) kept.push(exchange);
      else kept[next] = exchange;
      next = (next + 1) % limit;
      if (file !== undefined) pending.push(`${JSON.stringify(exchange)}\n`);
    },
    list: () => (kept.length < limit ? kept : [...kept.slice(next), ...kept.slice(0, next)]),
    clear() {
      kept = [];
      next = 0;
    },
    flush,
    close() {
      if (timer !== undefined) clearInterval(timer);
      flush();
    },
  };
}
