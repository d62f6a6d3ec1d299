import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { EXAMPLE_ROOT } from '../../support/accord.js';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { expect } from 'chai';
import { request } from 'undici';
import { loadConfig } from '../../../src/config/index.js';
import type { ResolvedConfig } from '../../../src/config/index.js';
import { createRunLogDir, KEPT_RUN_LOG_DIRS, startEnvironment } from '../../../src/env/index.js';
import type { StartedEnvironment } from '../../../src/env/index.js';

// `accord up` writes <logs dir>/<service>.log; a verify, scenarios or load run started meanwhile
// (startEnvironment without a logDir) must neither truncate nor share those files.

function withLogsDir(config: ResolvedConfig, dir: string): ResolvedConfig {
  return { ...config, environment: { ...config.environment, logs: { dir } } };
}

async function jsonLines(file: string): Promise<unknown[]> {
  return (await readFile(file, 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as unknown);
}

describe('per-run service log files', function () {
  this.timeout(120_000);
  let logs: string;
  const started: StartedEnvironment[] = [];

  before(async () => {
    logs = await mkdtemp(join(tmpdir(), 'accord-run-logs-'));
  });
  after(async () => {
    for (const environment of started.splice(0)) await environment.stop();
    await rm(logs, { recursive: true, force: true });
  });

  it("a second run beside up's writes its own files; up's log keeps every line, each JSON", async () => {
    const config = withLogsDir(await loadConfig('config/integration', { root: EXAMPLE_ROOT, env: {} }), logs);
    // As `accord up` starts it: the logs dir itself.
    const up = await startEnvironment(config, { services: ['service-b'], freePorts: true, logDir: logs, databaseUrl: undefined, redisUrl: undefined });
    started.push(up);
    const upLog = up.service('service-b').logFile;
    expect(upLog).to.equal(join(logs, 'service-b.log'));
    for (let i = 0; i < 5; i++) await (await request(`${up.service('service-b').url}/health`)).body.text();
    const sizeBefore = (await stat(upLog)).size;

    // As verify, scenarios or load start theirs.
    const run = await startEnvironment(config, { services: ['service-b'], freePorts: true, databaseUrl: undefined, redisUrl: undefined });
    started.push(run);
    const runLog = run.service('service-b').logFile;
    expect(dirname(dirname(runLog))).to.equal(join(logs, 'runs'));
    expect(runLog).to.not.equal(upLog);
    await run.stop();
    started.pop();

    for (let i = 0; i < 5; i++) await (await request(`${up.service('service-b').url}/health`)).body.text();
    expect((await stat(upLog)).size, "up's log was not truncated").to.be.greaterThan(sizeBefore);
    // Truncated under a writer that keeps its offset, a file starts with NUL bytes: not JSON.
    const lines = await jsonLines(upLog);
    expect(lines.filter((line) => (line as { event?: string }).event === 'accord.start')).to.have.length(1);
    expect((await jsonLines(runLog)).length).to.be.greaterThan(0);
  });

  it(`keeps the newest ${KEPT_RUN_LOG_DIRS} run folders`, async () => {
    const config = withLogsDir(await loadConfig('config/integration', { root: EXAMPLE_ROOT, env: {} }), logs);
    const made: string[] = [];
    for (let i = 0; i < KEPT_RUN_LOG_DIRS + 3; i++) made.push(await createRunLogDir(config.environment.logs.dir));
    const kept = (await readdir(join(logs, 'runs'))).sort();
    expect(kept).to.have.length(KEPT_RUN_LOG_DIRS);
    expect(kept.at(-1)).to.equal(made.at(-1)?.split('/').at(-1));
  });
});
