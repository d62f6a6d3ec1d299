/**
 * Contract benchmark at real-world scale: GitHub's REST API description from the npm package
 * `@octokit/openapi` (generated/api.github.com.json, ~12 MB), versions 22.0.0 and 23.0.2.
 * They are fetched on demand with `npm pack` into .cache/bench/ (git-ignored; tens of MB, not a
 * dependency). Each measurement runs in a fresh child process so its peak memory is its own.
 *
 *   npx tsx scripts/bench-contract.ts            # lint the newer, diff the two (3 runs), print, update docs/performance.md
 *   npx tsx scripts/bench-contract.ts --no-write # print only
 *
 * Goal: ≤ 3 s per diff and ≤ 500 MB peak memory.
 */
import { existsSync, statSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { diffContracts, lintContract } from '../src/contract/index.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const CACHE = path.join(ROOT, '.cache/bench');
const VERSIONS = ['22.0.0', '23.0.2'] as const;
const DIFF_RUNS = 3;
const GOAL_MS = 3000;
const GOAL_MB = 500;

interface Measurement {
  wallMs: number;
  cpuMs: number;
  peakMb: number;
  summary: string;
}

/** The API description of one version, fetched and unpacked once. */
async function apiDescription(version: string): Promise<string> {
  const file = path.join(CACHE, `octokit-openapi-${version}.api.github.com.json`);
  if (existsSync(file)) return file;
  await mkdir(CACHE, { recursive: true });
  const tarball = path.join(CACHE, `octokit-openapi-${version}.tgz`);
  if (!existsSync(tarball)) {
    process.stderr.write(`fetching @octokit/openapi@${version} with npm pack ...\n`);
    await execa('npm', ['pack', `@octokit/openapi@${version}`, '--pack-destination', CACHE, '--silent'], { cwd: CACHE });
  }
  const { stdout } = await execa('tar', ['-xzOf', tarball, 'package/generated/api.github.com.json'], { encoding: 'buffer', maxBuffer: 256 * 1024 * 1024 });
  await writeFile(file, stdout);
  return file;
}

/** Child mode: run one step, print its numbers as JSON. */
async function measureStep(step: string, files: string[]): Promise<void> {
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  let summary: string;
  if (step === 'lint') {
    const result = await lintContract(files[0] as string);
    const rules = new Map<string, number>();
    for (const finding of result.findings) rules.set(finding.rule, (rules.get(finding.rule) ?? 0) + 1);
    summary = `${result.findings.length} findings (${[...rules].map(([rule, count]) => `${rule} ${count}`).join(', ') || 'none'})`;
  } else {
    const result = await diffContracts(files[0] as string, files[1] as string);
    const count = (level: string) => result.changes.filter((change) => change.level === level).length;
    summary = `${result.changes.length} changes (${count('error')} error, ${count('warning')} warning, ${count('info')} info), breaking ${result.breaking}, required bump ${result.requiredBump}`;
  }
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  const measurement: Measurement = {
    wallMs: Math.round(wallMs),
    cpuMs: Math.round((cpu.user + cpu.system) / 1000),
    peakMb: Math.round(process.resourceUsage().maxRSS / 1024),
    summary,
  };
  process.stdout.write(`${JSON.stringify(measurement)}\n`);
}

async function measure(step: 'lint' | 'diff', files: string[]): Promise<Measurement> {
  const { stdout } = await execa('node', ['--import', 'tsx', path.join(ROOT, 'scripts/bench-contract.ts'), '--step', step, ...files], { cwd: ROOT });
  return JSON.parse(stdout.trim().split('\n').pop() as string) as Measurement;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--step') return measureStep(args[1] as string, args.slice(2));

  const [older, newer] = await Promise.all(VERSIONS.map((version) => apiDescription(version)));
  const lines: string[] = [];
  const say = (line: string) => {
    lines.push(line);
    process.stdout.write(`${line}\n`);
  };
  say(`machine: ${os.cpus().length} cores, Node ${process.version}, load average ${os.loadavg().map((value) => value.toFixed(1)).join(' ')}`);
  say(`inputs: @octokit/openapi ${VERSIONS[0]} and ${VERSIONS[1]}, generated/api.github.com.json (${sizeMb(older)} MB and ${sizeMb(newer)} MB)`);

  const lint = await measure('lint', [newer as string]);
  say(`lint ${VERSIONS[1]}: ${lint.wallMs} ms wall, ${lint.cpuMs} ms CPU, peak ${lint.peakMb} MB: ${lint.summary}`);

  const diffs: Measurement[] = [];
  for (let run = 1; run <= DIFF_RUNS; run += 1) {
    const diff = await measure('diff', [older as string, newer as string]);
    diffs.push(diff);
    say(`diff ${VERSIONS[0]} → ${VERSIONS[1]}, run ${run}: ${diff.wallMs} ms wall, ${diff.cpuMs} ms CPU, peak ${diff.peakMb} MB: ${diff.summary}`);
  }
  const median = [...diffs].sort((a, b) => a.wallMs - b.wallMs)[Math.floor(diffs.length / 2)] as Measurement;
  const peak = Math.max(lint.peakMb, ...diffs.map((diff) => diff.peakMb));
  const verdict = `diff median ${median.wallMs} ms (goal ≤ ${GOAL_MS} ms): ${median.wallMs <= GOAL_MS ? 'met' : 'NOT met'}; peak memory ${peak} MB (goal ≤ ${GOAL_MB} MB): ${peak <= GOAL_MB ? 'met' : 'NOT met'}`;
  say(verdict);
  if (!args.includes('--no-write')) await writeSection(lines);
}

function sizeMb(file: string | undefined): string {
  return file === undefined ? '?' : (statSync(file).size / 1e6).toFixed(1);
}

/** Replaces (or appends) the `## Contract` section of docs/performance.md, leaving the others intact. */
async function writeSection(lines: string[]): Promise<void> {
  const file = path.join(ROOT, 'docs/performance.md');
  const current = existsSync(file) ? await readFile(file, 'utf8') : '# Performance baseline\n';
  const section = [
    '## Contract',
    '',
    'GitHub\'s REST API description (`@octokit/openapi`, fetched on demand into `.cache/bench/`):',
    'lint the newer version, diff the two. Goal: ≤ 3 s per diff, ≤ 500 MB peak memory. Each step',
    'runs in its own process; "peak" is that process\'s maximum resident set size.',
    '',
    '```',
    '$ npx tsx scripts/bench-contract.ts',
    ...lines,
    '```',
    '',
  ].join('\n');
  const pattern = /^## Contract\n[\s\S]*?(?=^## |(?![\s\S]))/m;
  const next = pattern.test(current) ? current.replace(pattern, section) : `${current.replace(/\n*$/, '\n\n')}${section}`;
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, next);
  process.stdout.write(`wrote the Contract section of ${path.relative(ROOT, file)}\n`);
}

await main();
