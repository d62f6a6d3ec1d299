import { expect } from 'chai';
import { candidateRoundsStep, representativeRound } from '../../../src/load/index.js';
import type { LoadResult } from '../../../src/load/index.js';
import { sampleResult } from './sample-result.js';

/** The sample result with its median moved to `p50Ms` and the named thresholds failing. */
function round(base: LoadResult, p50Ms: number, failing: readonly string[] = []): LoadResult {
  return {
    ...base,
    total: { ...base.total, latency: { ...base.total.latency, p50Ms } },
    stages: base.stages.map((stage) => ({ ...stage, latency: { ...stage.latency, p50Ms } })),
    thresholds: base.thresholds.map((check) => (failing.includes(check.id) ? { ...check, ok: false, actual: check.limit * 2 } : check)),
  };
}

describe("the candidate's load step judged from its A/B rounds", () => {
  let base: LoadResult;
  before(async () => {
    base = await sampleResult();
  });

  it('shows the round with the median p50', () => {
    const rounds = [round(base, 9), round(base, 3), round(base, 5)];
    expect(representativeRound(rounds)).to.equal(rounds[2]);
  });

  it('fails latency only when most rounds miss it: one slow round of three is noise, two are a finding', async () => {
    const once = await candidateRoundsStep([round(base, 3, ['latency.p99']), round(base, 4), round(base, 5)]);
    const p99 = once.checks.find((check) => check.id === 'latency.p99');
    expect(p99?.status).to.equal('pass');
    expect(p99?.message).to.include('failed in 1 of 3 candidate rounds');
    const twice = await candidateRoundsStep([round(base, 3, ['latency.p99']), round(base, 4, ['latency.p99']), round(base, 5)]);
    expect(twice.checks.find((check) => check.id === 'latency.p99')?.status).to.equal('fail');
    expect(twice.status).to.equal('fail');
  });

  it('fails the error rate in a single round, whichever round the step shows', async () => {
    const step = await candidateRoundsStep([round(base, 3, ['errors.rate']), round(base, 4), round(base, 5)]);
    const errors = step.checks.find((check) => check.id === 'errors.rate');
    expect(errors?.status).to.equal('fail');
    expect(errors?.message).to.include('failed in 1 of 3 candidate rounds');
    expect(step.details?.candidateRounds).to.equal(3);
  });

  it('reports an aborted round even when the median round ran to the end', async () => {
    const step = await candidateRoundsStep([{ ...round(base, 3), abortedReason: 'interrupted' }, round(base, 4), round(base, 5)]);
    expect(step.checks.find((check) => check.id === 'aborted')).to.include({ status: 'fail', message: 'interrupted' });
  });
});
