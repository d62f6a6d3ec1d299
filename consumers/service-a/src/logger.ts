import { pino } from 'pino';
import type { DestinationStream, Logger } from 'pino';

/** The name every log line carries in its `service` field, and the X-Source-Service A sends to B. */
export const SERVICE_NAME = 'service-a';

/** Options for {@link createLogger}. */
export interface LoggerOptions {
  /** @default 'info' */
  level?: string;
  /** Where JSON lines go. @default stdout */
  destination?: DestinationStream;
}

/** A pino logger writing JSON lines with `service` on each; request loggers add `correlationId`. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const settings = {
    level: options.level ?? 'info',
    base: { service: SERVICE_NAME },
    timestamp: pino.stdTimeFunctions.isoTime,
    // Defence in depth: no code logs headers, but the token for B must never reach a log file.
    redact: { paths: ['headers.authorization', 'req.headers.authorization', 'token'], censor: '[redacted]' },
  };
  return options.destination ? pino(settings, options.destination) : pino(settings);
}
