import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { execa } from 'execa';
import { parse, stringify } from 'yaml';
import { accord } from '../support/accord.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const CONTRACT = 'contracts/service-a-to-b.yaml';
const fixture = (name: string, file = 'contract.yaml'): string => `test/fixtures/contract/${name}/${file}`;

type Run = Awaited<ReturnType<typeof accord>>;

/** Runs `accord ...args` as a user would. */
function run(args: string[], cwd = ROOT): Promise<Run> {
  return accord(args, { cwd });
}

/** Runs every command of the suite up front, three at a time: each CLI start costs seconds on a 2-core machine. */
async function runAll(commands: Record<string, { args: string[]; cwd?: string }>): Promise<Record<string, Run>> {
  const entries = Object.entries(commands);
  const results: Record<string, Run> = {};
  for (let start = 0; start < entries.length; start += 3) {
    await Promise.all(entries.slice(start, start + 3).map(async ([name, { args, cwd }]) => {
      results[name] = await run(args, cwd);
    }));
  }
  return results;
}

function expectOneLineError(run: Run | undefined, pattern: RegExp): void {
  expect(run?.exitCode, run?.stderr).to.equal(2);
  const lines = String(run?.stderr).trim().split('\n');
  expect(lines, String(run?.stderr)).to.have.length(1);
  expect(lines[0]).to.match(pattern);
  expect(run?.stderr).to.not.match(/\n\s+at /);
}

describe('accord contract (CLI end to end)', function () {
  this.timeout(300_000);
  let work: string;
  let runs: Record<string, Run>;

  before(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), 'accord-contract-e2e-'));
    const base = parse(await readFile(path.join(ROOT, 'examples/orders', CONTRACT), 'utf8'));
    const write = async (name: string, mutate: (doc: any) => void): Promise<string> => {
      const doc = structuredClone(base);
      mutate(doc);
      const file = path.join(work, `${name}.yaml`);
      await writeFile(file, stringify(doc));
      return file;
    };
    const removedProperty = await write('response-property-removed', (doc) => {
      delete doc.components.schemas.Item.properties.stock;
      doc.components.schemas.Item.required = ['sku', 'name', 'priceCents', 'updatedAt'];
      doc.info.version = '1.3.0';
    });
    const majorBump = await write('major-bump', (doc) => {
      delete doc.paths['/health'];
      doc.info.version = '2.0.0';
    });
    const additive = await write('additive-minor', (doc) => {
      doc.components.schemas.Item.properties.category = { type: 'string' };
      doc.info.version = '1.3.0';
    });

    // A repository of its own for git:REF, with no config dir: the built-in default path applies.
    const repo = path.join(work, 'repo');
    await mkdir(path.join(repo, 'contracts'), { recursive: true });
    const git = (...args: string[]) => execa('git', ['-c', 'user.name=accord-test', '-c', 'user.email=test@accord.invalid', ...args], { cwd: repo });
    await git('init', '-q');
    await writeFile(path.join(repo, CONTRACT), stringify(base));
    await git('add', '.');
    await git('commit', '-q', '-m', 'contract 1.2.0');
    await writeFile(path.join(repo, CONTRACT), await readFile(removedProperty, 'utf8'));

    runs = await runAll({
      lintOk: { args: ['contract', 'lint', CONTRACT] },
      lintFindings: { args: ['contract', 'lint', fixture('lint-findings'), '--format', 'json'] },
      yamlError: { args: ['contract', 'lint', fixture('yaml-syntax-error')] },
      notOpenapi: { args: ['contract', 'diff', fixture('not-openapi'), CONTRACT] },
      unresolvableRef: { args: ['contract', 'lint', fixture('unresolvable-ref')] },
      swagger2: { args: ['contract', 'diff', CONTRACT, fixture('swagger-2')] },
      emptyFile: { args: ['contract', 'lint', fixture('empty-file')] },
      missingFile: { args: ['contract', 'check-pacts', '--contract', 'contracts/no-such.yaml', '--pacts', fixture('pact-matches-contract', '')] },
      pactNotJson: { args: ['contract', 'check-pacts', '--pacts', fixture('pact-not-json', '')] },
      notAPact: { args: ['contract', 'check-pacts', '--pacts', fixture('not-a-pact', '')] },
      diffBreaking: { args: ['contract', 'diff', CONTRACT, removedProperty, '--format', 'json'] },
      diffMajorPolicyNone: { args: ['contract', 'diff', CONTRACT, majorBump, '--policy', 'none', '--format', 'markdown'] },
      diffAdditive: { args: ['contract', 'diff', CONTRACT, additive] },
      diffGithub: { args: ['contract', 'diff', CONTRACT, removedProperty, '--format', 'github'] },
      diffGit: { args: ['contract', 'diff', 'git:HEAD', CONTRACT, '--format', 'json'], cwd: repo },
      examplePacts: { args: ['contract', 'check-pacts', '--format', 'json'] },
      pactsBroken: { args: ['contract', 'check-pacts', '--pacts', fixture('pact-breaks-contract', ''), '--format', 'json'] },
      asyncLint: { args: ['contract', 'lint', 'contracts/order-events.asyncapi.yaml'] },
      asyncBreaking: { args: ['contract', 'diff', 'contracts/order-events.asyncapi.yaml', 'test/fixtures/contract/asyncapi/required-field-removed.yaml'] },
      asyncMalformed: { args: ['contract', 'diff', 'contracts/order-events.asyncapi.yaml', 'test/fixtures/contract/asyncapi/invalid-structure.yaml'] },
    });
  });

  after(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('lint: our contract is valid (exit 0)', () => {
    expect(runs.lintOk?.exitCode, runs.lintOk?.stderr).to.equal(0);
    expect(runs.lintOk?.stdout).to.contain('contracts/service-a-to-b.yaml: valid OpenAPI 3.1.0');
  });

  it('AsyncAPI: lint passes the event contract; diff refuses a removed required payload field (exit 1); malformed is exit 2 with file:line', () => {
    expect(runs.asyncLint?.exitCode, runs.asyncLint?.stderr).to.equal(0);
    expect(runs.asyncLint?.stdout).to.contain('contracts/order-events.asyncapi.yaml: valid AsyncAPI 3.0.0');
    expect(runs.asyncBreaking?.exitCode, runs.asyncBreaking?.stderr).to.equal(1);
    expect(runs.asyncBreaking?.stdout).to.match(/error\s+response-required-property-removed\s+message order\.confirmed/);
    expect(runs.asyncBreaking?.stdout).to.contain('policy semver (breaking changes need a major bump): FAIL');
    expectOneLineError(runs.asyncMalformed, /^accord: \S*test\/fixtures\/contract\/asyncapi\/invalid-structure\.yaml:21:5: invalid AsyncAPI document: /);
  });

  it('lint: findings with file:line:col, exit 1', () => {
    expect(runs.lintFindings?.exitCode).to.equal(1);
    const result = JSON.parse(String(runs.lintFindings?.stdout));
    expect(result.ok).to.equal(false);
    expect(result.findings).to.deep.include({
      rule: 'operation-id-unique',
      level: 'error',
      file: path.join(ROOT, fixture('lint-findings')),
      line: 21,
      column: 7,
      pointer: '#/paths/~1items~1{sku}~1price/get/operationId',
      message: 'operationId `getItem` of GET /items/{sku}/price is already used by GET /items/{sku}',
    });
  });

  it('bad input: one clear line and exit 2 for each', () => {
    expectOneLineError(runs.yamlError, /^accord: \S*test\/fixtures\/contract\/yaml-syntax-error\/contract\.yaml:9:1: YAML syntax error: /);
    expectOneLineError(runs.notOpenapi, /not an OpenAPI document: expected a top-level `openapi: 3\.x` field/);
    expectOneLineError(runs.unresolvableRef, /contract\.yaml:19:17: unresolvable \$ref `#\/components\/schemas\/Itme`/);
    expectOneLineError(runs.swagger2, /is a Swagger 2\.0 document; Accord reads OpenAPI 3\.0 and 3\.1, convert it first/);
    expectOneLineError(runs.emptyFile, /empty-file\/contract\.yaml: the file is empty/);
    expectOneLineError(runs.missingFile, /contracts\/no-such\.yaml: no such file/);
    expectOneLineError(runs.pactNotJson, /pact-not-json\/service-a-service-b\.json: not JSON .*a pact file must be JSON/);
    expectOneLineError(runs.notAPact, /not-a-pact\/service-a-service-b\.json: not a pact: expected `consumer\.name` and `provider\.name`/);
  });

  it('diff --format json: the issue\'s shape; a removed response property with a minor bump fails (exit 1)', () => {
    expect(runs.diffBreaking?.exitCode, runs.diffBreaking?.stderr).to.equal(1);
    const result = JSON.parse(String(runs.diffBreaking?.stdout));
    expect(Object.keys(result)).to.deep.equal(['breaking', 'requiredBump', 'requiredBy', 'version', 'policy', 'ok', 'changes']);
    expect(result).to.deep.include({ breaking: true, requiredBump: 'major', version: { base: '1.2.0', revision: '1.3.0', ok: false }, policy: 'semver', ok: false });
    expect(result.changes[0]).to.deep.equal({
      id: 'response-required-property-removed',
      level: 'error',
      operation: 'GET /items/{sku}',
      location: '#/paths/~1items~1{sku}/get/responses/200/content/application~1json/schema/properties/stock',
      message: 'property `stock` was removed from the response 200 (application/json)',
    });
  });

  it('diff --policy none: a breaking change fails even with a major bump (exit 1)', () => {
    expect(runs.diffMajorPolicyNone?.exitCode).to.equal(1);
    expect(runs.diffMajorPolicyNone?.stdout).to.contain('- version 1.2.0 → 2.0.0: required bump major, ok');
    expect(runs.diffMajorPolicyNone?.stdout).to.contain('**FAIL**');
    expect(runs.diffMajorPolicyNone?.stdout).to.contain('| 🔴 error | `api-path-removed-without-deprecation` | GET /health |');
  });

  it('diff: an additive change with a minor bump passes (exit 0)', () => {
    expect(runs.diffAdditive?.exitCode, runs.diffAdditive?.stdout).to.equal(0);
    expect(runs.diffAdditive?.stdout).to.contain('response-optional-property-added');
    expect(runs.diffAdditive?.stdout).to.contain('version 1.2.0 → 1.3.0: required bump minor, ok');
  });

  it('diff --format github: workflow annotations on the revision file', () => {
    expect(runs.diffGithub?.exitCode).to.equal(1);
    expect(runs.diffGithub?.stdout).to.match(/^::error file=[^,]+response-property-removed\.yaml,line=\d+,col=\d+,title=response-required-property-removed::GET \/items\/\{sku\}: property `stock` was removed/m);
    expect(runs.diffGithub?.stdout).to.match(/^::error title=contract diff::/m);
  });

  it('diff git:HEAD: the committed contract (default path) against the working file', () => {
    expect(runs.diffGit?.exitCode, runs.diffGit?.stderr).to.equal(1);
    const result = JSON.parse(String(runs.diffGit?.stdout));
    expect(result.changes.map((change: { id: string }) => change.id)).to.include('response-required-property-removed');
    expect(result.version).to.deep.equal({ base: '1.2.0', revision: '1.3.0', ok: false });
  });

  it("check-pacts: the example's own pacts match its contract without a single warning", () => {
    expect(runs.examplePacts?.exitCode, runs.examplePacts?.stderr).to.equal(0);
    expect(JSON.parse(String(runs.examplePacts?.stdout))).to.deep.equal({ ok: true, findings: [] });
  });

  it('check-pacts: a pact that breaks the contract fails with its codes (exit 1)', () => {
    expect(runs.pactsBroken?.exitCode).to.equal(1);
    const result = JSON.parse(String(runs.pactsBroken?.stdout));
    expect(Object.keys(result)).to.deep.equal(['ok', 'findings']);
    expect(result.findings.map((finding: { code: string }) => finding.code)).to.deep.equal([
      'request.path-or-method.unknown',
      'response.body.incompatible',
      'request.body.incompatible',
      'response.status.unknown',
      'request.authorization.missing',
    ]);
    expect(Object.keys(result.findings[0])).to.deep.equal(['code', 'level', 'pact', 'interaction', 'location', 'message']);
  });
});
