/**
 * `accord verify` run as another team would, from its own repository (a scratch copy of the
 * ProductService fixture): a CommonJS provider with in-memory data, a pacticipant name that is no
 * service key (`ProductService`), a TypeScript states module in a CommonJS project, bearer tokens
 * that live one second, and no database. The provider runs on its own; Accord verifies it at
 * --provider-base-url.
 */
import { cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { execa } from 'execa';
import { getFreePort, waitHealthy } from '../../src/env/index.js';
import { REPO_ROOT, accord } from '../support/accord.js';

const FIXTURE = join(REPO_ROOT, 'test/fixtures/shapes/product-service');

/** The team's provider, started as it starts itself (its own command and port). */
const startProvider = (cwd: string, port: number) => execa('node', ['src/app.js'], { cwd, env: { PORT: String(port) }, reject: false, stdio: 'ignore' });

interface VerifyJson {
  ok: boolean;
  interactions: { description: string; ok: boolean; mismatches: { attribute: string; message: string }[] }[];
}

describe('accord verify: a CommonJS provider with in-memory data, its own name and short-lived tokens', function () {
  this.timeout(240_000);
  let project: string;
  let provider: ReturnType<typeof startProvider> | undefined;
  let baseUrl: string;

  const verify = (args: string[]) => accord(['verify', '--provider-base-url', baseUrl, ...args], { cwd: project });

  before(async () => {
    project = await mkdtemp(join(tmpdir(), 'accord-verify-shapes-'));
    await cp(FIXTURE, project, { recursive: true });
    // The team's `npm install accord`, without packing: the package is this checkout.
    await mkdir(join(project, 'node_modules'));
    await symlink(REPO_ROOT, join(project, 'node_modules/accord'), 'dir');
    const port = await getFreePort();
    baseUrl = `http://127.0.0.1:${port}`;
    provider = startProvider(project, port);
    await waitHealthy(`${baseUrl}/health`, { timeoutMs: 30_000 });
  });
  after(async () => {
    provider?.kill('SIGTERM');
    await provider;
    if (project) await rm(project, { recursive: true, force: true });
  });

  it('verifies ProductService with no database: its .ts states set the data through its URL, the request filter sends a fresh token', async () => {
    const result = await verify(['--format', 'json']);
    expect(result.exitCode, result.stderr).to.equal(0);
    const report = JSON.parse(result.stdout) as VerifyJson;
    expect(report.interactions.map((interaction) => [interaction.description, interaction.ok])).to.deep.equal([
      ['a request for product 10', true],
      ['a request for a product that does not exist', true],
    ]);
  });

  it('loads the states written with ES import/export syntax in the CommonJS project too (compiled to CommonJS)', async () => {
    const states = await readFile(join(project, 'states/states.ts'), 'utf8');
    const esSyntax = states
      .replace(/^\/\/ eslint-disable-next-line .*\nimport accord = require\('accord'\);$/m, "import { defineProviderStates } from 'accord';")
      .replace('export = accord.defineProviderStates(', 'export default defineProviderStates(');
    expect(esSyntax).to.include('export default defineProviderStates(').and.not.include('require(');
    await writeFile(join(project, 'states/es-syntax.ts'), esSyntax);
    const result = await verify(['--states', 'states/es-syntax.ts']);
    expect(result.exitCode, result.stderr).to.equal(0);
  });

  it('fails (exit 1) without the request filter: the pact carries a token that expired', async () => {
    const states = await readFile(join(project, 'states/states.ts'), 'utf8');
    const withoutFilter = states.replace(/ {4}requestFilter: [\s\S]*?\n {4}\},\n/, '');
    expect(withoutFilter).not.to.include('requestFilter');
    await writeFile(join(project, 'states/no-filter.ts'), withoutFilter);
    const result = await verify(['--states', 'states/no-filter.ts', '--format', 'json']);
    expect(result.exitCode, result.stderr).to.equal(1);
    const report = JSON.parse(result.stdout) as VerifyJson;
    expect(report.interactions.flatMap((interaction) => interaction.mismatches.map((mismatch) => mismatch.message)).join('\n')).to.match(/expected 200 but was 401/);
  });

  it('bad input, one line and exit 2: a state that reads a database there is none of; an unreachable database; an unreachable broker', async () => {
    await writeFile(
      join(project, 'states/database.cjs'),
      `const { defineProviderStates } = require('accord');
module.exports = defineProviderStates({ 'product 10 exists': async (_params, { db }) => { await db.query('SELECT 1'); }, 'no products exist': async () => {} });\n`,
    );
    const noDatabase = await verify(['--states', 'states/database.cjs']);
    expect(noDatabase.exitCode, noDatabase.stdout).to.equal(2);
    expect(noDatabase.stderr.trim().split('\n').at(-1)).to.equal(
      `accord: --provider-base-url ${baseUrl}: the provider states need its database: pass --database-url URL (no accord up running here serves that URL)`,
    );

    const closed = await getFreePort();
    const unreachable = await verify(['--database-url', `postgres://accord:secret@127.0.0.1:${closed}/products`]);
    expect(unreachable.exitCode, unreachable.stdout).to.equal(2);
    expect(unreachable.stderr.trim().split('\n').at(-1)).to.match(new RegExp(`^accord: database postgres://accord:\\S+@127\\.0\\.0\\.1:${closed}/products: cannot connect \\(ECONNREFUSED\\)$`));
    expect(unreachable.stderr).not.to.include('secret');

    const broker = await verify(['--from-broker', '--broker-url', `http://127.0.0.1:${closed}`]);
    expect(broker.exitCode, broker.stdout).to.equal(2);
    expect(broker.stderr.trim().split('\n')).to.have.length(1);
    expect(broker.stderr).to.match(new RegExp(`^accord: cannot reach the Pact Broker at http://127\\.0\\.0\\.1:${closed}`));
  });
});
