import type { Histogram } from 'hdr-histogram-js';
import type { ArrivalSchedule } from './arrival-schedule.js';
import { newLatencyHistogram, recordMs, summarize } from './latency-histogram.js';
import type { LatencySummary } from './latency-histogram.js';
import type { Stage } from './profile.js';
import { roundTo } from './round-to.js';

/** What happened to one request, in ms since the run started. */
export interface Completion {
  readonly endpoint: string;
  /** When the request was scheduled to start (the open-model arrival time). */
  readonly intendedMs: number;
  /** When it was actually handed to the client. */
  readonly sentMs: number;
  readonly endMs: number;
  readonly ok: boolean;
  readonly status: number | undefined;
  /** Why it failed: `HTTP 503`, `timeout`, `ECONNREFUSED`, … */
  readonly errorKind: string | undefined;
}

/** Counts and latencies of one endpoint within a stage (or the whole run). */
export interface EndpointStats {
  readonly endpoint: string;
  readonly requests: number;
  readonly errors: number;
  /** Latency from the scheduled start (coordinated-omission correct). */
  readonly latency: LatencySummary;
}

/** Everything measured in one stage; requests belong to the stage their scheduled start fell in. */
export interface StageStats {
  readonly name: string;
  readonly startMs: number;
  readonly durationMs: number;
  /** Planned arrivals per second at the end of the stage. */
  readonly targetRate: number;
  /** Arrivals the plan scheduled in this stage. */
  readonly planned: number;
  readonly sent: number;
  /** Responses and failures received (every sent request ends in one). */
  readonly completed: number;
  readonly errors: number;
  /** Arrivals not sent because the in-flight cap was reached. */
  readonly dropped: number;
  /** Arrivals sent later than `lateAfterMs` after their scheduled time. */
  readonly late: number;
  /** Successful responses that completed inside the stage's window, per second of the stage. */
  readonly achievedRate: number;
  /** Sent requests per second of the stage. */
  readonly sentRate: number;
  /** errors / completed (0 when nothing completed). */
  readonly errorRate: number;
  /** Latency from the scheduled start: what a user waiting for that request saw. */
  readonly latency: LatencySummary;
  /** Latency from the actual send, for comparison with closed-model tools. */
  readonly uncorrected: LatencySummary;
  readonly statuses: Readonly<Record<string, number>>;
  readonly errorKinds: Readonly<Record<string, number>>;
  readonly endpoints: readonly EndpointStats[];
}

/** One second of the run; latencies by scheduled start, the achieved rate by completion time. */
export interface SecondPoint {
  /** Seconds since the run started (the second [t, t+1)). */
  readonly t: number;
  readonly stage: string;
  readonly targetRate: number;
  readonly sent: number;
  /** Successful responses completed during this second. */
  readonly achievedRate: number;
  readonly errors: number;
  readonly dropped: number;
  readonly late: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

/** A live view of the run, for progress lines and early abort. */
export interface RecorderSnapshot {
  readonly stageIndex: number;
  readonly sent: number;
  readonly completed: number;
  readonly errors: number;
  readonly dropped: number;
  readonly late: number;
  /** Successful responses completed in the last whole second. */
  readonly lastSecondRate: number;
}

/** Accumulates every request into per-stage, per-endpoint and per-second HDR histograms. */
export interface LoadRecorder {
  sent(intendedMs: number, late: boolean): void;
  dropped(intendedMs: number): void;
  complete(completion: Completion): void;
  /** Drops per-second histograms whose requests have all completed (keeps memory flat on long runs). */
  settle(nowMs: number): void;
  snapshot(nowMs: number): RecorderSnapshot;
  /** The cumulative latency, error rate and achieved rate of one stage so far. */
  stageSoFar(stageIndex: number, nowMs: number): { latency: LatencySummary; errorRate: number; achievedRate: number; completed: number };
  stages(): StageStats[];
  total(): StageStats;
  series(): SecondPoint[];
  /** The stage's corrected latency histogram (for the baseline). */
  stageHistogram(stageIndex: number): Histogram | undefined;
}

interface Counters {
  sent: number;
  completed: number;
  errors: number;
  dropped: number;
  late: number;
  okCompletedInWindow: number;
  statuses: Map<string, number>;
  errorKinds: Map<string, number>;
  corrected: Histogram;
  uncorrected: Histogram;
  endpoints: Map<string, { requests: number; errors: number; corrected: Histogram }>;
}

interface SecondSlot {
  sent: number;
  outstanding: number;
  errors: number;
  dropped: number;
  late: number;
  okCompleted: number;
  histogram: Histogram | undefined;
  summary: LatencySummary | undefined;
}

const newCounters = (): Counters => ({
  sent: 0,
  completed: 0,
  errors: 0,
  dropped: 0,
  late: 0,
  okCompletedInWindow: 0,
  statuses: new Map(),
  errorKinds: new Map(),
  corrected: newLatencyHistogram(),
  uncorrected: newLatencyHistogram(),
  endpoints: new Map(),
});

/** Adds `from`'s counts and histograms into `into` (the run total is the sum of its stages). */
function mergeCounters(into: Counters, from: Counters): void {
  into.sent += from.sent;
  into.completed += from.completed;
  into.errors += from.errors;
  into.dropped += from.dropped;
  into.late += from.late;
  into.okCompletedInWindow += from.okCompletedInWindow;
  for (const [key, count] of from.statuses) into.statuses.set(key, (into.statuses.get(key) ?? 0) + count);
  for (const [key, count] of from.errorKinds) into.errorKinds.set(key, (into.errorKinds.get(key) ?? 0) + count);
  into.corrected.add(from.corrected);
  into.uncorrected.add(from.uncorrected);
  for (const [name, stats] of from.endpoints) {
    let endpoint = into.endpoints.get(name);
    if (!endpoint) into.endpoints.set(name, (endpoint = { requests: 0, errors: 0, corrected: newLatencyHistogram() }));
    endpoint.requests += stats.requests;
    endpoint.errors += stats.errors;
    endpoint.corrected.add(stats.corrected);
  }
}

/** Where each stage's window lies in the run, in ms since it started. */
interface Timeline {
  readonly windows: readonly { startMs: number; endMs: number }[];
  /** Each stage's end, in order. */
  readonly ends: readonly number[];
  readonly planEnd: number;
}

/** What a recorder has accumulated: one set of counters per stage, per-second slots and running totals. */
interface RecorderState {
  readonly timeline: Timeline;
  readonly perStage: Counters[];
  /** Arrivals and completions outside every stage window (none in a normal run) land here. */
  readonly outside: Counters;
  readonly seconds: SecondSlot[];
  readonly totals: { sent: number; completed: number; errors: number; dropped: number; late: number };
}

/**
 * Creates a recorder for a run of `stages` following `schedule`. Each request is recorded once,
 * into its stage; the run total is merged from the stages when asked for (this is the hot path
 * of the generator: a few microseconds per request).
 */
export function createLoadRecorder(stages: readonly Stage[], schedule: ArrivalSchedule): LoadRecorder {
  const state: RecorderState = {
    timeline: stageTimeline(stages),
    perStage: stages.map(() => newCounters()),
    outside: newCounters(),
    seconds: [],
    totals: { sent: 0, completed: 0, errors: 0, dropped: 0, late: 0 },
  };
  const { timeline, perStage, outside } = state;
  return {
    sent: (intendedMs, late) => recordSent(state, intendedMs, late),
    dropped: (intendedMs) => recordDropped(state, intendedMs),
    complete: (completion) => recordCompletion(state, completion),
    settle: (nowMs) => settleSeconds(state.seconds, nowMs),
    snapshot: (nowMs) => snapshotAt(state, nowMs),
    stageSoFar: (stageIndex, nowMs) => stageSoFar(state, stageIndex, nowMs),
    stages() {
      return stages.map((stage, index) => toStats(schedule, stage.name, timeline.windows[index] ?? { startMs: 0, endMs: 0 }, stage.target, perStage[index] ?? newCounters()));
    },
    total() {
      const all = newCounters();
      for (const counters of [...perStage, outside]) mergeCounters(all, counters);
      return toStats(schedule, 'total', { startMs: 0, endMs: timeline.planEnd }, Math.max(0, ...stages.map((s) => s.target)), all);
    },
    series: () => secondSeries(state, stages, schedule),
    stageHistogram(stageIndex) {
      return perStage[stageIndex]?.corrected;
    },
  };
}

function stageTimeline(stages: readonly Stage[]): Timeline {
  const ends: number[] = [];
  const windows: { startMs: number; endMs: number }[] = [];
  let start = 0;
  for (const stage of stages) {
    windows.push({ startMs: start, endMs: start + stage.durationMs });
    start += stage.durationMs;
    ends.push(start);
  }
  return { windows, ends, planEnd: start };
}

/** The stage whose window holds `ms` (the last one for the end instant and after). */
function stageIndexAt(timeline: Timeline, ms: number): number {
  const { ends } = timeline;
  for (let i = 0; i < ends.length; i++) if (ms < (ends[i] as number)) return i;
  return ends.length - 1;
}

/** The counters of the stage whose window holds `ms`. */
function countersAt(state: RecorderState, ms: number): Counters {
  return state.perStage[stageIndexAt(state.timeline, ms)] ?? state.outside;
}

/** The slot of the second holding `ms`, adding empty ones up to it. */
function slot(seconds: SecondSlot[], ms: number): SecondSlot {
  const index = Math.max(0, Math.floor(ms / 1000));
  for (let i = seconds.length; i <= index; i++) {
    seconds.push({ sent: 0, outstanding: 0, errors: 0, dropped: 0, late: 0, okCompleted: 0, histogram: undefined, summary: undefined });
  }
  return seconds[index] as SecondSlot;
}

function recordSent(state: RecorderState, intendedMs: number, late: boolean): void {
  const { totals } = state;
  const counters = countersAt(state, intendedMs);
  const second = slot(state.seconds, intendedMs);
  counters.sent++;
  totals.sent++;
  second.sent++;
  second.outstanding++;
  if (late) {
    counters.late++;
    totals.late++;
    second.late++;
  }
}

function recordDropped(state: RecorderState, intendedMs: number): void {
  countersAt(state, intendedMs).dropped++;
  state.totals.dropped++;
  slot(state.seconds, intendedMs).dropped++;
}

/** Counts a completion into its stage (by scheduled start), its endpoint, and its second. */
function recordCompletion(state: RecorderState, c: Completion): void {
  const { totals } = state;
  const counters = countersAt(state, c.intendedMs);
  const latencyMs = c.endMs - c.intendedMs;
  counters.completed++;
  totals.completed++;
  recordMs(counters.corrected, latencyMs);
  recordMs(counters.uncorrected, c.endMs - c.sentMs);
  const status = c.status === undefined ? 'none' : String(c.status);
  counters.statuses.set(status, (counters.statuses.get(status) ?? 0) + 1);
  let endpoint = counters.endpoints.get(c.endpoint);
  if (!endpoint) counters.endpoints.set(c.endpoint, (endpoint = { requests: 0, errors: 0, corrected: newLatencyHistogram() }));
  endpoint.requests++;
  recordMs(endpoint.corrected, latencyMs);
  if (!c.ok) {
    counters.errors++;
    totals.errors++;
    endpoint.errors++;
    const kind = c.errorKind ?? 'error';
    counters.errorKinds.set(kind, (counters.errorKinds.get(kind) ?? 0) + 1);
  }
  if (c.ok) {
    // The achieved rate counts responses by the window they completed in, not the one they were sent in.
    if (c.endMs < state.timeline.planEnd) countersAt(state, c.endMs).okCompletedInWindow++;
    slot(state.seconds, c.endMs).okCompleted++;
  }
  const second = slot(state.seconds, c.intendedMs);
  second.outstanding--;
  if (!c.ok) second.errors++;
  if (second.summary === undefined) {
    second.histogram ??= newLatencyHistogram(2);
    recordMs(second.histogram, latencyMs);
  }
}

/** Summarises each past second whose requests have all completed, and frees its histogram. */
function settleSeconds(seconds: SecondSlot[], nowMs: number): void {
  const current = Math.floor(nowMs / 1000);
  for (let i = 0; i < Math.min(current, seconds.length); i++) {
    const second = seconds[i];
    if (!second || second.summary !== undefined || second.outstanding > 0) continue;
    second.summary = second.histogram ? summarize(second.histogram) : summarize(newLatencyHistogram(1));
    second.histogram = undefined;
  }
}

function snapshotAt(state: RecorderState, nowMs: number): RecorderSnapshot {
  const { totals } = state;
  const last = state.seconds[Math.floor(nowMs / 1000) - 1];
  return {
    stageIndex: stageIndexAt(state.timeline, nowMs),
    sent: totals.sent,
    completed: totals.completed,
    errors: totals.errors,
    dropped: totals.dropped,
    late: totals.late,
    lastSecondRate: last?.okCompleted ?? 0,
  };
}

function stageSoFar(state: RecorderState, stageIndex: number, nowMs: number): ReturnType<LoadRecorder['stageSoFar']> {
  const counters = state.perStage[stageIndex] ?? state.outside;
  const window = state.timeline.windows[stageIndex] ?? { startMs: 0, endMs: nowMs };
  const elapsed = (Math.min(nowMs, window.endMs) - window.startMs) / 1000;
  return {
    latency: summarize(counters.corrected),
    errorRate: counters.completed > 0 ? counters.errors / counters.completed : 0,
    achievedRate: elapsed > 0 ? counters.okCompletedInWindow / elapsed : 0,
    completed: counters.completed,
  };
}

function toStats(schedule: ArrivalSchedule, name: string, window: { startMs: number; endMs: number }, target: number, counters: Counters): StageStats {
  const seconds = (window.endMs - window.startMs) / 1000;
  return {
    name,
    startMs: window.startMs,
    durationMs: window.endMs - window.startMs,
    targetRate: target,
    planned: Math.round(schedule.arrivalsBetween(window.startMs, window.endMs)),
    sent: counters.sent,
    completed: counters.completed,
    errors: counters.errors,
    dropped: counters.dropped,
    late: counters.late,
    achievedRate: seconds > 0 ? roundTo(counters.okCompletedInWindow / seconds, 2) : 0,
    sentRate: seconds > 0 ? roundTo(counters.sent / seconds, 2) : 0,
    errorRate: counters.completed > 0 ? counters.errors / counters.completed : 0,
    latency: summarize(counters.corrected),
    uncorrected: summarize(counters.uncorrected),
    statuses: Object.fromEntries([...counters.statuses].sort()),
    errorKinds: Object.fromEntries([...counters.errorKinds].sort()),
    endpoints: [...counters.endpoints]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([endpoint, stats]) => ({ endpoint, requests: stats.requests, errors: stats.errors, latency: summarize(stats.corrected) })),
  };
}

/** One point per second of the plan; a second not yet settled is summarised from its histogram. */
function secondSeries(state: RecorderState, stages: readonly Stage[], schedule: ArrivalSchedule): SecondPoint[] {
  const planSeconds = Math.ceil(schedule.durationMs / 1000);
  const points: SecondPoint[] = [];
  for (let t = 0; t < Math.max(planSeconds, 0); t++) {
    const second = state.seconds[t];
    const latency = second?.summary ?? (second?.histogram ? summarize(second.histogram) : undefined);
    points.push({
      t,
      stage: stages[stageIndexAt(state.timeline, t * 1000)]?.name ?? '',
      targetRate: roundTo(schedule.arrivalsBetween(t * 1000, (t + 1) * 1000), 2),
      sent: second?.sent ?? 0,
      achievedRate: second?.okCompleted ?? 0,
      errors: second?.errors ?? 0,
      dropped: second?.dropped ?? 0,
      late: second?.late ?? 0,
      p50Ms: latency?.p50Ms ?? 0,
      p95Ms: latency?.p95Ms ?? 0,
      p99Ms: latency?.p99Ms ?? 0,
      maxMs: latency?.maxMs ?? 0,
    });
  }
  return points;
}
