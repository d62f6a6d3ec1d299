import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { execa } from 'execa';
import { diffContracts, loadContract } from '../../../src/contract/index.js';
import { ErrorCodes } from '../../../src/errors/index.js';
import type { ErrorCode } from '../../../src/errors/index.js';
import { REPO_ROOT } from './repo-root.js';
import { rejection } from '../../support/rejection.js';

const fixture = (name: string): string => path.join('test/fixtures/contract', name, 'contract.yaml');


describe('loadContract: bad input is one clear AccordError', () => {
  const cases: [name: string, spec: string, code: ErrorCode, pattern: RegExp][] = [
    ['YAML syntax error, with line:col', fixture('yaml-syntax-error'), ErrorCodes.PARSE_ERROR, /contract\.yaml:9:1: YAML syntax error: .*Flow sequence/],
    ['not an OpenAPI document', fixture('not-openapi'), ErrorCodes.CONTRACT_INVALID, /not an OpenAPI document: expected a top-level `openapi: 3\.x` field, found keys name, dependencies/],
    ['unresolvable $ref, with line:col', fixture('unresolvable-ref'), ErrorCodes.REF_UNRESOLVED, /contract\.yaml:19:17: unresolvable \$ref `#\/components\/schemas\/Itme`/],
    ['Swagger 2.0', fixture('swagger-2'), ErrorCodes.CONTRACT_VERSION_UNSUPPORTED, /Swagger 2\.0 document; Accord reads OpenAPI 3\.0 and 3\.1, convert it first/],
    ['empty file', fixture('empty-file'), ErrorCodes.CONTRACT_INVALID, /the file is empty/],
    ['only comments', fixture('comments-only'), ErrorCodes.CONTRACT_INVALID, /no content \(only comments\)/],
    ['missing file', 'test/fixtures/contract/no-such-case/contract.yaml', ErrorCodes.FILE_NOT_FOUND, /no-such-case\/contract\.yaml: no such file/],
  ];
  for (const [name, spec, code, pattern] of cases) {
    it(name, async () => {
      const error = await rejection(loadContract(spec, { cwd: REPO_ROOT }));
      expect(error.code).to.equal(code);
      expect(error.message).to.match(pattern);
      expect(error.message).to.not.contain('\n');
    });
  }
});

describe('contract sources at a git revision (git:REF[:PATH])', () => {
  let repo: string;
  const git = (...args: string[]) => execa('git', ['-c', 'user.name=accord-test', '-c', 'user.email=test@accord.invalid', ...args], { cwd: repo });

  before(async () => {
    repo = await mkdtemp(path.join(os.tmpdir(), 'accord-contract-git-'));
    await git('init', '-q');
    await mkdir(path.join(repo, 'contracts'));
    const base = 'openapi: 3.1.0\ninfo: { title: t, version: 1.0.0 }\npaths:\n  /a:\n    get:\n      responses:\n        "200": { description: ok }\n';
    await writeFile(path.join(repo, 'contracts/service-a-to-b.yaml'), base);
    await git('add', '.');
    await git('commit', '-q', '-m', 'base');
    await writeFile(path.join(repo, 'contracts/service-a-to-b.yaml'), base.replace('  /a:', '  /b:').replace('1.0.0', '1.1.0'));
  });

  after(async () => {
    await rm(repo, { recursive: true, force: true });
  });

  it('diffs the committed version (default path) against the working file', async () => {
    const result = await diffContracts('git:HEAD', 'contracts/service-a-to-b.yaml', { cwd: repo, defaultPath: 'contracts/service-a-to-b.yaml' });
    expect(result.changes.map((change) => change.id)).to.include.members(['api-path-removed-without-deprecation', 'endpoint-added']);
    expect(result).to.include({ breaking: true, ok: false });
    expect(result.version).to.deep.equal({ base: '1.0.0', revision: '1.1.0', ok: false });
  });

  it('reads an explicit path at the revision', async () => {
    const contract = await loadContract('git:HEAD:contracts/service-a-to-b.yaml', { cwd: repo });
    expect(contract.label).to.equal('git:HEAD:contracts/service-a-to-b.yaml');
    expect(Object.keys(contract.document.paths as object)).to.deep.equal(['/a']);
  });

  it('an unknown revision or a path missing there is bad input', async () => {
    expect(await rejection(loadContract('git:no-such-ref', { cwd: repo }))).to.deep.equal({
      code: ErrorCodes.GIT_REF_INVALID,
      message: 'git:no-such-ref: unknown git revision `no-such-ref`',
    });
    const missing = await rejection(loadContract('git:HEAD:contracts/other.yaml', { cwd: repo }));
    expect(missing.code).to.equal(ErrorCodes.FILE_NOT_FOUND);
    expect(missing.message).to.contain('contracts/other.yaml does not exist at git revision `HEAD`');
  });
});
