import pg from 'pg';
import { pingRedis } from '../env/index.js';
import { ADMIN_PREFIX as STUB_ADMIN } from '../stub/index.js';
import { fail, pass } from './check.js';
import type { CheckOutcome } from './check.js';
import { field, httpCall } from './http.js';
import type { ScenarioTargets, ServiceTarget } from './targets.js';

/** A service a fault can hit: the name of the consumer, the provider or the worker in environment.yaml. */
export type ServiceName = string;

/** A fault in force, as {@link FaultInjector.active} lists it. */
export interface ActiveFault {
  /** A service name, `redis`, `postgres`, or the vendor stub's service name (kind `misbehaving`). */
  readonly target: string;
  /** `misbehaving`: the payments stub answers with a fault mode switched on. */
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

  /** Restarts a service (stopped or running) and waits until it is healthy. */
  async restartService(name: ServiceName): Promise<void> {
    if (this.faults.get(name)?.kind === 'frozen') this.service(name).kill('SIGCONT');
    await this.service(name).restart();
    this.faults.delete(name);
  }

  /** Stops the Redis server process (same port kept for {@link startRedis}). */
  async stopRedis(signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> {
    await this.targets.redis.halt(signal);
    this.faults.set('redis', { target: 'redis', kind: 'stopped', detail: `redis stopped with ${signal}` });
  }

  /**
   * Freezes the real redis-server with SIGSTOP: connections stay open, nothing is answered (a
   * paused or overloaded Redis). Only a server Accord started: an external one is not ours to pause.
   */
  async freezeRedis(): Promise<void> {
    const pid = this.targets.redis.pid;
    if (this.targets.redis.external || pid === undefined) throw new Error('redis is external or not running: Accord pauses only a redis-server it started');
    process.kill(pid, 'SIGSTOP');
    this.faults.set('redis', { target: 'redis', kind: 'frozen', detail: `redis-server ${pid} frozen with SIGSTOP` });
  }

  /** Thaws a frozen Redis with SIGCONT. */
  async thawRedis(): Promise<void> {
    const pid = this.targets.redis.pid;
    if (pid !== undefined) process.kill(pid, 'SIGCONT');
    this.faults.delete('redis');
  }

  /** Starts a stopped Redis again. */
  async startRedis(): Promise<void> {
    await this.targets.redis.resume();
    this.faults.delete('redis');
  }

  /** Stops the PostgreSQL server (SIGINT is its fast shutdown; SIGKILL a crash). Data is kept. */
  async stopPostgres(signal: 'SIGINT' | 'SIGTERM' | 'SIGKILL' = 'SIGINT'): Promise<void> {
    await this.targets.postgres.halt(signal);
    this.faults.set('postgres', { target: 'postgres', kind: 'stopped', detail: `postgres stopped with ${signal}` });
  }

  /** Starts a stopped PostgreSQL again on the same port and data. */
  async startPostgres(): Promise<void> {
    await this.targets.postgres.resume();
    this.faults.delete('postgres');
  }

  /**
   * Switches a fault mode on in the payments stub (`{"mode":"latency","delayMs":2000,"operations":["authorizePayment"]}`),
   * through its admin endpoint; the stub refuses (and this throws on) a mode it does not have.
   */
  async faultPayments(fault: Readonly<Record<string, unknown>>): Promise<void> {
    await this.putPaymentsFault('PUT', fault);
    const stub = this.stubName();
    this.faults.set(stub, { target: stub, kind: 'misbehaving', detail: `${stub} fault ${JSON.stringify(fault)}` });
  }

  /** Switches the payments stub back to answering from its contract. */
  async healPayments(): Promise<void> {
    await this.putPaymentsFault('DELETE');
    this.faults.delete(this.stubName());
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
      else if (fault.kind === 'frozen') await attempt(`thaw ${fault.target}`, () => this.thawService(fault.target as ServiceName));
      else if (fault.target === 'redis') await attempt('start redis', () => this.startRedis());
      else if (fault.target === 'postgres') await attempt('start postgres', () => this.startPostgres());
      else if (fault.kind === 'misbehaving') await attempt(`heal ${fault.target}`, () => this.healPayments());
      else await attempt(`restart ${fault.target}`, () => this.restartService(fault.target as ServiceName));
    }
    const unhealthy = await waitHealthy(this.targets, timeoutMs);
    problems.push(...unhealthy);
    const did = undone.length === 0 ? 'no fault was left to undo' : `undid: ${undone.join(', ')}`;
    return problems.length === 0 ? pass(`${did}; postgres, redis, ${this.targets.serviceA.name} and ${this.targets.serviceB.name} healthy`) : fail(`${did}; ${problems.join('; ')}`);
  }

  private async putPaymentsFault(method: 'PUT' | 'DELETE', fault?: Readonly<Record<string, unknown>>): Promise<void> {
    const stub = this.targets.payments;
    if (!stub) throw new Error('the environment runs no vendor stub: the payment scenarios need one in environment.yaml (and roles.vendorStub in scenarios.yaml)');
    const answer = await httpCall(method, `${stub.url.replace(/\/$/, '')}${STUB_ADMIN}/fault`, fault === undefined ? { timeoutMs: 2000 } : { json: fault, timeoutMs: 2000 });
    if (answer.status !== 200) throw new Error(`${this.stubName()} refused the fault ${JSON.stringify(fault ?? 'none')}: ${answer.status || answer.error} ${JSON.stringify(field(answer.body, 'detail') ?? null)}`);
  }

  private stubName(): string {
    return this.targets.roles.vendorStub?.service ?? 'vendor stub';
  }

  private service(name: ServiceName): ServiceTarget {
    const found = [this.targets.serviceA, this.targets.serviceB, this.targets.events?.serviceC].find((target) => target?.name === name);
    if (!found) throw new Error(`${name} is not part of this environment`);
    return found;
  }
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

async function healthProblems(targets: ScenarioTargets): Promise<string[]> {
  const problems: string[] = [];
  const client = new pg.Client({ connectionString: targets.databaseUrl, connectionTimeoutMillis: 1000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (error) {
    problems.push(`postgres: ${(error as Error).message}`);
  } finally {
    await client.end().catch(() => undefined);
  }
  if (!(await pingRedis(targets.redis.host, targets.redis.port, 500))) problems.push('redis: no PONG');
  const a = await httpCall('GET', `${targets.serviceA.url.replace(/\/$/, '')}/health`, { timeoutMs: 1000 });
  if (a.status !== 200 || field(field(a.body, 'checks'), 'redis') !== 'ok') problems.push(`${targets.serviceA.name}: /health ${a.status || a.error} ${JSON.stringify(field(a.body, 'checks') ?? null)}`);
  const b = await httpCall('GET', `${targets.serviceB.url.replace(/\/$/, '')}/health`, { timeoutMs: 1000 });
  const checks = field(b.body, 'checks');
  if (b.status !== 200 || field(checks, 'postgres') !== 'ok' || field(checks, 'redis') !== 'ok') {
    problems.push(`${targets.serviceB.name}: /health ${b.status || b.error} ${JSON.stringify(checks ?? null)}`);
  }
  return problems;
}
