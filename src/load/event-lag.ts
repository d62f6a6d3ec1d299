import type pg from 'pg';
import { newLatencyHistogram, recordMs, summarize } from './latency-histogram.js';
import type { LatencySummary } from './latency-histogram.js';

/** One processed event: when its producer's XADD ran (epoch ms, from the stream entry id) and how long until the consumer committed it. */
export interface EventLagSample {
  readonly publishedMs: number;
  readonly lagMs: number;
}

/** A stage's window in epoch milliseconds, as the run's stages were scheduled. */
export interface LagWindow {
  readonly name: string;
  readonly startMs: number;
  readonly endMs: number;
}

/** The event lag of one stage: events published in its window, and their XADD-to-commit percentiles. */
export interface StageEventLag {
  readonly name: string;
  readonly lag: LatencySummary;
}

/**
 * The lag of every event the consumer committed that was published since `sinceMs`, read from
 * the consumer's table of processed events (`published_at` from the entry id, `processed_at` from
 * its commit), so the measure is the real one end to end and costs the hot path nothing. The
 * table is a parameter: it belongs to the system under test, whose config names it.
 */
export async function readEventLags(db: pg.Pool | pg.Client, table: string, sinceMs: number): Promise<EventLagSample[]> {
  const result = await db.query<{ published_ms: string; lag_ms: string }>(
    `SELECT (extract(epoch FROM published_at) * 1000)::text AS published_ms, (extract(epoch FROM processed_at - published_at) * 1000)::text AS lag_ms
     FROM ${quoteIdent(table)} WHERE published_at >= to_timestamp($1::double precision / 1000)`,
    [sinceMs],
  );
  return result.rows.map((row) => ({ publishedMs: Number(row.published_ms), lagMs: Number(row.lag_ms) }));
}

/**
 * Reads the lags once the consumer has caught up: when `expected` events are there (a caller that
 * knows how many it published), or else when a poll finds no new row; at most `drainMs` of waiting.
 */
export async function readDrainedEventLags(db: pg.Pool | pg.Client, table: string, sinceMs: number, options: { drainMs: number; expected?: number; pollMs?: number }): Promise<EventLagSample[]> {
  const deadline = Date.now() + options.drainMs;
  let samples = await readEventLags(db, table, sinceMs);
  while (Date.now() < deadline && (options.expected === undefined || samples.length < options.expected)) {
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 250));
    const next = await readEventLags(db, table, sinceMs);
    const settled = options.expected === undefined && next.length === samples.length;
    samples = next;
    if (settled) break;
  }
  return samples;
}

/** The lag percentiles of each stage, an event counted in the stage whose window holds its XADD. */
export function eventLagByStage(samples: readonly EventLagSample[], windows: readonly LagWindow[]): StageEventLag[] {
  return windows.map((window) => {
    const histogram = newLatencyHistogram();
    for (const sample of samples) if (sample.publishedMs >= window.startMs && sample.publishedMs < window.endMs) recordMs(histogram, Math.max(0, sample.lagMs));
    return { name: window.name, lag: summarize(histogram) };
  });
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
