import { join } from 'node:path';
import { expectedSchemaOf, pacticipantOf, settingFile } from '../config/index.js';
import { embeddedPostgresStarts, startEnvironment } from '../env/index.js';
import type { StartedEnvironment } from '../env/index.js';
import { candidateRoundsStep, chooseBaseline, compareWithBaselineBuild, DEFAULT_BASELINE_FILE, loadProfile, recordedBaselineCheck, representativeRound, runLoadLive, toLoadStep, writeLoadReports } from '../load/index.js';
import type { BaselineChoice, LoadProfile } from '../load/index.js';
import { loadPactFiles, runVerificationLive, toVerifyStep } from '../pact/index.js';
import type { Check, GateStep } from '../report/model.js';
import { notApplicableStep, statusOf } from '../report/model.js';
import { NO_CATALOG_PURPOSE, runScenariosLive, toScenariosStep } from '../scenarios/index.js';
import { diffMigratedSchema, toSchemaStep } from '../schema/index.js';
import { AccordError, ErrorCodes } from '../errors/index.js';
import type { GateContext } from './context.js';
import { shown } from './contract-steps.js';
import { noiseBetween, readCpuTicks } from './machine-noise.js';
import type { MachineNoise } from './machine-noise.js';
import { resetEnvironmentData } from './reset-data.js';

/** `environment`: PostgreSQL, Redis and every configured service, started once for every later step (configured ports unless --free-ports). */
export async function runEnvironmentStep(ctx: GateContext): Promise<GateStep> {
  const startsBefore = embeddedPostgresStarts();
  const checks: Check[] = [];
  ctx.environmentStartedAt = Date.now();
  ctx.environment = await startEnvironment(ctx.config, {
    freePorts: ctx.freePorts,
    logDir: join(ctx.reportDir, 'logs'),
    ...(ctx.services ? { services: ctx.services } : {}),
    onProgress: (event) => {
      checks.push({ id: event.name, name: `${event.name} ready`, status: 'pass', message: `${event.detail} (${event.durationMs} ms)` });
      ctx.detail(`${event.name} ${event.detail}`);
    },
  });
  const environment = ctx.environment;
  return {
    id: 'environment',
    title: 'Environment (PostgreSQL, Redis, services)',
    status: statusOf(checks),
    durationMs: 0,
    checks,
    evidence: [...environment.services.keys()].map((name) => ({ label: `${name} log`, href: shown(ctx, join(ctx.reportDir, 'logs', `${name}.log`)) })),
    details: {
      database: environment.databaseName,
      postgres: !environment.postgres ? 'none (postgres: false)' : environment.postgres.embedded ? `embedded PostgreSQL 14 on ${environment.postgres.host}:${environment.postgres.port}` : 'external PostgreSQL',
      redis: !environment.redis ? 'none (redis: false)' : environment.redis.external ? 'external Redis' : `redis-server on ${environment.redis.host}:${environment.redis.port}`,
      services: Object.fromEntries([...environment.services].map(([name, service]) => [name, service.url])),
      // Counted at the end of the gate (teardown) too: the whole run starts one server.
      postgresStartsBefore: startsBefore,
      postgresStarts: embeddedPostgresStarts() - startsBefore,
    },
  };
}

/** `schema`: the environment's freshly migrated database against the expected schema (run before anything writes to it). */
export async function runSchemaStep(ctx: GateContext): Promise<GateStep> {
  const environment = need(ctx);
  const result = await diffMigratedSchema(ctx.config, { environment });
  return toSchemaStep(result, { expected: shown(ctx, expectedSchemaOf(ctx.config)), actual: `database ${environment.databaseName} migrated from ${shown(ctx, ctx.config.schema.migrations)}/` });
}

/** `verify`: the pacts against the live provider, every response also checked against the contract. */
export async function runVerifyStep(ctx: GateContext): Promise<GateStep> {
  const environment = need(ctx);
  const { provider, states } = ctx.gate.verify;
  if (!provider || !states) throw new AccordError(ErrorCodes.CONFIG_INVALID, `${settingFile(ctx.config, 'pacts')}: verify.provider and verify.states are needed to verify the pacts`);
  await resetEnvironmentData(environment);
  // A provider-only repository verifies what its consumers published: the broker's pacts, not a directory.
  // With --publish its results go back to the pacts they verify, as `accord verify --publish` sends them.
  const fromBroker = ctx.gate.verify.fromBroker
    ? { fromBroker: true, ...(ctx.broker.url ? { brokerUrl: ctx.broker.url } : {}), ...(ctx.broker.token ? { brokerToken: ctx.broker.token } : {}), ...(ctx.publishVerification ? { publish: ctx.publishVerification } : {}) }
    : {};
  const result = await runVerificationLive({ environment, root: ctx.root, provider, states, ...fromBroker, ...(ctx.gate.verify.tokenSecret ? { tokenSecret: ctx.gate.verify.tokenSecret } : {}) });
  // The pacts name the provider by its pacticipant name, which verify.provider may not be.
  const pacts = ctx.gate.verify.fromBroker ? [] : await loadPactFiles(ctx.config.pacts.dir, { provider: pacticipantOf(ctx.config, provider), cwd: ctx.root });
  return toVerifyStep(result, { pactFiles: pacts.map((pact) => shown(ctx, pact.file)) });
}

/**
 * `scenarios`: every scenario of the team's catalog with its faults on the shared environment, on
 * data reset to a fresh start; the diagrams come from this run. Not applicable (skipped, with the
 * reason) when scenarios.yaml names no catalog.
 */
export async function runScenariosStep(ctx: GateContext): Promise<GateStep> {
  const catalog = ctx.scenarios;
  if (!catalog) {
    return notApplicableStep('scenarios', 'Integration scenarios', `${settingFile(ctx.config, 'scenarios')} names no scenario catalog (catalog: ${NO_CATALOG_PURPOSE})`);
  }
  const environment = need(ctx);
  await resetEnvironmentData(environment);
  const result = await runScenariosLive(ctx.config, {
    environment,
    catalog: catalog.scenarios,
    tracesDir: join(ctx.reportDir, 'traces'),
    onProgress: (event) => ctx.detail(event.type === 'start' ? `scenario ${event.name}` : `scenario ${event.result.name} ${event.result.ok ? 'ok' : 'FAILED'}`),
  });
  const step = toScenariosStep({ ...result, scenarios: result.scenarios.map((scenario) => ({ ...scenario, ...(scenario.traceFile ? { traceFile: shown(ctx, scenario.traceFile) } : {}) })) });
  return { ...step, details: { ...step.details, catalog: shown(ctx, catalog.file) } };
}

/** Load checks that noise moves (latency percentiles and the baseline's comparison), as opposed to errors or limits. */
const NOISY = (id: string) => id.startsWith('latency.') || id.startsWith('baseline.');

/**
 * `load`: the profile against the shared environment, seeded on data reset to a fresh start;
 * reports in `<report-dir>/load/`. With a baseline build (the repository has history) the
 * candidate is judged from its A/B rounds against that build (see loadStepAgainstBuild); else one
 * pass against the recorded baseline, and a pass that fails only on latency or the baseline is run
 * once more before the verdict: one slow pass on a busy machine is noise, two in a row are a
 * finding. The machine's load average, CPU steal and the generator's late arrivals are reported beside it.
 */
export async function runLoadStep(ctx: GateContext): Promise<GateStep> {
  const environment = need(ctx);
  const profile = await loadProfile(ctx.profile, { configDir: ctx.config.dir, cwd: ctx.root });
  const choice = await chooseBaseline(ctx.root, { optionRef: ctx.baselineRef, profileRef: profile.baseline.ref });
  if (choice.kind === 'build') return loadStepAgainstBuild(ctx, environment, profile, choice);
  const attempts: { step: GateStep; noise: MachineNoise; late: number }[] = [];
  for (let attempt = 1; attempt <= 2; attempt++) {
    await resetEnvironmentData(environment);
    const before = await readCpuTicks();
    const result = await runLoadLive({
      environment,
      profile: ctx.profile,
      cwd: ctx.root,
      configDir: ctx.config.dir,
      signal: ctx.signal,
      onProgress: (progress) => {
        if (progress.kind === 'tick') ctx.detail(`${attempt > 1 ? 'repeat: ' : ''}${progress.stage} ${Math.round(progress.elapsedMs / 1000)}/${Math.round(progress.totalMs / 1000)} s, ${progress.achievedRate}/${progress.targetRate} req/s, p99 ${Math.round(progress.p99Ms)} ms`);
      },
    });
    const noise = noiseBetween(before, await readCpuTicks());
    const files = await writeLoadReports(result, join(ctx.reportDir, attempt === 1 ? 'load' : 'load/repeat'));
    const step = await toLoadStep(result, { files: Object.values(files).map((file) => shown(ctx, file)) });
    const late = result.stages.find((stage) => stage.name === result.profile.thresholds.stage)?.late ?? result.total.late;
    attempts.push({ step, noise, late });
    const failed = step.checks.filter((check) => check.status === 'fail');
    if (failed.length === 0 || !failed.every((check) => NOISY(check.id))) break;
    ctx.detail(`latency/baseline failed (${failed.map((check) => check.id).join(', ')}): repeating the pass once before the verdict`);
  }
  const last = attempts.at(-1) as (typeof attempts)[number];
  const noiseChecks: Check[] = attempts.map((attempt, index) => noiseCheck(`noise.${index + 1}`, `pass ${index + 1}`, attempt.noise, attempt.late, attempt.step.status));
  const checks = [...last.step.checks, recordedBaselineCheck(choice, DEFAULT_BASELINE_FILE), ...noiseChecks];
  return {
    ...last.step,
    status: statusOf(checks),
    checks,
    evidence: attempts.flatMap((attempt) => attempt.step.evidence).filter((evidence, index, all) => all.findIndex((e) => e.href === evidence.href) === index),
    details: { ...last.step.details, attempts: attempts.map((attempt) => ({ status: attempt.step.status, noise: attempt.noise, late: attempt.late, p50Ms: measuredOf(attempt.step, 'latency.p50'), p99Ms: measuredOf(attempt.step, 'latency.p99'), cpuMsPerRequest: attempt.step.details?.cpuMsPerRequest })) },
  };
}

/**
 * The load step against a baseline build: no separate pass. The candidate's rounds in the A/B
 * sitting are its load test (the seed's thresholds and resource limits judged over them, see
 * candidateRoundsStep) and the pairs its comparison, so the step costs one sitting, not a pass and
 * a sitting. The median round's reports are written to `<report-dir>/load/`.
 */
async function loadStepAgainstBuild(ctx: GateContext, environment: StartedEnvironment, profile: LoadProfile, choice: Extract<BaselineChoice, { kind: 'build' }>): Promise<GateStep> {
  const before = await readCpuTicks();
  const ab = await compareWithBaselineBuild({ choice, root: ctx.root, configDir: ctx.config.dir, profile, candidate: environment, resetData: resetEnvironmentData, logDir: join(ctx.reportDir, 'logs', 'baseline'), detail: (text) => ctx.detail(text), signal: ctx.signal });
  const noise = noiseBetween(before, await readCpuTicks());
  const shownRound = representativeRound(ab.candidateRounds);
  const files: string[] = shownRound ? Object.values(await writeLoadReports(shownRound, join(ctx.reportDir, 'load'))) : [];
  const step = await candidateRoundsStep(ab.candidateRounds, { files: files.map((file) => shown(ctx, file)), durationMs: ab.sittingMs });
  const late = ab.candidateRounds.reduce((sum, result) => sum + (result.stages.find((stage) => stage.name === result.profile.thresholds.stage)?.late ?? result.total.late), 0);
  const checks = [...step.checks, ...ab.checks, noiseCheck('noise.1', 'the A/B sitting', noise, late, statusOf(step.checks))];
  return {
    ...step,
    status: statusOf(checks),
    checks,
    details: {
      ...step.details,
      baselineBuild: ab.baseline,
      ab: ab.comparison,
      sittingMs: ab.sittingMs,
      sittingPhases: ab.phases,
      charts: [...((step.details?.charts as unknown[]) ?? []), ...ab.charts],
      attempts: [{ status: step.status, noise, late, p50Ms: measuredOf(step, 'latency.p50'), p99Ms: measuredOf(step, 'latency.p99'), cpuMsPerRequest: step.details?.cpuMsPerRequest }],
    },
  };
}

/** The machine's noise during a pass or sitting: reported, never gated; it explains a verdict, it is not one. */
function noiseCheck(id: string, during: string, noise: MachineNoise, late: number, status: string): Check {
  return {
    id,
    name: `machine noise during ${during}`,
    status: noise.loadPerCpu > 1 || noise.stealPercent > 5 ? 'warn' : 'pass',
    message: `load average ${noise.loadAverage} (${noise.loadPerCpu} per CPU), CPU busy ${noise.busyPercent}%, steal ${noise.stealPercent}%, ${late} late arrivals; ${during} ${status}`,
  };
}

/** Checks a load profile selector before anything starts (bad input, exit 2). */
export async function checkProfile(ctx: Pick<GateContext, 'profile' | 'root' | 'config' | 'baselineRef'>): Promise<void> {
  const profile = await loadProfile(ctx.profile, { configDir: ctx.config.dir, cwd: ctx.root });
  // A baseline ref that does not resolve is bad input, answered before the environment starts.
  await chooseBaseline(ctx.root, { optionRef: ctx.baselineRef, profileRef: profile.baseline.ref });
}

function need(ctx: GateContext) {
  if (!ctx.environment) throw new AccordError(ErrorCodes.USAGE, 'this step needs the environment, which was not started');
  return ctx.environment;
}

function measuredOf(step: GateStep, id: string): number | undefined {
  return step.checks.find((check) => check.id === id)?.measured?.actual;
}
