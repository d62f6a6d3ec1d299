import { open, readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

/** What `accord init` found in a repository: only what it could read, nothing it ran. */
export interface RepositoryScan {
  /** package.json's `name`, if any. */
  readonly packageName: string | undefined;
  /** package.json's scripts, by name. */
  readonly scripts: Readonly<Record<string, string>>;
  /** Names of package.json's dependencies and devDependencies. */
  readonly dependencies: readonly string[];
  /** OpenAPI documents, relative to the root, shortest path first. */
  readonly openApi: readonly string[];
  /** AsyncAPI documents, relative to the root. */
  readonly asyncApi: readonly string[];
  /** Directories holding pact files, with the consumers and providers the pacts name. */
  readonly pactDirs: readonly { readonly dir: string; readonly consumers: readonly string[]; readonly providers: readonly string[] }[];
  /** Migration folders, and the tool their layout suggests. */
  readonly migrations: readonly { readonly dir: string; readonly tool: 'node-pg-migrate' | 'prisma' | 'knex' | 'sql-folders' }[];
  /** Modules that look like provider states (`*states*.{ts,js,mjs,cjs,mts,cts}`). */
  readonly states: readonly string[];
  /** Test files that look like Pact consumer tests (`*.pact.test.*`, `*.pact.spec.*`). */
  readonly pactTests: readonly string[];
}

/** Bounds on the walk: a repository is read, not crawled. */
const MAX_DEPTH = 5;
const MAX_ENTRIES = 5000;
const HEAD_BYTES = 4096;
const SKIPPED = new Set(['node_modules', '.git', 'dist', 'build', 'coverage', 'reports', '.accord', '.next', 'out', 'vendor', 'tmp']);
const CODE = /\.(?:ts|js|mjs|cjs|mts|cts)$/;

/**
 * Reads what a starting config can be guessed from: package.json, OpenAPI and AsyncAPI files
 * (by their first bytes), directories of pact files, migration folders, states modules and Pact
 * test files. Bounded (depth, entries, bytes read per file); follows no symlink; runs nothing.
 */
export async function scanRepository(root: string): Promise<RepositoryScan> {
  const files: string[] = [];
  const dirs: string[] = [];
  await walk(root, 0, files, dirs);
  const rel = (path: string) => relative(root, path).split(sep).join('/');
  const pkg = await readPackageJson(root);
  const openApi: string[] = [];
  const asyncApi: string[] = [];
  const pactFiles = new Map<string, { consumers: Set<string>; providers: Set<string> }>();
  for (const file of files) {
    if (!/\.(?:ya?ml|json)$/.test(file)) continue;
    const head = await readHead(file);
    if (/^\s*["']?openapi["']?\s*:/m.test(head)) openApi.push(rel(file));
    else if (/^\s*["']?asyncapi["']?\s*:/m.test(head)) asyncApi.push(rel(file));
    else if (file.endsWith('.json') && /"consumer"/.test(head) && /"provider"/.test(head)) {
      const names = await pactNames(file);
      if (!names) continue;
      const dir = rel(join(file, '..')) || '.';
      const entry = pactFiles.get(dir) ?? { consumers: new Set<string>(), providers: new Set<string>() };
      entry.consumers.add(names.consumer);
      entry.providers.add(names.provider);
      pactFiles.set(dir, entry);
    }
  }
  const byLength = (a: string, b: string) => a.length - b.length || a.localeCompare(b);
  return {
    packageName: pkg.name,
    scripts: pkg.scripts,
    dependencies: pkg.dependencies,
    openApi: openApi.sort(byLength),
    asyncApi: asyncApi.sort(byLength),
    pactDirs: [...pactFiles].map(([dir, names]) => ({ dir, consumers: [...names.consumers].sort(), providers: [...names.providers].sort() })),
    migrations: await migrationFolders(dirs, files, rel),
    states: files.filter((file) => CODE.test(file) && /states?\b|states?[-_.]/i.test(file.split(sep).pop() ?? '') && !/\.d\.[cm]?ts$/.test(file)).map(rel).sort(byLength),
    pactTests: files.filter((file) => /\.pact\.(?:test|spec)\.[cm]?[jt]sx?$/.test(file)).map(rel).sort(),
  };
}

async function walk(dir: string, depth: number, files: string[], dirs: string[]): Promise<void> {
  if (depth > MAX_DEPTH || files.length + dirs.length > MAX_ENTRIES) return;
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() && !SKIPPED.has(entry.name) && !entry.name.startsWith('.')) {
      dirs.push(path);
      await walk(path, depth + 1, files, dirs);
    } else if (entry.isFile()) files.push(path);
  }
}

async function readHead(file: string): Promise<string> {
  const handle = await open(file, 'r').catch(() => undefined);
  if (!handle) return '';
  try {
    const buffer = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, HEAD_BYTES, 0);
    return buffer.subarray(0, bytesRead).toString('utf8');
  } finally {
    await handle.close();
  }
}

/** A pact's consumer and provider names, or undefined when the file is not a pact (or too big to be one worth guessing from). */
async function pactNames(file: string): Promise<{ consumer: string; provider: string } | undefined> {
  try {
    const text = await readFile(file, 'utf8');
    if (text.length > 5_000_000) return undefined;
    const pact = JSON.parse(text) as { consumer?: { name?: unknown }; provider?: { name?: unknown }; interactions?: unknown; messages?: unknown };
    const consumer = pact.consumer?.name;
    const provider = pact.provider?.name;
    if (typeof consumer !== 'string' || typeof provider !== 'string' || (!Array.isArray(pact.interactions) && !Array.isArray(pact.messages))) return undefined;
    return { consumer, provider };
  } catch {
    return undefined;
  }
}

async function readPackageJson(root: string): Promise<{ name: string | undefined; scripts: Record<string, string>; dependencies: string[] }> {
  try {
    const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { name?: unknown; scripts?: Record<string, unknown>; dependencies?: Record<string, unknown>; devDependencies?: Record<string, unknown> };
    const scripts = Object.fromEntries(Object.entries(pkg.scripts ?? {}).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
    return { name: typeof pkg.name === 'string' ? pkg.name : undefined, scripts, dependencies: [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.devDependencies ?? {})] };
  } catch {
    return { name: undefined, scripts: {}, dependencies: [] };
  }
}

async function migrationFolders(dirs: readonly string[], files: readonly string[], rel: (path: string) => string): Promise<RepositoryScan['migrations']> {
  const found: { dir: string; tool: 'node-pg-migrate' | 'prisma' | 'knex' | 'sql-folders' }[] = [];
  const hasKnexfile = files.some((file) => /(^|[/\\])knexfile\.[cm]?[jt]s$/.test(file));
  for (const dir of dirs) {
    if (!/(^|[/\\])migrations$/.test(dir)) continue;
    const inside = files.filter((file) => file.startsWith(`${dir}${sep}`));
    const direct = inside.filter((file) => !file.slice(dir.length + 1).includes(sep));
    if (inside.some((file) => file.endsWith('migration_lock.toml'))) found.push({ dir: rel(dir), tool: 'prisma' });
    else if (hasKnexfile) found.push({ dir: rel(dir), tool: 'knex' });
    else if (direct.length === 0 && inside.some((file) => file.endsWith('.sql'))) found.push({ dir: rel(dir), tool: 'sql-folders' });
    else if (direct.length > 0) found.push({ dir: rel(dir), tool: 'node-pg-migrate' });
  }
  return found;
}
