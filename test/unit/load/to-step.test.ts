import { expect } from 'chai';
import { toLoadStep } from '../../../src/load/index.js';
import { sampleResult } from './sample-result.js';

describe('toLoadStep', () => {
  it('thresholds and resource gates are checks with measured {actual, limit, unit}; the charts are SVG', async () => {
    const result = await sampleResult();
    const step = await toLoadStep(result, { files: ['reports/load/load-smoke.json'] });
    expect(step.id).to.equal('load');
    const p99 = step.checks.find((check) => check.id === 'latency.p99');
    expect(p99?.measured).to.deep.equal({ actual: result.thresholds.find((t) => t.id === 'latency.p99')?.actual, limit: 1000, unit: 'ms' });
    const resources = step.checks.filter((check) => check.id.startsWith('resource.'));
    expect(resources.length).to.equal(result.resources.checks.length).and.to.be.greaterThan(0);
    expect(resources.every((check) => check.measured !== undefined)).to.equal(true);
    const charts = step.details?.charts as { title: string; svg: string }[];
    expect(charts.length).to.be.greaterThanOrEqual(2);
    expect(charts.every((chart) => chart.svg.startsWith('<svg'))).to.equal(true);
  });

  it('a memory limit the pass exceeds fails the step, naming the process', async () => {
    const step = await toLoadStep(await sampleResult({ memoryLimit: 1000 }));
    expect(step.status).to.equal('fail');
    expect(step.checks.filter((check) => check.status === 'fail').some((check) => check.id.startsWith('resource.memory'))).to.equal(true);
  });
});
