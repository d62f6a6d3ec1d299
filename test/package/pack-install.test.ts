import { execFileSync } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { execa } from 'execa';
import { pathToFileURL } from 'node:url';
import { COMMANDS } from '../../src/cli/commands.js';
import type { renderAcceptanceHtml } from '../../src/report/index.js';
import { npmInstall, packAccord } from '../support/pack.js';
import { sampleReport } from '../unit/report/sample-report.js';

const REPO_ROOT = path.resolve(import.meta.dirname, '../..');
const TSC = path.join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

/**
 * The package as a team gets it: `npm pack` of this checkout (prepack builds dist/ and its
 * declarations), installed with npm into an empty CommonJS project that knows nothing of Accord,
 * then used there from its CLI, from plain Node and from TypeScript.
 */
describe('the packed tarball, installed into an empty project', function () {
  this.timeout(600_000);
  let dir: string;
  let project: string;
  let tarball: string;
  let entries: string[];
  let version: string;

  before(async function () {
    dir = await mkdtemp(path.join(tmpdir(), 'accord-pack-install-'));
    version = (JSON.parse(await readFile(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
    tarball = await packAccord(dir);
    entries = execFileSync('tar', ['tzf', tarball], { encoding: 'utf8' }).trim().split('\n');
    project = path.join(dir, 'project');
    await mkdir(project);
    // Another name and the other module system: nothing here may lean on Accord's own package.json.
    await writeFile(path.join(project, 'package.json'), `${JSON.stringify({ name: 'pack-install-check', version: '1.0.0', private: true, type: 'commonjs' }, null, 2)}\n`);
    await npmInstall(project, [tarball]);
  });
  after(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const run = (file: string, args: readonly string[]) => execa(file, args, { cwd: project, reject: false, env: { NO_COLOR: '1' } });

  it('ships compiled JavaScript with its declarations, and no tests, example, scripts, env files, sources or maps', () => {
    expect(entries).to.include.members(['package/package.json', 'package/bin/accord.js', 'package/dist/index.js', 'package/dist/index.d.ts', 'package/dist/cli/main.js']);
    const unwanted = entries.filter(
      (entry) => /^package\/(test|tests|examples|scripts|src|consumers|providers|docs)\//.test(entry) || /(^|\/)\.env/.test(entry) || /\.map$/.test(entry) || (/\.ts$/.test(entry) && !/\.d\.ts$/.test(entry)),
    );
    expect(unwanted).to.deep.equal([]);
  });

  it('ships declarations that import only files it ships', async () => {
    const shipped = new Set(entries);
    const missing: string[] = [];
    const unpacked = path.join(dir, 'unpacked');
    await mkdir(unpacked);
    execFileSync('tar', ['xzf', tarball, '-C', unpacked]);
    for (const entry of entries.filter((name) => name.endsWith('.d.ts'))) {
      const text = await readFile(path.join(unpacked, entry), 'utf8');
      for (const match of text.matchAll(/(?:from|import\()\s*["'](\.[^"']+)["']/g)) {
        const target = path.posix.join(path.posix.dirname(entry), match[1]!).replace(/\.js$/, '.d.ts');
        if (!shipped.has(target)) missing.push(`${entry} -> ${match[1]}`);
      }
    }
    expect(missing).to.deep.equal([]);
  });

  it('runs `accord --version` and `accord --help` with no build step', async () => {
    // `--` keeps npx from taking --version as its own.
    const versionRun = await run('npx', ['--no', '--', 'accord', '--version']);
    expect(versionRun.exitCode, versionRun.stderr).to.equal(0);
    expect(versionRun.stdout.trim()).to.equal(version);

    const help = await run(path.join(project, 'node_modules', '.bin', 'accord'), ['--help']);
    expect(help.exitCode, help.stderr).to.equal(0);
    expect(help.stdout).to.match(/^Usage: accord \[options\] \[command\]/);
    for (const name of Object.keys(COMMANDS)) expect(help.stdout).to.match(new RegExp(`^  ${name}\\b`, 'm'));
    // Nothing was compiled inside the installed package.
    expect(help.stderr).to.equal('');
  });

  it('lints a contract with the installed CLI', async () => {
    await copyFile(path.join(REPO_ROOT, 'examples', 'orders', 'contracts', 'service-a-to-b.yaml'), path.join(project, 'contract.yaml'));
    const lint = await run(path.join(project, 'node_modules', '.bin', 'accord'), ['contract', 'lint', 'contract.yaml']);
    expect(lint.exitCode, `${lint.stdout}\n${lint.stderr}`).to.equal(0);
    expect(lint.stdout).to.include('contract.yaml');
  });

  it('imports the API from plain Node, as ESM and from CommonJS', async () => {
    const probe = "const m = await import('accord'); console.log(JSON.stringify([typeof m.defineProviderStates, typeof m.defineMessageProviders, typeof m.defineScenario, typeof m.contractNock]));";
    const esm = await run('node', ['--input-type=module', '-e', probe]);
    expect(esm.exitCode, esm.stderr).to.equal(0);
    expect(JSON.parse(esm.stdout)).to.deep.equal(['function', 'function', 'function', 'function']);
    const cjs = await run('node', ['-e', `(async () => { ${probe} })()`]);
    expect(cjs.exitCode, cjs.stderr).to.equal(0);
    expect(JSON.parse(cjs.stdout)).to.deep.equal(['function', 'function', 'function', 'function']);
  });

  it('writes acceptance.html without mermaid (an optional peer, not installed): each diagram as its source, no script', async () => {
    expect(entries.some((entry) => entry.includes('mermaid.min.js'))).to.equal(false);
    // The installed copy, by file URL (the exports map offers the public API only), resolving from the project's node_modules.
    const installed = pathToFileURL(path.join(project, 'node_modules', 'accord', 'dist', 'report', 'acceptance-html.js')).href;
    const { renderAcceptanceHtml: render } = (await import(installed)) as { renderAcceptanceHtml: typeof renderAcceptanceHtml };
    const html = await render(await sampleReport());
    expect(html).to.include('<body data-diagrams="source"');
    expect(html).to.not.include('<script');
    expect(html).to.match(/<figure class="diagram" data-diagram="source"[^>]*>[\s\S]*?<details open><summary>Mermaid source<\/summary><pre class="diagram-source">sequenceDiagram/);
    expect(html).to.include('`npm install mermaid` draws them');
  });

  it('type-checks a TypeScript file that uses the API (module nodenext, libraries checked too)', async () => {
    await writeFile(
      path.join(project, 'tsconfig.json'),
      `${JSON.stringify({ compilerOptions: { target: 'ES2022', lib: ['ES2023'], module: 'nodenext', moduleResolution: 'nodenext', strict: true, skipLibCheck: false, noEmit: true, types: ['node'] }, include: ['*.mts'] }, null, 2)}\n`,
    );
    await writeFile(
      path.join(project, 'states.mts'),
      [
        "import { defineProviderStates, type ProviderStates } from 'accord';",
        '',
        'export const states: ProviderStates = defineProviderStates({',
        "  'an item exists': async (params, { db }) => {",
        "    await db.query('SELECT 1');",
        '    return { sku: String(params.sku ?? "SKU-1") };',
        '  },',
        '});',
        'const names: readonly string[] = states.names;',
        'console.log(names.length);',
        '',
      ].join('\n'),
    );
    const tsc = await run('node', [TSC, '-p', project]);
    expect(tsc.exitCode, `${tsc.stdout}\n${tsc.stderr}`).to.equal(0);

    // And a type error is caught: the declarations are really read, not taken as any.
    await writeFile(path.join(project, 'wrong.mts'), "import { defineProviderStates } from 'accord';\ndefineProviderStates({ 'a state': 42 });\n");
    const wrong = await run('node', [TSC, '-p', project]);
    expect(wrong.exitCode).to.not.equal(0);
    expect(wrong.stdout).to.include('wrong.mts');
  });
});
