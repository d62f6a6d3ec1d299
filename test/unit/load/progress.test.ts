import { expect } from 'chai';
import { progressPrinter } from '../../../src/load/index.js';
import type { LoadProgress } from '../../../src/load/index.js';

const tick: LoadProgress = { kind: 'tick', elapsedMs: 12_300, totalMs: 30_000, stage: 'sustain', targetRate: 500, achievedRate: 498, p99Ms: 12.5, sent: 4000, errors: 1, dropped: 0 };
const stage: LoadProgress = { kind: 'stage', stage: 'ramp-up', index: 0, of: 3, targetRate: 500, achievedRate: 247.5, p50Ms: 1.2, p99Ms: 30.1, completed: 2000, errorRate: 0 };

function capture(isTTY: boolean) {
  const chunks: string[] = [];
  return { stream: { isTTY, write: (text: string) => chunks.push(text) }, chunks };
}

describe('progressPrinter', () => {
  it('redraws one live line on a terminal', () => {
    const { stream, chunks } = capture(true);
    const printer = progressPrinter(stream, {});
    printer.onProgress(tick);
    printer.onProgress(stage);
    printer.done();
    expect(chunks[0]).to.equal('\r\u001b[2Kload sustain      12s/30s  target   500/s  achieved   498/s  p99    12.5 ms  errors 1');
    expect(chunks).to.include('load stage 1/3 ramp-up: target 500/s, achieved 247.5/s, p50 1.20 ms, p99 30.10 ms, 2000 requests, errors 0.00%\n');
  });

  it('prints only one line per stage in CI or when not a terminal', () => {
    for (const [isTTY, env] of [[true, { CI: 'true' }], [false, {}]] as const) {
      const { stream, chunks } = capture(isTTY);
      const printer = progressPrinter(stream, env);
      printer.onProgress(tick);
      printer.onProgress(stage);
      printer.done();
      expect(chunks).to.deep.equal(['load stage 1/3 ramp-up: target 500/s, achieved 247.5/s, p50 1.20 ms, p99 30.10 ms, 2000 requests, errors 0.00%\n']);
    }
  });
});
