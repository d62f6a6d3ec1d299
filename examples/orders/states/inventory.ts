/**
 * Service B's provider states for `accord verify`. Each interaction starts from an empty,
 * migrated database (and no cached items); these functions insert the rows its state names.
 * The names and parameters are the ones Service A's consumer tests give (services/a/test/pact/).
 */
import { defineProviderStates } from 'accord';
import type { ProviderStateContext, ProviderStateParams } from 'accord';

/** An item row from a state's parameters; missing ones get plain defaults. */
async function insertItem(params: ProviderStateParams, { db }: ProviderStateContext): Promise<void> {
  await db.query('INSERT INTO items (sku, name, stock, price_cents) VALUES ($1, $2, $3, $4)', [
    String(params.sku ?? 'WIDGET-1'),
    String(params.name ?? 'Widget'),
    Number(params.stock ?? 40),
    Number(params.priceCents ?? 1299),
  ]);
}

/** A reservation row (and the item it belongs to) from a state's parameters. */
async function insertReservation(params: ProviderStateParams, context: ProviderStateContext): Promise<void> {
  await insertItem({ sku: params.sku, stock: 38 }, context);
  await context.db.query(
    `INSERT INTO reservations (id, sku, quantity, status, correlation_id, source_service, idempotency_key)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [
      String(params.id),
      String(params.sku ?? 'WIDGET-1'),
      Number(params.quantity ?? 2),
      String(params.status ?? 'active'),
      params.correlationId ?? null,
      params.sourceService ?? 'service-a',
      params.idempotencyKey ?? null,
    ],
  );
}

/** Nothing to insert: the reset already emptied the tables. Named so pacts can say so. */
async function nothing(): Promise<void> {}

export default defineProviderStates(
  {
    'an item exists': insertItem,
    'no item exists': nothing,
    'a reservation exists': insertReservation,
    'no reservation exists': nothing,
    'the inventory database is unreachable': {
      async setup(_params, { postgres }) {
        if (!postgres) throw new Error('needs the embedded PostgreSQL Accord started (an external DATABASE_URL cannot be stopped)');
        await postgres.halt();
      },
      async teardown(_params, { postgres }) {
        await postgres?.resume();
      },
    },
  },
  // B caches items in Redis as item:<sku>; rows inserted here must not meet stale entries.
  { cacheKeys: ['item:*'] },
);
