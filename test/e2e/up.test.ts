import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'chai';
import { execa } from 'execa';
import pg from 'pg';
import { isAlive, startPostgres } from '../../src/env/index.js';
import type { StartedPostgres } from '../../src/env/index.js';
import { ACCORD, REPO, cleanEnv, leftovers, privateTmpdir, removeDir, runAccord, upWorkspace } from './up-support.js';

// `accord up` as a user runs it: it starts everything, prints where it is, waits; Ctrl-C or
// `accord down` tears it all down. Each run gets its own working directory (state file, logs)
// and TMPDIR (to prove nothing is left behind).

interface Workspace {
  dir: string;
  tmp: string;
}

/** A working dir with the example's environment (see {@link upWorkspace}) and a private TMPDIR. */
async function workspace(): Promise<Workspace> {
  return { dir: await upWorkspace(), tmp: await privateTmpdir() };
}

/** Starts `accord up` in the background and resolves once it printed that it is ready. */
async function startUp(ws: Workspace, args: string[] = [], env: Record<string, string> = {}) {
  const child = execa(process.execPath, [ACCORD, 'up', '--free-ports', '--config', 'config', ...args], {
    cwd: ws.dir,
    env: { ...cleanEnv(), TMPDIR: ws.tmp, ...env },
    extendEnv: false,
    reject: false,
  });
  let stdout = '';
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (/ready in \d+ ms|"status": "up"[\s\S]*\n}\n$/.test(stdout)) resolve();
    });
    void child.then((result) => reject(new Error(`accord up exited (${result.exitCode}) before it was ready:\n${stderr}`)));
  });
  return { child, output: () => ({ stdout, stderr }) };
}

interface State {
  pid: number;
  databaseName: string;
  processes: { name: string; pid: number }[];
}

const readState = async (ws: Workspace) => JSON.parse(await readFile(join(ws.dir, '.accord/up.json'), 'utf8')) as State;
const exists = (path: string) => stat(path).then(() => true, () => false);

describe('accord up / accord down', function () {
  this.timeout(180_000);
  const cleanup: string[] = [];

  afterEach(async () => {
    for (const dir of cleanup.splice(0)) await removeDir(dir);
  });

  // One up serves both what up prints and what accord env tells of it: each start is a whole environment.
  it('up prints the URL table (password redacted), accord env its real URLs (psql-able, its B verifiable); SIGINT leaves no process, temp dir, database or state file', async () => {
    const ws = await workspace();
    cleanup.push(ws.dir, ws.tmp);
    const none = await runAccord(['env'], { cwd: ws.dir });
    expect(none.exitCode).to.equal(2);
    expect(none.stderr).to.equal('accord: no accord up is running in this directory (no live .accord/up.json): start one with `accord up`');

    const { child, output } = await startUp(ws, ['--seed', 'seeds/demo.sql']);
    try {
      const { stdout, stderr } = output();
      expect(stdout).to.match(/^component\s+url\s+pid\s+log$/m);
      // The demo seed makes the first order succeed for a new user.
      expect(stderr).to.match(/^accord: seed\s+\S+demo\.sql \(\d+ ms\)$/m);
      const serviceA = /^service-a\s+(http:\/\/\S+)/m.exec(stdout)?.[1];
      const order = await fetch(`${serviceA}/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sku: 'SKU-001', quantity: 1 }) });
      expect(order.status).to.equal(200);
      expect(((await order.json()) as { status: string }).status).to.equal('confirmed');
      expect(stdout).to.match(/^postgres\s+postgres:\/\/accord:\*\*\*@127\.0\.0\.1:\d+\/accord_[0-9a-f]{8}\s+\d+/m);
      expect(stdout).to.match(/^service-b\s+http:\/\/127\.0\.0\.1:\d+\s+\d+\s+logs\/service-b\.log$/m);
      expect(stdout).to.match(/^service-a\s+http:\/\/127\.0\.0\.1:\d+\s+\d+\s+logs\/service-a\.log$/m);
      expect(stdout).to.match(/^service-c\s+http:\/\/127\.0\.0\.1:\d+\s+\d+\s+logs\/service-c\.log$/m);
      expect(stdout).not.to.include('accord-local');

      const state = await readState(ws);
      expect(state.processes.map((p) => p.name)).to.deep.equal(['payments-stub', 'service-b', 'service-a', 'service-c', 'redis', 'postgres']);
      for (const recorded of state.processes) expect(isAlive(recorded.pid), recorded.name).to.equal(true);
      expect((await leftovers(ws.tmp)).files).to.have.length(2); // the Postgres data dir and the Redis dir

      // accord env, from another process: the real URLs of this up.
      const text = await runAccord(['env'], { cwd: ws.dir });
      expect(text.exitCode, text.stderr).to.equal(0);
      const vars = Object.fromEntries(text.stdout.split('\n').map((line) => line.split(/=(.*)/s).slice(0, 2) as [string, string]));
      expect(Object.keys(vars)).to.deep.equal(['DATABASE_URL', 'REDIS_URL', 'PAYMENTS_STUB_URL', 'SERVICE_B_URL', 'SERVICE_A_URL', 'SERVICE_C_URL']);
      expect(vars.DATABASE_URL).to.match(/^postgres:\/\/accord:[^*@]+@127\.0\.0\.1:\d+\/accord_[0-9a-f]{8}$/);
      const client = new pg.Client({ connectionString: vars.DATABASE_URL });
      await client.connect();
      try {
        const { rows } = await client.query<{ name: string }>("select current_database() as name");
        expect(rows[0]?.name).to.equal((await readState(ws)).databaseName);
        // The migrated schema is there: the DATABASE_URL is the services' database, not a copy.
        const tables = await client.query("select 1 from information_schema.tables where table_name = 'items'");
        expect(tables.rowCount).to.equal(1);
      } finally {
        await client.end();
      }
      const health = await fetch(`${vars.SERVICE_B_URL}/health`);
      expect(health.status).to.equal(200);
      const json = await runAccord(['env', '--format', 'json'], { cwd: ws.dir });
      expect(JSON.parse(json.stdout)).to.deep.equal(vars);
      expect((await stat(join(ws.dir, '.accord/up.json'))).mode & 0o077).to.equal(0);

      // verify --provider-base-url against this up's B: the states find its database through the state file.
      const verify = await runAccord(
        ['verify', '--config', 'config', '--provider', 'service-b', '--provider-base-url', vars.SERVICE_B_URL ?? '', '--pacts', join(REPO, 'test/fixtures/pact/state-leak-absent-first'), '--states', join(REPO, 'examples/orders/states/inventory.ts'), '--contract', join(REPO, 'examples/orders/contracts/service-a-to-b.yaml')],
        { cwd: ws.dir },
      );
      expect(verify.exitCode, `${verify.stdout}\n${verify.stderr}`).to.equal(0);
      expect(verify.stderr).to.include(`verifying against the running service-b at ${vars.SERVICE_B_URL}`);
      child.kill('SIGINT');
      const result = await child;
      expect(result.exitCode).to.equal(130);
      expect(result.stderr).to.include('SIGINT received, stopping everything that was started');
      expect(await leftovers(ws.tmp)).to.deep.equal({ processes: [], files: [] });
      for (const recorded of state.processes) expect(isAlive(recorded.pid), recorded.name).to.equal(false);
      expect(await exists(join(ws.dir, '.accord/up.json'))).to.equal(false);
    } finally {
      // A failed assertion above must not leave this up running.
      child.kill('SIGINT');
      await child;
    }
  });

  describe('with an external PostgreSQL (DATABASE_URL)', () => {
    let server: StartedPostgres;
    let admin: pg.Client;

    before(async () => {
      server = await startPostgres({ databaseUrl: undefined });
      await server.createDatabase('keep_me');
      admin = new pg.Client({ connectionString: server.adminUrl });
      await admin.connect();
    });

    after(async () => {
      await admin?.end();
      await server?.stop();
    });

    const databases = async () => (await admin.query<{ datname: string }>('SELECT datname FROM pg_database')).rows.map((row) => row.datname);

    it('down (from another process) stops up, which drops only the database it created', async () => {
      const ws = await workspace();
      cleanup.push(ws.dir, ws.tmp);
      const { child, output } = await startUp(ws, ['--format', 'json'], { DATABASE_URL: server.adminUrl });
      const report = JSON.parse(output().stdout) as { status: string; components: { name: string; url: string }[] };
      expect(report.status).to.equal('up');
      expect(report.components.map((c) => c.name)).to.deep.equal(['postgres', 'redis', 'payments-stub', 'service-b', 'service-a', 'service-c']);
      expect(report.components[0]?.url).to.match(/^postgres:\/\/accord:\*\*\*@127\.0\.0\.1:\d+\/accord_[0-9a-f]{8}$/);

      const state = await readState(ws);
      expect(await databases()).to.include.members([state.databaseName, 'keep_me']);

      const down = await runAccord(['down'], { cwd: ws.dir });
      expect(down.exitCode).to.equal(0);
      expect(down.stdout).to.match(new RegExp(`^accord down: stopped accord up \\(pid ${state.pid}\\) in \\d+ ms$`));
      const result = await child;
      expect(result.exitCode).to.equal(143);

      const after = await databases();
      expect(after).not.to.include(state.databaseName);
      expect(after).to.include('keep_me');
      expect(await leftovers(ws.tmp)).to.deep.equal({ processes: [], files: [] });

      const again = await runAccord(['down'], { cwd: ws.dir });
      expect(again.exitCode).to.equal(0);
      expect(again.stdout.trim()).to.equal('accord down: nothing to stop (no accord up is running here)');
    });
  });
});
