import { setTimeout as delay } from 'node:timers/promises';
import { LogCursor } from './log-lines.js';
import type { LogLine } from './log-lines.js';
import { buildTrace } from './trace.js';
import type { Trace } from './trace.js';

/** A log the recorder follows: the service's name and the file the environment writes its JSON lines to. */
export interface LogSource {
  readonly service: string;
  readonly logFile: string;
}

/** Options for {@link startRecording}. */
export interface RecordingOptions {
  /** The clock, a parameter so tests can pin the window. @default Date.now */
  now?: () => number;
  /** How often {@link Recording.waitFor} rereads the logs. @default 25 */
  pollMs?: number;
  /**
   * How long services may hold log lines before writing them: the recording waits this long
   * before it starts (so earlier lines land before the window) and before it finishes (so the
   * last lines are in it). The example services flush every 50 ms (pino writing in batches).
   * @default 100
   */
  settleMs?: number;
}

/**
 * A running recording of what the services log: a lifecycle handle, started before a scenario's
 * setup and finished after its checks. Lines are read from where each log ended at the start.
 */
export class Recording {
  private readonly collected: LogLine[] = [];
  private finishedAt: number | undefined;

  constructor(
    readonly scenario: string,
    private readonly cursors: readonly LogCursor[],
    readonly startedAt: number,
    private readonly now: () => number,
    private readonly pollMs: number,
    private readonly settleMs: number,
  ) {}

  /** Every line logged since the start, reading what was appended since the last call. */
  async lines(): Promise<readonly LogLine[]> {
    for (const cursor of this.cursors) this.collected.push(...(await cursor.read()));
    return this.collected;
  }

  /** The lines `service` logged since the start (with `event` only, when given), in log order. */
  async of(service: string, event?: string): Promise<LogLine[]> {
    return (await this.lines()).filter((line) => line.service === service && (event === undefined || line.event === event));
  }

  /** Adds a line that did not come from a log (the scenario client's own record of a call) to the recording. */
  note(line: LogLine): void {
    this.collected.push(line);
  }

  /**
   * Waits until the lines logged so far satisfy `predicate`, or `timeoutMs` passes; returns the lines either way.
   * Needed because a service writes its log line after it answered, and the environment copies it to the file a moment later.
   */
  async waitFor(predicate: (lines: readonly LogLine[]) => boolean, timeoutMs = 2000): Promise<readonly LogLine[]> {
    const deadline = this.now() + timeoutMs;
    for (;;) {
      const lines = await this.lines();
      if (predicate(lines) || this.now() >= deadline) return lines;
      await delay(this.pollMs);
    }
  }

  /** The lines carrying `correlationId`, waiting up to `timeoutMs` until `predicate` holds for them. */
  async forCorrelation(correlationId: string, predicate: (lines: readonly LogLine[]) => boolean = () => true, timeoutMs = 2000): Promise<LogLine[]> {
    const select = (lines: readonly LogLine[]) => lines.filter((line) => line.correlationId === correlationId);
    return select(await this.waitFor((lines) => predicate(select(lines)), timeoutMs));
  }

  /** Stops the window and returns the trace of everything traced in it. */
  async finish(): Promise<Trace> {
    this.finishedAt ??= this.now();
    await delay(this.settleMs);
    const lines = await this.lines();
    return buildTrace(this.scenario, lines, this.startedAt, this.finishedAt);
  }
}

/** Starts recording the given logs for `scenario` (only lines written from now on count). */
export async function startRecording(scenario: string, sources: readonly LogSource[], options: RecordingOptions = {}): Promise<Recording> {
  const now = options.now ?? Date.now;
  const settleMs = options.settleMs ?? 100;
  const cursors = sources.map((source) => new LogCursor(source.logFile, source.service));
  await delay(settleMs);
  for (const cursor of cursors) await cursor.skipToEnd();
  return new Recording(scenario, cursors, now(), now, options.pollMs ?? 25, settleMs);
}

