import { resolve } from 'node:path';
import { expect } from 'chai';
import pg from 'pg';
import { migrate, startPostgres } from '../../../src/env/index.js';
import type { StartedPostgres } from '../../../src/env/index.js';
import { eventLagByStage, readEventLags } from '../../../src/load/event-lag.js';
import { withEventLag } from '../../../src/load/event-lag-gate.js';
import type { LoadProfile, LoadResult } from '../../../src/load/index.js';

const ROOT = resolve(import.meta.dirname, '../../..');

describe('load: event lag read from the consumer rows (PostgreSQL 14)', function () {
  this.timeout(120_000);
  let postgres: StartedPostgres;
  let pool: pg.Pool;
  let url: string;
  before(async () => {
    postgres = await startPostgres({ databaseUrl: undefined });
    url = await postgres.createDatabase('event_lag');
    await migrate(url, resolve(ROOT, 'examples/orders/migrations'));
    pool = new pg.Pool({ connectionString: url });
    // Stopping PostgreSQL in after() ends the pool's idle clients: expected, not an uncaught error.
    pool.on('error', () => undefined);
  });
  after(async () => {
    await pool?.end();
    await postgres?.stop();
  });

  it("measures XADD to commit from C's processed_events rows, only for events published since the run began", async () => {
    const t0 = Date.UTC(2026, 11, 2, 12, 0, 0);
    const insert = (id: string, publishedMs: number, lagMs: number) =>
      pool.query(
        `INSERT INTO processed_events (event_id, event_type, order_id, stream_id, published_at, processed_at)
         VALUES ($1, 'order.confirmed', $1, $2, to_timestamp($3::double precision / 1000), to_timestamp($4::double precision / 1000))`,
        [id, `${publishedMs}-0`, publishedMs, publishedMs + lagMs],
      );
    await insert('before-the-run', t0 - 5000, 999);
    for (let i = 0; i < 20; i++) await insert(`e${i}`, t0 + i * 10, i < 19 ? 3 : 60);
    const samples = await readEventLags(pool, 'processed_events', t0);
    expect(samples).to.have.length(20);
    const [stage] = eventLagByStage(samples, [{ name: 'sustain', startMs: t0, endMs: t0 + 1000 }]);
    expect(stage?.lag.count).to.equal(20);
    expect(stage?.lag.p50Ms).to.be.closeTo(3, 0.05);
    expect(stage?.lag.maxMs).to.be.closeTo(60, 0.1);
  });

  it('gates the threshold stage on events.lag.p99, and fails a stage in which no event was processed', async () => {
    const planStart = Date.UTC(2026, 11, 2, 13, 0, 0);
    for (let i = 0; i < 10; i++) {
      await pool.query(
        `INSERT INTO processed_events (event_id, event_type, order_id, stream_id, published_at, processed_at)
         VALUES ($1, 'order.confirmed', $1, $2, to_timestamp($3::double precision / 1000), to_timestamp($4::double precision / 1000))`,
        [`g${i}`, `${planStart + 1000 + i}-0`, planStart + 1000 + i, planStart + 1000 + i + 40],
      );
    }
    const result = { ok: true, planStartedAt: new Date(planStart).toISOString(), thresholds: [], findings: [] } as unknown as LoadResult;
    const profile = (p99Ms: number, stage: string) =>
      ({
        stages: [{ name: 'ramp-up', durationMs: 1000, target: 10 }, { name: 'sustain', durationMs: 1000, target: 10 }, { name: 'idle', durationMs: 1000, target: 10 }],
        thresholds: { stage },
        eventLag: { table: 'processed_events', p99Ms, drainMs: 300 },
      }) as unknown as LoadProfile;
    const within = await withEventLag(result, profile(100, 'sustain'), url);
    expect(within.ok).to.equal(true);
    expect(within.thresholds[0]).to.include({ id: 'events.lag.p99', ok: true, limit: 100 });
    expect(within.thresholds[0]?.actual).to.be.closeTo(40, 0.5);
    expect(within.eventLag?.map((stage) => stage.lag.count)).to.deep.equal([0, 10, 0]);
    const over = await withEventLag(result, profile(30, 'sustain'), url);
    expect(over.ok).to.equal(false);
    expect(over.findings[0]).to.match(/^threshold failed: event lag p99 < 30 ms over sustain .*10 events.*, was 40\.\d+ ms$/);
    const none = await withEventLag(result, profile(100, 'idle'), url);
    expect(none.ok).to.equal(false);
    expect(none.findings[0]).to.include('was no event processed');
  });
});
