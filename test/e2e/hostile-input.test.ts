/**
 * Untrusted input, as a pull request from outside the team may bring it: contracts, pacts, SQL,
 * config and load profiles that try to read secrets, run commands or hang the run. Every case
 * must end as bad input should: the expected exit code (2, or 1 where the input is valid and the
 * gate says no), one line on stderr, within its time limit, nothing left in a private TMPDIR or in
 * the process table, and no secret or file content echoed.
 *
 * The corpus is test/fixtures/hostile/ (small files) plus the large inputs generated here into a
 * scratch folder outside the project. Cases run a few at a time; each `it` checks one case.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { accord, REPO_ROOT } from '../support/accord.js';
import { leftovers, privateTmpdir, removeDir } from './up-support.js';

const HOSTILE = join(REPO_ROOT, 'test/fixtures/hostile');
const fixture = (...segments: string[]) => join(HOSTILE, ...segments);

/** What a case may use: its own scratch folder (outside the project) and the secret's path. */
interface CaseContext {
  readonly work: string;
  readonly secretFile: string;
}

interface HostileCase {
  readonly name: string;
  /** Writes generated inputs into `ctx.work` and returns the command line. */
  readonly args: (ctx: CaseContext) => string[] | Promise<string[]>;
  /** @default 2 */
  readonly exit?: number;
  /** What the one stderr line must say. */
  readonly message: RegExp;
  /** @default 30 s */
  readonly limitMs?: number;
  /** Files that must not exist after the run (a command the input tried to run). */
  readonly mustNotExist?: readonly string[];
  /** Runs the CLI here (a project folder); @default the repository root. */
  readonly cwd?: (ctx: CaseContext) => string;
}

/** The example's provider contract: a real one, so only the hostile side is wrong. */
const CONTRACT = join(REPO_ROOT, 'examples/orders/contracts/service-a-to-b.yaml');

const schemaDiff = (from: string, to = fixture('sql/target.sql')) => ['schema', 'diff', '--from', from, '--to', to, '--no-pg-dump'];

const CASES: readonly HostileCase[] = [
  // 1. SQL under least privilege
  {
    name: 'sql: COPY … FROM PROGRAM in a schema file',
    args: () => schemaDiff(fixture('sql/copy-program.sql')),
    message: /copy-program\.sql:3: .*(superuser|pg_execute_server_program)/,
    mustNotExist: ['/tmp/accord-hostile-copy-program-ran'],
    limitMs: 60_000,
  },
  {
    name: 'sql: COPY … TO a server file',
    args: () => schemaDiff(fixture('sql/copy-to-file.sql')),
    message: /copy-to-file\.sql:3: .*(superuser|pg_write_server_files)/,
    mustNotExist: ['/tmp/accord-hostile-copy-to-file-written'],
    limitMs: 60_000,
  },
  {
    name: 'sql: pg_read_file of a server file',
    args: () => schemaDiff(fixture('sql/read-server-file.sql')),
    message: /read-server-file\.sql:3: .*permission denied for function pg_read_file/,
    limitMs: 60_000,
  },
  {
    name: 'sql: DROP DATABASE of a database that is not the scratch one',
    args: () => schemaDiff(fixture('sql/drop-other-database.sql')),
    message: /drop-other-database\.sql:2: must be owner of database postgres/,
    limitMs: 60_000,
  },
  {
    name: 'sql: a statement that never ends (pg_sleep) meets the statement timeout',
    args: () => [...schemaDiff(fixture('sql/sleep.sql')), '--statement-timeout', '2'],
    message: /sleep\.sql:2: .*statement timeout/,
    limitMs: 60_000,
  },
  {
    name: 'sql: lo_import of a server file',
    args: () => schemaDiff(fixture('sql/lo-import.sql')),
    message: /lo-import\.sql:3: .*(superuser|pg_read_server_files|permission denied)/,
    limitMs: 60_000,
  },
  {
    name: 'sql: ALTER SYSTEM',
    args: () => schemaDiff(fixture('sql/alter-system.sql')),
    message: /alter-system\.sql:2: .*(superuser|permission denied)/,
    limitMs: 60_000,
  },
  {
    name: 'sql: --database-url that is not a URL is blamed on the flag',
    args: () => ['schema', 'diff', '--database-url', 'not a url', '--to', fixture('sql/target.sql')],
    message: /^accord: --database-url is not a PostgreSQL URL/,
  },
  {
    name: 'sql: --statement-timeout out of range',
    args: () => [...schemaDiff(fixture('sql/target.sql')), '--statement-timeout', '1e9'],
    message: /--statement-timeout: expected seconds between 1 and 3600/,
  },
  // 2. References stay inside the project
  {
    name: 'contract: $ref to /etc/shadow',
    args: () => ['contract', 'lint', fixture('contract/ref-etc-shadow.yaml')],
    message: /ref-etc-shadow\.yaml:\d+:\d+: \$ref refused: `\/etc\/shadow` leads outside/,
  },
  {
    name: 'contract: $ref to file:///etc/shadow',
    args: () => ['contract', 'lint', fixture('contract/ref-file-url.yaml')],
    message: /ref-file-url\.yaml:\d+:\d+: \$ref refused: .*leads outside/,
  },
  {
    name: 'contract: $ref climbing out with ../',
    args: () => ['contract', 'lint', fixture('contract/ref-climbs-out.yaml')],
    message: /ref-climbs-out\.yaml:\d+:\d+: \$ref refused: .*leads outside/,
  },
  {
    name: 'contract: $ref to /dev/zero',
    args: () => ['contract', 'lint', fixture('contract/ref-dev-zero.yaml')],
    message: /ref-dev-zero\.yaml:\d+:\d+: \$ref refused: `\/dev\/zero` leads outside/,
  },
  {
    name: 'contract: $ref to a file outside the contract folder and the project',
    args: async ({ work, secretFile }) => {
      const file = join(work, 'contract.yaml');
      await writeFile(file, refDocument(secretFile));
      return ['contract', 'lint', file];
    },
    message: /contract\.yaml:12:\d+: \$ref refused: .*leads outside/,
  },
  {
    name: 'contract: $ref through a link in the contract folder to a file outside it',
    args: async ({ work, secretFile }) => {
      await symlink(secretFile, join(work, 'part.yaml'));
      const file = join(work, 'contract.yaml');
      await writeFile(file, refDocument('./part.yaml'));
      return ['contract', 'lint', file];
    },
    message: /contract\.yaml:12:\d+: \$ref refused: `\.\/part\.yaml` leads outside/,
  },
  {
    name: 'contract: a referenced file inside the folder that itself refers outside',
    args: async ({ work, secretFile }) => {
      await writeFile(join(work, 'part.yaml'), `type: object\nproperties:\n  a:\n    $ref: '${secretFile}'\n`);
      const file = join(work, 'contract.yaml');
      await writeFile(file, refDocument('./part.yaml'));
      return ['contract', 'lint', file];
    },
    message: /contract\.yaml: \$ref refused: .*leads outside/,
  },
  {
    name: 'contract: $ref to a public URL without an allow-list',
    args: () => ['contract', 'lint', fixture('contract/ref-http.yaml')],
    message: /ref-http\.yaml:\d+:\d+: \$ref refused: `https:\/\/example\.com\/.*--allow-ref-host/,
  },
  {
    name: 'contract: $ref to a cloud metadata address, even with another host allowed',
    args: async ({ work }) => {
      const file = join(work, 'contract.yaml');
      await writeFile(file, refDocument('http://169.254.169.254/latest/meta-data/'));
      return ['contract', 'lint', file, '--allow-ref-host', 'example.com'];
    },
    message: /contract\.yaml:12:\d+: \$ref refused: `http:\/\/169\.254\.169\.254/,
  },
  // 2. Config paths and pacts links
  {
    name: 'config: contracts.path climbing out to /etc/shadow',
    args: () => ['contract', 'lint', '--config', fixture('config/climbs-out')],
    message: /contracts\.yaml:1: path: ".*etc\/shadow" leads outside the project/,
  },
  {
    name: 'config: contracts.path naming a secret outside the project by absolute path',
    args: async ({ work, secretFile }) => {
      await mkdir(join(work, 'config'));
      await writeFile(join(work, 'config', 'contracts.yaml'), `path: ${secretFile}\n`);
      return ['contract', 'lint', '--config', join(work, 'config')];
    },
    message: /contracts\.yaml:1: path: ".*secret\.txt" leads outside the project/,
  },
  {
    name: 'pacts: a link among the pacts to a secret outside the project',
    args: async ({ work, secretFile }) => {
      await mkdir(join(work, 'pacts'));
      await symlink(secretFile, join(work, 'pacts', 'a-pact.json'));
      return ['contract', 'check-pacts', '--pacts', join(work, 'pacts'), '--contract', CONTRACT];
    },
    message: /a-pact\.json: a symbolic link that leads outside the pacts directory and the project/,
  },
  {
    name: 'pacts: a link among the pacts to /etc/shadow',
    args: async ({ work }) => {
      await mkdir(join(work, 'pacts'));
      await symlink('/etc/shadow', join(work, 'pacts', 'shadow.json'));
      return ['contract', 'check-pacts', '--pacts', join(work, 'pacts'), '--contract', CONTRACT];
    },
    message: /shadow\.json: a symbolic link that leads outside/,
  },
  // 3. Bounded parsing
  {
    name: 'contract: billion laughs (nine levels of YAML aliases)',
    args: () => ['contract', 'lint', fixture('contract/billion-laughs.yaml')],
    message: /billion-laughs\.yaml: YAML aliases expand beyond the limit of \d+/,
  },
  {
    name: 'contract: JSON nested 100 000 deep (lint)',
    args: async ({ work }) => ['contract', 'lint', await deepJson(work, 'contract.json')],
    message: /contract\.json: objects and arrays are nested more than 256 deep/,
  },
  {
    name: 'contract: JSON nested 100 000 deep (diff)',
    args: async ({ work }) => ['contract', 'diff', CONTRACT, await deepJson(work, 'contract.json')],
    message: /contract\.json: objects and arrays are nested more than 256 deep/,
  },
  {
    name: 'contract: JSON nested 100 000 deep (stub serve)',
    args: async ({ work }) => ['stub', 'serve', await deepJson(work, 'contract.json'), '--port', '0'],
    message: /contract\.json: objects and arrays are nested more than 256 deep/,
  },
  {
    name: 'contract: YAML flow collections nested 100 000 deep',
    args: async ({ work }) => {
      const file = join(work, 'deep.yaml');
      await writeFile(file, `openapi: 3.0.3\ninfo: { title: t, version: 1.0.0 }\npaths: {}\nx-deep: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`);
      return ['contract', 'lint', file];
    },
    message: /deep\.yaml: objects and arrays are nested more than 256 deep/,
  },
  {
    name: 'contract: 50 MB of YAML with 600 000 paths',
    args: async ({ work }) => ['contract', 'lint', await yamlWithPaths(work, 'huge.yaml', 600_000)],
    message: /huge\.yaml: \d+\.\d MB is larger than the 32 MB a document may be/,
  },
  {
    name: 'contract: 3 MB of YAML (YAML parses too slowly for more; JSON may be larger)',
    args: async ({ work }) => ['contract', 'lint', await yamlWithPaths(work, 'big.yaml', 42_000)],
    message: /big\.yaml: \d+\.\d MB of YAML is more than the 2 MB a YAML document may be/,
  },
  {
    name: 'contract: 25 000 paths in JSON',
    args: async ({ work }) => {
      const file = join(work, 'many.json');
      const paths = Object.fromEntries(Array.from({ length: 25_000 }, (_, n) => [`/p${n}`, { get: { responses: { 200: { description: 'ok' } } } }]));
      await writeFile(file, JSON.stringify({ openapi: '3.0.3', info: { title: 't', version: '1.0.0' }, paths }));
      return ['contract', 'lint', file];
    },
    message: /many\.json: 25000 paths is more than the 20000 a contract may declare/,
  },
  {
    name: 'contract: control bytes and binary junk are shown escaped',
    args: () => ['contract', 'lint', fixture('contract/binary-junk.yaml')],
    message: /binary-junk\.yaml:\d+:\d+: YAML syntax error/,
  },
  {
    name: 'config: binary bytes in a key are shown escaped and cut',
    args: () => ['contract', 'lint', '--config', fixture('config/binary-keys')],
    message: /contracts\.yaml:2: .*\\x00\\x1b\[2JAAAA.*…: unknown key/,
  },
  {
    name: 'config: 20 000 keys in one mapping and a repeated one (the yaml package compared every pair: over a minute)',
    args: async ({ work }) => {
      await mkdir(join(work, 'config'));
      const keys = Array.from({ length: 20_000 }, (_, n) => `  a${n}: 1`);
      await writeFile(join(work, 'config', 'contracts.yaml'), `x-junk:\n${keys.join('\n')}\n  a7: 2\n`);
      return ['contract', 'lint', '--config', join(work, 'config')];
    },
    message: /contracts\.yaml:20002:3: invalid YAML: Map keys must be unique/,
    limitMs: 20_000,
  },
  {
    name: 'config: a file over 256 kB',
    args: async ({ work }) => {
      await mkdir(join(work, 'config'));
      await writeFile(join(work, 'config', 'contracts.yaml'), `path: a.yaml\n# ${'x'.repeat(300 * 1024)}\n`);
      return ['contract', 'lint', '--config', join(work, 'config')];
    },
    message: /contracts\.yaml:1: larger than the 256 kB a file may be/,
  },
  {
    name: 'contract: a $ref to a host contracts.yaml does not allow',
    args: async ({ work }) => {
      await mkdir(join(work, 'config'));
      await writeFile(join(work, 'config', 'contracts.yaml'), 'refs:\n  allowHosts: [schemas.example.org]\n');
      const file = join(work, 'contract.yaml');
      await writeFile(file, refDocument('https://example.com/schema.yaml'));
      return ['contract', 'lint', file, '--config', join(work, 'config')];
    },
    message: /contract\.yaml:12:\d+: \$ref refused: `https:\/\/example\.com\/schema\.yaml` is a URL: .*refs\.allowHosts/,
  },
  {
    name: 'config: a YAML alias bomb',
    args: () => ['contract', 'lint', '--config', fixture('config/alias-bomb')],
    message: /contracts\.yaml:1: YAML aliases expand beyond the limit/,
  },
  {
    name: 'pacts: JSON nested 100 000 deep',
    args: async ({ work }) => {
      await mkdir(join(work, 'pacts'));
      const file = join(work, 'pacts', 'deep.json');
      await writeFile(file, `{"consumer":{"name":"a"},"provider":{"name":"b"},"interactions":[],"x":${'['.repeat(100_000)}${']'.repeat(100_000)}}`);
      return ['contract', 'check-pacts', '--pacts', file, '--contract', CONTRACT];
    },
    message: /deep\.json: objects and arrays are nested more than 256 deep/,
  },
  {
    name: 'pacts: 25 000 interactions',
    args: async ({ work }) => {
      const file = join(work, 'many.json');
      const interactions = Array.from({ length: 25_000 }, (_, n) => ({ description: `i${n}`, request: { method: 'GET', path: '/x' }, response: { status: 200 } }));
      await writeFile(file, JSON.stringify({ consumer: { name: 'a' }, provider: { name: 'b' }, interactions }));
      return ['contract', 'check-pacts', '--pacts', file, '--contract', CONTRACT];
    },
    message: /many\.json: not a pact: 25000 interactions is more than the 20000 a pact may hold/,
  },
  // 4. Pacts against the specification they claim
  ...(
    [
      ['no-interactions', /not a pact: no `interactions`/],
      ['unknown-version', /not a pact: unknown pact specification version `9\.9\.9`/],
      ['unknown-v4-type', /not a pact: interactions\[0\]: unknown interaction type `Synchronous\/Telepathy`/],
      ['broken-matching-rules', /not a pact: interactions\[0\]\.response\.matchingRules\.body\[\$\.id\]\.matchers\[0\]: `regex` `\(\[` \(string\) is not a valid regular expression/],
      ['no-request', /not a pact: interactions\[0\]: an HTTP interaction needs a `request` object/],
      ['control-bytes', /not a pact: interactions\[0\]: unknown interaction type `Synchronous\/\\x00\\x1b\[31mx+…`/],
    ] as const
  ).map(([name, message]): HostileCase => ({
    name: `pacts: ${name}`,
    args: () => ['contract', 'check-pacts', '--pacts', fixture(`pact/${name}.json`), '--contract', CONTRACT],
    message,
  })),
  // 6. stub serve: lint first, output paths before starting
  {
    name: 'stub serve: a contract lint rejects is not served',
    args: () => ['stub', 'serve', join(REPO_ROOT, 'test/fixtures/contract/lint-findings/contract.yaml'), '--port', '0'],
    message: /lint-findings\/contract\.yaml:\d+:\d+: not served, contract lint rejects it: \[[\w-]+\] .*\(and \d+ more/,
  },
  {
    name: 'stub serve: --record naming a directory',
    args: ({ work }) => ['stub', 'serve', CONTRACT, '--port', '0', '--record', work],
    message: /^accord: --record .*: is a directory, not a file$/,
  },
  // 3. Load profiles: sane maxima, said in the message
  ...(
    [
      ['rate 1e9', { target: 1e9 }, /stages\[0\]\.target: expected an arrival rate in requests per second \(>= 0, at most 100000\)/],
      ['duration of 99 999 999 h', { duration: '99999999h' }, /stages\[0\]\.duration: expected a duration of at most 24h/],
      ['maxInFlight 1e12', { maxInFlight: 1e12 }, /maxInFlight: expected a whole number of requests from 1 to 100000/],
      ['connections 1e9', { connections: 1e9 }, /connections: expected a whole number of connections from 1 to 10000/],
    ] as const
  ).map(([name, change, message]): HostileCase => ({
    name: `load profile: ${name}`,
    args: async ({ work }) => {
      const file = join(work, 'profile.yaml');
      await writeFile(file, profileWith(change));
      return ['load', '--profile', file, '--dry-run'];
    },
    message,
  })),
];

/** A contract whose JSON nests 100 000 arrays deep. */
async function deepJson(work: string, name: string): Promise<string> {
  const file = join(work, name);
  await writeFile(file, `{"openapi":"3.0.3","info":{"title":"t","version":"1.0.0"},"paths":{},"x-deep":${'['.repeat(100_000)}${']'.repeat(100_000)}}`);
  return file;
}

/** A contract in YAML declaring `count` paths (about 75 bytes each, plus `description`). */
async function yamlWithPaths(work: string, name: string, count: number, description = 'ok'): Promise<string> {
  const file = join(work, name);
  const chunks = ['openapi: 3.0.3\ninfo: { title: t, version: 1.0.0 }\npaths:\n'];
  for (let n = 0; n < count; n += 1) chunks.push(`  /p${n}:\n    get:\n      responses:\n        "200": { description: ${description} }\n`);
  await writeFile(file, chunks.join(''));
  return file;
}

/** A small valid load profile with one stage or setting changed. */
function profileWith(change: { target?: number; duration?: string; maxInFlight?: number; connections?: number }): string {
  const { target = 10, duration = '1s', ...settings } = change;
  return [
    `stages:`,
    `  - { name: only, duration: ${duration}, target: ${target} }`,
    ...Object.entries(settings).map(([key, value]) => `${key}: ${value}`),
    'mix:',
    '  - { name: GET /health, method: GET, path: /health }',
    'thresholds:',
    '  stage: only',
    '',
  ].join('\n');
}

function refDocument(ref: string): string {
  return [
    'openapi: 3.0.3',
    'info: { title: hostile, version: 1.0.0 }',
    'paths:',
    '  /x:',
    '    get:',
    '      responses:',
    "        '200':",
    '          description: ok',
    '          content:',
    '            application/json:',
    '              schema:',
    `                $ref: '${ref}'`,
    '',
  ].join('\n');
}

interface Outcome {
  readonly exitCode: number | undefined;
  readonly stderr: string;
  readonly stdout: string;
  readonly ms: number;
  readonly timedOut: boolean;
  readonly left: { processes: string[]; files: string[] };
}

/** What a run left in its private TMPDIR and the process table, once a stopping PostgreSQL had a moment to go; the TMPDIR is removed. */
async function settledLeftovers(privateTmp: string): Promise<{ processes: string[]; files: string[] }> {
  let left = await leftovers(privateTmp);
  for (let tries = 0; tries < 20 && (left.processes.length > 0 || left.files.length > 0); tries += 1) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    left = await leftovers(privateTmp);
  }
  await removeDir(privateTmp);
  return left;
}

/** Runs `tasks` at most `width` at a time. */
async function pool<T>(tasks: (() => Promise<T>)[], width: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const index = next++;
      results[index] = await (tasks[index] as () => Promise<T>)();
    }
  };
  await Promise.all(Array.from({ length: width }, worker));
  return results;
}

const ONLY = process.env.ACCORD_HOSTILE_ONLY;

describe('hostile input: one line, the right exit code, nothing read, run or left behind', function () {
  this.timeout(300_000);
  const outcomes = new Map<string, Outcome>();
  let root: string;
  let secret: string;
  let shadowLines: string[] = [];

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'accord-hostile-'));
    secret = `ACCORD-HOSTILE-SECRET-${randomBytes(8).toString('hex')}`;
    const secretDir = join(root, 'secret');
    await mkdir(secretDir);
    const secretFile = join(secretDir, 'secret.txt');
    await writeFile(secretFile, `${secret}\n`);
    try {
      shadowLines = readFileSync('/etc/shadow', 'utf8').split('\n').filter((line) => line.length > 8);
    } catch {
      shadowLines = [];
    }
    const selected = CASES.filter((c) => ONLY === undefined || c.name.includes(ONLY));
    const tasks = selected.map((c, index) => async () => {
      for (const file of c.mustNotExist ?? []) await rm(file, { force: true });
      const work = join(root, `case-${index}`);
      await mkdir(work);
      const ctx: CaseContext = { work, secretFile };
      const args = await c.args(ctx);
      const privateTmp = await privateTmpdir();
      const limitMs = c.limitMs ?? 30_000;
      const started = Date.now();
      const result = await accord(args, { cwd: c.cwd?.(ctx) ?? REPO_ROOT, env: { TMPDIR: privateTmp, DATABASE_URL: '' }, timeoutMs: limitMs * 2 });
      const ms = Date.now() - started;
      const left = await settledLeftovers(privateTmp);
      outcomes.set(c.name, { exitCode: result.exitCode, stderr: result.stderr, stdout: result.stdout, ms, timedOut: result.timedOut, left });
    });
    await pool(tasks, 4);
  });

  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  for (const c of CASES) {
    if (ONLY !== undefined && !c.name.includes(ONLY)) continue;
    it(c.name, () => {
      const outcome = outcomes.get(c.name);
      expect(outcome, 'the case ran').to.not.equal(undefined);
      const { exitCode, stderr, stdout, ms, timedOut, left } = outcome as Outcome;
      const shown = `exit ${exitCode} after ${ms} ms\nstderr: ${stderr.slice(0, 2000)}\nstdout: ${stdout.slice(0, 500)}`;
      expect(timedOut, `killed after twice its limit\n${shown}`).to.equal(false);
      expect(exitCode, shown).to.equal(c.exit ?? 2);
      const lines = stderr.split('\n').filter((line) => line.trim() !== '' && !line.startsWith('note: '));
      expect(lines, shown).to.have.length(1);
      expect(lines[0], shown).to.match(c.message);
      expect(stderr, 'no stack trace').to.not.match(/^\s+at .+:\d+:\d+\)?$/m);
      expect(stderr, 'control bytes are shown escaped').to.not.match(/[\u0000-\u0008\u000b-\u001f\u007f]/);
      expect(ms, shown).to.be.below(c.limitMs ?? 30_000);
      const output = `${stdout}\n${stderr}`;
      expect(output, 'the secret marker is never echoed').to.not.contain(secret);
      for (const line of shadowLines) expect(output, 'no line of /etc/shadow is echoed').to.not.contain(line);
      for (const file of c.mustNotExist ?? []) expect(existsSync(file), `${file} was created: the input ran a command`).to.equal(false);
      expect(left.processes, 'no process left behind').to.deep.equal([]);
      expect(left.files, 'nothing left in TMPDIR').to.deep.equal([]);
    });
  }

  const interrupted = async (args: string[], afterMs: number) => {
    const privateTmp = await privateTmpdir();
    const run = accord(args, { env: { TMPDIR: privateTmp, DATABASE_URL: '' }, timeoutMs: 60_000 });
    await new Promise((resolve) => setTimeout(resolve, afterMs));
    const sent = Date.now();
    run.kill('SIGTERM');
    const result = await run;
    const endedAfterMs = Date.now() - sent;
    return { result, endedAfterMs, left: await settledLeftovers(privateTmp) };
  };

  it('SIGTERM while a 2 MB YAML contract is parsed (the largest YAML accepted, parsed in a worker thread): exit 143 within 5 s, nothing left', async () => {
    // 19 000 paths of about 105 bytes: just under both the 2 MB and the 20 000-path limits.
    const file = await yamlWithPaths(root, 'largest.yaml', 19_000, 'd'.repeat(36));
    const { result, endedAfterMs, left } = await interrupted(['contract', 'lint', file], 1500);
    expect(endedAfterMs, result.stderr).to.be.below(5000);
    expect(result.exitCode, result.stderr).to.equal(143);
    expect(left).to.deep.equal({ processes: [], files: [] });
  });

  it('SIGTERM while a 25 MB JSON contract is linted (synchronous steps on the main thread): exit 143, not the lint\'s own 0', async () => {
    const paths: Record<string, unknown> = {};
    for (let n = 0; n < 19_000; n++) paths[`/p${n}`] = { get: { description: 'x'.repeat(1300), responses: { 200: { description: 'ok' } } } };
    const file = join(root, 'largest.json');
    await writeFile(file, JSON.stringify({ openapi: '3.0.3', info: { title: 't', version: '1.0.0' }, paths }));
    // Signalled while lint still runs (it takes over 2 s here), at a moment when a synchronous step holds the thread.
    const { result, endedAfterMs, left } = await interrupted(['contract', 'lint', file], 1200);
    expect(endedAfterMs, result.stderr).to.be.below(5000);
    expect(result.exitCode, result.stderr).to.equal(143);
    expect(result.stderr).to.match(/^accord: SIGTERM received/m);
    expect(left).to.deep.equal({ processes: [], files: [] });
  });

  it('SIGTERM while a schema file statement sleeps (pg_sleep): exit 143 within 5 s, the embedded PostgreSQL stopped', async () => {
    const { result, endedAfterMs, left } = await interrupted(schemaDiff(fixture('sql/sleep.sql')), 6000);
    expect(endedAfterMs, result.stderr).to.be.below(5000);
    expect(result.exitCode, result.stderr).to.equal(143);
    expect(left).to.deep.equal({ processes: [], files: [] });
  });
});
