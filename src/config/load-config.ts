import { readdir } from 'node:fs/promises';
import { basename, dirname, extname, join, relative, resolve } from 'node:path';
import { AccordError, ErrorCodes, printable } from '../errors/index.js';
import { isWithin, projectBoundaries } from '../input/index.js';
import { readEnvFile } from './env-file.js';
import type { ConfigProblem } from './problem.js';
import { throwIfProblems } from './problem.js';
import { registerSecret } from './redact.js';
import { DEFAULT_CONFIG_DIR } from './defaults.js';
import { resolveConfig } from './resolve-config.js';
import { SECTION_SCHEMAS } from './schemas.js';
import type { ForeignSection, ResolvedConfig, UserConfig } from './types.js';
import { closest, dottedPath, validateYaml } from './validate-yaml.js';
import type { ParsedYaml } from './yaml-file.js';
import { parseYamlWithLocations } from './yaml-file.js';

/**
 * Sections other capabilities own and validate themselves (`load.yaml`, `broker.yaml`). A file
 * named a letter or two away from one of these or from a section this folder owns is a typo,
 * not a new section.
 */
const FOREIGN_SECTIONS: readonly string[] = ['load', 'broker', 'scenarios'];

/** Options for {@link loadConfig}. */
export interface LoadConfigOptions {
  /** The process environment (`DATABASE_URL`, `REDIS_URL`). @default process.env */
  env?: Readonly<Record<string, string | undefined>>;
  /** The repository root relative paths resolve against. @default process.cwd() */
  root?: string;
}

/**
 * Reads every `*.yaml` of `dir` (each file one top-level section) and the env file, validates
 * them and returns the filled config. Throws ACCORD_CONFIG_INVALID listing EVERY problem as
 * `file:line: path: message`. Files no section here owns (`load.yaml`, …) are listed in
 * `sections` for their capability to validate.
 */
export async function loadConfig(dir = DEFAULT_CONFIG_DIR, options: LoadConfigOptions = {}): Promise<ResolvedConfig> {
  const root = resolve(options.root ?? process.cwd());
  const env = options.env ?? process.env;
  const directory = resolve(root, dir);
  let names: string[];
  try {
    names = (await readdir(directory)).filter((name) => /\.ya?ml$/.test(name)).sort();
  } catch (error) {
    throw new AccordError(ErrorCodes.FILE_NOT_FOUND, `config directory ${relative(root, directory) || directory} not found: run from the repository root or pass --config DIR`, { cause: error });
  }

  const shown = relative(root, directory) || directory;
  if (names.length === 0) {
    // Falling back to the built-in defaults here would test the example's services, not the user's.
    throw new AccordError(ErrorCodes.CONFIG_INVALID, `config directory ${shown} has no .yaml files (expected ${Object.keys(SECTION_SCHEMAS).map((name) => `${name}.yaml`).join(', ')}): pass --config DIR naming a directory that has them`);
  }

  // Paths the config reads from stay inside the project, its repository or the folder holding the
  // config directory: a config from a pull request must not name /etc/shadow or ../../secret.
  const boundaries = projectBoundaries(root, [dirname(directory)]);
  const user: Record<string, unknown> = {};
  const sections = new Map<string, ForeignSection>();
  const problems: ConfigProblem[] = [];
  for (const name of names) {
    const file = join(directory, name);
    const section = basename(name, extname(name));
    const schema = SECTION_SCHEMAS[section];
    if (!schema) {
      const meant = FOREIGN_SECTIONS.includes(section) ? undefined : closest(section, [...Object.keys(SECTION_SCHEMAS), ...FOREIGN_SECTIONS]);
      if (meant) problems.push({ file, line: 1, path: '', message: `not a config section this Accord knows (did you mean ${meant}.yaml?)` });
      sections.set(section, { file });
      continue;
    }
    const parsed = await parseYamlWithLocations(file);
    const found = validateYaml(parsed, schema);
    problems.push(...found);
    if (found.length === 0) {
      user[section] = parsed.value ?? {};
      problems.push(...pathsLeavingProject(section, parsed, root, boundaries));
    }
    if (section === 'environment') problems.push(...checkServices(parsed));
  }
  problems.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
  throwIfProblems(problems, `configuration ${shown}`);

  const preliminary = resolveConfig(user as UserConfig, { root, dir: directory, secrets: {}, env, sections });
  const secrets = await readEnvFile(preliminary.environment.envFile);
  for (const value of Object.values(secrets)) registerSecret(value);
  for (const url of [preliminary.environment.postgres.url, preliminary.environment.redis.url]) registerSecret(passwordOf(url));
  return { ...preliminary, secrets };
}

/** The keys of each section that name a file or folder Accord reads (outputs such as logs.dir are not here). */
const INPUT_PATHS: Readonly<Record<string, readonly (readonly string[])[]>> = {
  contracts: [['path'], ['baseline']],
  pacts: [['dir'], ['verify', 'states'], ['verify', 'messages'], ['verify', 'asyncApi']],
  schema: [['expected'], ['migrations']],
  environment: [['postgres', 'migrations'], ['postgres', 'migrations', 'dir'], ['seed'], ['envFile'], ['compose', 'file']],
};

function pathsLeavingProject(section: string, parsed: ParsedYaml, root: string, boundaries: readonly string[]): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const keys of INPUT_PATHS[section] ?? []) {
    let value: unknown = parsed.value;
    for (const key of keys) value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
    if (typeof value !== 'string' || value.startsWith('git:')) continue;
    if (isWithin(resolve(root, value), boundaries)) continue;
    problems.push({
      file: parsed.file,
      line: parsed.lineOf([...keys]),
      path: dottedPath([...keys]),
      message: `${JSON.stringify(printable(value, 80))} leads outside the project (paths in the config may only name files inside it; links are followed)`,
    });
  }
  return problems;
}

function passwordOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return decodeURIComponent(new URL(url).password) || undefined;
  } catch {
    return undefined;
  }
}

/**
 * What a schema cannot say: dependencies name real services without cycles, fixed ports are
 * distinct. Runs even when the schema found problems (every problem is reported at once), so it
 * reads the raw value defensively.
 */
function checkServices(parsed: ParsedYaml): ConfigProblem[] {
  const raw = (parsed.value as { services?: unknown } | undefined)?.services;
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return [];
  const services: Record<string, { dependsOn?: string[]; port?: number }> = {};
  for (const [name, value] of Object.entries(raw)) {
    const service = (value && typeof value === 'object' ? value : {}) as { dependsOn?: unknown; port?: unknown };
    services[name] = {
      dependsOn: Array.isArray(service.dependsOn) ? service.dependsOn.filter((item): item is string => typeof item === 'string') : [],
      ...(typeof service.port === 'number' ? { port: service.port } : {}),
    };
  }
  const problems: ConfigProblem[] = [];
  const problem = (path: (string | number)[], message: string) =>
    problems.push({ file: parsed.file, line: parsed.lineOf(path), path: dottedPath(path), message });
  const names = Object.keys(services);
  for (const [name, service] of Object.entries(services)) {
    for (const [index, dependency] of (service.dependsOn ?? []).entries()) {
      if (dependency === name) problem(['services', name, 'dependsOn', index], 'a service cannot depend on itself');
      else if (!names.includes(dependency)) problem(['services', name, 'dependsOn', index], `unknown service "${dependency}" (expected one of: ${names.join(', ')})`);
    }
  }
  // `uses: [{http: NAME}]` and an external's `via: NAME` name services of this file.
  for (const [name, value] of Object.entries(raw as Record<string, { uses?: unknown }>)) {
    const uses = value && typeof value === 'object' && Array.isArray(value.uses) ? (value.uses as unknown[]) : [];
    for (const [index, use] of uses.entries()) {
      const entry = (use && typeof use === 'object' ? use : {}) as { http?: unknown; via?: unknown };
      for (const key of ['http', 'via'] as const) {
        const target = entry[key];
        if (typeof target === 'string' && !names.includes(target)) problem(['services', name, 'uses', index, key], `unknown service "${target}" (expected one of: ${names.join(', ')})`);
      }
    }
  }
  const cycle = findCycle(services);
  if (cycle) problem(['services', cycle[0] ?? '', 'dependsOn'], `dependency cycle: ${cycle.join(' -> ')}`);
  const byPort = new Map<number, string>();
  for (const [name, service] of Object.entries(services)) {
    if (!service.port) continue;
    const other = byPort.get(service.port);
    if (other) problem(['services', name, 'port'], `port ${service.port} is also used by ${other}`);
    else byPort.set(service.port, name);
  }
  return problems;
}

function findCycle(services: Readonly<Record<string, { dependsOn?: string[] }>>): string[] | undefined {
  const state = new Map<string, 'visiting' | 'done'>();
  const walk = (name: string, trail: string[]): string[] | undefined => {
    if (state.get(name) === 'done') return undefined;
    if (state.get(name) === 'visiting') return [...trail.slice(trail.indexOf(name)), name];
    state.set(name, 'visiting');
    for (const dependency of services[name]?.dependsOn ?? []) {
      if (dependency === name || !(dependency in services)) continue;
      const cycle = walk(dependency, [...trail, name]);
      if (cycle) return cycle;
    }
    state.set(name, 'done');
    return undefined;
  };
  for (const name of Object.keys(services)) {
    const cycle = walk(name, []);
    if (cycle) return cycle;
  }
  return undefined;
}
