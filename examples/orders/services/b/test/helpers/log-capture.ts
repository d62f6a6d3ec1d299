import type { DestinationStream, Logger } from 'pino';

/** One parsed JSON log line. */
export type LogLine = Record<string, unknown> & { level: number; service: string; event?: string; correlationId?: string };

/** A logger whose lines are kept in memory, parsed, for assertions on events. */
export interface CapturedLogs {
  logger: Logger;
  lines: LogLine[];
  /** The lines whose `event` is `name`. */
  events(name: string): LogLine[];
  clear(): void;
}

/** Builds a service's own logger (its `createLogger`) writing into memory instead of stdout. */
export function captureLogs(createLogger: (options: { level: string; destination: DestinationStream }) => Logger): CapturedLogs {
  const lines: LogLine[] = [];
  const logger = createLogger({ level: 'info', destination: { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) } });
  return {
    logger,
    lines,
    events: (name) => lines.filter((line) => line.event === name),
    clear: () => void lines.splice(0),
  };
}
