import type { Redis } from 'ioredis';
import type pg from 'pg';
import type { Logger } from 'pino';
import type { ServiceCConfig } from './config.js';
import { isDatabaseUnavailable } from './db.js';
import { decodeOrderEvent } from './order-event.js';
import { shipmentEffect } from './shipment-effect.js';
import { applyEffects } from './shipments.js';
import { startStreamConsumer } from './stream-consumer.js';
import type { StartedStreamConsumer } from './stream-consumer.js';

/** The settings the worker uses (the rest of {@link ServiceCConfig} is the HTTP side's). */
export type WorkerConfig = Pick<ServiceCConfig, 'stream' | 'group' | 'consumer' | 'deadLetterStream' | 'maxDeliveries' | 'claimIdleMs' | 'batchSize' | 'blockMs' | 'testBreak'>;

/** Starts the fulfilment worker: the stream consumer around the pure handler, applying each batch's effects to `pool` in one transaction. */
export function startWorker(redis: Redis, reader: Redis, pool: pg.Pool, config: WorkerConfig, logger: Logger): Promise<StartedStreamConsumer> {
  const idempotent = !config.testBreak.has('idempotency');
  if (config.testBreak.size > 0) logger.warn({ event: 'service.test-break', broken: [...config.testBreak] }, 'guarantees switched off for a test');
  return startStreamConsumer(redis, reader, {
    stream: config.stream,
    group: config.group,
    consumer: config.consumer,
    deadLetterStream: config.deadLetterStream,
    maxDeliveries: config.maxDeliveries,
    claimIdleMs: config.claimIdleMs,
    batchSize: config.batchSize,
    blockMs: config.blockMs,
    deadLetter: !config.testBreak.has('dead-letter'),
    decode: (fields) => decodeOrderEvent(fields.payload),
    process: (entries) =>
      applyEffects(
        pool,
        entries.map(({ decoded: { event }, streamId }) => ({ effect: shipmentEffect(event), receipt: { eventId: event.eventId, eventType: event.type, orderId: event.order.id, streamId } })),
        { idempotent },
      ),
    isOutage: isDatabaseUnavailable,
    logger,
  });
}
