import { stat } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { execa } from 'execa';
import { contractPathOf, expectedSchemaOf, loadConfig, requireSetting } from '../config/index.js';
import type { ResolvedConfig } from '../config/index.js';
import { isGitSpec } from '../contract/index.js';
import { embeddedPostgresStarts } from '../env/index.js';
import { AccordError, ErrorCodes, isAccordError } from '../errors/index.js';
import type { AcceptanceReport, GateStep } from '../report/model.js';
import { notApplicableReason, notApplicableStep } from '../report/model.js';
import { loadConfiguredCatalog } from '../scenarios/catalog.js';
import { loadScenariosConfig } from '../scenarios/scenarios-config.js';
import { notApplicableSteps } from './applicability.js';
import { buildChecklist } from './checklist.js';
import type { ChecklistScenario } from './checklist.js';
import type { GateContext, GateProgress } from './context.js';
import { loadGateConfig } from './gate-config.js';
import type { GateConfig } from './gate-config.js';
import { scopeOf } from './scope.js';
import type { GateScope } from './scope.js';
import { repositoryFacts } from './repository-facts.js';
import { GATE_STEPS, isGateStepId } from './steps.js';
import type { GateStepId } from './steps.js';

/** Options of {@link runGate}. */
export interface RunGateOptions {
  /** @default config/integration */
  readonly configDir?: string;
  /** The repository root. @default process.cwd() */
  readonly root?: string;
  /** What the working contract is diffed against. @default the config's `contracts.baseline` (git:HEAD) */
  readonly baseline?: string;
  /** A load profile name or file. @default gate.yaml's `load.profile` (smoke) */
  readonly profile?: string;
  /** The git revision whose build the load step measures beside the candidate; `none` for the recorded baseline file. @default load.yaml's `baseline.ref`, else the merge base with the main branch */
  readonly baselineRef?: string;
  /** Run only these steps (the environment and teardown come along when a selected step needs them). */
  readonly only?: readonly string[];
  /** Leave these steps out. */
  readonly skip?: readonly string[];
  /** Stop at the first failed step instead of running every step that does not depend on it. @default false */
  readonly failFast?: boolean;
  /** Start the services on free ports instead of their configured ones. @default false: configured ports are used (free ones for `port: 0`) */
  readonly freePorts?: boolean;
  /** @default reports */
  readonly reportDir?: string;
  readonly onProgress?: (progress: GateProgress) => void;
  readonly signal?: AbortSignal;
  /** The broker a provider-only repository verifies the pacts of (gate.yaml `verify.fromBroker`). @default env PACT_BROKER_BASE_URL / PACT_BROKER_TOKEN */
  readonly broker?: { readonly url?: string | undefined; readonly token?: string | undefined };
  /** With `verify.fromBroker`: publish the verification results to that broker as this provider version (`accord gate --publish`). @default not published */
  readonly publishVerification?: { readonly providerVersion: string; readonly branch?: string | undefined };
}

/** The gate's result: the acceptance report, and whether a step failed from a bug rather than a verdict. */
export interface GateResult {
  readonly report: AcceptanceReport;
  /** A step threw something other than an AccordError: a bug (the CLI exits 70). */
  readonly internalError: Error | undefined;
  /** Embedded PostgreSQL servers the whole run started (1 when the environment ran). */
  readonly postgresStarts: number;
  /** The catalog's scenarios, for a checklist rebuilt with steps added after the run (publish, can-i-deploy). */
  readonly scenarios: readonly ChecklistScenario[];
}

/** The steps that read `contracts.path`. */
// The docs step documents the contract when there is one (a consumer-only repository has none).
const CONTRACT_STEPS: readonly GateStepId[] = ['contract-lint', 'contract-diff', 'pacts-vs-contract', 'verify'];
const NEEDS_ENVIRONMENT: readonly GateStepId[] = GATE_STEPS.filter((step) => step.dependsOn.includes('environment')).map((step) => step.id);

/**
 * `accord gate`: every acceptance gate in order on one environment. Bad input (an unknown step,
 * a baseline ref that does not exist, a report dir that is a file, an unknown profile) throws an
 * AccordError before anything starts. Then each step runs unless a step it depends on failed or
 * was skipped (it is then skipped with the reason); `failFast` stops at the first failure. The
 * environment is started once and always torn down. Never prints; returns the report.
 */
export async function runGate(options: RunGateOptions = {}): Promise<GateResult> {
  const { ctx, selection } = await prepareGate(options);
  const startedAt = new Date();
  const started = performance.now();
  const cpuAtStart = process.cpuUsage();
  const postgresBefore = embeddedPostgresStarts();
  const emit = options.onProgress ?? (() => undefined);
  const run: StepsRun = { internalError: undefined, scope: await scopeOf(ctx.config, { provider: ctx.gate.verify.provider }) };
  try {
    await runSteps(ctx, selection, run, emit, options.failFast ?? false);
  } finally {
    const teardown = await tearDown(ctx, emit, postgresBefore);
    if (!ctx.signal.aborted) record(ctx, emit, teardown);
  }

  const steps = GATE_STEPS.map((info) => ctx.steps.get(info.id)).filter((step): step is GateStep => step !== undefined);
  const cpu = process.cpuUsage(cpuAtStart);
  const report: AcceptanceReport = {
    ok: steps.every((step) => step.status !== 'fail'),
    startedAt: startedAt.toISOString(),
    durationMs: Math.round(performance.now() - started),
    scope: run.scope,
    environment: { ...environmentFacts(ctx), gateCpuMs: Math.round((cpu.user + cpu.system) / 1000) },
    dependencies: await dependencies(ctx.root),
    steps,
    checklist: buildChecklist({ steps, scenarios: ctx.scenarios?.scenarios ?? [] }),
  };
  return { report, internalError: run.internalError, postgresStarts: embeddedPostgresStarts() - postgresBefore, scenarios: ctx.scenarios?.scenarios ?? [] };
}

/** What the steps' loop leaves for the report: the first internal error, and the scope (with ports once the environment ran). */
interface StepsRun {
  internalError: Error | undefined;
  scope: GateScope;
}

/** Everything checked before anything starts (bad input throws here), and the context the steps share. */
async function prepareGate(options: RunGateOptions): Promise<{ ctx: GateContext; selection: Set<GateStepId> }> {
  const root = resolve(options.root ?? process.cwd());
  const selection = selectSteps(options.only ?? [], options.skip ?? []);
  const reportDir = resolve(root, options.reportDir ?? 'reports');
  await assertDirectory(reportDir, options.reportDir ?? 'reports');
  const config = await loadConfig(options.configDir ?? 'config/integration', { root });
  const gate = await loadGateConfig(config);
  // The team's scenario catalog is imported now: a broken module is bad input, not a failed step minutes in.
  const scenariosConfig = await loadScenariosConfig(config);
  const scenarios = selection.has('scenarios') ? await loadConfiguredCatalog(config, scenariosConfig) : undefined;
  // What does not apply to this system (a one-sided repository, no database) is shown so and checked no further.
  const hasCatalog = scenariosConfig.catalog !== undefined;
  const notApplicable = notApplicableSteps(config, gate, await repositoryFacts(config, gate, { hasCatalog, profile: options.profile }));
  for (const id of notApplicable.keys()) selection.delete(id);
  // Preflight: a step that reads the contract fails now, in one line, rather than minutes in.
  if (CONTRACT_STEPS.some((id) => selection.has(id))) contractPathOf(config, 'the OpenAPI contract the gate lints, diffs and checks the pacts against');
  if (selection.has('verify')) {
    requireSetting(config, gate.verify.provider, { section: 'pacts', key: 'verify.provider', purpose: 'the provider whose pacts the gate verifies' });
    requireSetting(config, gate.verify.states, { section: 'pacts', key: 'verify.states', purpose: "the module that default-exports the provider's defineProviderStates(...)" });
    if (gate.verify.fromBroker && !(options.broker?.url || process.env.PACT_BROKER_BASE_URL)) {
      throw new AccordError(ErrorCodes.USAGE, `${gate.file ?? 'gate.yaml'}: verify.fromBroker needs a Pact Broker: pass --broker-url or set PACT_BROKER_BASE_URL`);
    }
  }
  if (selection.has('schema')) expectedSchemaOf(config, 'the SQL file the gate compares the migrated database with');
  const baseline = options.baseline ?? config.contracts.baseline;
  if (selection.has('contract-diff')) await assertBaseline(baseline, root);
  const ctx: GateContext = {
    config,
    gate,
    notApplicable,
    broker: options.broker ?? {},
    publishVerification: options.publishVerification,
    root,
    reportDir,
    baseline,
    profile: options.profile ?? gate.load.profile,
    baselineRef: options.baselineRef,
    environment: undefined,
    services: servicesFor(selection, gate.verify.provider),
    freePorts: options.freePorts ?? false,
    steps: new Map(),
    signal: options.signal ?? new AbortController().signal,
    detail: () => undefined,
  };
  ctx.scenarios = scenarios;
  if (selection.has('load')) await (await runtimeSteps()).checkProfile(ctx);
  if (selection.has('external-contracts')) assertExternalServices(gate, config);
  return { ctx, selection };
}

function stepRunners(ctx: GateContext, run: StepsRun): Record<Exclude<GateStepId, 'teardown'>, () => Promise<GateStep>> {
  return {
    'contract-lint': async () => (await contractSteps()).runContractLint(ctx),
    'contract-diff': async () => (await contractSteps()).runContractDiff(ctx),
    'consumer-tests': async () => (await import('./consumer-tests-step.js')).runConsumerTests(ctx),
    'pacts-vs-contract': async () => (await contractSteps()).runPactsVsContract(ctx),
    environment: async () => (await runtimeSteps()).runEnvironmentStep(ctx),
    schema: async () => (await runtimeSteps()).runSchemaStep(ctx),
    verify: async () => (await runtimeSteps()).runVerifyStep(ctx),
    scenarios: async () => (await runtimeSteps()).runScenariosStep(ctx),
    load: async () => (await runtimeSteps()).runLoadStep(ctx),
    'external-contracts': async () => (await import('./external-contracts-step.js')).runExternalContractsStep(ctx),
    docs: async () => (await import('./docs-step.js')).runDocsStep(ctx, run.scope),
  };
}

/** Every step but the teardown, in order: skipped with the reason when a dependency did not pass, or after --fail-fast. */
async function runSteps(ctx: GateContext, selection: ReadonlySet<GateStepId>, run: StepsRun, emit: (progress: GateProgress) => void, failFast: boolean): Promise<void> {
  const runners = stepRunners(ctx, run);
  let stopAll: string | undefined;
  for (const info of GATE_STEPS) {
    if (info.id === 'teardown') continue;
    const notApplicable = ctx.notApplicable.get(info.id);
    if (notApplicable !== undefined && stopAll === undefined) {
      record(ctx, emit, notApplicableStep(info.id, info.title, notApplicable));
      continue;
    }
    const reason = stopAll ?? skipReason(info.id, selection, ctx.steps);
    if (reason !== undefined) {
      record(ctx, emit, { id: info.id, title: info.title, status: 'skip', durationMs: 0, checks: [], evidence: [], details: { reason } });
      continue;
    }
    if (info.id === 'docs' && ctx.environment) {
      const urls = new Map([...ctx.environment.services].map(([name, service]) => [name, service.url]));
      run.scope = await scopeOf(ctx.config, { provider: ctx.gate.verify.provider, ports: urls });
    }
    emit({ type: 'start', id: info.id, title: info.title });
    ctx.detail = (text) => emit({ type: 'detail', id: info.id, text });
    const step = await timedStep(ctx, info, runners[info.id], run);
    record(ctx, emit, step);
    if (step.status === 'fail' && failFast) stopAll = `not run: --fail-fast after ${info.id} failed`;
  }
}

/** One step's result with its wall time and the gate process's CPU in it; an error is the step's failure (an interrupt goes on up). */
async function timedStep(ctx: GateContext, info: { id: GateStepId; title: string }, runner: () => Promise<GateStep>, run: StepsRun): Promise<GateStep> {
  const stepStarted = performance.now();
  const cpuStarted = process.cpuUsage();
  let step: GateStep;
  try {
    step = await runner();
  } catch (error) {
    if (ctx.signal.aborted) throw error;
    if (!isAccordError(error)) run.internalError ??= error as Error;
    step = { id: info.id, title: info.title, status: 'fail', durationMs: 0, checks: [{ id: 'error', name: `${info.title} ran`, status: 'fail', message: `${isAccordError(error) ? '' : 'internal error: '}${(error as Error).message.split('\n')[0]}` }], evidence: [] };
  }
  // The gate process's own CPU in this step (the load generator and the runners live here; the services do not).
  const cpu = process.cpuUsage(cpuStarted);
  return { ...step, durationMs: Math.round(performance.now() - stepStarted), details: { ...step.details, gateCpuMs: Math.round((cpu.user + cpu.system) / 1000) } };
}

/** Stops the shared environment (always) and says whether every part stopped and PostgreSQL started once. */
async function tearDown(ctx: GateContext, emit: (progress: GateProgress) => void, postgresBefore: number): Promise<GateStep> {
  const teardownStarted = performance.now();
  const environment = ctx.environment;
  ctx.environment = undefined;
  if (!environment) return { id: 'teardown', title: 'Teardown', status: 'skip', durationMs: 0, checks: [], evidence: [], details: { reason: 'nothing was started' } };
  emit({ type: 'start', id: 'teardown', title: 'Teardown' });
  let teardownError: Error | undefined;
  await environment.stop().catch((error: unknown) => {
    teardownError = error as Error;
  });
  const postgresStarts = embeddedPostgresStarts() - postgresBefore;
  return {
    id: 'teardown',
    title: 'Teardown',
    status: teardownError ? 'fail' : 'pass',
    durationMs: Math.round(performance.now() - teardownStarted),
    checks: [
      { id: 'stopped', name: 'every process and database stopped', status: teardownError ? 'fail' : 'pass', message: teardownError ? teardownError.message : 'services, Redis and PostgreSQL stopped, database dropped' },
      // The proof the environment was shared: one embedded server for the whole run.
      { id: 'postgres-starts', name: 'PostgreSQL started once for the whole run', status: postgresStarts <= 1 ? 'pass' : 'fail', message: `${postgresStarts} embedded PostgreSQL server${postgresStarts === 1 ? '' : 's'} started by this run`, measured: { actual: postgresStarts, limit: 1, unit: 'starts' } },
    ],
    evidence: [],
    details: { postgresStarts },
  };
}

function record(ctx: GateContext, emit: (progress: GateProgress) => void, step: GateStep): void {
  ctx.steps.set(step.id as GateStepId, step);
  emit({ type: 'done', step });
}

/** The steps to run: `only` (plus the environment when a chosen step needs it) minus `skip`; unknown ids are bad input. */
export function selectSteps(only: readonly string[], skip: readonly string[]): Set<GateStepId> {
  const unknown = [...only.map((id) => ['--only', id]), ...skip.map((id) => ['--skip', id])].filter(([, id]) => !isGateStepId(id ?? ''));
  if (unknown.length > 0) {
    const [option, id] = unknown[0] ?? [];
    throw new AccordError(ErrorCodes.USAGE, `${option}: unknown step "${id}": expected one of ${GATE_STEPS.map((step) => step.id).join(', ')}`);
  }
  const selected = new Set<GateStepId>(only.length > 0 ? (only as GateStepId[]) : GATE_STEPS.map((step) => step.id));
  if ([...selected].some((id) => NEEDS_ENVIRONMENT.includes(id)) && !skip.includes('environment')) selected.add('environment');
  selected.add('teardown');
  for (const id of skip) selected.delete(id as GateStepId);
  return selected;
}

/** Every service unless only database or provider steps run: then none, or the provider alone. */
function servicesFor(selection: ReadonlySet<GateStepId>, provider: string | undefined): string[] | undefined {
  if (selection.has('scenarios') || selection.has('load')) return undefined;
  if (selection.has('verify')) return provider ? [provider] : undefined;
  return [];
}

function skipReason(id: GateStepId, selection: ReadonlySet<GateStepId>, done: ReadonlyMap<GateStepId, GateStep>): string | undefined {
  if (!selection.has(id)) return 'not selected (--only/--skip)';
  const info = GATE_STEPS.find((step) => step.id === id);
  for (const dependency of info?.dependsOn ?? []) {
    const result = done.get(dependency);
    // A dependency left out by choice (the pacts as committed, say) or that does not apply to this system is not a failure; the environment is needed.
    if (!result || notApplicableReason(result) !== undefined || (result.status === 'skip' && dependency !== 'environment' && !selection.has(dependency))) continue;
    if (result.status === 'fail') return `skipped: ${dependency} failed`;
    if (result.status === 'skip') return `skipped: ${dependency} did not run`;
  }
  return undefined;
}

/** Every external point names a service of environment.yaml: a typo would otherwise read as "not started". */
function assertExternalServices(gate: GateConfig, config: ResolvedConfig): void {
  const unknown = gate.external.filter((point) => !config.environment.services.has(point.service));
  if (unknown.length > 0) throw new AccordError(ErrorCodes.CONFIG_INVALID, `${gate.file ?? 'gate.yaml'}: external service "${unknown[0]?.service}" is not a service of environment.yaml (it has ${[...config.environment.services.keys()].join(', ')})`);
}

async function assertDirectory(dir: string, shown: string): Promise<void> {
  const found = await stat(dir).catch(() => undefined);
  if (found && !found.isDirectory()) throw new AccordError(ErrorCodes.USAGE, `--report-dir ${shown} is a file: expected a directory (or a path that does not exist yet)`);
}

async function assertBaseline(baseline: string, root: string): Promise<void> {
  if (isGitSpec(baseline)) {
    const ref = baseline.slice('git:'.length).split(':')[0] ?? '';
    const found = await execa('git', ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { cwd: root, reject: false });
    if (found.exitCode !== 0) throw new AccordError(ErrorCodes.GIT_REF_INVALID, `--baseline ${baseline}: git ref "${ref}" does not exist in ${root}`);
    return;
  }
  const file = isAbsolute(baseline) ? baseline : resolve(root, baseline);
  const found = await stat(file).catch(() => undefined);
  if (!found?.isFile()) throw new AccordError(ErrorCodes.FILE_NOT_FOUND, `--baseline ${baseline}: no such file (expected git:REF[:PATH] or a contract file)`);
}

function environmentFacts(ctx: GateContext): Record<string, string | number> {
  const env = ctx.steps.get('environment');
  const facts: Record<string, string | number> = { node: process.version, platform: `${process.platform} ${process.arch}` };
  for (const [key, value] of Object.entries(env?.details ?? {})) {
    if (typeof value === 'string' || typeof value === 'number') facts[key] = value;
  }
  return facts;
}

async function dependencies(root: string): Promise<Record<string, string>> {
  const { readFile } = await import('node:fs/promises');
  const pkg = await readFile(resolve(root, 'package.json'), 'utf8').then((text) => JSON.parse(text) as { dependencies?: Record<string, string> }, () => ({ dependencies: {} }));
  return { ...(pkg.dependencies ?? {}) };
}

// Each step's implementation is loaded when the step runs: together they pull in pact, fastify,
// ioredis, pg and the load engine (about 1.5 s of CPU), which a `gate --only contract-lint` or a
// gate refused for bad input must not pay.
function contractSteps() {
  return import('./contract-steps.js');
}
function runtimeSteps() {
  return import('./runtime-steps.js');
}
