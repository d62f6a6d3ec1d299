import type { LoadProfile } from './profile.js';
import { BUILT_IN } from './profile-loader.js';
import { formatBytes, formatDuration } from './units.js';

/** One value of a resolved profile: its YAML key, the value as the pass uses it, and where it came from. */
export interface ProfileValue {
  readonly key: string;
  readonly value: string;
  readonly from: string;
}

/** The resolved profile, key by key, with the origin of each value (`accord load --dry-run`). */
export function describeProfile(profile: LoadProfile): ProfileValue[] {
  const t = profile.thresholds;
  const l = profile.limits;
  const values: [string, string][] = [
    ['description', profile.description || '(none)'],
    ['service', profile.service ?? '(none: --target only)'],
    ['startRate', `${profile.startRate}/s`],
    ['stages', profile.stages.map((stage) => `${stage.name} ${formatDuration(stage.durationMs)} → ${stage.target}/s`).join(', ')],
    ['mix', profile.mix.map((request) => `${request.name} ×${request.weight}`).join(', ')],
    ['seed', profile.seedSql === undefined ? '(none)' : `${profile.seedSql.trim().split('\n').length} line(s) of SQL`],
    ['data', Object.entries(profile.data).map(([name, list]) => `${name}: ${list.length} value(s)`).join(', ') || '(none)'],
    ['warmup', `${profile.warmupRequests} request(s)`],
    ['connections', String(profile.connections)],
    ['maxInFlight', String(profile.maxInFlight)],
    ['requestTimeout', formatDuration(profile.requestTimeoutMs)],
    ['lateAfter', formatDuration(profile.lateAfterMs)],
    ['sampleInterval', formatDuration(profile.sampleIntervalMs)],
    ['thresholds.stage', t.stage],
    ['thresholds.p50', `${t.p50Ms} ms`],
    ['thresholds.p95', `${t.p95Ms} ms`],
    ['thresholds.p99', `${t.p99Ms} ms`],
    ['thresholds.minRate', `${t.minRate}/s`],
    ['thresholds.targetRate', t.targetRate === undefined ? '(none)' : `${t.targetRate}/s`],
    ['thresholds.maxErrorRate', String(t.maxErrorRate)],
    ['thresholds.abortOnFail', String(t.abortOnFail)],
    ['thresholds.abortGrace', formatDuration(t.abortGraceMs)],
    ['limits.cpuPercent', `${l.cpuPercent}%`],
    ['limits.cpuOf', l.cpuOf],
    ['limits.memory', formatBytes(l.memoryBytes)],
    ['limits.diskIo', `${formatBytes(l.diskBytesPerSecond)}/s`],
    ['baseline.tolerance', String(profile.baseline.tolerance)],
    ['baseline.minDelta', `${profile.baseline.minDeltaMs} ms`],
    ['baseline.medianTolerance', String(profile.baseline.medianTolerance)],
    ['baseline.medianMinDelta', `${profile.baseline.medianMinDeltaMs} ms`],
    ['baseline.cpuShareTolerance', String(profile.baseline.cpuShareTolerance)],
  ];
  return values.map(([key, value]) => ({ key, value, from: profile.origins?.[key] ?? BUILT_IN }));
}
