import { randomUUID } from 'node:crypto';
import type { Redis, Result } from 'ioredis';
import type { FastifyBaseLogger } from 'fastify';
import type { StoredOrder } from './order.js';
import { buildOrderEvent, toStreamFields } from './order-events.js';
import type { EventStamp } from './order-events.js';
import { COMMAND_TIMEOUT_MS } from './redis.js';

/** Options for {@link createOrderStore}. */
export interface OrderStoreOptions {
  /** How long an order is kept. @default 7 days */
  orderTtlSeconds?: number;
  /** How long a client's Idempotency-Key is remembered. @default 24 hours */
  keyTtlSeconds?: number;
  /** The Redis Stream that carries order events. @default 'orders.events' */
  eventStream?: string;
  /** About how many events the stream keeps (XADD MAXLEN ~). @default 100000 */
  eventStreamMaxLen?: number;
  /** Stamps each new event; a parameter so tests can fix ids and times. @default a random UUID, now */
  stamp?: () => EventStamp;
  /**
   * A write that reaches Redis later than this after it was sent does nothing: A has given up on it
   * by then and answered 503 (and given B's reservation back). @default the client's command timeout
   */
  writeDeadlineMs?: number;
}

/**
 * Orders, their events and idempotency keys in Redis. Each write of an order and its event is one
 * atomic step, so without Redis writes fail (and reads fail): an order never exists without its event.
 */
export interface OrderStore {
  /** The order created earlier under this Idempotency-Key, or null (also when Redis is down: B dedupes then). */
  findByIdempotencyKey(key: string, log: FastifyBaseLogger): Promise<StoredOrder | null>;
  /**
   * Keeps `order`, claims `key` for it and publishes its event, all at once. When another request
   * claimed the key first, returns that request's order instead and writes nothing. Throws
   * {@link StoreUnavailableError} when Redis is down.
   */
  save(order: StoredOrder, key: string | null, log: FastifyBaseLogger): Promise<StoredOrder>;
  /** The order with `id`, or null; throws {@link StoreUnavailableError} when Redis is down. */
  get(id: string): Promise<StoredOrder | null>;
  /**
   * Overwrites a stored order; when its status changed, publishes the event in the same step.
   * Throws {@link StoreUnavailableError} when Redis is down.
   */
  update(order: StoredOrder, log: FastifyBaseLogger): Promise<void>;
}

/** Redis, which keeps the orders, cannot be reached. */
export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError';
}

const orderKey = (id: string) => `order:${id}`;
const idempotencyKey = (key: string) => `order-idempotency:${key}`;

// Scripts, not MULTI/EXEC: both run with no other client's command in between, but only a script can
// make the writes depend on what it reads (the idempotency claim, the stored status). KEYS: the
// order, the event stream, the idempotency key (or the order again when there is none).
// ARGV: order JSON, order TTL, claim? (1/0), key TTL, order id, MAXLEN, deadline (epoch ms), then the event's fields.
// A paused Redis runs the commands it was sent when it wakes, long after A answered 503: past the
// deadline the script writes nothing, so a refused order never appears later (Redis's clock and A's
// are the same host's, or NTP-close: the margin is the command timeout).
const EXPIRED = `
local now = redis.call('TIME')
local expired = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000) > tonumber(ARGV[DEADLINE])`;
const SAVE_SCRIPT = `${EXPIRED.replace('DEADLINE', '7')}
if expired then return {-1, 'expired'} end
if ARGV[3] == '1' then
  local winner = redis.call('GET', KEYS[3])
  if winner then return {0, winner} end
  redis.call('SET', KEYS[3], ARGV[5], 'EX', ARGV[4])
end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
local id = redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[6], '*', unpack(ARGV, 8))
return {1, id}`;
// KEYS: the order, the event stream. ARGV: order JSON, order TTL, new status, MAXLEN, deadline, the event's fields.
const UPDATE_SCRIPT = `${EXPIRED.replace('DEADLINE', '5')}
if expired then return -1 end
local current = redis.call('GET', KEYS[1])
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
if current and cjson.decode(current).status == ARGV[3] then return 0 end
redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[4], '*', unpack(ARGV, 6))
return 1`;

declare module 'ioredis' {
  interface RedisCommander<Context> {
    /** Defined by {@link createOrderStore}: see SAVE_SCRIPT. */
    saveOrderWithEvent(...args: (string | number)[]): Result<[-1 | 0 | 1, string], Context>;
    /** Defined by {@link createOrderStore}: see UPDATE_SCRIPT. */
    updateOrderWithEvent(...args: (string | number)[]): Result<-1 | 0 | 1, Context>;
  }
}

const randomStamp = (): EventStamp => ({ eventId: randomUUID(), occurredAt: new Date().toISOString() });

/** Builds the order store over `redis` (null: run without Redis, always unavailable). */
export function createOrderStore(redis: Redis | null, options: OrderStoreOptions = {}): OrderStore {
  const orderTtl = options.orderTtlSeconds ?? 7 * 24 * 3600;
  const keyTtl = options.keyTtlSeconds ?? 24 * 3600;
  const stream = options.eventStream ?? 'orders.events';
  const maxLen = options.eventStreamMaxLen ?? 100_000;
  const stamp = options.stamp ?? randomStamp;
  const deadline = () => Date.now() + (options.writeDeadlineMs ?? COMMAND_TIMEOUT_MS);
  const expired = () => new Error('the write reached Redis after A had given up on it');
  if (redis) {
    redis.defineCommand('saveOrderWithEvent', { numberOfKeys: 3, lua: SAVE_SCRIPT });
    redis.defineCommand('updateOrderWithEvent', { numberOfKeys: 2, lua: UPDATE_SCRIPT });
  }
  const degraded = (log: FastifyBaseLogger, op: string, error: unknown) => {
    log.warn({ event: 'store.degraded', op, error: (error as Error).message }, 'store.degraded: Redis unavailable');
  };
  const unavailable = (error: unknown) => new StoreUnavailableError(`the order store (Redis) is unreachable: ${(error as Error).message}`, { cause: error });
  const client = (): Redis => {
    if (!redis) throw new Error('no Redis configured');
    return redis;
  };
  const read = async (id: string): Promise<StoredOrder | null> => {
    const raw = await client().get(orderKey(id));
    return raw === null ? null : (JSON.parse(raw) as StoredOrder);
  };

  return {
    async findByIdempotencyKey(key, log) {
      try {
        const id = await client().get(idempotencyKey(key));
        return id === null ? null : await read(id);
      } catch (error) {
        // Not fatal yet: B dedupes the key too, and the save that follows fails if Redis stays away.
        degraded(log, 'find', error);
        return null;
      }
    },
    async save(order, key, log) {
      const event = buildOrderEvent(order, stamp());
      try {
        const keys = [orderKey(order.id), stream, key === null ? orderKey(order.id) : idempotencyKey(key)];
        const [saved, value] = await client().saveOrderWithEvent(
          ...keys, JSON.stringify(order), orderTtl, key === null ? 0 : 1, keyTtl, order.id, maxLen, deadline(), ...toStreamFields(event),
        );
        if (saved === -1) throw expired();
        if (saved === 1) {
          log.info({ event: 'order.event', orderId: order.id, eventId: event.eventId, eventType: event.type, stream, streamId: value }, 'order.event published');
          return order;
        }
        return (await read(value)) ?? order;
      } catch (error) {
        degraded(log, 'save', error);
        throw unavailable(error);
      }
    },
    async get(id) {
      try {
        return await read(id);
      } catch (error) {
        throw unavailable(error);
      }
    },
    async update(order, log) {
      const event = buildOrderEvent(order, stamp());
      try {
        const published = await client().updateOrderWithEvent(orderKey(order.id), stream, JSON.stringify(order), orderTtl, order.status, maxLen, deadline(), ...toStreamFields(event));
        if (published === -1) throw expired();
        if (published === 1) log.info({ event: 'order.event', orderId: order.id, eventId: event.eventId, eventType: event.type, stream }, 'order.event published');
      } catch (error) {
        degraded(log, 'update', error);
        throw unavailable(error);
      }
    },
  };
}
