import { performance } from 'node:perf_hooks';
import { arrivalSchedule, stageWindows } from './arrival-schedule.js';
import { baselineKey, compareWithBaseline, readBaseline, updateBaseline } from './baseline.js';
import type { BaselineChange, BaselineComparison, BaselineEntry } from './baseline.js';
import { encodeHistogram } from './latency-histogram.js';
import { createLoadRecorder } from './load-recorder.js';
import type { SecondPoint, StageStats } from './load-recorder.js';
import { runOpenModel } from './open-model-generator.js';
import type { OpenModelOutcome } from './open-model-generator.js';
import type { LoadProfile, Stage } from './profile.js';
import { targetRateOf } from './profile.js';
import { createRequestMix } from './request-mix.js';
import { evaluateResourceLimits, summarizeResources } from './resource-gates.js';
import type { ResourceCheck, ResourceSummary } from './resource-gates.js';
import { startResourceSampler } from './resource-sampler.js';
import type { ResourceRecording, ResourceTarget } from './resource-sampler.js';
import { assertTargetReachable, parseTarget } from './target.js';
import { evaluateThresholds, failingEarly } from './thresholds.js';
import type { ThresholdCheck } from './thresholds.js';

/** Live progress of a run, for a TTY line or one line per stage in CI. */
export type LoadProgress =
  | {
      readonly kind: 'tick';
      readonly elapsedMs: number;
      readonly totalMs: number;
      readonly stage: string;
      readonly targetRate: number;
      /** Successful responses in the last second. */
      readonly achievedRate: number;
      /** p99 so far in the current stage (scheduled-start latency). */
      readonly p99Ms: number;
      readonly sent: number;
      readonly errors: number;
      readonly dropped: number;
    }
  | {
      readonly kind: 'stage';
      readonly stage: string;
      readonly index: number;
      readonly of: number;
      readonly targetRate: number;
      readonly achievedRate: number;
      readonly p50Ms: number;
      readonly p99Ms: number;
      readonly completed: number;
      readonly errorRate: number;
    };

/** Options of {@link runLoad}. */
export interface RunLoadOptions {
  readonly profile: LoadProfile;
  /** Base URL of the service under load (loopback only). */
  readonly target: string;
  /** Processes to sample and gate; the generator itself is always added (reported, not gated). */
  readonly resources?: readonly ResourceTarget[];
  /** Baseline file to compare against; no comparison when absent. */
  readonly baselineFile?: string;
  /** Rewrite the baseline entry of this profile and rate with this run's numbers. */
  readonly updateBaseline?: boolean;
  readonly onProgress?: (progress: LoadProgress) => void;
  readonly signal?: AbortSignal;
}

/** The result of a load pass: what was measured and every gate's verdict. */
export interface LoadResult {
  /** True when every threshold, resource limit and baseline check passed and the run was not aborted. */
  readonly ok: boolean;
  readonly profile: {
    readonly name: string;
    readonly description: string;
    readonly source: string;
    readonly startRate: number;
    readonly targetRate: number;
    readonly stages: readonly Stage[];
    readonly thresholds: LoadProfile['thresholds'];
    readonly limits: LoadProfile['limits'];
    readonly baseline: LoadProfile['baseline'];
  };
  readonly target: string;
  readonly startedAt: string;
  readonly durationMs: number;
  /** Why the run stopped early (a threshold with abortOnFail, or an interrupt); null when it ran to the end. */
  readonly abortedReason: string | null;
  readonly generator: {
    readonly connections: number;
    readonly maxInFlight: number;
    readonly maxInFlightSeen: number;
    /** Requests still outstanding at the drain deadline (cancelled, counted as errors). */
    readonly abandoned: number;
  };
  readonly stages: readonly StageStats[];
  readonly total: StageStats;
  readonly series: readonly SecondPoint[];
  readonly thresholds: readonly ThresholdCheck[];
  readonly resources: {
    readonly cpus: number;
    readonly intervalMs: number;
    readonly summaries: readonly ResourceSummary[];
    readonly checks: readonly ResourceCheck[];
    readonly recording: ResourceRecording;
  };
  readonly baseline: (BaselineComparison & { readonly updated: readonly BaselineChange[] | null }) | null;
  /** One line per failed gate. */
  readonly findings: readonly string[];
}

/**
 * Runs one load pass against `target`: checks the target answers, drives the profile's stages
 * with the open-model generator while sampling resources, then evaluates thresholds (over the
 * threshold stage), resource limits and the baseline. Never prints; returns the result.
 */
export async function runLoad(options: RunLoadOptions): Promise<LoadResult> {
  const { profile } = options;
  const url = parseTarget(options.target);
  await assertTargetReachable(url);
  // Read the baseline before the run: a malformed file should fail in a second, not after 25 minutes.
  const baselineFile = options.baselineFile ? await readBaseline(options.baselineFile) : undefined;

  const schedule = arrivalSchedule(profile.stages, profile.startRate);
  const recorder = createLoadRecorder(profile.stages, schedule);
  const mix = createRequestMix(profile.mix, { data: profile.data });
  const windows = stageWindows(profile.stages);
  const gateIndex = profile.stages.findIndex((stage) => stage.name === profile.thresholds.stage);
  const gateWindow = windows[gateIndex] ?? { startMs: 0, endMs: schedule.durationMs };
  const origin = performance.now();
  const startedAt = new Date().toISOString();
  const sampler = await startResourceSampler([...(options.resources ?? []), { name: 'generator', pid: process.pid, role: 'generator', includeChildren: false }], {
    intervalMs: profile.sampleIntervalMs,
    origin,
  });

  let lastStage = 0;
  const emitStage = (index: number, nowMs: number) => {
    const stage = profile.stages[index];
    if (!stage) return;
    const soFar = recorder.stageSoFar(index, nowMs);
    options.onProgress?.({
      kind: 'stage',
      stage: stage.name,
      index,
      of: profile.stages.length,
      targetRate: stage.target,
      achievedRate: round(soFar.achievedRate),
      p50Ms: soFar.latency.p50Ms,
      p99Ms: soFar.latency.p99Ms,
      completed: soFar.completed,
      errorRate: soFar.errorRate,
    });
  };

  let outcome: OpenModelOutcome;
  try {
    outcome = await runOpenModel({
      baseUrl: url.origin,
      schedule,
      mix,
      recorder,
      connections: profile.connections,
      maxInFlight: profile.maxInFlight,
      requestTimeoutMs: profile.requestTimeoutMs,
      lateAfterMs: profile.lateAfterMs,
      now: () => performance.now() - origin,
      ...(options.signal ? { signal: options.signal } : {}),
      onSecond: (elapsedMs, snapshot) => {
        const stageIndex = Math.min(snapshot.stageIndex, profile.stages.length - 1);
        if (elapsedMs <= schedule.durationMs) {
          while (lastStage < stageIndex) emitStage(lastStage++, elapsedMs);
        }
        const current = recorder.stageSoFar(stageIndex, elapsedMs);
        options.onProgress?.({
          kind: 'tick',
          elapsedMs,
          totalMs: schedule.durationMs,
          stage: profile.stages[stageIndex]?.name ?? '',
          targetRate: round(schedule.rateAt(elapsedMs)),
          achievedRate: snapshot.lastSecondRate,
          p99Ms: current.latency.p99Ms,
          sent: snapshot.sent,
          errors: snapshot.errors,
          dropped: snapshot.dropped,
        });
        if (!profile.thresholds.abortOnFail || stageIndex !== gateIndex) return undefined;
        if (elapsedMs - gateWindow.startMs < profile.thresholds.abortGraceMs) return undefined;
        return failingEarly(profile.thresholds, current);
      },
    });
  } catch (error) {
    // The sampler must stop even when the run throws, or its interval keeps the process alive.
    await sampler.stop();
    throw error;
  }
  const recording = await sampler.stop();
  while (lastStage < profile.stages.length) emitStage(lastStage++, schedule.durationMs);

  const stages = recorder.stages();
  const gated = stages[gateIndex] ?? recorder.total();
  const targetRate = targetRateOf(profile);
  const thresholds = evaluateThresholds(
    profile.thresholds,
    { latency: gated.latency, achievedRate: gated.achievedRate, errorRate: gated.errorRate, completed: gated.completed },
    targetRate,
  );
  const summaries = summarizeResources(recording, gateWindow);
  const resourceChecks = evaluateResourceLimits(profile.limits, summaries, profile.thresholds.stage);

  let baseline: LoadResult['baseline'] = null;
  if (options.baselineFile && baselineFile) {
    const histogram = recorder.stageHistogram(gateIndex);
    const current: BaselineEntry = {
      profile: profile.name,
      stage: gated.name,
      targetRate: gated.targetRate,
      achievedRate: gated.achievedRate,
      p50Ms: gated.latency.p50Ms,
      p95Ms: gated.latency.p95Ms,
      p99Ms: gated.latency.p99Ms,
      requests: gated.completed,
      recordedAt: startedAt,
      histogram: histogram ? encodeHistogram(histogram) : '',
    };
    const entry = baselineFile.entries[baselineKey(profile.name, gated.targetRate)];
    const comparison = compareWithBaseline(options.baselineFile, entry, current, profile.baseline);
    const updated = options.updateBaseline && outcome.abortedReason === undefined ? await updateBaseline(options.baselineFile, current) : null;
    baseline = { ...comparison, updated };
  }

  const findings = [
    ...(outcome.abortedReason ? [`run aborted: ${outcome.abortedReason}`] : []),
    ...thresholds.filter((check) => !check.ok && !check.informational).map((check) => `threshold failed: ${check.description}, was ${describeActual(check.actual, check.unit)}`),
    ...resourceChecks.filter((check) => !check.ok).map((check) => `resource limit exceeded: ${check.description}, was ${describeActual(check.actual, check.unit)}`),
    ...(baseline && baseline.status === 'regressed' && !baseline.updated
      ? baseline.checks.filter((check) => !check.ok).map((check) => `regression against ${baseline.key}: ${check.id.replace('baseline.', '')} ${check.actual} vs baseline ${check.baseline} (allowed ${check.allowed})`)
      : []),
  ];

  return {
    ok: findings.length === 0,
    profile: {
      name: profile.name,
      description: profile.description,
      source: profile.source,
      startRate: profile.startRate,
      targetRate,
      stages: profile.stages,
      thresholds: profile.thresholds,
      limits: profile.limits,
      baseline: profile.baseline,
    },
    target: url.origin,
    startedAt,
    durationMs: Math.round(outcome.elapsedMs),
    abortedReason: outcome.abortedReason ?? null,
    generator: {
      connections: profile.connections,
      maxInFlight: profile.maxInFlight,
      maxInFlightSeen: outcome.maxInFlightSeen,
      abandoned: outcome.abandoned,
    },
    stages,
    total: recorder.total(),
    series: recorder.series(),
    thresholds,
    resources: { cpus: recording.cpus, intervalMs: recording.intervalMs, summaries, checks: resourceChecks, recording },
    baseline,
    findings,
  };
}

function describeActual(value: number, unit: string): string {
  if (unit === 'ratio') return `${(value * 100).toFixed(3)}%`;
  if (unit === 'bytes') return `${(value / 1e6).toFixed(1)} MB`;
  if (unit === 'bytes/s') return `${(value / 1e6).toFixed(2)} MB/s`;
  if (unit === '%') return `${value.toFixed(1)}%`;
  return `${value} ${unit}`;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
