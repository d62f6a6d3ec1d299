import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LogLine } from './log-lines.js';

/** The structured log events that cross a process boundary; everything else in a log is left out of a trace. */
export const TRACED_EVENTS: ReadonlySet<string> = new Set([
  // The scenario's own HTTP client: each call it made (drawn when the service called logs nothing of it).
  'client.call',
  'http.request',
  'http.response',
  'upstream.call',
  'upstream.retry',
  'upstream.exhausted',
  'db.query',
  'cache.hit',
  'cache.miss',
  'cache.invalidate',
  'cache.degraded',
  // A service's own store in Redis skipped: not in the services' required list, but it is traffic to Redis.
  'store.degraded',
  // The stream hops (besides a publish, see isStreamPublish): the worker's handling of an event, the worker giving up on an entry.
  'event.processed',
  'event.dead-lettered',
]);

/**
 * A publish to a stream, whatever the service calls the event: a line with a `stream` and an
 * `eventType` (the publisher's XADD). Traced like the named events.
 */
export function isStreamPublish(line: Readonly<Record<string, unknown>>): boolean {
  return typeof line.stream === 'string' && typeof line.eventType === 'string';
}

/** One recorded event: the log line's fields minus pino's bookkeeping, plus its offset from the recording's start. */
export interface TraceEvent {
  /** Milliseconds since the recording started. */
  readonly t: number;
  readonly service: string;
  readonly event: string;
  readonly [field: string]: unknown;
}

/** The events that share one correlation id, in time order. */
export interface TraceCorrelation {
  readonly correlationId: string;
  readonly events: readonly TraceEvent[];
}

/** What `reports/traces/<scenario>.json` holds: a scenario's cross-service traffic, keyed by correlation id. */
export interface Trace {
  readonly scenario: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  /** Correlations in the order their first event happened. */
  readonly correlations: readonly TraceCorrelation[];
  /** Traced events logged outside any request (e.g. a background Redis warning). */
  readonly uncorrelated: readonly TraceEvent[];
}

// pino's per-line bookkeeping: identical on every line, noise in a trace.
const DROPPED_FIELDS = new Set(['level', 'time', 'pid', 'hostname', 'v', 'correlationId', 'service', 'event']);

/** Builds a trace from log lines: keeps the traced events logged in [startedAt, finishedAt], groups them by correlation id. */
export function buildTrace(scenario: string, lines: readonly LogLine[], startedAt: number, finishedAt: number): Trace {
  const inWindow = lines
    .filter((line) => line.event !== undefined && (TRACED_EVENTS.has(line.event) || isStreamPublish(line)) && line.time >= startedAt && line.time <= finishedAt)
    // Stable sort: lines of one service keep their log order when their milliseconds tie.
    .map((line, index) => ({ line, index }))
    .sort((x, y) => x.line.time - y.line.time || x.index - y.index)
    .map(({ line }) => line);

  const groups = new Map<string, TraceEvent[]>();
  const uncorrelated: TraceEvent[] = [];
  for (const line of inWindow) {
    const event = toEvent(line, startedAt);
    const id = typeof line.correlationId === 'string' && line.correlationId !== '' ? line.correlationId : undefined;
    if (id === undefined) {
      uncorrelated.push(event);
      continue;
    }
    const group = groups.get(id);
    if (group) group.push(event);
    else groups.set(id, [event]);
  }
  return {
    scenario,
    startedAt: new Date(startedAt).toISOString(),
    finishedAt: new Date(finishedAt).toISOString(),
    correlations: [...groups].map(([correlationId, events]) => ({ correlationId, events })),
    uncorrelated,
  };
}

function toEvent(line: LogLine, startedAt: number): TraceEvent {
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(line)) {
    // pino's message repeats the event name on most lines
    if (!DROPPED_FIELDS.has(key) && !(key === 'msg' && value === line.event)) fields[key] = value;
  }
  return { t: line.time - startedAt, service: line.service, event: line.event ?? '', ...fields };
}

/** Writes `<dir>/<scenario>.json` and returns its path. */
export async function writeTrace(trace: Trace, dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  const file = join(dir, `${trace.scenario}.json`);
  await writeFile(file, `${JSON.stringify(trace, null, 2)}\n`);
  return file;
}
