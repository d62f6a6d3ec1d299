import type { Db } from './db.js';
import type { ItemCache } from './item-cache.js';
import type { Item, ItemRow } from './model.js';
import { ITEM_COLUMNS, toItem } from './model.js';
import type { FastifyBaseLogger } from 'fastify';

/** Reads an item through the cache: Redis first, then Postgres (filling the cache); null when unknown. */
export async function getItem(db: Db, cache: ItemCache, log: FastifyBaseLogger, sku: string): Promise<Item | null> {
  const cached = await cache.get(sku, log);
  if (cached) return cached;
  const [row] = await db.query<ItemRow>(`SELECT ${ITEM_COLUMNS} FROM items WHERE sku = $1`, [sku]);
  if (!row) return null;
  await cache.fill(row, log);
  return toItem(row);
}
