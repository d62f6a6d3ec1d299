// Environments for systems other than the example: a provider without PostgreSQL or Redis that
// listens on its own fixed port, and a TypeScript provider on PostgreSQL whose Prisma-style
// migrations are applied by the team's own command. Each runs from a temp copy of its fixture
// with Accord "installed" (node_modules/accord links to this checkout), as a team would run it.
import { cp, mkdir, mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { execa } from 'execa';
import { getFreePort } from '../../src/env/index.js';
import { REPO_ROOT, accord } from '../support/accord.js';

const SHAPES = join(REPO_ROOT, 'test/fixtures/shapes');

/** A temp copy of fixture `name` with accord (and the packages its own code imports) installed. */
async function project(name: string, packages: readonly string[] = []): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `accord-env-shapes-${name}-`));
  await cp(join(SHAPES, name), dir, { recursive: true });
  await mkdir(join(dir, 'node_modules'));
  await symlink(REPO_ROOT, join(dir, 'node_modules/accord'), 'dir');
  for (const pkg of packages) await symlink(join(REPO_ROOT, 'node_modules', pkg), join(dir, 'node_modules', pkg), 'dir');
  return dir;
}

const exists = (file: string) => stat(file).then(() => true, () => false);

/** `accord up --format json` in `cwd`, resolved once it printed its components. */
async function startUp(cwd: string) {
  const child = execa(process.execPath, [join(REPO_ROOT, 'bin/accord.js'), 'up', '--format', 'json'], { cwd, reject: false, env: { CI: 'true', NO_COLOR: '1' } });
  let out = '';
  const ready = new Promise<{ components: { name: string; url: string; pid?: number }[] }>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      try {
        resolve(JSON.parse(out) as { components: { name: string; url: string; pid?: number }[] });
      } catch {
        // Not all of it yet.
      }
    });
    void child.then((result) => reject(new Error(`accord up exited ${result.exitCode}: ${result.stderr}`)));
  });
  return { child, up: await ready };
}

describe('environments of other shapes', function () {
  this.timeout(240_000);

  describe('a provider without PostgreSQL or Redis, on its own fixed port', () => {
    let dir: string;
    let port: number;

    before(async () => {
      dir = await project('fixed-port-provider');
      // Its fixed port (8080 in the fixture) is made one that is free on this machine, in both files.
      port = await getFreePort();
      for (const file of ['app.json', 'config/integration/environment.yaml']) {
        await writeFile(join(dir, file), (await readFile(join(dir, file), 'utf8')).replace('8080', String(port)));
      }
    });
    after(async () => {
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    it('accord verify starts it where it listens, with no database, cache or migrations folder', async () => {
      const result = await accord(['verify'], { cwd: dir });
      expect(result.exitCode, result.all).to.equal(0);
      expect(result.stderr).to.include(`verifying against http://127.0.0.1:${port}`);
      expect(result.stdout).to.include('StatusAPI honours all 1 interaction(s)');
    });

    it("accord gate's environment starts it on its port, with no PostgreSQL or Redis", async () => {
      const result = await accord(['gate', '--only', 'verify'], { cwd: dir });
      expect(result.exitCode, result.all).to.equal(0);
      expect(result.stderr).to.include(`accord gate: environment: status-api http://127.0.0.1:${port}`);
      // verify.provider names the service's key; the pacts, its pacticipant name.
      expect(result.stdout).to.match(/^verify +pass/m);
      const report = JSON.parse(await readFile(join(dir, 'reports/acceptance.json'), 'utf8')) as { steps: { id: string; details?: Record<string, unknown> }[] };
      const environment = report.steps.find((step) => step.id === 'environment');
      expect(environment?.details).to.include({ postgres: 'none (postgres: false)', redis: 'none (redis: false)' });
    });

    it('accord up starts only the provider, and `accord env` names no database or Redis', async () => {
      const { child, up } = await startUp(dir);
      try {
        expect(up.components.map((component) => [component.name, component.url])).to.deep.equal([['status-api', `http://127.0.0.1:${port}`]]);
        const env = await accord(['env'], { cwd: dir });
        expect(env.exitCode, env.all).to.equal(0);
        expect(env.stdout).to.include(`STATUS_API_URL=http://127.0.0.1:${port}`);
        expect(env.stdout).not.to.match(/DATABASE_URL|REDIS_URL/);
      } finally {
        child.kill('SIGINT');
        await child;
      }
      expect(await exists(join(dir, '.accord/up.json'))).to.equal(false);
    });

    it('its fixed port already taken: one line, exit 2, before anything starts', async () => {
      const holder = createServer();
      await new Promise<void>((resolve) => holder.listen(port, '127.0.0.1', resolve));
      try {
        const result = await accord(['verify'], { cwd: dir });
        expect(result.exitCode, result.all).to.equal(2);
        expect(result.stderr.trim().split('\n').at(-1)).to.equal(`accord: port ${port} on 127.0.0.1 is already in use, so status-api cannot listen there: stop what holds it or choose another port`);
        expect(result.stderr).not.to.include('    at ');
      } finally {
        holder.close();
      }
    });
  });

  describe('a TypeScript provider on PostgreSQL, migrated by its own command (Prisma layout)', () => {
    let dir: string;

    before(async () => {
      dir = await project('prisma-provider', ['pg', 'tsx']);
    });
    after(async () => {
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    it('accord up migrates with the team command; verify --provider-base-url halts and resumes that PostgreSQL', async () => {
      const { child, up } = await startUp(dir);
      try {
        expect(up.components.map((component) => component.name)).to.deep.equal(['postgres', 'catalog-api']);
        const log = await readFile(join(dir, 'reports/logs/migrations.log'), 'utf8');
        expect(log).to.include('$ node scripts/migrate-deploy.mjs');
        expect(log).to.include('Applied 2 migrations: 20240101090000_init, 20240301120000_add_price');
        const provider = up.components.find((component) => component.name === 'catalog-api');
        // No --database-url: the states write, halt and resume the database of the accord up running here.
        const result = await accord(['verify', '--provider-base-url', provider?.url ?? ''], { cwd: dir });
        expect(result.exitCode, result.all).to.equal(0);
        expect(result.stdout).to.include('PASS  a request while the catalog database is unreachable');
        expect(result.stdout).to.include('catalog-api honours all 3 interaction(s)');
        // The resumed server is a new process: the state file names it, so `accord down` stops it.
        const state = JSON.parse(await readFile(join(dir, '.accord/up.json'), 'utf8')) as { processes: { name: string; pid: number }[] };
        const pid = state.processes.find((recorded) => recorded.name === 'postgres')?.pid;
        expect(pid).to.be.a('number').and.not.equal(up.components.find((component) => component.name === 'postgres')?.pid);
        expect(process.kill(pid ?? 0, 0)).to.equal(true);
      } finally {
        child.kill('SIGINT');
        await child;
      }
    });

    it('a broken migration: one line naming the command, its exit code and its last error line; exit 2', async () => {
      await mkdir(join(dir, 'prisma/migrations/20240401000000_add_stock'));
      await writeFile(join(dir, 'prisma/migrations/20240401000000_add_stock/migration.sql'), 'ALTER TABLE "stock" ADD COLUMN "count" INTEGER;\n');
      const result = await accord(['up', '--no-seed'], { cwd: dir });
      expect(result.exitCode, result.all).to.equal(2);
      expect(result.stderr.trim().split('\n').at(-1)).to.equal(
        `accord: migration command "node scripts/migrate-deploy.mjs" exited with code 1: Database error: relation "stock" does not exist (its output: ${join(dir, 'reports/logs/migrations.log')})`,
      );
      expect(await exists(join(dir, '.accord/up.json'))).to.equal(false);
    });
  });
});
