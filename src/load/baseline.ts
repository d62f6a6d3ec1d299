import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { jsonSyntaxError } from '../input/index.js';
import { AccordError, ErrorCodes } from '../errors/index.js';
import { cpuShares, totalCpuCost } from './cpu-cost.js';
import type { CpuCost } from './cpu-cost.js';
import type { BaselinePolicy } from './profile.js';
import { roundTo } from './round-to.js';

/** What a run stores about itself so a later run at the same arrival rate can be compared. */
export interface BaselineEntry {
  readonly profile: string;
  /** The stage the numbers are from (the threshold stage). */
  readonly stage: string;
  /** The planned arrival rate of that stage: comparisons only make sense at the same rate. */
  readonly targetRate: number;
  readonly achievedRate: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly p99Ms: number;
  readonly requests: number;
  readonly recordedAt: string;
  /** The stage's corrected latency histogram, HdrHistogram compressed base64. */
  readonly histogram: string;
  /** CPU ms per completed request of each service and backing store over the stage. Files written before it have none. */
  readonly cpu?: CpuCost;
  /**
   * The last runs recorded at this key, newest last (this one included): the baseline is a
   * distribution, and a run is compared with its slowest member, so that one lucky recording
   * does not make every later run look like a regression. Files written before it have none.
   */
  readonly runs?: readonly BaselineRun[];
}

/** One recorded run of a baseline entry's distribution. */
export interface BaselineRun {
  readonly achievedRate: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly p99Ms: number;
  readonly recordedAt: string;
  readonly cpu?: CpuCost;
}

/** How many recorded runs an entry keeps. */
export const BASELINE_RUNS_KEPT = 5;

/** The baseline file (`docs/performance-baseline.json`): one entry per profile and rate. */
export interface BaselineFile {
  readonly description: string;
  readonly version: 1;
  readonly entries: Readonly<Record<string, BaselineEntry>>;
}

/** One compared metric. */
export interface BaselineCheck {
  /** `baseline.p50`, `baseline.p95`, `baseline.p99`, `baseline.rate`, `baseline.cpu.total` or `baseline.cpu-share.<service>`. */
  readonly id: string;
  readonly description: string;
  /** `ratio` for a CPU share (a service's CPU per request over the other services'). */
  readonly unit: 'ms' | 'req/s' | 'ms/request' | 'ratio';
  readonly baseline: number;
  readonly actual: number;
  /** The worst value still accepted. */
  readonly allowed: number;
  readonly ok: boolean;
}

/** The regression verdict of a run. */
export interface BaselineComparison {
  readonly key: string;
  readonly file: string;
  /** `missing`: no entry for this profile and rate yet (passes; record one with --update-baseline). */
  readonly status: 'passed' | 'regressed' | 'missing';
  readonly checks: readonly BaselineCheck[];
}

/** A metric that `--update-baseline` changed. */
export interface BaselineChange {
  readonly metric: string;
  readonly before: number | undefined;
  readonly after: number;
}

const DESCRIPTION = 'Load-pass baseline written by `accord load --update-baseline`; entries keyed by profile@rate. p95/p99 over the threshold stage, latency from the scheduled start (ms).';

/** The key of a baseline entry: profile name and arrival rate. */
export function baselineKey(profile: string, targetRate: number): string {
  return `${profile}@${targetRate}`;
}

/** Reads a baseline file; a missing file is an empty baseline unless `required`. */
export async function readBaseline(file: string, required = false): Promise<BaselineFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' && !required) return { description: DESCRIPTION, version: 1, entries: {} };
    throw new AccordError(ErrorCodes.FILE_NOT_FOUND, `baseline file ${file} cannot be read: ${(error as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new AccordError(ErrorCodes.BASELINE_INVALID, `baseline file ${file} is not valid JSON: ${jsonSyntaxError(text, error as Error)}`);
  }
  const problems = baselineProblems(parsed);
  if (problems.length > 0) {
    throw new AccordError(ErrorCodes.BASELINE_INVALID, `baseline file ${file} is malformed: ${problems.join('; ')}`);
  }
  return parsed as BaselineFile;
}

function baselineProblems(value: unknown): string[] {
  if (!value || typeof value !== 'object') return ['expected an object with `version` and `entries`'];
  const file = value as Record<string, unknown>;
  const problems: string[] = [];
  if (file.version !== 1) problems.push(`expected \`version\` to be 1, got ${JSON.stringify(file.version)}`);
  if (!file.entries || typeof file.entries !== 'object') return [...problems, 'expected `entries` to be an object'];
  for (const [key, entry] of Object.entries(file.entries as Record<string, unknown>)) {
    const e = (entry ?? {}) as Record<string, unknown>;
    for (const field of ['targetRate', 'achievedRate', 'p95Ms', 'p99Ms']) {
      if (typeof e[field] !== 'number') problems.push(`expected \`entries.${key}.${field}\` to be a number, got ${JSON.stringify(e[field])}`);
    }
    if (e.cpu !== undefined && !isCpuCost(e.cpu)) problems.push(`expected \`entries.${key}.cpu\` to hold \`services\` and \`backing\`, each mapping process names to CPU ms per request`);
    if (e.runs !== undefined && (!Array.isArray(e.runs) || e.runs.some((run: unknown) => !run || typeof run !== 'object' || typeof (run as Record<string, unknown>).p50Ms !== 'number'))) {
      problems.push(`expected \`entries.${key}.runs\` to be a list of recorded runs with numeric p50Ms, p95Ms, p99Ms and achievedRate`);
    }
  }
  return problems;
}

function isCpuCost(value: unknown): boolean {
  const isNumberRecord = (record: unknown) => !!record && typeof record === 'object' && !Array.isArray(record) && Object.values(record).every((v) => typeof v === 'number');
  return !!value && typeof value === 'object' && isNumberRecord((value as Record<string, unknown>).services) && isNumberRecord((value as Record<string, unknown>).backing);
}

/**
 * Compares a run with its baseline entry. A regression is a median (p50) worse than the slowest
 * recorded run's by more than `medianTolerance` (and `medianMinDeltaMs`), p95 or p99 worse by more
 * than `tolerance` (and `minDeltaMs`), or an achieved rate short of the lowest recorded by more
 * than `tolerance`, or more CPU per request (see {@link cpuChecks}). The median carries the
 * tight band because it is what a slower build moves and a VM stall does not: a stall moves the
 * slowest 1 % of 3000 requests, not the middle one.
 */
export function compareWithBaseline(file: string, entry: BaselineEntry | undefined, current: BaselineEntry, policy: BaselinePolicy): BaselineComparison {
  const key = baselineKey(current.profile, current.targetRate);
  if (!entry) return { key, file, status: 'missing', checks: [] };
  const runs = entry.runs && entry.runs.length > 0 ? entry.runs : [entry];
  const slowest = (metric: 'p50Ms' | 'p95Ms' | 'p99Ms') => Math.max(...runs.map((run) => run[metric]));
  const recorded = runs.length > 1 ? `the slowest of ${runs.length} recorded runs` : 'the baseline';
  const latency = (id: 'p50' | 'p95' | 'p99', tolerance: number, minDeltaMs: number): BaselineCheck => {
    const before = slowest(`${id}Ms`);
    const allowed = roundTo(Math.max(before * (1 + tolerance), before + minDeltaMs), 3);
    const actual = current[`${id}Ms`];
    return { id: `baseline.${id}`, description: `${id} within ${Math.round(tolerance * 100)}% of ${recorded} ${before} ms at ${current.targetRate} req/s`, unit: 'ms', baseline: before, actual, allowed, ok: actual <= allowed };
  };
  const lowestRate = Math.min(...runs.map((run) => run.achievedRate));
  const allowedRate = roundTo(lowestRate * (1 - policy.tolerance), 3);
  const checks = [
    latency('p50', policy.medianTolerance, policy.medianMinDeltaMs),
    latency('p95', policy.tolerance, policy.minDeltaMs),
    latency('p99', policy.tolerance, policy.minDeltaMs),
    {
      id: 'baseline.rate',
      description: `achieved rate within ${Math.round(policy.tolerance * 100)}% of ${recorded === 'the baseline' ? 'the baseline' : `the lowest of ${runs.length} recorded runs`} ${lowestRate} req/s`,
      unit: 'req/s',
      baseline: lowestRate,
      actual: current.achievedRate,
      allowed: allowedRate,
      ok: current.achievedRate >= allowedRate,
    } satisfies BaselineCheck,
    ...cpuChecks(runs, current, policy),
  ];
  return { key, file, status: checks.every((check) => check.ok) ? 'passed' : 'regressed', checks };
}

/** Writes `entry` into the baseline file (creating it) and returns what changed. */
export async function updateBaseline(file: string, entry: BaselineEntry): Promise<BaselineChange[]> {
  const existing = await readBaseline(file);
  const key = baselineKey(entry.profile, entry.targetRate);
  const before = existing.entries[key];
  // A file from before distributions has one run: its headline numbers.
  const previous = before ? (before.runs ?? [runOf(before)]) : [];
  const entries = { ...existing.entries, [key]: { ...entry, runs: [...previous, runOf(entry)].slice(-BASELINE_RUNS_KEPT) } };
  const sorted = Object.fromEntries(Object.entries(entries).sort(([a], [b]) => a.localeCompare(b)));
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify({ description: DESCRIPTION, version: 1, entries: sorted }, null, 2)}\n`);
  return (['p50Ms', 'p95Ms', 'p99Ms', 'achievedRate', 'requests'] as const).map((metric) => ({
    metric: `${key} ${metric}`,
    before: before?.[metric],
    after: entry[metric],
  }));
}

function runOf(entry: BaselineEntry): BaselineRun {
  return { achievedRate: entry.achievedRate, p50Ms: entry.p50Ms, p95Ms: entry.p95Ms, p99Ms: entry.p99Ms, recordedAt: entry.recordedAt, ...(entry.cpu ? { cpu: entry.cpu } : {}) };
}

/**
 * The CPU cost checks, against the recorded runs that measured it: the chain's CPU per request
 * within `tolerance` of the highest recorded (it moves with the machine, so the band is the
 * tail's), and each service's share (its CPU per request over the other services') within
 * `cpuShareTolerance` of its highest recorded share. Latency on this kind of VM moves ±30 %
 * between passes; a share moves a few percent, so a service doing 30 % more work per request
 * stands out of it where its latency would not.
 */
function cpuChecks(runs: readonly BaselineRun[], current: BaselineEntry, policy: BaselinePolicy): BaselineCheck[] {
  const recorded = runs.flatMap((run) => (run.cpu ? [run.cpu] : []));
  if (!current.cpu || recorded.length === 0) return [];
  const of = recorded.length > 1 ? `the highest of ${recorded.length} recorded runs` : 'the baseline';
  const highestTotal = Math.max(...recorded.map(totalCpuCost));
  const total = totalCpuCost(current.cpu);
  const allowedTotal = roundTo(highestTotal * (1 + policy.tolerance), 4);
  const checks: BaselineCheck[] = [
    {
      id: 'baseline.cpu.total',
      description: `CPU per request over the chain within ${Math.round(policy.tolerance * 100)}% of ${of} ${highestTotal} ms`,
      unit: 'ms/request',
      baseline: highestTotal,
      actual: total,
      allowed: allowedTotal,
      ok: total <= allowedTotal,
    },
  ];
  const shares = cpuShares(current.cpu.services);
  const recordedShares = recorded.map((run) => cpuShares(run.services));
  for (const [name, share] of Object.entries(shares)) {
    const before = recordedShares.flatMap((run) => (run[name] === undefined ? [] : [run[name]]));
    if (before.length === 0) continue;
    const highest = Math.max(...before);
    const allowed = roundTo(highest * (1 + policy.cpuShareTolerance), 4);
    checks.push({
      id: `baseline.cpu-share.${name}`,
      description: `${name} CPU per request (${current.cpu.services[name]} ms) over the other services' within ${Math.round(policy.cpuShareTolerance * 100)}% of ${of} ${highest}`,
      unit: 'ratio',
      baseline: highest,
      actual: share,
      allowed,
      ok: share <= allowed,
    });
  }
  return checks;
}
