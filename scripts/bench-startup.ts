/**
 * What a team gets from `npm install accord-<v>.tgz`, and what each command costs to start there.
 * Packs this checkout (`npm pack`: prepack builds dist/ and its declarations), installs the
 * tarball into an empty temporary project (`npm install --prefer-offline`), then prints:
 * - the footprint: the tarball's size and files, the packages installed and their MB on disk,
 *   and the largest packages (with what pulls each in);
 * - the start cost of `accord --version`, `accord --help`, `accord contract lint` of the example's
 *   contract (again without the build's compiled OpenAPI meta-schemas, as it ran before them) and `accord <command> --help` of every command (which loads that command's module
 *   and nothing else): median CPU seconds (user + system, /usr/bin/time) and the largest RSS.
 * Sizes are MiB on disk (allocated blocks), as `du -sm` counts them.
 * The temporary folder goes away at the end unless --keep.
 * Run: npx tsx scripts/bench-startup.ts [runs=5] [--tarball FILE] [--keep] [--json]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { COMMANDS } from '../src/cli/commands.js';

const ROOT = resolve(fileURLToPath(import.meta.url), '..', '..');
const CONTRACT = join(ROOT, 'examples', 'orders', 'contracts', 'service-a-to-b.yaml');
const TIME = '/usr/bin/time';

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(name);
const valueOf = (name: string) => {
  const index = args.indexOf(name);
  return index >= 0 ? args[index + 1] : undefined;
};
const runs = Number(args.find((arg, index) => /^\d+$/.test(arg) && args[index - 1] !== '--tarball') ?? 5);
const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
// MiB, as `du -sm` counts (the figures the issue quotes are du's).
const mb = (bytes: number) => bytes / 2 ** 20;

/**
 * Bytes on disk under a folder (allocated blocks, as `du` counts them): symlinks not followed, a
 * file hard-linked twice (npm links some from its cache) counted once, in `seen`.
 */
function diskBytes(path: string, seen = new Set<string>()): number {
  const stat = lstatSync(path);
  const inode = `${stat.dev}:${stat.ino}`;
  if (seen.has(inode)) return 0;
  seen.add(inode);
  let total = stat.blocks * 512;
  if (stat.isDirectory()) for (const name of readdirSync(path)) total += diskBytes(join(path, name), seen);
  return total;
}

/** The installed packages by folder, each with its disk size excluding packages nested in it. */
function packagesOf(nodeModules: string): { name: string; path: string; bytes: number }[] {
  const found: { name: string; path: string; bytes: number }[] = [];
  const visit = (dir: string) => {
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir)) {
      if (entry.startsWith('.')) continue;
      const scoped = entry.startsWith('@');
      for (const name of scoped ? readdirSync(join(dir, entry)).map((sub) => `${entry}/${sub}`) : [entry]) {
        const path = join(dir, name);
        if (!lstatSync(path).isDirectory()) continue;
        const nested = join(path, 'node_modules');
        const bytes = diskBytes(path) - (existsSync(nested) ? diskBytes(nested) : 0);
        found.push({ name, path, bytes });
        visit(nested);
      }
    }
  };
  visit(nodeModules);
  return found;
}

interface Cost {
  readonly command: string;
  readonly cpuSeconds: number;
  readonly maxRssMb: number;
  readonly exitCode: number;
}

/** Runs the installed `accord` (or with `bin`, that program) `runs` times: median CPU, largest RSS. */
function measure(project: string, commandArgs: readonly string[], bin = join(project, 'node_modules', '.bin', 'accord'), label = `accord ${commandArgs.join(' ')}`): Cost {
  const cpu: number[] = [];
  let rss = 0;
  let exitCode = 0;
  for (let run = 0; run < runs; run += 1) {
    const result = spawnSync(TIME, ['-f', '%U %S %M', bin, ...commandArgs], { cwd: project, encoding: 'utf8' });
    const [user, system, kb] = result.stderr.trim().split('\n').at(-1)!.split(' ').map(Number);
    if (user === undefined || system === undefined || kb === undefined || Number.isNaN(kb)) throw new Error(`could not read ${TIME}'s figures for accord ${commandArgs.join(' ')}:\n${result.stderr}`);
    cpu.push(user + system);
    rss = Math.max(rss, kb / 1024);
    exitCode = result.status ?? -1;
  }
  return { command: label, cpuSeconds: median(cpu), maxRssMb: rss, exitCode };
}

if (!existsSync(TIME)) throw new Error(`${TIME} is needed for the CPU and RSS figures (apt-get install time)`);
const dir = mkdtempSync(join(tmpdir(), 'accord-bench-startup-'));
try {
  let tarball = valueOf('--tarball');
  if (tarball === undefined) {
    const started = Date.now();
    // npm pack runs prepack (and prepare) and names the file <name>-<version>.tgz.
    execFileSync('npm', ['pack', '--pack-destination', dir], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
    const { name, version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string };
    tarball = join(dir, `${name}-${version}.tgz`);
    process.stderr.write(`packed ${basename(tarball)} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  }
  tarball = resolve(tarball);
  const files = execFileSync('tar', ['tzf', tarball], { encoding: 'utf8' }).trim().split('\n');

  const project = join(dir, 'project');
  execFileSync('mkdir', ['-p', project]);
  writeFileSync(join(project, 'package.json'), `${JSON.stringify({ name: 'accord-bench-install', version: '1.0.0', private: true, type: 'commonjs' }, null, 2)}\n`);
  const installStarted = Date.now();
  execFileSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', tarball], { cwd: project, stdio: ['ignore', 'ignore', 'inherit'] });
  const installSeconds = (Date.now() - installStarted) / 1000;
  copyFileSync(CONTRACT, join(project, 'contract.yaml'));

  const lock = JSON.parse(readFileSync(join(project, 'package-lock.json'), 'utf8')) as { packages: Record<string, unknown> };
  const packageCount = Object.keys(lock.packages).filter((key) => key !== '').length;
  const nodeModules = join(project, 'node_modules');
  const installedBytes = diskBytes(nodeModules);
  const packages = packagesOf(nodeModules);
  // A scope's or a package's own folder size, nested packages excluded; grouped by name.
  const bySize = new Map<string, number>();
  for (const pkg of packages) bySize.set(pkg.name, (bySize.get(pkg.name) ?? 0) + pkg.bytes);
  const largest = [...bySize].sort((a, b) => b[1] - a[1]).slice(0, 12);
  // Who depends on a package, from the lock (a name's dependents, whatever copy they use).
  const dependents = new Map<string, Set<string>>();
  for (const [key, entry] of Object.entries(lock.packages)) {
    const from = key === '' ? 'the project' : key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length);
    const { dependencies = {}, optionalDependencies = {} } = entry as { dependencies?: Record<string, string>; optionalDependencies?: Record<string, string> };
    for (const name of [...Object.keys(dependencies), ...Object.keys(optionalDependencies)]) {
      if (!dependents.has(name)) dependents.set(name, new Set());
      dependents.get(name)!.add(from);
    }
  }
  const whyOf = (name: string) => [...(dependents.get(name) ?? [])].slice(0, 3).join(', ');

  // The floor on this machine now: Node starting an empty ES module (what any ESM CLI pays).
  writeFileSync(join(project, 'empty.mjs'), 'export {};\n');
  const load = () => loadavg().map((value) => value.toFixed(1)).join(' ');
  const loadBefore = load();
  const costs: Cost[] = [
    measure(project, [join(project, 'empty.mjs')], process.execPath, 'node empty.mjs (the floor)'),
    measure(project, ['--version']),
    measure(project, ['--help']),
    measure(project, ['contract', 'lint', 'contract.yaml']),
    ...Object.keys(COMMANDS).map((name) => measure(project, [name, '--help'])),
  ];
  // The lint again as it ran before the build compiled the OpenAPI meta-schemas: without those
  // files Accord lets swagger-parser compile the meta-schema, as it always did.
  const contractDist = join(project, 'node_modules', 'accord', 'dist', 'contract');
  const metaFiles = readdirSync(contractDist).filter((name) => name.endsWith('-meta.generated.cjs'));
  for (const name of metaFiles) renameSync(join(contractDist, name), join(contractDist, `${name}.off`));
  costs.splice(4, 0, measure(project, ['contract', 'lint', 'contract.yaml'], undefined, `accord contract lint contract.yaml, the meta-schema compiled at run time (${metaFiles.length} *-meta.generated.cjs moved away)`));
  for (const name of metaFiles) renameSync(join(contractDist, `${name}.off`), join(contractDist, name));

  const loadAfter = load();
  const result = {
    loadAverage: { before: loadBefore, after: loadAfter },
    tarball: { file: basename(tarball), mb: mb(lstatSync(tarball).size), files: files.length },
    install: { packages: packageCount, mb: mb(installedBytes), seconds: installSeconds },
    largest: largest.map(([name, bytes]) => ({ name, mb: mb(bytes) })),
    costs,
  };
  if (flag('--json')) {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } else {
    const out: string[] = [];
    out.push(`tarball ${result.tarball.file}: ${result.tarball.mb.toFixed(2)} MiB, ${result.tarball.files} files`);
    out.push(`installed: ${packageCount} packages, ${result.install.mb.toFixed(0)} MiB on disk (npm install ${installSeconds.toFixed(1)} s)`);
    out.push('', 'largest packages (own folder, MiB on disk; pulled in by):');
    for (const { name, mb: size } of result.largest) out.push(`  ${size.toFixed(1).padStart(6)}  ${name}  (${whyOf(name)})`);
    out.push('', `start cost, median of ${runs} runs (CPU = user + system; RSS = largest), load average ${loadBefore} before, ${loadAfter} after:`);
    for (const cost of costs) out.push(`  ${cost.cpuSeconds.toFixed(2).padStart(5)} s  ${cost.maxRssMb.toFixed(0).padStart(4)} MB  ${cost.command}${cost.exitCode === 0 ? '' : `  (exit ${cost.exitCode})`}`);
    process.stdout.write(`${out.join('\n')}\n`);
  }
} finally {
  if (flag('--keep')) process.stderr.write(`kept ${dir}\n`);
  else rmSync(dir, { recursive: true, force: true });
}
