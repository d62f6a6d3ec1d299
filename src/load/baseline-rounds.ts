import { isAbsolute, join, relative } from 'node:path';
import { DEFAULT_CONFIG_DIR, loadConfig } from '../config/index.js';
import { startEnvironment } from '../env/index.js';
import type { StartedEnvironment } from '../env/index.js';
import type { Check } from '../report/model.js';
import { prepareBaselineBuild } from './baseline-build.js';
import type { BaselineChoice } from './baseline-build.js';
import type { LoadChart } from './load-charts.js';
import type { LoadResult } from './load-result.js';
import { runLoadRound } from './load-pass.js';
import { roundProfileOf, runPairedRounds } from './paired-rounds.js';
import type { PairedComparison } from './paired-rounds.js';
import { describeBaseline, pairedCharts, pairedChecks } from './paired-step.js';
import type { LoadProfile } from './profile.js';
import type { ResourceTarget } from './resource-sampler.js';

/** Options of {@link compareWithBaselineBuild}. */
export interface BaselineBuildComparisonOptions {
  readonly choice: Extract<BaselineChoice, { kind: 'build' }>;
  /** The candidate's project root and config dir. */
  readonly root: string;
  readonly configDir: string;
  readonly profile: LoadProfile;
  /** The candidate's running environment; its PostgreSQL server hosts the baseline's database too. */
  readonly candidate: StartedEnvironment;
  readonly resetData: (environment: StartedEnvironment) => Promise<void>;
  /** Where the baseline's service logs go. */
  readonly logDir: string;
  readonly detail?: (text: string) => void;
  readonly signal?: AbortSignal;
}

/** What the A/B sitting adds to the load step. */
export interface BaselineBuildComparison {
  readonly checks: Check[];
  readonly charts: LoadChart[];
  readonly baseline: string;
  readonly comparison: PairedComparison;
  /** The candidate's measured rounds, in order: its thresholds and resource limits are judged from them. */
  readonly candidateRounds: readonly LoadResult[];
  /** The whole sitting: the baseline's start and both warm-up rounds, then the pairs. */
  readonly sittingMs: number;
  /** Where the sitting's time before the pairs went, ms: preparing the build, starting the baseline (beside the candidate's warm-up), the baseline's warm-up. */
  readonly phases: { readonly buildMs: number; readonly startMs: number; readonly warmMs: number };
}

/**
 * The baseline build measured beside the candidate: the build prepared (or taken from the cache),
 * its environment started from its own config on the candidate's PostgreSQL server (a database of
 * its own, a Redis of its own) while the candidate runs its warm-up round, then the baseline's
 * warm-up round and the alternating rounds, and the baseline's environment stopped again whatever
 * happens. Both builds get the same warm-up: one unmeasured round (the profile's warm-up requests
 * and a round at its rate) on reset data, so that neither enters the pairs with more served
 * requests behind it (compiled paths, pools, caches) than the other.
 */
export async function compareWithBaselineBuild(options: BaselineBuildComparisonOptions): Promise<BaselineBuildComparison> {
  const started = Date.now();
  const detail = options.detail ?? (() => undefined);
  const signal = options.signal ? { signal: options.signal } : {};
  detail(`baseline: building ${options.choice.ref} (${options.choice.commit.slice(0, 12)})`);
  const build = await prepareBaselineBuild({ root: options.root, commit: options.choice.commit, ...signal });
  const built = Date.now();
  // A config dir outside the project (a benchmark's patched copy) has no counterpart in the build: the baseline runs its default one.
  const within = relative(options.root, options.configDir);
  const config = await loadConfig(join(build.projectRoot, within.startsWith('..') || isAbsolute(within) ? DEFAULT_CONFIG_DIR : within), { root: build.projectRoot });
  // The baseline's databases live on the candidate's server: its CPU during a baseline round is the baseline's.
  const server = options.candidate.postgres?.pid;
  const shared: ResourceTarget[] = server !== undefined ? [{ name: 'postgres', pid: server, role: 'backing' }] : [];
  // Only the baseline's environment lacks a server of its own (it borrowed the candidate's).
  const runRound = (target: StartedEnvironment, profile: LoadProfile) =>
    runLoadRound(target, profile, { ...signal, eventLag: true, ...(target !== options.candidate && target.postgres?.pid === undefined ? { resources: shared } : {}) });
  const warm = async (target: StartedEnvironment) => {
    await options.resetData(target);
    await runRound(target, roundProfileOf(options.profile));
  };
  detail('baseline: starting its services while the candidate runs its warm-up round');
  // Neither is measured: the candidate's warm-up only has to serve its requests, not time them.
  const [baselineStart, candidateWarm] = await Promise.allSettled([
    startEnvironment(config, { freePorts: true, logDir: options.logDir, ...(options.candidate.postgres ? { databaseUrl: options.candidate.postgres.adminUrl } : {}) }),
    warm(options.candidate),
  ]);
  if (baselineStart.status === 'rejected') throw baselineStart.reason;
  const environment = baselineStart.value;
  const running = Date.now();
  try {
    if (candidateWarm.status === 'rejected') throw candidateWarm.reason;
    detail('baseline: the same warm-up round');
    await warm(environment);
    const phases = { buildMs: built - started, startMs: running - built, warmMs: Date.now() - running };
    const candidateRounds: LoadResult[] = [];
    const comparison = await runPairedRounds({
      profile: options.profile,
      baseline: environment,
      candidate: options.candidate,
      resetData: options.resetData,
      runRound,
      onRound: (round, result) => {
        if (round.build === 'candidate') candidateRounds.push(result);
        detail(`A/B pair ${round.pair} ${round.build}: p50 ${round.measures['round.p50']} ms (load ${round.loadAverage})`);
      },
      ...signal,
    });
    const baseline = describeBaseline(options.choice, build);
    return { checks: pairedChecks(comparison, baseline), charts: await pairedCharts(comparison), baseline, comparison, candidateRounds, sittingMs: Date.now() - started, phases };
  } finally {
    await environment.stop();
  }
}

/** The check saying a recorded baseline was used, and why no build was. */
export function recordedBaselineCheck(choice: Extract<BaselineChoice, { kind: 'recorded' }>, file: string): Check {
  return { id: 'baseline.kind', name: 'which baseline the load verdict is weighed against', status: 'pass', message: describeBaseline(choice, undefined, file) };
}
