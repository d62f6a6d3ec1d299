import pg from 'pg';
import { pingRedis } from '../env/index.js';
import { ADMIN_PREFIX as STUB_ADMIN } from '../stub/index.js';
import { fail, pass } from './check.js';
import type { CheckOutcome } from './check.js';
import { field, httpCall } from './http.js';
import type { ScenarioTargets, ServiceTarget } from './targets.js';

/** A service a fault can hit: its name in environment.yaml. */
export type ServiceName = string;

/** A fault in force, as {@link FaultInjector.active} lists it. */
export interface ActiveFault {
  /** A service name, `redis` or `postgres`. */
  readonly target: string;
  /** `misbehaving`: a stub answers with a fault mode switched on. */
  readonly kind: 'stopped' | 'frozen' | 'misbehaving';
  readonly detail: string;
}

/**
 * Injects faults into the real processes of the environment and remembers how to undo each,
 * so {@link FaultInjector.restore} brings everything back after a scenario, even a failed one.
 * A lifecycle handle, hence a class.
 */
export class FaultInjector {
  private readonly faults = new Map<string, ActiveFault>();

  constructor(private readonly targets: ScenarioTargets) {}

  /** Faults currently in force, oldest first. */
  active(): ActiveFault[] {
    return [...this.faults.values()];
  }

  /** Stops a service: SIGTERM lets it shut down, SIGKILL does not. */
  async stopService(name: ServiceName, signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> {
    const service = this.service(name);
    service.kill(signal);
    await service.exited();
    this.faults.set(name, { target: name, kind: 'stopped', detail: `${name} stopped with ${signal}` });
  }

  /** Freezes a service with SIGSTOP: its socket still accepts connections, but it never answers. */
  async freezeService(name: ServiceName): Promise<void> {
    this.service(name).kill('SIGSTOP');
    this.faults.set(name, { target: name, kind: 'frozen', detail: `${name} frozen with SIGSTOP` });
  }

  /** Thaws a frozen service with SIGCONT. */
  async thawService(name: ServiceName): Promise<void> {
    this.service(name).kill('SIGCONT');
    this.faults.delete(name);
  }

  /** Restarts a service (stopped, frozen or running) and waits until it is healthy. */
  async restartService(name: ServiceName): Promise<void> {
    if (this.faults.get(name)?.kind === 'frozen') this.service(name).kill('SIGCONT');
    await this.service(name).restart();
    this.faults.delete(name);
  }

  /** Stops the Redis server process (same port kept for {@link startRedis}). */
  async stopRedis(signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> {
    await this.redis().halt(signal);
    this.faults.set('redis', { target: 'redis', kind: 'stopped', detail: `redis stopped with ${signal}` });
  }

  /**
   * Freezes the real redis-server with SIGSTOP: connections stay open, nothing is answered (a
   * paused or overloaded Redis). Only a server Accord started: an external one is not ours to pause.
   */
  async freezeRedis(): Promise<void> {
    const redis = this.redis();
    const pid = redis.pid;
    if (redis.external || pid === undefined) throw new Error('redis is external or not running: Accord pauses only a redis-server it started');
    process.kill(pid, 'SIGSTOP');
    this.faults.set('redis', { target: 'redis', kind: 'frozen', detail: `redis-server ${pid} frozen with SIGSTOP` });
  }

  /** Thaws a frozen Redis with SIGCONT. */
  async thawRedis(): Promise<void> {
    const pid = this.redis().pid;
    if (pid !== undefined) process.kill(pid, 'SIGCONT');
    this.faults.delete('redis');
  }

  /** Starts a stopped Redis again. */
  async startRedis(): Promise<void> {
    await this.redis().resume();
    this.faults.delete('redis');
  }

  /** Brings Redis back from whatever fault it is in: thawed when frozen, started when stopped. */
  async resumeRedis(): Promise<void> {
    const kind = this.faults.get('redis')?.kind;
    if (kind === 'frozen') await this.thawRedis();
    else if (kind === 'stopped') await this.startRedis();
  }

  /** Stops the PostgreSQL server (SIGINT is its fast shutdown; SIGKILL a crash). Data is kept. */
  async stopPostgres(signal: 'SIGINT' | 'SIGTERM' | 'SIGKILL' = 'SIGINT'): Promise<void> {
    await this.postgres().server.halt(signal);
    this.faults.set('postgres', { target: 'postgres', kind: 'stopped', detail: `postgres stopped with ${signal}` });
  }

  /** Starts a stopped PostgreSQL again on the same port and data. */
  async startPostgres(): Promise<void> {
    await this.postgres().server.resume();
    this.faults.delete('postgres');
  }

  /**
   * Switches a fault mode on in the stub `name` serves (`{"mode":"latency","delayMs":2000,"operations":["authorize"]}`),
   * through its admin endpoint; the stub refuses (and this throws on) a mode it does not have.
   */
  async faultStub(name: ServiceName, fault: Readonly<Record<string, unknown>>): Promise<void> {
    await this.putStubFault(name, 'PUT', fault);
    this.faults.set(name, { target: name, kind: 'misbehaving', detail: `${name} fault ${JSON.stringify(fault)}` });
  }

  /** Switches the stub `name` back to answering from its contract. */
  async healStub(name: ServiceName): Promise<void> {
    await this.putStubFault(name, 'DELETE');
    this.faults.delete(name);
  }

  /**
   * Undoes every fault still in force (thaw first, then Redis and Postgres, then the services,
   * which need them to become healthy), then waits until the whole system answers healthy again.
   * Returns what it did, as a check outcome: a system left broken fails the scenario.
   */
  async restore(timeoutMs = 15_000): Promise<CheckOutcome> {
    const undone: string[] = [];
    const problems: string[] = [];
    const attempt = async (what: string, step: () => Promise<void>) => {
      try {
        await step();
        undone.push(what);
      } catch (error) {
        problems.push(`${what} failed: ${(error as Error).message}`);
      }
    };
    const order = (fault: ActiveFault) => (fault.kind === 'frozen' ? 0 : fault.target === 'redis' || fault.target === 'postgres' ? 1 : 2);
    for (const fault of this.active().sort((x, y) => order(x) - order(y))) {
      if (fault.kind === 'frozen' && fault.target === 'redis') await attempt('thaw redis', () => this.thawRedis());
      else if (fault.kind === 'frozen') await attempt(`thaw ${fault.target}`, () => this.thawService(fault.target));
      else if (fault.target === 'redis') await attempt('start redis', () => this.startRedis());
      else if (fault.target === 'postgres') await attempt('start postgres', () => this.startPostgres());
      else if (fault.kind === 'misbehaving') await attempt(`heal ${fault.target}`, () => this.healStub(fault.target));
      else await attempt(`restart ${fault.target}`, () => this.restartService(fault.target));
    }
    const unhealthy = await waitHealthy(this.targets, timeoutMs);
    problems.push(...unhealthy);
    const did = undone.length === 0 ? 'no fault was left to undo' : `undid: ${undone.join(', ')}`;
    return problems.length === 0 ? pass(`${did}; ${partsOf(this.targets).join(', ')} healthy`) : fail(`${did}; ${problems.join('; ')}`);
  }

  private async putStubFault(name: ServiceName, method: 'PUT' | 'DELETE', fault?: Readonly<Record<string, unknown>>): Promise<void> {
    const stub = this.service(name);
    const answer = await httpCall(method, `${stub.url.replace(/\/$/, '')}${STUB_ADMIN}/fault`, fault === undefined ? { timeoutMs: 2000 } : { json: fault, timeoutMs: 2000 });
    if (answer.status !== 200) throw new Error(`${name} refused the fault ${JSON.stringify(fault ?? 'none')}: ${answer.status || answer.error} ${JSON.stringify(field(answer.body, 'detail') ?? null)}`);
  }

  private service(name: ServiceName): ServiceTarget {
    const found = this.targets.services.get(name);
    if (!found) throw new Error(`${name} is not part of this environment (it runs ${[...this.targets.services.keys()].join(', ') || 'no service'})`);
    return found;
  }

  private redis() {
    if (!this.targets.redis) throw new Error('the environment runs no Redis');
    return this.targets.redis;
  }

  private postgres() {
    if (!this.targets.postgres) throw new Error('the environment runs no PostgreSQL');
    return this.targets.postgres;
  }
}

function partsOf(targets: ScenarioTargets): string[] {
  return [...(targets.postgres ? ['postgres'] : []), ...(targets.redis ? ['redis'] : []), ...targets.services.keys()];
}

/** Polls every part of the system until all are healthy or `timeoutMs` passes; returns what is still unhealthy. */
export async function waitHealthy(targets: ScenarioTargets, timeoutMs: number): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const problems = await healthProblems(targets);
    if (problems.length === 0 || Date.now() >= deadline) return problems;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * PostgreSQL answers a query, Redis a PING, and every service its health path with a 2xx; a
 * health body with a `checks` object (`{"checks":{"redis":"ok"}}`) must say `ok` for each: a
 * service still reconnecting to what was just restored is not back yet.
 */
async function healthProblems(targets: ScenarioTargets): Promise<string[]> {
  const problems: string[] = [];
  if (targets.postgres) {
    const client = new pg.Client({ connectionString: targets.postgres.databaseUrl, connectionTimeoutMillis: 1000 });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.query('SELECT 1');
    } catch (error) {
      problems.push(`postgres: ${(error as Error).message}`);
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  if (targets.redis && !(await pingRedis(targets.redis.host, targets.redis.port, 500))) problems.push('redis: no PONG');
  for (const service of targets.services.values()) {
    const answer = await httpCall('GET', `${service.url.replace(/\/$/, '')}${service.health}`, { timeoutMs: 1000 });
    const checks = field(answer.body, 'checks');
    const degraded = typeof checks === 'object' && checks !== null && !Array.isArray(checks) ? Object.entries(checks).filter(([, value]) => value !== 'ok' && value !== true) : [];
    if (answer.status < 200 || answer.status >= 300 || degraded.length > 0) problems.push(`${service.name}: ${service.health} ${answer.status || answer.error} ${JSON.stringify(checks ?? null)}`);
  }
  return problems;
}
