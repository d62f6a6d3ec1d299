import { expect } from 'chai';
import { DEFAULT_THRESHOLDS, evaluateThresholds, failingEarly, summarize, newLatencyHistogram, recordMs } from '../../../src/load/index.js';

function latency(values: number[]) {
  const histogram = newLatencyHistogram();
  for (const value of values) recordMs(histogram, value);
  return summarize(histogram);
}

const fast = latency(Array.from({ length: 1000 }, (_, i) => 1 + (i % 10)));
const slow = latency(Array.from({ length: 1000 }, () => 150));
const tail = latency(Array.from({ length: 1000 }, (_, i) => (i % 50 === 0 ? 1500 : 2)));

describe('evaluateThresholds', () => {
  it('passes a fast, error-free stage at the target rate', () => {
    const checks = evaluateThresholds(DEFAULT_THRESHOLDS, { latency: fast, achievedRate: 500, errorRate: 0, completed: 1000 }, 500);
    expect(checks.map((check) => check.id)).to.deep.equal(['latency.p50', 'latency.p95', 'latency.p99', 'rate.min', 'rate.target', 'errors.rate']);
    expect(checks.every((check) => check.ok)).to.equal(true);
  });

  it('fails p50 for a slow stage and p99 for a stage with a tail', () => {
    const slowChecks = evaluateThresholds({ ...DEFAULT_THRESHOLDS, p50Ms: 100 }, { latency: slow, achievedRate: 500, errorRate: 0, completed: 1000 }, 500);
    expect(slowChecks.find((c) => c.id === 'latency.p50')?.ok).to.equal(false);
    const tailChecks = evaluateThresholds(DEFAULT_THRESHOLDS, { latency: tail, achievedRate: 500, errorRate: 0, completed: 1000 }, 500);
    expect(tailChecks.find((c) => c.id === 'latency.p99')?.ok).to.equal(false);
    expect(tailChecks.find((c) => c.id === 'latency.p50')?.ok).to.equal(true);
  });

  it('fails the minimum rate and the error rate, and only reports the target', () => {
    const checks = evaluateThresholds(DEFAULT_THRESHOLDS, { latency: fast, achievedRate: 90, errorRate: 0.002, completed: 1000 }, 500);
    expect(checks.find((c) => c.id === 'rate.min')?.ok).to.equal(false);
    expect(checks.find((c) => c.id === 'errors.rate')?.ok).to.equal(false);
    const target = checks.find((c) => c.id === 'rate.target');
    expect(target?.ok).to.equal(false);
    expect(target?.informational).to.equal(true);
  });

  it('fails when nothing completed: an unmeasured latency is not a good one', () => {
    const checks = evaluateThresholds(DEFAULT_THRESHOLDS, { latency: latency([]), achievedRate: 0, errorRate: 0, completed: 0 }, 500);
    expect(checks.filter((c) => !c.ok && !c.informational).map((c) => c.id)).to.deep.equal(['latency.p50', 'latency.p95', 'latency.p99', 'rate.min', 'errors.rate']);
  });

  it('names the failing thresholds for an early abort, ignoring the rate', () => {
    expect(failingEarly(DEFAULT_THRESHOLDS, { latency: fast, achievedRate: 1, errorRate: 0, completed: 10 })).to.equal(undefined);
    expect(failingEarly(DEFAULT_THRESHOLDS, { latency: tail, achievedRate: 500, errorRate: 0, completed: 1000 })).to.match(/p99 < 1000 ms over sustain \(was 1500 ms\)/);
  });
});
