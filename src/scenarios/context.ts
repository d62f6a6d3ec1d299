import { randomBytes } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import type pg from 'pg';
import { ADMIN_PREFIX as STUB_ADMIN } from '../stub/index.js';
import type { Exchange } from '../stub/index.js';
import type { FaultInjector } from './faults.js';
import { httpCall, scenarioHttp } from './http.js';
import type { LogLine } from './log-lines.js';
import type { Recording } from './recorder.js';
import type { LogMatch, ScenarioContext, ScenarioPostgres, ScenarioRedis, ScenarioService, ScenarioStub } from './scenario.js';
import type { ScenarioTargets, ServiceTarget } from './targets.js';

/** What one scenario run adds to the targets: the shared connections, its fault injector, its recording and its interference points. */
export interface ContextParts {
  readonly pool: pg.Pool | undefined;
  readonly redis: Redis | undefined;
  readonly faults: FaultInjector;
  readonly recording: Recording;
  readonly point: (name: string) => Promise<void>;
}

/** The {@link ScenarioContext} of one scenario run on `targets`. */
export function scenarioContext(scenario: string, targets: ScenarioTargets, parts: ContextParts): ScenarioContext {
  const { faults, recording } = parts;
  const find = (name: string): ServiceTarget => {
    const found = targets.services.get(name);
    if (!found) throw new Error(`service "${name}" is not part of this environment (started: ${[...targets.services.keys()].join(', ') || 'none'})`);
    return found;
  };
  const services = new Map<string, ScenarioService>([...targets.services.values()].map((target) => [target.name, serviceHandle(target, faults)]));
  const service = (name: string): ScenarioService => {
    find(name);
    return services.get(name) as ScenarioService;
  };
  const base = (name: string) => find(name).url.replace(/\/$/, '');
  const postgres: ScenarioPostgres | undefined =
    targets.postgres && parts.pool
      ? { pool: parts.pool, url: targets.postgres.databaseUrl, halt: (signal) => faults.stopPostgres(signal), resume: () => faults.startPostgres() }
      : undefined;
  const redis: ScenarioRedis | undefined =
    targets.redis && parts.redis
      ? { client: parts.redis, url: targets.redis.url, pause: () => faults.freezeRedis(), halt: (signal) => faults.stopRedis(signal), resume: () => faults.resumeRedis() }
      : undefined;
  const ctx: ScenarioContext = {
    scenario,
    run: randomBytes(3).toString('hex').toUpperCase(),
    services,
    service,
    env: (name) => find(name).env,
    secret(name) {
      const value = targets.secrets[name];
      if (value === undefined || value === '') throw new Error(`secret ${name} is not set (the config's env file must set it)`);
      return value;
    },
    http: scenarioHttp(base, (call) => recording.note(call as unknown as LogLine)),
    postgres,
    redis,
    stub: (name) => stubHandle(name, base(name), faults),
    logs: recording,
    waitForLog: async (match, timeoutMs = 2000) => {
      const test = matcher(match);
      const lines = await recording.waitFor((seen) => seen.some(test), timeoutMs);
      return lines.find(test);
    },
    async waitForRows<R extends Record<string, unknown>>(sql: string, params: readonly unknown[] = [], options: { until?: (rows: readonly R[]) => boolean; timeoutMs?: number } = {}): Promise<R[]> {
      if (!parts.pool) throw new Error('the environment runs no PostgreSQL: there are no rows to wait for');
      const pool = parts.pool;
      const deadline = Date.now() + (options.timeoutMs ?? 5000);
      const done = options.until ?? ((rows: readonly R[]) => rows.length > 0);
      for (;;) {
        const rows = await pool.query<R>(sql, [...params]).then((result) => result.rows, () => [] as R[]);
        if (done(rows) || Date.now() >= deadline) return rows;
        await delay(100);
      }
    },
    activeFaults: () => faults.active(),
    id: (label) => `scn-${scenario}-${label}-${randomBytes(4).toString('hex')}`,
    point: parts.point,
  };
  return ctx;
}

function serviceHandle(target: ServiceTarget, faults: FaultInjector): ScenarioService {
  return {
    name: target.name,
    get url() {
      return target.url.replace(/\/$/, '');
    },
    get pid() {
      return target.pid;
    },
    env: target.env,
    secrets: target.secrets,
    stop: () => faults.stopService(target.name, 'SIGTERM'),
    kill: () => faults.stopService(target.name, 'SIGKILL'),
    restart: () => faults.restartService(target.name),
    pause: () => faults.freezeService(target.name),
    resume: () => faults.thawService(target.name),
  };
}

function stubHandle(name: string, url: string, faults: FaultInjector): ScenarioStub {
  return {
    name,
    url,
    fault: (fault) => faults.faultStub(name, fault),
    heal: () => faults.healStub(name),
    async exchanges() {
      const answer = await httpCall('GET', `${url}${STUB_ADMIN}/exchanges`, { timeoutMs: 5000 });
      if (answer.status !== 200 || !Array.isArray(answer.body)) throw new Error(`the stub ${name} did not list its exchanges: ${answer.status || answer.error}`);
      return answer.body as Exchange[];
    },
  };
}

function matcher(match: LogMatch): (line: LogLine) => boolean {
  if (typeof match === 'function') return match;
  return (line) => (match.service === undefined || line.service === match.service) && (match.event === undefined || line.event === match.event) && (match.correlationId === undefined || line.correlationId === match.correlationId);
}
