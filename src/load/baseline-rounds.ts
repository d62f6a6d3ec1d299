import { isAbsolute, join, relative } from 'node:path';
import { DEFAULT_CONFIG_DIR, loadConfig } from '../config/index.js';
import { startEnvironment } from '../env/index.js';
import type { StartedEnvironment } from '../env/index.js';
import type { Check } from '../report/model.js';
import { prepareBaselineBuild } from './baseline-build.js';
import type { BaselineChoice } from './baseline-build.js';
import type { LoadChart } from './load-charts.js';
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
}

/**
 * The baseline build measured beside the candidate: the build prepared (or taken from the cache),
 * its environment started from its own config on the candidate's PostgreSQL server (a database of
 * its own, a Redis of its own), then alternating rounds, and the baseline's environment stopped
 * again whatever happens.
 */
export async function compareWithBaselineBuild(options: BaselineBuildComparisonOptions): Promise<BaselineBuildComparison> {
  const detail = options.detail ?? (() => undefined);
  detail(`baseline: building ${options.choice.ref} (${options.choice.commit.slice(0, 12)})`);
  const build = await prepareBaselineBuild({ root: options.root, commit: options.choice.commit, ...(options.signal ? { signal: options.signal } : {}) });
  // A config dir outside the project (a benchmark's patched copy) has no counterpart in the build: the baseline runs its default one.
  const within = relative(options.root, options.configDir);
  const config = await loadConfig(join(build.projectRoot, within.startsWith('..') || isAbsolute(within) ? DEFAULT_CONFIG_DIR : within), { root: build.projectRoot });
  detail('baseline: starting its services');
  const environment = await startEnvironment(config, {
    freePorts: true,
    logDir: options.logDir,
    ...(options.candidate.postgres ? { databaseUrl: options.candidate.postgres.adminUrl } : {}),
  });
  // The baseline's databases live on the candidate's server: its CPU during a baseline round is the baseline's.
  const server = options.candidate.postgres?.pid;
  const shared: ResourceTarget[] = environment.postgres?.pid === undefined && server !== undefined ? [{ name: 'postgres', pid: server, role: 'backing' }] : [];
  const runRound = (target: StartedEnvironment, profile: LoadProfile) => runLoadRound(target, profile, { ...(options.signal ? { signal: options.signal } : {}), ...(target === environment ? { resources: shared } : {}) });
  try {
    // The candidate is warm from its own pass; the baseline has only just started (its first
    // round ran 30 times slower than the candidate's here): one unmeasured round brings it level.
    detail('baseline: one unmeasured round to warm it up');
    await options.resetData(environment);
    await runRound(environment, roundProfileOf(options.profile));
    const comparison = await runPairedRounds({
      profile: options.profile,
      baseline: environment,
      candidate: options.candidate,
      resetData: options.resetData,
      runRound,
      onRound: (round) => detail(`A/B pair ${round.pair} ${round.build}: p50 ${round.measures['round.p50']} ms (load ${round.loadAverage})`),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const baseline = describeBaseline(options.choice, build);
    return { checks: pairedChecks(comparison, baseline), charts: await pairedCharts(comparison), baseline, comparison };
  } finally {
    await environment.stop();
  }
}

/** The check saying a recorded baseline was used, and why no build was. */
export function recordedBaselineCheck(choice: Extract<BaselineChoice, { kind: 'recorded' }>, file: string): Check {
  return { id: 'baseline.kind', name: 'which baseline the load verdict is weighed against', status: 'pass', message: describeBaseline(choice, undefined, file) };
}
