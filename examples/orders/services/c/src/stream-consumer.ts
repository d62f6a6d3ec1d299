import { setTimeout as delay } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { DecodedEntry } from './order-event.js';

/** A decoded entry as the consumer hands it on: the event and its stream id. */
export interface DecodedStreamEntry {
  decoded: Extract<DecodedEntry, { ok: true }>;
  streamId: string;
}

/**
 * What the consumer does with decoded entries: applies them all at once (one transaction) and
 * returns each one's outcome in order, or throws having applied none. The consumer then hands
 * them on one at a time, so only the failing one is delivered again.
 */
export type BatchProcessor = (entries: readonly DecodedStreamEntry[]) => Promise<Array<'applied' | 'duplicate'>>;

/** Settings of {@link startStreamConsumer}. */
export interface StreamConsumerOptions {
  stream: string;
  group: string;
  consumer: string;
  deadLetterStream: string;
  maxDeliveries: number;
  claimIdleMs: number;
  /** Entries read per XREADGROUP (COUNT) and applied in one go. */
  batchSize: number;
  /** How long an XREADGROUP waits when there is nothing new. */
  blockMs: number;
  /** False only in tests that prove a stalled stream is noticed. @default true */
  deadLetter?: boolean;
  /** Decodes an entry's fields; decoding failures are dead-lettered at once. */
  decode: (fields: Record<string, string>) => DecodedEntry;
  process: BatchProcessor;
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
  /** Finishes the batch in hand and its acknowledgements, stops reading, resolves when the loop has ended. */
  stop(): Promise<void>;
}

type Entry = [id: string, fields: string[] | null];
const OUTAGE_BACKOFF_MS = [100, 200, 500, 1000, 2000];

/**
 * Reads `stream` in a consumer group (XREADGROUP, up to `batchSize` entries) and acknowledges the
 * entries (one XACK) once their effects are committed. A read's entries are applied together, in
 * one call of `process`; when that fails for another reason than an outage they are handled one
 * at a time, in stream order, so a failing entry holds back none of its neighbours' effects: it is
 * delivered again (XCLAIM, which counts deliveries in Redis, so the count survives restarts) until
 * `maxDeliveries`, then moved to the dead-letter stream with the reason. On start it first takes
 * back its own pending entries (a crash left them unacknowledged), and it periodically claims
 * entries other consumers left idle longer than `claimIdleMs` (XAUTOCLAIM).
 * While a batch is applied, the next read is already waiting in Redis and the previous batch's
 * XACK is in flight: neither waits for the other. `reader` blocks in XREADGROUP, so it must be a
 * connection of its own.
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

  // Acknowledgements not yet answered: a lost one only means a redelivery, which is a duplicate, so
  // the next batch does not wait for them; stop() does.
  const acking = new Set<Promise<unknown>>();
  const ackLater = (ids: readonly string[]) => {
    if (ids.length === 0) return;
    const ack: Promise<unknown> = redis
      .xack(o.stream, o.group, ...ids)
      .catch((error: Error) => o.logger.warn({ event: 'stream.ack-failed', entries: ids.length, error: error.message }, 'XACK failed: the entries will be delivered again (duplicates)'))
      .finally(() => acking.delete(ack));
    acking.add(ack);
  };

  const processed = (id: string, decoded: DecodedStreamEntry['decoded'], outcome: 'applied' | 'duplicate') => {
    const lagMs = Date.now() - Number(id.split('-')[0]);
    if (outcome === 'applied') {
      stats.applied += 1;
      stats.lastLagMs = lagMs;
    } else stats.duplicates += 1;
    stats.waitingForDependency = false;
    // Info, with A's correlation id: the scenarios draw the stream hop and the load pass times it from this line.
    const e = decoded.event;
    o.logger.info({ event: 'event.processed', correlationId: e.correlationId, streamId: id, eventId: e.eventId, eventType: e.type, orderId: e.order.id, outcome, lagMs }, 'event processed');
  };

  /** Backs off while a dependency is down; false when `error` is not an outage. */
  const waitOutOutage = async (error: unknown, streamId: string, attempt: number): Promise<boolean> => {
    if (!o.isOutage(error)) return false;
    if (!stats.waitingForDependency) o.logger.warn({ event: 'event.waiting', streamId, error: (error as Error).message }, 'a dependency is down: holding the stream');
    stats.waitingForDependency = true;
    await sleep(OUTAGE_BACKOFF_MS[Math.min(attempt, OUTAGE_BACKOFF_MS.length - 1)] ?? 2000);
    return true;
  };

  const decode = (list: string[]) => o.decode(Object.fromEntries(Array.from({ length: list.length / 2 }, (_, i) => [list[2 * i], list[2 * i + 1]])) as Record<string, string>);

  /** One entry on its own: retried in place until it succeeds or is dead-lettered. */
  const handle = async ([id, list]: Entry): Promise<void> => {
    if (list === null) {
      // Trimmed from the stream while pending: nothing left to process.
      await redis.xack(o.stream, o.group, id);
      return;
    }
    const decoded = decode(list);
    let outage = 0;
    while (!stopped) {
      let reason: string;
      try {
        if (!decoded.ok) throw new PermanentFailure(decoded.reason);
        const [outcome = 'applied'] = await o.process([{ decoded, streamId: id }]);
        await redis.xack(o.stream, o.group, id);
        processed(id, decoded, outcome);
        return;
      } catch (error) {
        if (await waitOutOutage(error, id, outage)) {
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

  /** A read's entries: applied together when there are several that decode, else one at a time. */
  const handleBatch = async (entries: Entry[]): Promise<void> => {
    const batch: DecodedStreamEntry[] = [];
    const trimmed: string[] = [];
    const undecodable: Entry[] = [];
    for (const entry of entries) {
      const [id, list] = entry;
      const decoded = list === null ? undefined : decode(list);
      if (decoded === undefined) trimmed.push(id);
      else if (decoded.ok) batch.push({ decoded, streamId: id });
      else undecodable.push(entry);
    }
    if (batch.length < 2) {
      for (const entry of entries) if (!stopped) await handle(entry);
      return;
    }
    let outage = 0;
    while (!stopped) {
      try {
        const outcomes = await o.process(batch);
        ackLater([...trimmed, ...batch.map((entry) => entry.streamId)]);
        batch.forEach(({ decoded, streamId }, i) => processed(streamId, decoded, outcomes[i] ?? 'applied'));
        for (const entry of undecodable) await handle(entry);
        return;
      } catch (error) {
        if (await waitOutOutage(error, batch[0]?.streamId ?? '', outage)) {
          outage += 1;
          continue;
        }
        // Rolled back as a whole: one at a time now, so only the failing entry is held back and retried.
        o.logger.info({ event: 'events.batch-split', entries: entries.length, reason: (error as Error).message }, 'a batch failed: applying its entries one at a time');
        for (const entry of entries) if (!stopped) await handle(entry);
        return;
      }
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
    // New entries read while the batch before them is applied (only past the own pending ones,
    // whose cursor comes from the previous reply).
    let ahead: Promise<Entry[]> | undefined;
    while (!stopped) {
      try {
        if (Date.now() >= nextClaim) {
          nextClaim = Date.now() + o.claimIdleMs;
          const claimed = await claimIdle();
          if (!stopped) await handleBatch(claimed);
        }
        const entries = await (ahead ?? read(cursor));
        ahead = undefined;
        if (cursor !== '>') cursor = entries.length === 0 ? '>' : (entries.at(-1)?.[0] ?? '>');
        if (cursor === '>' && entries.length > 0) {
          ahead = read('>');
          // Read again on the next turn; a failure then (stop() disconnecting, NOGROUP) is handled there.
          ahead.catch(() => undefined);
        }
        if (!stopped) await handleBatch(entries);
        outage = 0;
      } catch (error) {
        // Entries the dropped read-ahead delivered stay pending to this consumer: read them back
        // from the start of its pending list (after the group was recreated, that is empty).
        ahead = undefined;
        cursor = '0';
        if (stopped) break;
        // The stream and its group were deleted under C (FLUSHDB, a Redis restarted without
        // persistence): everything in it is gone, so the group starts again from the beginning.
        if ((error as Error).message.startsWith('NOGROUP')) {
          o.logger.warn({ event: 'stream.group-recreated', stream: o.stream, group: o.group }, 'the consumer group was gone: created it again');
          await ensureGroup().catch(() => undefined);
          continue;
        }
        o.logger.warn({ event: 'stream.unavailable', error: (error as Error).message }, 'cannot read the stream: retrying');
        await sleep(OUTAGE_BACKOFF_MS[Math.min(outage, OUTAGE_BACKOFF_MS.length - 1)] ?? 2000);
        outage += 1;
      }
    }
    await Promise.all(acking);
  };
  const running = loop();

  return {
    stats,
    async stop() {
      stopped = true;
      ac.abort();
      // Ends a blocked XREADGROUP at once; the batch in hand is finished or left pending for next time.
      reader.disconnect();
      await running;
    },
  };
}

/** An entry that can never succeed (it cannot be decoded): dead-lettered without further deliveries. */
class PermanentFailure extends Error {
  override readonly name = 'PermanentFailure';
}
