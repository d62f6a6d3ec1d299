/**
 * Contract benchmark at real-world scale: GitHub's REST API description from the npm package
 * `@octokit/openapi` (generated/api.github.com.json, ~12 MB), versions 22.0.0 and 23.0.2.
 * They are fetched on demand with `npm pack` into .cache/bench/ (git-ignored; tens of MB, not a
 * dependency). Each measurement runs in a fresh child process so its peak memory is its own.
 *
 *   npx tsx scripts/bench-contract.ts            # lint the newer, diff the two (3 runs), print, update docs/performance.md
 *   npx tsx scripts/bench-contract.ts --no-write # print only
 *   npx tsx scripts/bench-contract.ts --consumers-only # only the consumers' side, print only
 *
 * Goal: ≤ 3 s per diff and ≤ 500 MB peak memory. Then the consumers' side: 50 generated pacts of
 * 100 interactions each against the newer description (response fields read through `like` and
 * `eachLike`, query parameters sent), measured as `contract usage` and `contract diff --consumers`
 * (policy consumers), alternated, 3 runs each. Goal: ≤ 2 s (the median) and ≤ 500 MB each.
 */
import { existsSync, statSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { diffContracts, lintContract } from '../src/contract/index.js';
import { seededRandom } from '../src/load/seeded-random.js';
import { contractUsage, diffWithConsumers } from '../src/usage/index.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const CACHE = path.join(ROOT, '.cache/bench');
const VERSIONS = ['22.0.0', '23.0.2'] as const;
const DIFF_RUNS = 3;
const GOAL_MS = 3000;
const GOAL_MB = 500;
const PACTS = 50;
const INTERACTIONS = 100;
const CONSUMERS_GOAL_MS = 2000;
const CONSUMER_RUNS = 3;

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
  } else if (step === 'usage') {
    const report = await contractUsage(files[0] as string, { consumers: files[1] as string });
    const fields = report.operations.reduce((sum, operation) => sum + operation.fields.length, 0);
    summary = `${report.consumers.length} consumers; ${report.operations.length - report.unused.operations.length} of ${report.operations.length} operations used, ${fields - report.unused.fields.length} of ${fields} response fields read`;
  } else if (step === 'diff-consumers') {
    const result = await diffWithConsumers(files[0] as string, files[1] as string, { consumers: files[2] as string, policy: 'consumers' });
    const breaking = result.changes.filter((change) => change.level === 'error');
    const touched = breaking.filter((change) => (change.consumers ?? []).length > 0).length;
    summary = `${result.changes.length} changes, ${breaking.length} breaking: ${touched} touch a consumer, ${breaking.length - touched} none; ${result.consumers.affected.length} of ${result.consumers.checked.length} consumers affected`;
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

async function measure(step: 'lint' | 'diff' | 'usage' | 'diff-consumers', files: string[]): Promise<Measurement> {
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

  if (args.includes('--consumers-only')) return measureConsumers(older as string, newer as string, say);

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
  await measureConsumers(older as string, newer as string, say);
  if (!args.includes('--no-write')) await writeSection(lines);
}

/** `contract usage` and `contract diff --consumers` over the generated pacts. */
async function measureConsumers(older: string, newer: string, say: (line: string) => void): Promise<void> {
  const pacts = await writePacts(newer);
  say(`consumers: ${PACTS} pacts of ${INTERACTIONS} interactions each, generated from ${VERSIONS[1]} (${sizeMb(pacts.largest)} MB the largest, ${pacts.totalMb.toFixed(1)} MB in all)`);
  // The two alternate, so that a burst of load elsewhere falls on both rather than on one.
  const usages: Measurement[] = [];
  const judgeds: Measurement[] = [];
  for (let run = 1; run <= CONSUMER_RUNS; run += 1) {
    const usage = await measure('usage', [newer, pacts.dir]);
    usages.push(usage);
    say(`contract usage ${VERSIONS[1]} --consumers, run ${run}: ${usage.wallMs} ms wall, ${usage.cpuMs} ms CPU, peak ${usage.peakMb} MB: ${usage.summary}`);
    const judged = await measure('diff-consumers', [older, newer, pacts.dir]);
    judgeds.push(judged);
    say(`contract diff ${VERSIONS[0]} → ${VERSIONS[1]} --consumers --policy consumers, run ${run}: ${judged.wallMs} ms wall, ${judged.cpuMs} ms CPU, peak ${judged.peakMb} MB: ${judged.summary}`);
  }
  const medianOf = (runs: Measurement[]) => [...runs].sort((a, b) => a.wallMs - b.wallMs)[Math.floor(runs.length / 2)] as Measurement;
  const slowest = Math.max(medianOf(usages).wallMs, medianOf(judgeds).wallMs);
  const heaviest = Math.max(...usages.map((run) => run.peakMb), ...judgeds.map((run) => run.peakMb));
  say(`consumers: slowest median ${slowest} ms (goal ≤ ${CONSUMERS_GOAL_MS} ms): ${slowest <= CONSUMERS_GOAL_MS ? 'met' : 'NOT met'}; peak memory ${heaviest} MB (goal ≤ ${GOAL_MB} MB): ${heaviest <= GOAL_MB ? 'met' : 'NOT met'}; load average now ${os.loadavg().map((value) => value.toFixed(1)).join(' ')}`);
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * Writes the consumers' pacts into .cache/bench/pacts: each consumer calls 100 GET operations
 * with a JSON 200 response and reads about a third of each object's fields (as a consumer test
 * matching with `like`/`eachLike` does), three levels deep.
 */
async function writePacts(contractFile: string): Promise<{ dir: string; largest: string; totalMb: number }> {
  // A schema node as this generator reads it: any keyword may be there, none has to be.
  interface SchemaNode {
    [key: string]: SchemaNode | undefined;
  }
  const document = JSON.parse(await readFile(contractFile, 'utf8')) as SchemaNode;
  const resolve = (node: SchemaNode | undefined): SchemaNode | undefined => {
    let current = node;
    for (let hops = 0; typeof current?.$ref === 'string' && hops < 20; hops += 1) {
      const [, section, name] = /^#\/components\/([^/]+)\/(.+)$/.exec(String(current.$ref)) ?? [];
      current = section === undefined ? undefined : document.components?.[section]?.[name as string];
    }
    return current;
  };
  const operations: { path: string; query: string[]; schema: SchemaNode }[] = [];
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    const get = item?.get;
    const schema = resolve(get?.responses?.['200'])?.content?.['application/json']?.schema;
    if (schema === undefined) continue;
    const parameters = Object.values(get?.parameters ?? {}).map((parameter) => resolve(parameter));
    const query = parameters.filter((parameter) => String(parameter?.in) === 'query').map((parameter) => String(parameter?.name));
    operations.push({ path, query, schema });
  }
  const example = (raw: SchemaNode | undefined, next: () => number, depth: number): Json => {
    const schema = resolve(raw);
    if (schema === undefined) return 'x';
    const variants = schema.allOf ?? schema.oneOf ?? schema.anyOf;
    if (variants?.['0'] !== undefined) return example(variants['0'], next, depth);
    if (String(schema.type) === 'array') return depth >= 3 ? [] : [example(schema.items, next, depth + 1)];
    if (String(schema.type) === 'object' || schema.properties !== undefined) {
      const body: Record<string, Json> = {};
      if (depth >= 3) return body;
      for (const [name, child] of Object.entries(schema.properties ?? {})) if (next() < 0.35) body[name] = example(child, next, depth + 1);
      return body;
    }
    const type = String(schema.type);
    return type === 'integer' || type === 'number' ? 1 : type === 'boolean' ? true : 'x';
  };
  const dir = path.join(CACHE, 'pacts');
  await mkdir(dir, { recursive: true });
  let largest = '';
  let total = 0;
  for (let consumer = 1; consumer <= PACTS; consumer += 1) {
    // Seeded: the same pacts every run.
    const next = seededRandom(consumer);
    const interactions = Array.from({ length: INTERACTIONS }, (_, index) => {
      const operation = operations[Math.floor(next() * operations.length)] as (typeof operations)[number];
      const query = operation.query.filter(() => next() < 0.3).map((name) => `${name}=1`).join('&');
      const body = example(operation.schema, next, 0);
      return {
        description: `call ${index + 1}: GET ${operation.path}`,
        request: { method: 'GET', path: operation.path.replace(/\{[^}]+\}/g, 'p1'), ...(query === '' ? {} : { query }), headers: { Accept: 'application/json' } },
        response: { status: 200, headers: { 'Content-Type': 'application/json' }, body, matchingRules: { body: { '$': { matchers: [{ match: 'type' }] } } } },
      };
    });
    const pact = { consumer: { name: `consumer-${String(consumer).padStart(2, '0')}` }, provider: { name: 'github' }, interactions, metadata: { pactSpecification: { version: '3.0.0' } } };
    const file = path.join(dir, `consumer-${String(consumer).padStart(2, '0')}-github.json`);
    const text = JSON.stringify(pact);
    await writeFile(file, text);
    total += text.length;
    if (largest === '' || statSync(largest).size < text.length) largest = file;
  }
  return { dir, largest, totalMb: total / 1e6 };
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
    'lint the newer version, diff the two. Goal: ≤ 3 s per diff, ≤ 500 MB peak memory. Then 50',
    'generated pacts of 100 interactions against the newer version: `contract usage` and',
    '`contract diff --consumers --policy consumers`. Goal: ≤ 2 s, ≤ 500 MB each. Each step runs in',
    'its own process; "peak" is that process\'s maximum resident set size.',
    '',
    '```',
    '$ npx tsx scripts/bench-contract.ts',
    ...lines,
    '```',
    '',
  ].join('\n');
  // Up to the next section or subsection: the subsections others wrote under it stay.
  const pattern = /^## Contract\n[\s\S]*?(?=^#{2,3} |(?![\s\S]))/m;
  const next = pattern.test(current) ? current.replace(pattern, section) : `${current.replace(/\n*$/, '\n\n')}${section}`;
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, next);
  process.stdout.write(`wrote the Contract section of ${path.relative(ROOT, file)}\n`);
}

await main();
