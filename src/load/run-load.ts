import { performance } from 'node:perf_hooks';
import { arrivalSchedule, stageWindows } from './arrival-schedule.js';
import { baselineKey, compareWithBaseline, readBaseline, updateBaseline } from './baseline.js';
import { baselineEntryOf, evaluateRun } from './evaluate-run.js';
import { encodeHistogram } from './latency-histogram.js';
import { createLoadRecorder } from './load-recorder.js';
import type { LoadProgress, LoadResult } from './load-result.js';
import { runOpenModel } from './open-model-generator.js';
import type { OpenModelOutcome } from './open-model-generator.js';
import type { LoadProfile } from './profile.js';
import { createRequestMix } from './request-mix.js';
import { startResourceSampler } from './resource-sampler.js';
import type { ResourceRecording, ResourceTarget } from './resource-sampler.js';
import { assertTargetReachable, parseTarget } from './target.js';
import { failingEarly } from './thresholds.js';
import { roundTo } from './round-to.js';

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

/**
 * Runs one load pass against `target`: checks the target answers, drives the profile's stages
 * with the open-model generator while sampling resources, then evaluates thresholds (over the
 * threshold stage), resource limits and the baseline. Never prints; returns the result.
 */
// eslint-disable-next-line max-lines-per-function -- the load pass's steps in order (check, drive, sample, evaluate) share the sampler and its teardown
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
      achievedRate: roundTo(soFar.achievedRate, 1),
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
      warmupRequests: profile.warmupRequests,
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
          targetRate: roundTo(schedule.rateAt(elapsedMs), 1),
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
  // Sample times count from the sampler's start; the plan started after the warm-up.
  const recording = shiftRecording(await sampler.stop(), outcome.planStartMs / 1000);
  while (lastStage < profile.stages.length) emitStage(lastStage++, schedule.durationMs);

  const gated = recorder.stages()[gateIndex] ?? recorder.total();
  const measured = { profile, target: url.origin, startedAt, outcome, recorder, recording };
  const unjudged = evaluateRun({ ...measured, baseline: null });
  if (!options.baselineFile || !baselineFile) return unjudged;
  const histogram = recorder.stageHistogram(gateIndex);
  const current = baselineEntryOf(profile.name, gated, startedAt, histogram ? encodeHistogram(histogram) : '', unjudged.cpu);
  const entry = baselineFile.entries[baselineKey(profile.name, gated.targetRate)];
  const comparison = compareWithBaseline(options.baselineFile, entry, current, profile.baseline);
  // Only a run that passed its own gates may become the yardstick for later runs.
  const passedGates = unjudged.ok;
  const updated = options.updateBaseline && passedGates ? await updateBaseline(options.baselineFile, current) : null;
  const result = evaluateRun({ ...measured, baseline: { ...comparison, updated } });
  if (!options.updateBaseline || passedGates) return result;
  return { ...result, findings: [...result.findings, `baseline not updated: a run that fails its thresholds or limits cannot become the baseline`] };
}

/** The recording with every sample time moved `seconds` earlier (to the plan's time 0). */
function shiftRecording(recording: ResourceRecording, seconds: number): ResourceRecording {
  const shift = (t: number) => Math.round((t - seconds) * 1000) / 1000;
  return {
    ...recording,
    series: recording.series.map((series) => ({ ...series, samples: series.samples.map((sample) => ({ ...sample, t: shift(sample.t) })) })),
    machine: recording.machine.map((point) => ({ ...point, t: shift(point.t) })),
  };
}
