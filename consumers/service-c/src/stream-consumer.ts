import { setTimeout as delay } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { DecodedEntry } from './order-event.js';

/** What the consumer does with one decoded entry; throws to have it delivered again. */
export type EntryProcessor = (decoded: Extract<DecodedEntry, { ok: true }>, streamId: string) => Promise<'applied' | 'duplicate'>;

/** Settings of {@link startStreamConsumer}. */
export interface StreamConsumerOptions {
  stream: string;
  group: string;
  consumer: string;
  deadLetterStream: string;
  maxDeliveries: number;
  claimIdleMs: number;
  batchSize: number;
  blockMs: number;
  /** False only in tests that prove a stalled stream is noticed. @default true */
  deadLetter?: boolean;
  /** Decodes an entry's fields; decoding failures are dead-lettered at once. */
  decode: (fields: Record<string, string>) => DecodedEntry;
  process: EntryProcessor;
  /** True when an error means a dependency is down: wait and retry without counting a delivery. */
  isOutage: (error: unknown) => boolean;
  logger: Logger;
}

/** Counts since start, for /health and the logs. */
export interface ConsumerStats {
  applied: number;
  duplicates: number;
  deadLettered: number;
  failures: number;
  /** XADD-to-commit lag of the last applied event, in ms. */
  lastLagMs: number | null;
  /** True while a dependency outage holds processing. */
  waitingForDependency: boolean;
}

/** A running consumer loop. */
export interface StartedStreamConsumer {
  readonly stats: Readonly<ConsumerStats>;
  /** Finishes the entry in hand, stops reading, resolves when the loop has ended. */
  stop(): Promise<void>;
}

type Entry = [id: string, fields: string[] | null];
const OUTAGE_BACKOFF_MS = [100, 200, 500, 1000, 2000];

/**
 * Reads `stream` in a consumer group (XREADGROUP) and acknowledges each entry (XACK) once its effect
 * is committed. Entries are handled one at a time, in stream order: a failing entry is delivered
 * again (XCLAIM, which counts deliveries in Redis, so the count survives restarts) until
 * `maxDeliveries`, then moved to the dead-letter stream with the reason. On start it first takes
 * back its own pending entries (a crash left them unacknowledged), and it periodically claims
 * entries other consumers left idle longer than `claimIdleMs` (XAUTOCLAIM).
 * `reader` blocks in XREADGROUP, so it must be a connection of its own.
 */
export async function startStreamConsumer(redis: Redis, reader: Redis, options: StreamConsumerOptions): Promise<StartedStreamConsumer> {
  const o = { deadLetter: true, ...options };
  const stats: ConsumerStats = { applied: 0, duplicates: 0, deadLettered: 0, failures: 0, lastLagMs: null, waitingForDependency: false };
  let stopped = false;
  const ac = new AbortController();
  const sleep = (ms: number) => delay(ms, undefined, { signal: ac.signal }).catch(() => undefined);

  const ensureGroup = () =>
    redis.xgroup('CREATE', o.stream, o.group, '0', 'MKSTREAM').catch((error: Error) => {
      // The group outlives C: its position is where a restarted C resumes.
      if (!error.message.startsWith('BUSYGROUP')) throw error;
    });
  await ensureGroup();

  const deliveries = async (id: string): Promise<number> => {
    const rows = (await redis.xpending(o.stream, o.group, id, id, 1)) as Array<[string, string, number, number]>;
    return rows[0]?.[3] ?? 0;
  };

  const deadLetter = async (id: string, fields: string[], reason: string, delivered: number) => {
    // Moved and acknowledged at once: the entry is never in both streams' hands, nor in neither.
    await redis
      .multi()
      .xadd(o.deadLetterStream, 'MAXLEN', '~', 100_000, '*', 'sourceStream', o.stream, 'sourceId', id, 'reason', reason, 'deliveries', String(delivered), ...fields)
      .xack(o.stream, o.group, id)
      .exec();
    stats.deadLettered += 1;
    o.logger.warn({ event: 'event.dead-lettered', streamId: id, reason, deliveries: delivered, deadLetterStream: o.deadLetterStream }, 'event moved to the dead-letter stream');
  };

  const handle = async ([id, list]: Entry): Promise<void> => {
    if (list === null) {
      // Trimmed from the stream while pending: nothing left to process.
      await redis.xack(o.stream, o.group, id);
      return;
    }
    const fields = Object.fromEntries(Array.from({ length: list.length / 2 }, (_, i) => [list[2 * i], list[2 * i + 1]])) as Record<string, string>;
    const decoded = o.decode(fields);
    let outage = 0;
    while (!stopped) {
      let reason: string;
      try {
        if (!decoded.ok) throw new PermanentFailure(decoded.reason);
        const outcome = await o.process(decoded, id);
        await redis.xack(o.stream, o.group, id);
        if (outcome === 'applied') {
          stats.applied += 1;
          stats.lastLagMs = Date.now() - Number(id.split('-')[0]);
        } else stats.duplicates += 1;
        stats.waitingForDependency = false;
        // Info, with A's correlation id: the scenarios draw the stream hop and the load pass times it from this line.
        const e = decoded.event;
        o.logger.info({ event: 'event.processed', correlationId: e.correlationId, streamId: id, eventId: e.eventId, eventType: e.type, orderId: e.order.id, outcome, lagMs: Date.now() - Number(id.split('-')[0]) }, 'event processed');
        return;
      } catch (error) {
        if (o.isOutage(error)) {
          if (!stats.waitingForDependency) o.logger.warn({ event: 'event.waiting', streamId: id, error: (error as Error).message }, 'a dependency is down: holding the stream');
          stats.waitingForDependency = true;
          await sleep(OUTAGE_BACKOFF_MS[Math.min(outage, OUTAGE_BACKOFF_MS.length - 1)] ?? 2000);
          outage += 1;
          continue;
        }
        reason = (error as Error).message;
      }
      stats.failures += 1;
      const delivered = await deliveries(id);
      if (o.deadLetter && (!decoded.ok || delivered >= o.maxDeliveries)) {
        await deadLetter(id, list, reason, delivered);
        return;
      }
      o.logger.warn({ event: 'event.failed', streamId: id, reason, deliveries: delivered }, 'event failed: delivering it again');
      await sleep(Math.min(50 * delivered, 1000));
      // Claiming it again counts one more delivery in Redis.
      await redis.xclaim(o.stream, o.group, o.consumer, 0, id);
    }
  };

  const read = async (cursor: string): Promise<Entry[]> => {
    const args: Array<string | number> = ['GROUP', o.group, o.consumer, 'COUNT', o.batchSize];
    if (cursor === '>') args.push('BLOCK', o.blockMs);
    const reply = (await reader.call('XREADGROUP', ...args, 'STREAMS', o.stream, cursor)) as Array<[string, Entry[]]> | null;
    return reply?.[0]?.[1] ?? [];
  };

  const claimIdle = async (): Promise<Entry[]> => {
    const [, entries] = (await redis.xautoclaim(o.stream, o.group, o.consumer, o.claimIdleMs, '0-0', 'COUNT', o.batchSize)) as [string, Entry[]];
    return entries;
  };

  const loop = async () => {
    // Own pending entries first (left by a crash of a consumer with this name), then new ones.
    let cursor = '0';
    let nextClaim = Date.now() + o.claimIdleMs;
    let outage = 0;
    while (!stopped) {
      try {
        if (Date.now() >= nextClaim) {
          nextClaim = Date.now() + o.claimIdleMs;
          for (const entry of await claimIdle()) if (!stopped) await handle(entry);
        }
        const entries = await read(cursor);
        if (cursor !== '>') cursor = entries.length === 0 ? '>' : (entries.at(-1)?.[0] ?? '>');
        for (const entry of entries) if (!stopped) await handle(entry);
        outage = 0;
      } catch (error) {
        if (stopped) break;
        // The stream and its group were deleted under C (FLUSHDB, a Redis restarted without
        // persistence): everything in it is gone, so the group starts again from the beginning.
        if ((error as Error).message.startsWith('NOGROUP')) {
          o.logger.warn({ event: 'stream.group-recreated', stream: o.stream, group: o.group }, 'the consumer group was gone: created it again');
          await ensureGroup().catch(() => undefined);
          cursor = '0';
          continue;
        }
        o.logger.warn({ event: 'stream.unavailable', error: (error as Error).message }, 'cannot read the stream: retrying');
        await sleep(OUTAGE_BACKOFF_MS[Math.min(outage, OUTAGE_BACKOFF_MS.length - 1)] ?? 2000);
        outage += 1;
      }
    }
  };
  const running = loop();

  return {
    stats,
    async stop() {
      stopped = true;
      ac.abort();
      // Ends a blocked XREADGROUP at once; the entry in hand is finished or left pending for next time.
      reader.disconnect();
      await running;
    },
  };
}

/** An entry that can never succeed (it cannot be decoded): dead-lettered without further deliveries. */
class PermanentFailure extends Error {
  override readonly name = 'PermanentFailure';
}
