import { open, stat } from 'node:fs/promises';

/** One structured line of a service's pino log. */
export interface LogLine {
  readonly service: string;
  /** Epoch milliseconds (pino's `time`). */
  readonly time: number;
  readonly event?: string;
  readonly correlationId?: string;
  readonly [field: string]: unknown;
}

/**
 * Parses pino JSON lines; lines that are not JSON objects (a stack trace printed by the
 * runtime, a half-written last line) are skipped, because a log is evidence, not input to trust.
 */
export function parseLogLines(text: string, fallbackService = 'unknown'): LogLine[] {
  const lines: LogLine[] = [];
  for (const raw of text.split('\n')) {
    const trimmed = raw.trim();
    if (!trimmed.startsWith('{')) continue;
    let value: unknown;
    try {
      value = JSON.parse(trimmed);
    } catch {
      continue;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) continue;
    const record = value as Record<string, unknown>;
    const time = typeof record.time === 'number' ? record.time : typeof record.time === 'string' ? Date.parse(record.time) : Number.NaN;
    lines.push({
      ...record,
      service: typeof record.service === 'string' ? record.service : fallbackService,
      time: Number.isFinite(time) ? time : 0,
    } as LogLine);
  }
  return lines;
}

/** Reads a log file incrementally: each {@link LogCursor.read} returns the complete lines appended since the last one. */
export class LogCursor {
  private offset = 0;
  // Bytes after the last newline: kept as bytes so a read never splits a UTF-8 character.
  private partial: Buffer = Buffer.alloc(0);

  constructor(
    readonly file: string,
    private readonly service: string,
  ) {}

  /** Skips what the file holds now, so later reads see only new lines. */
  async skipToEnd(): Promise<void> {
    this.offset = await sizeOf(this.file);
    this.partial = Buffer.alloc(0);
  }

  /** The complete lines appended since the last read (a file that shrank, i.e. was rewritten on restart, is read from its start). */
  async read(): Promise<LogLine[]> {
    const size = await sizeOf(this.file);
    if (size < this.offset) {
      this.offset = 0;
      this.partial = Buffer.alloc(0);
    }
    if (size === this.offset) return [];
    const handle = await open(this.file, 'r');
    try {
      const buffer = Buffer.alloc(size - this.offset);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, this.offset);
      this.offset += bytesRead;
      const bytes = Buffer.concat([this.partial, buffer.subarray(0, bytesRead)]);
      const end = bytes.lastIndexOf(0x0a);
      this.partial = end === -1 ? bytes : bytes.subarray(end + 1);
      return end === -1 ? [] : parseLogLines(bytes.subarray(0, end).toString('utf8'), this.service);
    } finally {
      await handle.close();
    }
  }
}

async function sizeOf(file: string): Promise<number> {
  return stat(file).then(
    (info) => info.size,
    () => 0,
  );
}
