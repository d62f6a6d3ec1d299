import pg from 'pg';
import { stageWindows } from './arrival-schedule.js';
import { eventLagByStage, readDrainedEventLags } from './event-lag.js';
import type { StageEventLag } from './event-lag.js';
import type { LoadResult } from './load-result.js';
import type { LoadProfile } from './profile.js';
import type { ThresholdCheck } from './thresholds.js';

/** A load result with its event lag: per stage, and gated over the threshold stage. */
export type LoadResultWithLag = LoadResult & { readonly eventLag?: readonly StageEventLag[] };

/**
 * Reads the event lag of the pass from the consumer's table of processed events once the
 * consumer has caught up (no new row for a poll, or the drain time is over), and adds `events.lag.p99` to the
 * thresholds: an event still unprocessed is not in the percentiles, so a consumer that never
 * catches up fails on its count, not silently.
 */
export async function withEventLag(result: LoadResult, profile: LoadProfile, databaseUrl: string): Promise<LoadResultWithLag> {
  const gate = profile.eventLag;
  if (!gate) return result;
  const planStart = Date.parse(result.planStartedAt);
  const client = new pg.Client({ connectionString: databaseUrl });
  // A server stopped under the client (Ctrl-C during the read) must not be an uncaught 'error'.
  client.on('error', () => undefined);
  await client.connect();
  try {
    const samples = await readDrainedEventLags(client, gate.table, planStart, { drainMs: gate.drainMs });
    const windows = stageWindows(profile.stages).map((window) => ({ name: window.name, startMs: planStart + window.startMs, endMs: planStart + window.endMs }));
    const stages = eventLagByStage(samples, windows);
    const gated = stages.find((stage) => stage.name === profile.thresholds.stage);
    const count = gated?.lag.count ?? 0;
    const check: ThresholdCheck = {
      id: 'events.lag.p99',
      description: `event lag p99 < ${gate.p99Ms} ms over ${profile.thresholds.stage} (XADD to the consumer's commit, ${count} events)`,
      actual: gated?.lag.p99Ms ?? 0,
      limit: gate.p99Ms,
      unit: 'ms',
      // No event processed in the stage means the consumer did nothing: a failure, not a pass.
      ok: count > 0 && (gated?.lag.p99Ms ?? Infinity) < gate.p99Ms,
      informational: false,
    };
    const finding = check.ok ? [] : [`threshold failed: ${check.description}, was ${count === 0 ? 'no event processed' : `${check.actual} ms`}`];
    return { ...result, thresholds: [...result.thresholds, check], eventLag: stages, ok: result.ok && check.ok, findings: [...result.findings, ...finding] };
  } finally {
    await client.end().catch(() => undefined);
  }
}
