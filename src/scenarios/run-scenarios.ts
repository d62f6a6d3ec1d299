import { Redis } from 'ioredis';
import pg from 'pg';
import { AccordError, ErrorCodes } from '../errors/index.js';
import type { CheckResult } from './check.js';
import { FaultInjector } from './faults.js';
import { startRecording } from './recorder.js';
import type { Scenario, ScenarioContext } from './scenario.js';
import { renderSequenceDiagram, writeSequencePage } from './sequence-diagram.js';
import { scenarioContext } from './context.js';
import type { ScenarioTargets } from './targets.js';
import { writeTrace } from './trace.js';

/** A step a test runs at a scenario's named point, to prove a check notices interference. */
export type InterferenceHook = (ctx: ScenarioContext) => Promise<void>;

/** The result of one scenario: the JSON output's `scenarios[]` entry, plus where its recording went. */
export interface ScenarioResult {
  readonly name: string;
  readonly ok: boolean;
  readonly durationMs: number;
  readonly checks: readonly CheckResult[];
  readonly title: string;
  /** `reports/traces/<name>.json` when written. */
  readonly traceFile?: string;
  /** `docs/sequences/<name>.md` when diagrams were asked for. */
  readonly diagramFile?: string;
  /** The Mermaid sequence diagram drawn from the recording (what the diagram file holds). */
  readonly diagram?: string;
}

/** The result of a run: ok when every check of every scenario passed. */
export interface ScenariosResult {
  readonly ok: boolean;
  readonly scenarios: readonly ScenarioResult[];
}

/** Progress of a run, for a CLI to print; the runner itself never prints. */
export type ScenarioProgress = { readonly type: 'start'; readonly name: string } | { readonly type: 'done'; readonly result: ScenarioResult };

/** Options for {@link runScenarios}. */
export interface RunScenariosOptions {
  /** Run only these scenarios (by name), in catalog order. @default all */
  only?: readonly string[];
  /** Interference per scenario and point: `{ 'provider-down': { 'after-stop': async (ctx) => ... } }`. */
  hooks?: Readonly<Record<string, Readonly<Record<string, InterferenceHook>>>>;
  /** Where traces are written. @default reports/traces */
  tracesDir?: string;
  /** Where Mermaid sequence pages are written; none are written when unset. */
  diagramsDir?: string;
  onProgress?: (progress: ScenarioProgress) => void;
}

/** Picks the scenarios `only` names, in catalog order; an unknown name is bad input. */
export function selectScenarios(catalog: readonly Scenario[], only?: readonly string[]): Scenario[] {
  if (only === undefined || only.length === 0) return [...catalog];
  const known = new Set(catalog.map((s) => s.name));
  const unknown = only.filter((name) => !known.has(name));
  if (unknown.length > 0) {
    throw new AccordError(ErrorCodes.USAGE, `unknown scenario ${unknown.map((n) => `"${n}"`).join(', ')} in --only: expected one of ${[...known].join(', ')}`);
  }
  return catalog.filter((s) => only.includes(s.name));
}

/** Runs scenarios one after another against the live targets; faults are undone after each, whatever happened. */
export async function runScenarios(catalog: readonly Scenario[], targets: ScenarioTargets, options: RunScenariosOptions = {}): Promise<ScenariosResult> {
  const selected = selectScenarios(catalog, options.only);
  validateHooks(catalog, options.hooks ?? {});
  const stores = openStores(targets);
  const results: ScenarioResult[] = [];
  try {
    for (const scenario of selected) {
      options.onProgress?.({ type: 'start', name: scenario.name });
      const result = await runOne(scenario, targets, stores, options);
      results.push(result);
      options.onProgress?.({ type: 'done', result });
    }
  } finally {
    stores.redis?.disconnect();
    await stores.pool?.end().catch(() => undefined);
  }
  return { ok: results.every((r) => r.ok), scenarios: results };
}

/** The connections a run shares between its scenarios: a pool on the database and a Redis client, when the system has them. */
interface Stores {
  readonly pool: pg.Pool | undefined;
  readonly redis: Redis | undefined;
}

function openStores(targets: ScenarioTargets): Stores {
  const pool = targets.postgres ? new pg.Pool({ connectionString: targets.postgres.databaseUrl, max: 10, connectionTimeoutMillis: 3000 }) : undefined;
  // Idle connections die when a scenario stops Postgres; the pool drops them, we must not crash on the event.
  pool?.on('error', () => undefined);
  const redis = targets.redis ? new Redis(targets.redis.url, { lazyConnect: true, maxRetriesPerRequest: 2, retryStrategy: () => 100 }) : undefined;
  redis?.on('error', () => undefined);
  return { pool, redis };
}

function validateHooks(catalog: readonly Scenario[], hooks: NonNullable<RunScenariosOptions['hooks']>): void {
  for (const [name, points] of Object.entries(hooks)) {
    const scenario = catalog.find((s) => s.name === name);
    if (!scenario) throw new AccordError(ErrorCodes.USAGE, `hooks name scenario "${name}", which does not exist: expected one of ${catalog.map((s) => s.name).join(', ')}`);
    for (const point of Object.keys(points)) {
      if (!(scenario.points ?? []).includes(point)) {
        throw new AccordError(ErrorCodes.USAGE, `hooks name point "${point}" of scenario "${name}", which it does not have: expected one of ${(scenario.points ?? []).join(', ') || '(none)'}`);
      }
    }
  }
}

async function runOne(scenario: Scenario, targets: ScenarioTargets, stores: Stores, options: RunScenariosOptions): Promise<ScenarioResult> {
  const started = performance.now();
  const recording = await startRecording(
    scenario.name,
    [...targets.services.values()].map((service) => ({ service: service.name, logFile: service.logFile })),
  );
  const faults = new FaultInjector(targets);
  const hooks = options.hooks?.[scenario.name] ?? {};
  const ctx: ScenarioContext = scenarioContext(scenario.name, targets, { ...stores, faults, recording, point: async (name) => hooks[name]?.(ctx) });

  const checks: CheckResult[] = [];
  try {
    const setup = scenario.setup ? await scenario.setup(ctx) : undefined;
    const outcome = await scenario.actions(ctx, setup);
    for (const check of scenario.checks) {
      try {
        const verdict = await check.verify(outcome, ctx);
        checks.push({ name: check.name, ok: verdict.ok, detail: verdict.detail });
      } catch (error) {
        checks.push({ name: check.name, ok: false, detail: `the check itself failed: ${(error as Error).message}` });
      }
    }
  } catch (error) {
    checks.push({ name: 'scenario ran to completion', ok: false, detail: `${(error as Error).message}` });
    for (const check of scenario.checks) checks.push({ name: check.name, ok: false, detail: 'not evaluated: the scenario stopped before its checks' });
  }

  const trace = await recording.finish();
  // Always, even after a failure: the next scenario (and the user's machine) gets the whole system back.
  const restored = await faults.restore();
  checks.push({ name: 'every faulted process is back and healthy', ...restored });

  const traceFile = await writeTrace(trace, options.tracesDir ?? 'reports/traces');
  const diagramFile = options.diagramsDir === undefined ? undefined : await writeSequencePage(trace, `Scenario: ${scenario.title}`, options.diagramsDir, targets.participants);
  return {
    name: scenario.name,
    ok: checks.every((c) => c.ok),
    durationMs: Math.round(performance.now() - started),
    checks,
    title: scenario.title,
    traceFile,
    ...(diagramFile === undefined ? {} : { diagramFile }),
    diagram: renderSequenceDiagram(trace, targets.participants),
  };
}
