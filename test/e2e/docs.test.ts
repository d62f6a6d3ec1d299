import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect } from 'chai';
import { execa } from 'execa';
import { loadConfig } from '../../src/config/index.js';
import { generateDocs, toDocsStep } from '../../src/docs/index.js';

const REPO = resolve('.');
const ACCORD = join(REPO, 'bin/accord.js');
const accordIn = (cwd: string, args: string[]) => execa('node', [ACCORD, ...args], { cwd, reject: false, all: true });

// `accord docs --check` on the committed docs, then on a copy of the repository whose contract gained an operation.
describe('accord docs', function () {
  this.timeout(120_000);
  let copy: string;

  before(async () => {
    copy = await mkdtemp(join(tmpdir(), 'accord-docs-'));
    for (const path of ['config', 'contracts', 'docs', 'docker-compose.integration.yml', 'package.json']) await cp(join(REPO, 'examples/orders', path), join(copy, path), { recursive: true });
  });
  after(async () => {
    await rm(copy, { recursive: true, force: true });
  });

  it('--check passes on the committed docs', async () => {
    const result = await accordIn(REPO, ['docs', '--check']);
    expect(result.exitCode, result.all).to.equal(0);
    expect(result.all).to.match(/checked \d+ files: \d+ up to date\n?$/);
    expect(result.all).to.not.include('stale');
  });

  it('--check fails naming docs/contract.md once the contract gains an operation, and accord docs brings it back', async () => {
    const contract = join(copy, 'contracts/service-a-to-b.yaml');
    const text = await readFile(contract, 'utf8');
    const added = text.replace(
      '\n  /reservations:\n',
      '\n  /items:\n    get:\n      operationId: listItems\n      summary: List every item.\n      responses:\n        \'200\':\n          description: The items.\n          content:\n            application/json:\n              schema:\n                type: array\n                items:\n                  $ref: \'#/components/schemas/Item\'\n  /reservations:\n',
    );
    expect(added).to.not.equal(text);
    await writeFile(contract, added);
    const stale = await accordIn(copy, ['docs', '--check']);
    expect(stale.exitCode, stale.all).to.equal(1);
    expect(stale.all?.split('\n').filter((line) => line.startsWith('stale:'))).to.deep.equal(['stale: docs/contract.md (run accord docs)']);
    const before = await readFile(join(copy, 'docs/contract.md'), 'utf8');
    const written = await accordIn(copy, ['docs']);
    expect(written.exitCode, written.all).to.equal(0);
    const after = await readFile(join(copy, 'docs/contract.md'), 'utf8');
    expect(after).to.not.equal(before);
    expect(after).to.include('### `GET /items`').and.include('operationId `listItems`');
    expect(after).to.match(/\| info \| `endpoint-added` \| GET \/items \|/);
    expect((await accordIn(copy, ['docs', '--check'])).exitCode).to.equal(0);
  });

  it('gives the gate a docs step: pass when fresh, fail naming the stale file', async () => {
    const fresh = toDocsStep(await generateDocs(await loadConfig('config/integration', { root: join(REPO, 'examples/orders') }), { check: true }));
    expect(fresh.status).to.equal('pass');
    expect(fresh.checks.map((c) => c.name)).to.include.members(['docs/architecture.md', 'docs/contract.md', 'docs/performance-baseline.md', 'docs/sequences/happy-path.md']);
    await writeFile(join(copy, 'docs/architecture.md'), 'hand-edited\n');
    const config = await loadConfig(join(copy, 'config/integration'), { root: copy });
    const stale = toDocsStep(await generateDocs(config, { check: true }));
    expect(stale.status).to.equal('fail');
    expect(stale.checks.filter((c) => c.status === 'fail').map((c) => c.name)).to.deep.equal(['docs/architecture.md']);
  });
});
