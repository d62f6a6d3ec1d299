import { stageWindows } from './arrival-schedule.js';
import type { BaselineEntry } from './baseline.js';
import { cpuCostPerRequest } from './cpu-cost.js';
import type { CpuCost } from './cpu-cost.js';
import type { LoadRecorder, StageStats } from './load-recorder.js';
import type { LoadResult } from './load-result.js';
import type { OpenModelOutcome } from './open-model-generator.js';
import type { LoadProfile } from './profile.js';
import { targetRateOf } from './profile.js';
import { evaluateResourceLimits, summarizeResources } from './resource-gates.js';
import type { ResourceRecording } from './resource-sampler.js';
import { evaluateThresholds } from './thresholds.js';

/** The baseline entry describing a stage of this run. */
export function baselineEntryOf(profile: string, stage: StageStats, recordedAt: string, histogram: string, cpu?: CpuCost): BaselineEntry {
  return {
    profile,
    stage: stage.name,
    targetRate: stage.targetRate,
    achievedRate: stage.achievedRate,
    p50Ms: stage.latency.p50Ms,
    p95Ms: stage.latency.p95Ms,
    p99Ms: stage.latency.p99Ms,
    requests: stage.completed,
    recordedAt,
    histogram,
    ...(cpu && Object.keys(cpu.services).length > 0 ? { cpu } : {}),
  };
}

/** What {@link evaluateRun} turns into a result. */
export interface RunMeasurements {
  readonly profile: LoadProfile;
  readonly target: string;
  readonly startedAt: string;
  readonly outcome: OpenModelOutcome;
  readonly recorder: LoadRecorder;
  readonly recording: ResourceRecording;
  readonly baseline: LoadResult['baseline'];
}

/** Evaluates thresholds (over the threshold stage) and resource limits, and collects the findings. */
export function evaluateRun(run: RunMeasurements): LoadResult {
  const { profile, outcome, recorder, recording, baseline } = run;
  const stages = recorder.stages();
  const gateIndex = profile.stages.findIndex((stage) => stage.name === profile.thresholds.stage);
  const gated = stages[gateIndex] ?? recorder.total();
  const gateWindow = stageWindows(profile.stages)[gateIndex] ?? { startMs: 0, endMs: gated.durationMs };
  const targetRate = targetRateOf(profile);
  const thresholds = evaluateThresholds(
    profile.thresholds,
    { latency: gated.latency, achievedRate: gated.achievedRate, errorRate: gated.errorRate, completed: gated.completed },
    targetRate,
  );
  const summaries = summarizeResources(recording, gateWindow);
  const resourceChecks = evaluateResourceLimits(profile.limits, summaries, profile.thresholds.stage);

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
    target: run.target,
    startedAt: run.startedAt,
    planStartedAt: new Date(Date.parse(run.startedAt) + outcome.planStartMs).toISOString(),
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
    cpu: cpuCostPerRequest(summaries, { durationMs: gateWindow.endMs - gateWindow.startMs, completed: gated.completed }),
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
