import type { Redis } from 'ioredis';
import type { FastifyBaseLogger } from 'fastify';
import type { StoredOrder } from './order.js';

/** Options for {@link createOrderStore}. */
export interface OrderStoreOptions {
  /** How long an order is kept. @default 7 days */
  orderTtlSeconds?: number;
  /** How long a client's Idempotency-Key is remembered. @default 24 hours */
  keyTtlSeconds?: number;
}

/** Orders and idempotency keys in Redis. Without Redis, writes are skipped with a warning and reads fail. */
export interface OrderStore {
  /** The order created earlier under this Idempotency-Key, or null (also when Redis is down: B dedupes then). */
  findByIdempotencyKey(key: string, log: FastifyBaseLogger): Promise<StoredOrder | null>;
  /**
   * Keeps `order` and claims `key` for it (SET NX). When another request claimed the key first,
   * returns that request's order instead and forgets this one.
   */
  save(order: StoredOrder, key: string | null, log: FastifyBaseLogger): Promise<StoredOrder>;
  /** The order with `id`, or null; throws {@link StoreUnavailableError} when Redis is down. */
  get(id: string): Promise<StoredOrder | null>;
  /** Overwrites a stored order (a status change); skipped with a warning when Redis is down. */
  update(order: StoredOrder, log: FastifyBaseLogger): Promise<void>;
}

/** Redis, which keeps the orders, cannot be reached. */
export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError';
}

const orderKey = (id: string) => `order:${id}`;
const idempotencyKey = (key: string) => `order-idempotency:${key}`;

/** Builds the order store over `redis` (null: run without Redis, always degraded). */
export function createOrderStore(redis: Redis | null, options: OrderStoreOptions = {}): OrderStore {
  const orderTtl = options.orderTtlSeconds ?? 7 * 24 * 3600;
  const keyTtl = options.keyTtlSeconds ?? 24 * 3600;
  const degraded = (log: FastifyBaseLogger, op: string, error: unknown) => {
    log.warn({ event: 'store.degraded', op, error: (error as Error).message }, 'store.degraded: Redis unavailable, relying on service-b idempotency');
  };
  const client = (): Redis => {
    if (!redis) throw new Error('no Redis configured');
    return redis;
  };
  const read = async (id: string): Promise<StoredOrder | null> => {
    const raw = await client().get(orderKey(id));
    return raw === null ? null : (JSON.parse(raw) as StoredOrder);
  };
  const findByIdempotencyKey = async (key: string, log: FastifyBaseLogger): Promise<StoredOrder | null> => {
    try {
      const id = await client().get(idempotencyKey(key));
      return id === null ? null : await read(id);
    } catch (error) {
      degraded(log, 'find', error);
      return null;
    }
  };

  return {
    findByIdempotencyKey,
    async save(order, key, log) {
      try {
        // The order is written before the key is claimed, so whoever finds the key finds its order.
        await client().set(orderKey(order.id), JSON.stringify(order), 'EX', orderTtl);
        if (key === null) return order;
        const claimed = await client().set(idempotencyKey(key), order.id, 'EX', keyTtl, 'NX');
        if (claimed === 'OK') return order;
        const winner = await findByIdempotencyKey(key, log);
        await client().del(orderKey(order.id));
        return winner ?? order;
      } catch (error) {
        degraded(log, 'save', error);
        return order;
      }
    },
    async get(id) {
      try {
        return await read(id);
      } catch (error) {
        throw new StoreUnavailableError(`the order store (Redis) is unreachable: ${(error as Error).message}`, { cause: error });
      }
    },
    async update(order, log) {
      try {
        await client().set(orderKey(order.id), JSON.stringify(order), 'EX', orderTtl);
      } catch (error) {
        degraded(log, 'update', error);
      }
    },
  };
}
