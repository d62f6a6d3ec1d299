import { expect } from 'chai';
import { arrivalSchedule, createLoadRecorder } from '../../../src/load/index.js';
import type { Completion } from '../../../src/load/index.js';

const stages = [
  { name: 'ramp-up', durationMs: 1000, target: 100 },
  { name: 'sustain', durationMs: 2000, target: 100 },
];

const done = (overrides: Partial<Completion>): Completion => ({
  endpoint: 'GET /',
  intendedMs: 0,
  sentMs: 0,
  endMs: 1,
  ok: true,
  status: 200,
  errorKind: undefined,
  ...overrides,
});

describe('createLoadRecorder', () => {
  it('puts a request in the stage its scheduled start fell in, whenever it completed', () => {
    const recorder = createLoadRecorder(stages, arrivalSchedule(stages));
    recorder.sent(900, false);
    recorder.complete(done({ intendedMs: 900, sentMs: 900, endMs: 1400 }));
    const [rampUp, sustain] = recorder.stages();
    expect(rampUp?.completed).to.equal(1);
    expect(sustain?.completed).to.equal(0);
  });

  it('measures latency from the scheduled start (corrected) and from the send (uncorrected)', () => {
    const recorder = createLoadRecorder(stages, arrivalSchedule(stages));
    // Sent 200 ms late because the generator was held up: the user still waited 210 ms.
    recorder.sent(1500, true);
    recorder.complete(done({ intendedMs: 1500, sentMs: 1700, endMs: 1710 }));
    const sustain = recorder.stages()[1];
    expect(sustain?.latency.p99Ms).to.be.closeTo(210, 0.5);
    expect(sustain?.uncorrected.p99Ms).to.be.closeTo(10, 0.05);
    expect(sustain?.late).to.equal(1);
  });

  it('counts the achieved rate by completion time within the stage window', () => {
    const recorder = createLoadRecorder(stages, arrivalSchedule(stages));
    for (let i = 0; i < 100; i++) {
      const at = 1000 + i * 20;
      recorder.sent(at, false);
      recorder.complete(done({ intendedMs: at, sentMs: at, endMs: at + 5 }));
    }
    // One response completes after the plan ended: it counts as sent, not as achieved in time.
    recorder.sent(2990, false);
    recorder.complete(done({ intendedMs: 2990, sentMs: 2990, endMs: 3500 }));
    const sustain = recorder.stages()[1];
    expect(sustain?.sent).to.equal(101);
    expect(sustain?.achievedRate).to.equal(50);
    expect(sustain?.sentRate).to.equal(50.5);
  });

  it('counts errors by kind and status, dropped arrivals separately', () => {
    const recorder = createLoadRecorder(stages, arrivalSchedule(stages));
    recorder.sent(1100, false);
    recorder.complete(done({ intendedMs: 1100, ok: false, status: 503, errorKind: 'HTTP 503', endMs: 1105 }));
    recorder.sent(1200, false);
    recorder.complete(done({ intendedMs: 1200, ok: false, status: undefined, errorKind: 'timeout', endMs: 1300 }));
    recorder.sent(1300, false);
    recorder.complete(done({ intendedMs: 1300, endMs: 1301 }));
    recorder.dropped(1400);
    const sustain = recorder.stages()[1];
    expect(sustain?.errors).to.equal(2);
    expect(sustain?.errorRate).to.be.closeTo(2 / 3, 1e-9);
    expect(sustain?.errorKinds).to.deep.equal({ 'HTTP 503': 1, timeout: 1 });
    expect(sustain?.statuses).to.deep.equal({ 200: 1, 503: 1, none: 1 });
    expect(sustain?.dropped).to.equal(1);
  });

  it('keeps per-endpoint histograms per stage and for the total', () => {
    const recorder = createLoadRecorder(stages, arrivalSchedule(stages));
    recorder.sent(1100, false);
    recorder.complete(done({ endpoint: 'POST /orders', intendedMs: 1100, endMs: 1150 }));
    recorder.sent(1200, false);
    recorder.complete(done({ endpoint: 'GET /orders/{id}', intendedMs: 1200, endMs: 1202 }));
    const sustain = recorder.stages()[1];
    expect(sustain?.endpoints.map((e) => e.endpoint)).to.deep.equal(['GET /orders/{id}', 'POST /orders']);
    expect(sustain?.endpoints[1]?.latency.p50Ms).to.be.closeTo(50, 0.1);
    expect(recorder.total().endpoints).to.have.length(2);
  });

  it('builds a per-second series with each second\'s own percentiles', () => {
    const recorder = createLoadRecorder(stages, arrivalSchedule(stages));
    for (let i = 0; i < 10; i++) {
      recorder.sent(1000 + i * 10, false);
      recorder.complete(done({ intendedMs: 1000 + i * 10, endMs: 1000 + i * 10 + 2 }));
      recorder.sent(2000 + i * 10, false);
      recorder.complete(done({ intendedMs: 2000 + i * 10, endMs: 2000 + i * 10 + 200 }));
    }
    recorder.settle(10_000);
    const series = recorder.series();
    expect(series.map((p) => p.t)).to.deep.equal([0, 1, 2]);
    expect(series[1]?.stage).to.equal('sustain');
    expect(series[1]?.p99Ms).to.be.closeTo(2, 0.1);
    expect(series[2]?.p99Ms).to.be.closeTo(200, 2);
    expect(series[1]?.targetRate).to.equal(100);
    expect(series[0]?.targetRate).to.equal(50);
  });
});
