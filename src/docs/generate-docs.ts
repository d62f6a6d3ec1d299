import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { parse } from 'yaml';
import { contractPathOf } from '../config/index.js';
import type { ResolvedConfig } from '../config/index.js';
import { diffContracts, loadContract } from '../contract/index.js';
import { AccordError, ErrorCodes } from '../errors/index.js';
import type { GateStep } from '../report/model.js';
import { renderArchitectureDoc } from './architecture-doc.js';
import type { ComposeTopology } from './architecture-doc.js';
import { renderBaselineDoc } from './baseline-doc.js';
import { renderContractDoc } from './contract-doc.js';
import { normaliseSequencePage } from './sequences-doc.js';

/** Options for {@link generateDocs}. */
export interface GenerateDocsOptions {
  /** Compare only: write nothing, report each file that differs. @default false */
  check?: boolean;
  /** Relative to the config's root. @default docs */
  docsDir?: string;
  /** Relative to the config's root. @default environment.yaml's `compose.file`; without one the architecture page is drawn from the config alone */
  composeFile?: string;
}

/** One generated file and what happened to it. */
export interface DocFile {
  /** Relative to the repository root. */
  path: string;
  /** `unchanged`: already up to date; `written`: regenerated; `stale`: differs (check mode). */
  status: 'unchanged' | 'written' | 'stale';
}

/** The result of {@link generateDocs}. */
export interface DocsResult {
  /** False only in check mode with a stale file. */
  ok: boolean;
  check: boolean;
  files: DocFile[];
  /** The stale files' paths (check mode). */
  stale: string[];
  durationMs: number;
}

type DocsSettings = Required<Omit<GenerateDocsOptions, 'composeFile'>> & Pick<GenerateDocsOptions, 'composeFile'>;

const DEFAULTS: Readonly<DocsSettings> = Object.freeze({ check: false, docsDir: 'docs' });

async function readText(file: string, what: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch {
    throw new AccordError(ErrorCodes.FILE_NOT_FOUND, `${what} ${file} not found`);
  }
}

async function readOptional(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
}

async function readCompose(file: string, shown: string): Promise<ComposeTopology> {
  const compose = parse(await readText(file, 'the compose file')) as ComposeTopology | null;
  if (typeof compose !== 'object' || compose === null || typeof compose.services !== 'object') throw new AccordError(ErrorCodes.CONFIG_INVALID, `${shown}: expected a compose file with services`);
  return compose;
}

/** Every page's expected text, keyed by its path relative to the root. */
async function renderAll(config: ResolvedConfig, settings: DocsSettings): Promise<Map<string, string>> {
  const root = config.root;
  const rel = (path: string) => relative(root, path) || '.';
  // A consumer-only repository has no contract of its own: it gets no contract page.
  const contractPath = config.contracts.path === undefined ? undefined : contractPathOf(config, 'the OpenAPI contract docs/contract.md describes');
  const docs = resolve(root, settings.docsDir);
  const pages = new Map<string, string>();

  // Input is read and checked before anything is written.
  const composeFile = settings.composeFile ?? config.environment.compose?.file;
  const composePath = composeFile === undefined ? undefined : resolve(root, composeFile);
  const compose = composePath === undefined ? { services: {} } : await readCompose(composePath, rel(composePath));
  const pkg = JSON.parse(await readText(join(root, 'package.json'), 'package.json')) as { version?: string };
  const versions = Object.fromEntries([...config.environment.services.keys()].map((name) => [name, pkg.version ?? '?']));
  pages.set(rel(join(docs, 'architecture.md')), renderArchitectureDoc(config, compose, versions, composePath === undefined ? undefined : rel(composePath)));

  if (contractPath !== undefined) {
    const contract = await loadContract(contractPath, { cwd: root });
    const baseline = config.contracts.baseline;
    const diff = baseline === undefined ? undefined : await diffContracts(baseline, contractPath, { policy: config.contracts.policy, cwd: root, defaultPath: rel(contractPath) });
    const baselineLabel = baseline === undefined ? undefined : baseline.startsWith('git:') ? baseline : rel(baseline);
    pages.set(rel(join(docs, 'contract.md')), renderContractDoc(contract, rel(contractPath), diff, baselineLabel));
  }

  const baselineJson = join(docs, 'performance-baseline.json');
  const baselineText = await readOptional(baselineJson);
  if (baselineText !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(baselineText);
    } catch (error) {
      throw new AccordError(ErrorCodes.BASELINE_INVALID, `${rel(baselineJson)} is not valid JSON: ${(error as Error).message}`);
    }
    pages.set(rel(join(docs, 'performance-baseline.md')), renderBaselineDoc(parsed as Parameters<typeof renderBaselineDoc>[0], rel(baselineJson)));
  }

  const sequences = join(docs, 'sequences');
  const names = ((await readdir(sequences).catch(() => [])) as string[]).filter((name) => name.endsWith('.md')).sort();
  for (const name of names) {
    const file = join(sequences, name);
    pages.set(rel(file), normaliseSequencePage(file, await readText(file, 'the sequence page')));
  }
  return pages;
}

/**
 * Generates (or, with `check`, compares) the documentation the config describes:
 * `docs/architecture.md`, `docs/contract.md`, `docs/performance-baseline.md` and the normalised
 * `docs/sequences/*.md`. The same inputs always give the same bytes.
 */
export async function generateDocs(config: ResolvedConfig, options: GenerateDocsOptions = {}): Promise<DocsResult> {
  const started = performance.now();
  const settings = { ...DEFAULTS, ...options };
  const pages = await renderAll(config, settings);
  const files: DocFile[] = [];
  for (const [path, text] of pages) {
    const file = resolve(config.root, path);
    const current = await readOptional(file);
    if (current === text) files.push({ path, status: 'unchanged' });
    else if (settings.check) files.push({ path, status: 'stale' });
    else {
      await mkdir(dirname(file), { recursive: true });
      await writeFile(file, text);
      files.push({ path, status: 'written' });
    }
  }
  const stale = files.filter((f) => f.status === 'stale').map((f) => f.path);
  return { ok: stale.length === 0, check: settings.check, files, stale, durationMs: Math.round(performance.now() - started) };
}

/** The gate's `docs` step: one check per generated file (stale fails). */
export function toDocsStep(result: DocsResult): GateStep {
  const checks = result.files.map((file) => ({
    id: `docs/${file.path}`,
    name: file.path,
    status: file.status === 'stale' ? ('fail' as const) : ('pass' as const),
    message: file.status === 'stale' ? `${file.path} is stale: run accord docs` : file.status === 'written' ? `${file.path} regenerated` : `${file.path} is up to date`,
    location: { file: file.path },
  }));
  return {
    id: 'docs',
    title: 'Generated documentation',
    status: checks.some((c) => c.status === 'fail') ? 'fail' : 'pass',
    durationMs: result.durationMs,
    checks,
    evidence: result.files.map((file) => ({ label: file.path, href: file.path })),
    details: { check: result.check, stale: result.stale },
  };
}
