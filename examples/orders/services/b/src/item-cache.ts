import type { Redis } from 'ioredis';
import type { FastifyBaseLogger } from 'fastify';
import type { Item, ItemRow } from './model.js';
import { toItem } from './model.js';

/** Options for {@link createItemCache}. */
export interface ItemCacheOptions {
  /** How long an entry lives; bounds staleness when an invalidation is lost while Redis is down. @default 60 */
  ttlSeconds?: number;
}

/** The read-through item cache in Redis (`item:<sku>`); every failure degrades to "no cache". */
export interface ItemCache {
  /** The cached item, or null on a miss or when Redis is down. Logs `cache.hit` / `cache.miss`. */
  get(sku: string, log: FastifyBaseLogger): Promise<Item | null>;
  /** Stores a row just read from Postgres (read-through fill). */
  fill(row: ItemRow, log: FastifyBaseLogger): Promise<void>;
  /** Replaces the entry after a write committed; logs `cache.invalidate`. */
  invalidate(row: ItemRow, log: FastifyBaseLogger): Promise<void>;
}

/** The Redis key of an item's cache entry. */
export function itemCacheKey(sku: string): string {
  return `item:${sku}`;
}

// A fill and a write can race (a reader holding an old row stores it after the writer replaced it).
// Entries carry the row's updated_at in microseconds; this script never lets an older row overwrite
// a newer one, so the entry always converges on the last committed row. updated_at is set with
// clock_timestamp() under the row lock, so it grows in commit order.
const SET_IF_NEWER = `
local current = redis.call('GET', KEYS[1])
if current then
  local ok, cached = pcall(cjson.decode, current)
  if ok and type(cached) == 'table' and cached.cacheVersion and tonumber(cached.cacheVersion) > tonumber(ARGV[2]) then
    return 0
  end
end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[3])
return 1
`;

type RedisWithScript = Redis & { setItemIfNewer(key: string, value: string, version: string, ttl: number): Promise<number> };

/** Builds the item cache over `redis`. */
export function createItemCache(redis: Redis, options: ItemCacheOptions = {}): ItemCache {
  const ttlSeconds = options.ttlSeconds ?? 60;
  if (!('setItemIfNewer' in redis)) redis.defineCommand('setItemIfNewer', { numberOfKeys: 1, lua: SET_IF_NEWER });
  const scripted = redis as RedisWithScript;

  const store = async (row: ItemRow) => {
    const entry = JSON.stringify({ ...toItem(row), cacheVersion: row.version });
    await scripted.setItemIfNewer(itemCacheKey(row.sku), entry, row.version, ttlSeconds);
  };
  const degraded = (log: FastifyBaseLogger, op: string, key: string, error: unknown) => {
    log.warn({ event: 'cache.degraded', op, key, error: (error as Error).message }, 'cache.degraded: Redis unavailable, using PostgreSQL');
  };

  return {
    async get(sku, log) {
      const key = itemCacheKey(sku);
      let raw: string | null;
      try {
        raw = await redis.get(key);
      } catch (error) {
        degraded(log, 'get', key, error);
        return null;
      }
      if (raw === null) {
        log.info({ event: 'cache.miss', key }, 'cache.miss');
        return null;
      }
      log.info({ event: 'cache.hit', key }, 'cache.hit');
      const { cacheVersion: _version, ...item } = JSON.parse(raw) as Item & { cacheVersion: string };
      return item;
    },
    async fill(row, log) {
      await store(row).catch((error: unknown) => degraded(log, 'fill', itemCacheKey(row.sku), error));
    },
    async invalidate(row, log) {
      const key = itemCacheKey(row.sku);
      try {
        await store(row);
        log.info({ event: 'cache.invalidate', key }, 'cache.invalidate');
      } catch (error) {
        degraded(log, 'invalidate', key, error);
      }
    },
  };
}
