import type { ResourceSummary } from './resource-gates.js';
import { roundTo } from './round-to.js';

/**
 * CPU milliseconds per completed request over the threshold stage, per process tree: the
 * services (the code under test) apart from the backing stores. The generator is not counted.
 */
export interface CpuCost {
  readonly services: Readonly<Record<string, number>>;
  readonly backing: Readonly<Record<string, number>>;
}

/**
 * Each tree's mean CPU (percent of one core) over the stage times the stage's length, over the
 * requests the stage completed. A tree with no sample is left out (unmeasured, not free).
 */
export function cpuCostPerRequest(summaries: readonly ResourceSummary[], stage: { durationMs: number; completed: number }): CpuCost {
  const services: Record<string, number> = {};
  const backing: Record<string, number> = {};
  if (stage.completed === 0) return { services, backing };
  for (const summary of summaries) {
    if (summary.role === 'generator' || summary.samples === 0) continue;
    (summary.role === 'service' ? services : backing)[summary.name] = roundTo(((summary.cpuCoreMeanPercent / 100) * stage.durationMs) / stage.completed, 4);
  }
  return { services, backing };
}

/**
 * Each service's CPU per request over the other services' together. On this kind of VM the
 * chain's CPU per request moves ±20 % between passes minutes apart (wake-up cost, steal,
 * frequency) and every process moves with it; the ratio cancels most of that common factor (over
 * seven smoke passes of a three-service chain one service's own CPU per request moved 0.66–1.14 ms,
 * its share 0.367–0.415),
 * so it can be held to a band tight enough to see one service doing 30 % more work. The backing
 * stores stay out of it: their cost depends on what the services ask of them and on their own
 * background work, and moved more.
 */
export function cpuShares(services: Readonly<Record<string, number>>): Record<string, number> {
  const total = Object.values(services).reduce((sum, cost) => sum + cost, 0);
  const shares: Record<string, number> = {};
  for (const [name, cost] of Object.entries(services)) {
    const rest = total - cost;
    if (rest > 0) shares[name] = roundTo(cost / rest, 4);
  }
  return shares;
}

/** The chain's CPU per request: every service and backing store together. */
export function totalCpuCost(cost: CpuCost): number {
  const sum = [...Object.values(cost.services), ...Object.values(cost.backing)].reduce((total, value) => total + value, 0);
  return roundTo(sum, 4);
}
