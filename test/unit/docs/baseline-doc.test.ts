import { expect } from 'chai';
import { renderBaselineDoc } from '../../../src/docs/index.js';

describe('renderBaselineDoc', () => {
  const entry = { profile: 'smoke', stage: 'sustain', targetRate: 200, achievedRate: 200.1, p50Ms: 4.2, p95Ms: 12, p99Ms: 30, requests: 3000, recordedAt: '2026-01-01T00:00:00.000Z' };

  it('lists the latest run of each entry, and its CPU per request by process where it was kept', () => {
    const page = renderBaselineDoc({ entries: { 'smoke@200': { ...entry, cpu: { services: { 'service-b': 0.9071 }, backing: { postgres: 0.8 } } } } }, 'docs/performance-baseline.json');
    expect(page).to.include('| smoke@200 | sustain | 200/s | 200.1/s | 4.2 ms | 12.0 ms | 30.0 ms | 3000 | 2026-01-01T00:00:00.000Z |');
    expect(page).to.include('| smoke@200 | service-b | service | 0.907 ms |');
    expect(page).to.include('| smoke@200 | postgres | backing store | 0.800 ms |');
  });

  it('has no CPU table for a file recorded before CPU was kept', () => {
    expect(renderBaselineDoc({ entries: { 'smoke@200': entry } }, 'b.json')).not.to.include('CPU per completed request');
  });
});
