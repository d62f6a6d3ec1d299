import { expect } from 'chai';
import { eventLagByStage } from '../../../src/load/event-lag.js';

describe('load: event lag per stage', () => {
  it('puts each event in the stage whose window holds its XADD and takes its percentiles there', () => {
    const samples = [
      ...Array.from({ length: 100 }, (_, i) => ({ publishedMs: 1000 + i, lagMs: i < 99 ? 2 : 40 })),
      ...Array.from({ length: 10 }, (_, i) => ({ publishedMs: 2000 + i, lagMs: 90 })),
    ];
    const [ramp, sustain, idle] = eventLagByStage(samples, [
      { name: 'ramp', startMs: 1000, endMs: 2000 },
      { name: 'sustain', startMs: 2000, endMs: 3000 },
      { name: 'idle', startMs: 3000, endMs: 4000 },
    ]);
    expect(ramp?.lag.count).to.equal(100);
    expect(ramp?.lag.p50Ms).to.be.closeTo(2, 0.01);
    expect(ramp?.lag.maxMs).to.be.closeTo(40, 0.1);
    expect(sustain?.lag.count).to.equal(10);
    expect(sustain?.lag.p99Ms).to.be.closeTo(90, 0.1);
    expect(idle?.lag.count).to.equal(0);
  });
});
