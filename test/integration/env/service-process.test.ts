import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { registerSecret } from '../../../src/config/index.js';
import { checkHealth, getFreePort, isAlive, pendingCleanups, startService } from '../../../src/env/index.js';
import type { ServiceSpec, StartedService } from '../../../src/env/index.js';
import { ErrorCodes, isAccordError } from '../../../src/errors/index.js';

// The service-process handle against tiny fixture services (real processes, real HTTP).

const SECRET = 'fixture-secret-9d1e44';

describe('startService (fixture services)', () => {
  let logDir: string;
  const started: StartedService[] = [];

  async function spec(fixture: string, overrides: Partial<ServiceSpec> = {}): Promise<ServiceSpec> {
    const port = await getFreePort();
    return {
      name: fixture,
      command: ['node', `test/fixtures/env/${fixture}/main.mjs`],
      cwd: process.cwd(),
      host: '127.0.0.1',
      port,
      health: '/health',
      env: { PORT: String(port), HOST: '127.0.0.1', SERVICE_B_TOKEN: SECRET, SERVICE_NAME: fixture },
      logFile: join(logDir, `${fixture}.log`),
      startTimeoutMs: 10_000,
      stopGraceMs: 2_000,
      ...overrides,
    };
  }

  async function startFailure(service: ServiceSpec): Promise<{ message: string; details: string }> {
    try {
      started.push(await startService(service));
    } catch (error) {
      if (isAccordError(error, ErrorCodes.SERVICE_START_FAILED)) return { message: error.message, details: error.details ?? '' };
      throw error;
    }
    throw new Error(`${service.name} was expected not to start`);
  }

  before(async () => {
    logDir = await mkdtemp(join(tmpdir(), 'accord-service-logs-'));
    registerSecret(SECRET);
  });

  after(async () => {
    for (const service of started) await service.stop();
    await rm(logDir, { recursive: true, force: true });
  });

  it('starts a service, waits until healthy, captures JSON log lines with secrets redacted, stops it', async () => {
    const cleanupsBefore = pendingCleanups();
    const service = await startService(await spec('healthy-service'));
    expect(service.running).to.equal(true);
    expect(isAlive(service.pid)).to.equal(true);
    expect((await checkHealth(`${service.url}/health`)).healthy).to.equal(true);
    expect(pendingCleanups()).to.equal(cleanupsBefore + 1);
    const pid = service.pid;

    await service.stop();
    expect(service.running).to.equal(false);
    expect(isAlive(pid)).to.equal(false);
    expect(pendingCleanups()).to.equal(cleanupsBefore);

    const lines = (await readFile(service.logFile, 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.map((line) => line.event ?? line.stream)).to.include.members(['accord.start', 'service.start', 'stderr', 'accord.exit']);
    expect(lines.find((line) => line.stream === 'stderr')?.msg).to.equal('started with token ***');
    expect(lines.at(-1)).to.include({ event: 'accord.exit', code: 0, signal: null });
    expect(JSON.stringify(lines)).not.to.include(SECRET);
  });

  it('freezes and resumes a service with SIGSTOP/SIGCONT, and restarts it after SIGKILL on the same port', async () => {
    const service = await startService(await spec('healthy-service'));
    started.push(service);
    service.kill('SIGSTOP');
    expect((await checkHealth(`${service.url}/health`, 300)).healthy).to.equal(false);
    service.kill('SIGCONT');
    expect((await checkHealth(`${service.url}/health`)).healthy).to.equal(true);

    const firstPid = service.pid;
    service.kill('SIGKILL');
    expect(await service.exited()).to.deep.equal({ code: undefined, signal: 'SIGKILL' });
    expect(service.running).to.equal(false);

    await service.restart();
    expect(service.pid).to.not.equal(firstPid);
    expect((await checkHealth(`${service.url}/health`)).healthy).to.equal(true);
  });

  it('stops a SIGSTOPped service (SIGTERM is delivered once it is continued)', async () => {
    const service = await startService(await spec('healthy-service'));
    const pid = service.pid;
    service.kill('SIGSTOP');
    await service.stop();
    expect(isAlive(pid)).to.equal(false);
  });

  it('SIGKILLs a service that ignores SIGTERM after the grace period', async () => {
    const service = await startService(await spec('ignores-sigterm', { health: '/', stopGraceMs: 300 }));
    const exit = service.exited();
    await service.stop();
    expect(await exit).to.deep.equal({ code: undefined, signal: 'SIGKILL' });
  });

  it('fails with ACCORD_SERVICE_START_FAILED and the tail of its output when the service exits at start', async () => {
    const failure = await startFailure(await spec('crash-at-start'));
    expect(failure.message).to.match(/^crash-at-start exited \(code 3\) before it became healthy; its log: /);
    expect(failure.details).to.include('crash-at-start: DATABASE_URL is not what I expected');
  });

  it('fails with ACCORD_SERVICE_START_FAILED and kills the process when it never becomes healthy', async () => {
    const service = await spec('never-healthy', { startTimeoutMs: 4000 });
    const failure = await startFailure(service);
    expect(failure.message).to.include('never-healthy did not answer GET /health with 2xx within 4000 ms (last: HTTP 503)');
    expect(failure.details).to.include('listening, but the database is down');
    expect((await checkHealth(`http://127.0.0.1:${service.port}/health`, 300)).last).to.equal('ECONNREFUSED');
  });

  it('fails at once, in one line, when the health path answers 4xx', async () => {
    const service = await spec('healthy-service', { health: '/helth', startTimeoutMs: 30_000 });
    const started = Date.now();
    const failure = await startFailure(service);
    expect(Date.now() - started).to.be.below(10_000);
    expect(failure.message).to.equal(`healthy-service: its health check GET http://127.0.0.1:${service.port}/helth answered HTTP 404, so the health path is wrong (services.healthy-service.health in the config)`);
    expect(failure.details).to.equal('');
    expect((await checkHealth(`http://127.0.0.1:${service.port}/health`, 300)).last).to.equal('ECONNREFUSED');
  });

  it('names the command when it cannot be run at all', async () => {
    const failure = await startFailure(await spec('healthy-service', { command: ['accord-no-such-program'] }));
    expect(failure.message).to.match(/^healthy-service could not be started \(accord-no-such-program\): .*ENOENT/);
  });
});
