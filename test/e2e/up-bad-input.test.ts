import { createServer } from 'node:net';
import type { Server } from 'node:net';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { leftovers, pathWithout, privateTmpdir, removeDir, runAccord } from './up-support.js';

// `accord up` on bad input: one clear line (plus details where they help), exit 2, no stack
// trace, nothing left running and no temp dir left behind.

describe('accord up: bad input', function () {
  this.timeout(120_000);
  const dirs: string[] = [];
  let tmp: string;

  beforeEach(async () => {
    tmp = await privateTmpdir();
    dirs.push(tmp);
  });

  afterEach(async () => {
    for (const dir of dirs.splice(0)) await removeDir(dir);
  });

  async function up(args: string[], env: Record<string, string> = {}) {
    const result = await runAccord(['up', '--free-ports', ...args], { env: { TMPDIR: tmp, ...env } });
    const left = await leftovers(tmp);
    expect(left, 'left behind').to.deep.equal({ processes: [], files: [] });
    expect(result.stderr).not.to.match(/^\s+at /m);
    expect(result.stdout).to.equal('');
    return { exitCode: result.exitCode, lines: result.stderr.split('\n').filter(Boolean) };
  }

  it('invalid YAML: names the file, line and column', async () => {
    const { exitCode, lines } = await up(['--config', 'test/fixtures/config/invalid-yaml']);
    expect(exitCode).to.equal(2);
    expect(lines).to.have.length(1);
    expect(lines[0]).to.match(/^accord: \S*test\/fixtures\/config\/invalid-yaml\/environment\.yaml:5:1: invalid YAML: Flow sequence/);
  });

  it('unknown and mistyped keys: lists every problem with file:line: path', async () => {
    const { exitCode, lines } = await up(['--config', 'test/fixtures/config/unknown-keys']);
    expect(exitCode).to.equal(2);
    expect(lines[0]).to.equal('accord: configuration ../../test/fixtures/config/unknown-keys has 5 problems:');
    expect(lines.slice(1).map((line) => line.trim().replace(/^\S*test\/fixtures\/config\/unknown-keys\/environment\.yaml:/, ''))).to.deep.equal([
      '5: services.service-b.prot: unknown key (did you mean "port"?)',
      '6: services.service-a.command: required key is missing',
      '7: services.service-a.port: expected a port from 0 (pick a free one) to 65535, got "eighty" (string)',
      '8: services.service-a.dependsOn[0]: unknown service "service-c" (expected one of: service-b, service-a)',
      '11: postgres.databse: unknown key (did you mean "database"?)',
    ]);
  });

  it('a configured port already taken: names the port and the service', async () => {
    const holder: Server = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const port = (holder.address() as { port: number }).port;
    const config = await mkdtemp(join(tmpdir(), 'accord-e2e-config-'));
    dirs.push(config);
    await writeFile(join(config, 'environment.yaml'), `services:\n  service-b:\n    command: node --import tsx providers/service-b/src/main.ts\n    port: ${port}\n    secrets: [SERVICE_B_TOKEN]\n`);
    try {
      const result = await runAccord(['up', '--config', config], { env: { TMPDIR: tmp } });
      expect(result.exitCode).to.equal(2);
      expect(result.stderr.trim()).to.equal(`accord: port ${port} on 127.0.0.1 is already in use, so service-b cannot listen there: stop what holds it or choose another port`);
      expect(await leftovers(tmp)).to.deep.equal({ processes: [], files: [] });
    } finally {
      holder.close();
    }
  });

  it('redis-server missing from PATH: says how to install it or to set REDIS_URL', async () => {
    const stripped = await pathWithout('redis-server');
    dirs.push(stripped.dir);
    const { exitCode, lines } = await up([], { PATH: stripped.path });
    expect(exitCode).to.equal(2);
    expect(lines).to.deep.equal([
      'accord: redis-server was not found on PATH: install it (Debian/Ubuntu: apt-get install redis-server; macOS: brew install redis) or set REDIS_URL to an existing Redis',
    ]);
  });

  it('PostgreSQL failing to start: one line, then the tail of its log', async () => {
    const { exitCode, lines } = await up(['--config', 'test/fixtures/config/postgres-fails']);
    expect(exitCode).to.equal(2);
    expect(lines[0]).to.match(/^accord: the embedded PostgreSQL 14 did not start on 127\.0\.0\.1:\d+: /);
    expect(lines.join('\n')).to.include('unrecognized configuration parameter "bogus_setting"');
  });

  it("B's token missing from the env file: names the variable, who needs it and the file", async () => {
    const { exitCode, lines } = await up(['--config', 'test/fixtures/config/token-missing']);
    expect(exitCode).to.equal(2);
    expect(lines).to.deep.equal([
      'accord: SERVICE_B_TOKEN (needed by service-b, service-a) is not set in test/fixtures/config/token-missing/.env.integration-test: add a line like SERVICE_B_TOKEN=<value>',
    ]);
  });
});
