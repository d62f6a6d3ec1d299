import { expect } from 'chai';
import { pairedVerdict } from '../../../src/load/index.js';
import type { MeasureSpec, PairedRound } from '../../../src/load/index.js';

const specs: MeasureSpec[] = [
  { id: 'sustain.p50', description: 'sustain p50', unit: 'ms', better: 'lower', band: 0.15 },
  { id: 'cpu.service-b', description: 'service-b CPU per request', unit: 'ms/request', better: 'lower', band: 0.15 },
  { id: 'rate', description: 'achieved rate', unit: 'req/s', better: 'higher', band: 0.1 },
];

/** Round-to-round wobble that is the same for both builds of a pair (the machine's drift) plus a little of each build's own. */
const WOBBLE = [1.0, 1.3, 0.8, 1.1, 0.9, 1.25, 0.85, 1.05];
const OWN = [0.02, -0.03, 0.01, -0.01, 0.03, -0.02, 0.0, 0.01];

function rounds(n: number, candidateFactor: { p50?: number; cpu?: number; rate?: number }, own = OWN): PairedRound[] {
  return Array.from({ length: n }, (_, i) => {
    const drift = WOBBLE[i % WOBBLE.length] as number;
    const jitter = own[i % own.length] as number;
    return {
      baseline: { 'sustain.p50': 4 * drift, 'cpu.service-b': 0.8 * drift, rate: 200 },
      candidate: { 'sustain.p50': 4 * drift * (candidateFactor.p50 ?? 1) * (1 + jitter), 'cpu.service-b': 0.8 * drift * (candidateFactor.cpu ?? 1) * (1 + jitter), rate: 200 * (candidateFactor.rate ?? 1) },
    };
  });
}

const outcomes = (verdict: ReturnType<typeof pairedVerdict>) => Object.fromEntries(verdict.measures.map((measure) => [measure.id, measure.outcome]));

describe('paired A/B verdict', () => {
  it('calls a clear regression when the whole interval lies above the band, whatever the machine did', () => {
    const verdict = pairedVerdict(specs, rounds(4, { p50: 2.2, cpu: 1.3 }));
    expect(verdict.outcome).to.equal('regression');
    expect(outcomes(verdict)).to.deep.equal({ 'sustain.p50': 'regression', 'cpu.service-b': 'regression', rate: 'within' });
    const cpu = verdict.measures.find((measure) => measure.id === 'cpu.service-b');
    expect(cpu?.ratio).to.be.closeTo(1.3, 0.02);
    expect(cpu?.low).to.be.greaterThan(1.15);
    expect(cpu?.rounds).to.equal(4);
    // Decided: no more pairs are asked for, even with a measure still open (the rate scattering across its band).
    const open = rounds(4, { cpu: 1.3 }).map((round, i) => ({ ...round, candidate: { ...round.candidate, rate: 200 * (i % 2 === 0 ? 0.8 : 1.2) } }));
    const early = pairedVerdict(specs, open, { maxRounds: 8 });
    expect(outcomes(early)).to.include({ 'cpu.service-b': 'regression', rate: 'inconclusive' });
    expect(early.wantsMoreRounds).to.equal(false);
  });

  it('calls a clear improvement only when the interval lies below the band', () => {
    const verdict = pairedVerdict(specs, rounds(4, { p50: 0.6, cpu: 0.7 }));
    expect(outcomes(verdict)).to.deep.equal({ 'sustain.p50': 'improvement', 'cpu.service-b': 'improvement', rate: 'within' });
    expect(verdict.outcome).to.equal('improvement');
    // A throughput is better higher: a lower rate is the regression.
    expect(outcomes(pairedVerdict(specs, rounds(4, { rate: 0.7 }))).rate).to.equal('regression');
  });

  it('calls noise alone within the band: the machine drifting 0.8-1.3x between rounds cancels within each pair', () => {
    const verdict = pairedVerdict(specs, rounds(6, {}));
    expect(verdict.outcome).to.equal('within');
    expect(verdict.wantsMoreRounds).to.equal(false);
    for (const measure of verdict.measures) expect(measure.high).to.be.lessThan(1.15);
  });

  it('is inconclusive, never a pass or an improvement, when a small slowdown straddles the band after the maximum rounds', () => {
    // Candidate 12 % slower with ±10 % of its own noise: the interval reaches over the 15 % edge.
    const noisy = [0.1, -0.1, 0.08, -0.09, 0.1, -0.08, 0.09, -0.1];
    const verdict = pairedVerdict([specs[0] as MeasureSpec], rounds(8, { p50: 1.12 }, noisy), { maxRounds: 8 });
    expect(verdict.measures[0]?.outcome).to.equal('inconclusive');
    expect(verdict.measures[0]?.low).to.be.lessThan(1.15);
    expect(verdict.measures[0]?.high).to.be.greaterThan(1.15);
    expect(verdict.outcome).to.equal('inconclusive');
    expect(verdict.wantsMoreRounds).to.equal(false);
    // With rounds to spare the caller is asked for another pair instead.
    expect(pairedVerdict([specs[0] as MeasureSpec], rounds(5, { p50: 1.12 }, noisy), { maxRounds: 8 }).wantsMoreRounds).to.equal(true);
  });

  it('gives no verdict on too few rounds, even a glaring one, and asks for more', () => {
    const verdict = pairedVerdict(specs, rounds(2, { p50: 3 }));
    expect(verdict.outcome).to.equal('too-few-rounds');
    expect(verdict.wantsMoreRounds).to.equal(true);
    expect(verdict.measures.every((measure) => measure.outcome === 'too-few-rounds')).to.equal(true);
    expect(Number.isNaN(pairedVerdict(specs, []).measures[0]?.ratio)).to.equal(true);
  });

  it('gives the same interval for the same rounds (fixed seed)', () => {
    const input = rounds(5, { p50: 1.1 });
    expect(pairedVerdict(specs, input)).to.deep.equal(pairedVerdict(specs, input));
  });
});
