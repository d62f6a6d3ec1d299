import type { Check, GateStep } from '../report/model.js';
import { statusOf } from '../report/model.js';
import type { LoadResult } from './load-result.js';
import { ROUND_STAGE } from './paired-rounds.js';
import { toLoadStep } from './to-step.js';
import type { LoadStepOptions } from './to-step.js';

/**
 * Checks a single round fails outright: errors, an aborted round and memory are not moved by a
 * busy neighbour. Latency, the achieved rate, CPU and disk are (one 5-second round in a VM stall),
 * so they fail only in most of the rounds, as the old separate pass failed only when its repeat did.
 */
const FAILS_AT_ONCE = (id: string) => id.startsWith('errors.') || id === 'aborted' || id.startsWith('resource.memory.');

/** The round whose stage p50 is the median of the rounds': the one whose reports and charts the step shows. */
export function representativeRound(rounds: readonly LoadResult[]): LoadResult | undefined {
  const p50 = (result: LoadResult) => (result.stages.find((stage) => stage.name === ROUND_STAGE) ?? result.total).latency.p50Ms;
  const sorted = [...rounds].sort((a, b) => p50(a) - p50(b));
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

/** Each threshold and resource check of a round, as pass/fail by id. */
function outcomesOf(result: LoadResult): Map<string, { ok: boolean; actual: number }> {
  const outcomes = new Map<string, { ok: boolean; actual: number }>();
  for (const check of result.thresholds) outcomes.set(check.id, { ok: check.ok || check.informational, actual: check.actual });
  for (const check of result.resources.checks) outcomes.set(check.id, { ok: check.ok, actual: check.actual });
  if (result.abortedReason !== null) outcomes.set('aborted', { ok: false, actual: 1 });
  return outcomes;
}

/**
 * The candidate's own load step when a baseline build is measured beside it: the seed's thresholds
 * and resource limits judged from the candidate's A/B rounds instead of a separate pass. The step
 * shows the median round (by p50); each check is rejudged over every round, and says in how many
 * it failed and its worst value.
 */
export async function candidateRoundsStep(rounds: readonly LoadResult[], options: LoadStepOptions = {}): Promise<GateStep> {
  const shown = representativeRound(rounds);
  if (!shown) throw new Error('candidateRoundsStep: no candidate round to judge');
  const step = await toLoadStep(shown, options);
  const perRound = rounds.map(outcomesOf);
  const checks = step.checks.map((check): Check => {
    const seen = perRound.flatMap((outcomes) => {
      const outcome = outcomes.get(check.id);
      return outcome ? [outcome] : [];
    });
    if (seen.length === 0 || check.status === 'warn') return check;
    const failed = seen.filter((outcome) => !outcome.ok).length;
    const fails = FAILS_AT_ONCE(check.id) ? failed > 0 : failed * 2 > seen.length;
    const better = check.measured?.unit === 'req/s' ? Math.min : Math.max;
    const worst = better(...seen.map((outcome) => outcome.actual));
    const round = (value: number) => Math.round(value * 100) / 100;
    return {
      ...check,
      status: fails ? 'fail' : 'pass',
      message: `${check.message} (median round); failed in ${failed} of ${seen.length} candidate rounds, worst ${round(worst)}`,
    };
  });
  const aborted = rounds.find((result) => result.abortedReason !== null);
  if (aborted && !checks.some((check) => check.id === 'aborted')) checks.push({ id: 'aborted', name: 'the pass ran to the end', status: 'fail', message: aborted.abortedReason ?? '' });
  return { ...step, status: statusOf(checks), checks, details: { ...step.details, candidateRounds: rounds.length } };
}
