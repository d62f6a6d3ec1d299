import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { expect } from 'chai';
import { execa } from 'execa';

// `npm test` must pass on a clone that has no corpora folder: no file its globs reach may read
// one. The conformance tests run through `npm run conformance` instead. And every file it runs
// one at a time must be one its globs reach (a renamed file would otherwise run twice or never).

const REPO = resolve(import.meta.dirname, '../../..');

/** The globs `npm test` runs (scripts/run-tests.mjs reads them from scripts/test-files.mjs). */
async function suiteGlobs(): Promise<string[]> {
  const scripts = (JSON.parse(await readFile(join(REPO, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  expect(scripts.test).to.equal('node scripts/run-tests.mjs');
  const files = (await import(join(REPO, 'scripts/test-files.mjs'))) as { ALL: string[]; SERIAL: string[] };
  return files.ALL;
}

/** Glob to regex for the two forms the scripts use (`**` and `*`): Node 20 has no fs.glob. */
function globRegex(glob: string): RegExp {
  const source = glob
    .split('/')
    .map((part) => (part === '**' ? '(?:[^/]+/)*' : `${part.replace(/[.+^${}()|[\]\\]/g, '\\$&').replaceAll('*', '[^/]*')}/`))
    .join('')
    .replace(/\/$/, '');
  return new RegExp(`^${source.replaceAll('(?:[^/]+/)*/', '(?:[^/]+/)*')}$`);
}

async function repoFiles(dir = REPO): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.') || entry.name === 'dist' || entry.name === 'reports') continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await repoFiles(full)));
    else out.push(relative(REPO, full));
  }
  return out;
}

async function filesReachedBy(globs: readonly string[]): Promise<string[]> {
  const patterns = globs.map(globRegex);
  return (await repoFiles()).filter((file) => patterns.some((pattern) => pattern.test(file)));
}

/** The file and every repository file it imports, transitively (relative `.js` imports of `.ts` files). */
async function withImports(file: string, seen = new Set<string>()): Promise<Set<string>> {
  if (seen.has(file)) return seen;
  seen.add(file);
  const text = await readFile(join(REPO, file), 'utf8');
  for (const match of text.matchAll(/from '(\.{1,2}\/[^']+)\.js'/g)) {
    await withImports(relative(REPO, resolve(REPO, dirname(file), `${match[1]}.ts`)), seen);
  }
  return seen;
}

const SELF = relative(REPO, import.meta.filename);

/** Each of `files` that locates the corpora itself or through an import, as `file → the reader`. */
async function readersOfCorpora(files: readonly string[]): Promise<string[]> {
  const readers: string[] = [];
  for (const file of files.filter((name) => name !== SELF)) {
    for (const reached of await withImports(file)) {
      const text = await readFile(join(REPO, reached), 'utf8').catch(() => '');
      // The corpora's default place, or the variable that moves it.
      if (/shared\/corpora|process\.env\.ACCORD_CORPORA/.test(text)) {
        readers.push(`${file} → ${reached}`);
        break;
      }
    }
  }
  return readers;
}

describe('npm test stays off the conformance corpora', () => {
  it('reaches no file that reads a corpus (directly or through an import)', async () => {
    const files = await filesReachedBy(await suiteGlobs());
    expect(files.length, 'npm test finds test files').to.be.greaterThan(50);
    expect(files.filter((file) => file.startsWith('test/conformance/'))).to.deep.equal([]);
    expect(await readersOfCorpora(files)).to.deep.equal([]);
  });

  it('runs each timing-sensitive file it names, and each once', async () => {
    const { ALL, SERIAL } = (await import(join(REPO, 'scripts/test-files.mjs'))) as { ALL: string[]; SERIAL: string[] };
    const files = await filesReachedBy(ALL);
    expect(SERIAL.filter((file) => !files.includes(file))).to.deep.equal([]);
    expect(new Set(SERIAL).size).to.equal(SERIAL.length);
  });

  it('the same check finds the conformance tests as corpus readers (so it can fail)', async () => {
    const files = await filesReachedBy(['test/conformance/**/*.test.ts']);
    expect(files.map((file) => file.replace('test/conformance/', '')).sort()).to.deep.equal(['oasdiff.test.ts', 'pact-openapi.test.ts', 'schema.test.ts']);
    expect(await readersOfCorpora(files)).to.have.length(3);
  });

  it('npm run conformance without a corpora folder: one line naming the folder, exit 2', async () => {
    const missing = join(await mkdtemp(join(tmpdir(), 'accord-no-corpora-')), 'corpora');
    try {
      const run = await execa(process.execPath, [join(REPO, 'scripts/conformance.mjs')], { env: { ACCORD_CORPORA: missing }, reject: false });
      expect(run.exitCode).to.equal(2);
      expect(run.stderr.split('\n')).to.have.length(1);
      expect(run.stderr).to.include(missing).and.include('ACCORD_CORPORA');
      expect(run.stdout).to.equal('');
    } finally {
      await rm(dirname(missing), { recursive: true, force: true });
    }
  });
});
