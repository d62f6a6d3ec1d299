import { EXAMPLE_ROOT } from '../../support/accord.js';
import { arrivalSchedule, createLoadRecorder, evaluateRun, loadProfile } from '../../../src/load/index.js';
import type { LoadResult, ResourceSample } from '../../../src/load/index.js';

/**
 * A load result assembled by the real evaluation from synthetic measurements of the smoke
 * profile: steady 2 ms responses, with a 300 ms stall in second 12 (so p99 shows it).
 */
export async function sampleResult(options: { memoryLimit?: number } = {}): Promise<LoadResult> {
  const smoke = await loadProfile('smoke', { cwd: EXAMPLE_ROOT });
  const profile = options.memoryLimit === undefined ? smoke : { ...smoke, limits: { ...smoke.limits, memoryBytes: options.memoryLimit } };
  const schedule = arrivalSchedule(profile.stages, profile.startRate);
  const recorder = createLoadRecorder(profile.stages, schedule);
  const endpoints = ['POST /orders', 'GET /orders/{id}', 'DELETE /orders/{id}'];
  for (let i = 1; ; i++) {
    const at = schedule.timeOf(i);
    if (at === undefined) break;
    const stalled = at >= 12_000 && at < 12_300;
    recorder.sent(at, false);
    recorder.complete({ endpoint: endpoints[i % 3] ?? '', intendedMs: at, sentMs: at, endMs: at + (stalled ? 12_300 - at + 2 : 2), ok: i % 2000 !== 0, status: i % 2000 === 0 ? 503 : 200, errorKind: i % 2000 === 0 ? 'HTTP 503' : undefined });
  }
  recorder.settle(Number.MAX_SAFE_INTEGER);
  const samples = (cpu: number, rss: number): ResourceSample[] =>
    Array.from({ length: 30 }, (_, t) => ({ t: t + 1, cpuMachinePercent: cpu, cpuCorePercent: cpu * 2, rssBytes: rss, readBytesPerSecond: 0, writeBytesPerSecond: 20_000, processes: 1 }));
  return evaluateRun({
    profile,
    target: 'http://127.0.0.1:8001',
    startedAt: '2026-11-23T12:00:00.000Z',
    outcome: { elapsedMs: 30_400, planStartMs: 0, abortedReason: undefined, maxInFlightSeen: 150, abandoned: 0 },
    recorder,
    recording: {
      intervalMs: 1000,
      cpus: 2,
      machine: [],
      series: [
        { name: 'service-a', pid: 101, role: 'service', samples: samples(12, 120e6) },
        { name: 'postgres', pid: 103, role: 'backing', samples: samples(9, 300e6) },
        { name: 'generator', pid: 100, role: 'generator', samples: samples(15, 200e6) },
      ],
    },
    baseline: null,
  });
}
