import { expect } from 'chai';
import { arrivalSchedule, stageWindows } from '../../../src/load/index.js';

const times = (schedule: ReturnType<typeof arrivalSchedule>): number[] => {
  const result: number[] = [];
  for (let i = 1; ; i++) {
    const t = schedule.timeOf(i);
    if (t === undefined) return result;
    result.push(t);
  }
};

describe('arrivalSchedule', () => {
  it('spaces a constant rate evenly, never in bursts', () => {
    const schedule = arrivalSchedule([{ name: 'sustain', durationMs: 2000, target: 500 }], 500);
    const all = times(schedule);
    expect(all).to.have.length(1000);
    expect(all[0]).to.be.closeTo(1, 1e-9);
    const gaps = all.slice(1).map((t, i) => t - (all[i] ?? 0));
    for (const gap of gaps) expect(gap).to.be.closeTo(2, 1e-6);
  });

  it('plans ∫ r dt arrivals for a ramp and packs them towards the high end', () => {
    const schedule = arrivalSchedule([{ name: 'ramp-up', durationMs: 10_000, target: 100 }]);
    expect(schedule.totalArrivals).to.equal(500);
    const all = times(schedule);
    expect(all).to.have.length(500);
    const firstHalf = all.filter((t) => t < 5000).length;
    // ∫₀⁵ 10t dt = 125 of the 500 arrivals fall in the first half of a linear ramp from 0.
    expect(firstHalf).to.be.within(124, 126);
  });

  it('keeps arrivals increasing across ramp-up, sustain and ramp-down', () => {
    const stages = [
      { name: 'ramp-up', durationMs: 8000, target: 500 },
      { name: 'sustain', durationMs: 15_000, target: 500 },
      { name: 'ramp-down', durationMs: 7000, target: 0 },
    ];
    const schedule = arrivalSchedule(stages);
    const all = times(schedule);
    expect(all).to.have.length(2000 + 7500 + 1750);
    for (let i = 1; i < all.length; i++) expect(all[i]).to.be.at.least(all[i - 1] ?? 0);
    const windows = stageWindows(stages);
    const inSustain = all.filter((t) => t >= (windows[1]?.startMs ?? 0) && t < (windows[1]?.endMs ?? 0)).length;
    expect(inSustain).to.be.within(7499, 7501);
    expect(all[all.length - 1]).to.be.at.most(30_000);
  });

  it('reports the planned rate and the stage at any instant', () => {
    const schedule = arrivalSchedule([
      { name: 'ramp-up', durationMs: 1000, target: 100 },
      { name: 'sustain', durationMs: 1000, target: 100 },
    ]);
    expect(schedule.rateAt(500)).to.be.closeTo(50, 1e-9);
    expect(schedule.rateAt(1500)).to.equal(100);
    expect(schedule.stageAt(999)).to.equal(0);
    expect(schedule.stageAt(1000)).to.equal(1);
    expect(schedule.stageAt(5000)).to.equal(1);
    expect(schedule.arrivalsBetween(0, 1000)).to.be.closeTo(50, 1e-9);
  });

  it('answers lookups out of order (the cursor rewinds)', () => {
    const schedule = arrivalSchedule([
      { name: 'a', durationMs: 1000, target: 10 },
      { name: 'b', durationMs: 1000, target: 10 },
    ], 10);
    const late = schedule.timeOf(15);
    const early = schedule.timeOf(2);
    expect(late).to.be.closeTo(1450, 1e-6);
    expect(early).to.be.closeTo(150, 1e-6);
    expect(schedule.timeOf(0)).to.equal(undefined);
    expect(schedule.timeOf(21)).to.equal(undefined);
  });
});
