import { access } from 'node:fs/promises';
import { basename, extname, relative, resolve } from 'node:path';
import { DEFAULT_CONFIG_DIR, dottedPath, parseYamlWithLocations, throwIfProblems, validateYaml } from '../config/index.js';
import type { ConfigProblem, ParsedYaml } from '../config/index.js';
import { AccordError, ErrorCodes, printable } from '../errors/index.js';
import { DEFAULT_BASELINE_POLICY, DEFAULT_LIMITS, DEFAULT_THRESHOLDS, PROFILE_DEFAULTS } from './profile.js';
import type { LoadProfile, RequestTemplate, Stage } from './profile.js';
import { MAX_STAGE_MS, loadFileSchema, profileFileSchema } from './profile-schema.js';
import { parseDuration, parseSize } from './units.js';

/** Options of {@link loadProfile}. */
export interface LoadProfileOptions {
  /** The config directory holding `load.yaml`. @default config/integration */
  configDir?: string;
  /** Directory relative paths are resolved against. @default process.cwd() */
  cwd?: string;
}

/** The YAML shape of one profile (and of `defaults`), as validated by profile-schema.ts. */
interface UserProfile {
  description?: string;
  service?: string;
  startRate?: number;
  stages?: { name?: string; duration: string; target: number }[];
  mix?: {
    name?: string;
    weight?: number;
    method: string;
    path: string;
    headers?: Record<string, string>;
    body?: unknown;
    expect?: number[];
    capture?: Record<string, string>;
  }[];
  data?: Record<string, (string | number)[]>;
  seed?: string;
  warmup?: number;
  connections?: number;
  maxInFlight?: number;
  requestTimeout?: string;
  lateAfter?: string;
  sampleInterval?: string;
  thresholds?: {
    stage?: string;
    p50?: number | string;
    p95?: number | string;
    p99?: number | string;
    minRate?: number;
    targetRate?: number;
    maxErrorRate?: number;
    abortOnFail?: boolean;
    abortGrace?: string;
  };
  limits?: { cpuPercent?: number; cpuOf?: 'machine' | 'core'; memory?: number | string; diskIo?: number | string };
  baseline?: {
    tolerance?: number;
    minDelta?: number | string;
    medianTolerance?: number;
    medianMinDelta?: number | string;
    cpuShareTolerance?: number;
    ref?: string;
    rounds?: number;
    minRounds?: number;
    round?: string;
    pairedTolerance?: number;
    pairedTailTolerance?: number;
  };
  eventLag?: { table?: string; p99?: number | string; drain?: string };
}

/** A profile body together with where each of its parts was written (for file:line messages). */
interface Located {
  readonly name: string;
  readonly body: UserProfile;
  /** YAML path of the profile's own body, and of the defaults it inherits. */
  readonly own: (string | number)[];
  readonly defaults: (string | number)[] | undefined;
  readonly defaultsBody: UserProfile;
  /** How `accord load --dry-run` names where the profile's own values and the defaults were written. */
  readonly ownLabel: string;
  readonly defaultsLabel: string;
}

/** Where a value of a resolved profile came from, for `accord load --dry-run`. */
export const BUILT_IN = 'built-in default';

const BUILTIN_PLACEHOLDERS = new Set(['uuid', 'seq']);

/** True when `selector` names a file rather than a profile in load.yaml. */
export function isProfileFile(selector: string): boolean {
  return /\.ya?ml$/i.test(selector) || selector.includes('/') || selector.includes('\\');
}

/** The names of the profiles in `<configDir>/load.yaml`. */
export async function listProfiles(options: LoadProfileOptions = {}): Promise<string[]> {
  const parsed = await readLoadFile(options);
  throwIfProblems(validateYaml(parsed, loadFileSchema), displayPath(parsed.file, options), ErrorCodes.PROFILE_INVALID);
  return Object.keys((parsed.value as { profiles?: object }).profiles ?? {});
}

/**
 * Loads the profile `selector`: a name from `<configDir>/load.yaml` (`smoke`, `full`) or the path
 * of a profile file. Every problem of the file is reported at once with file:line
 * (ACCORD_PROFILE_INVALID); an unknown name is ACCORD_PROFILE_UNKNOWN and lists the known ones.
 */
export async function loadProfile(selector: string, options: LoadProfileOptions = {}): Promise<LoadProfile> {
  const cwd = options.cwd ?? process.cwd();
  if (isProfileFile(selector)) {
    const file = resolve(cwd, selector);
    try {
      await access(file);
    } catch {
      throw new AccordError(ErrorCodes.FILE_NOT_FOUND, `load profile file ${selector} not found (expected a profile name from load.yaml or a path to a YAML profile)`);
    }
    const parsed = await parseYamlWithLocations(file);
    const problems = validateYaml(parsed, profileFileSchema);
    // A profile file inherits load.yaml's `defaults` exactly as a profile written in load.yaml does.
    const inherited = await readDefaults(options);
    const located: Located = {
      name: basename(file, extname(file)),
      body: (parsed.value ?? {}) as UserProfile,
      own: [],
      defaults: undefined,
      defaultsBody: inherited?.body ?? {},
      ownLabel: displayPath(file, options),
      defaultsLabel: inherited ? `${inherited.shown} defaults` : BUILT_IN,
    };
    if (parsed.problems.length === 0) problems.push(...checkProfile(parsed, located));
    throwIfProblems(sortProblems(unique(problems)), `load profile ${displayPath(file, options)}`, ErrorCodes.PROFILE_INVALID);
    return resolveProfile(located, file);
  }

  const parsed = await readLoadFile(options);
  const problems = validateYaml(parsed, loadFileSchema);
  const value = (parsed.value ?? {}) as { defaults?: UserProfile; profiles?: Record<string, UserProfile> };
  const rawProfiles = value.profiles && typeof value.profiles === 'object' && !Array.isArray(value.profiles) ? value.profiles : {};
  const profiles = parsed.problems.length === 0 ? Object.entries(rawProfiles) : [];
  const locatedAll = profiles.map(([name, body]): Located => ({
    name,
    body: body && typeof body === 'object' ? body : {},
    own: ['profiles', name],
    defaults: value.defaults ? ['defaults'] : undefined,
    defaultsBody: value.defaults && typeof value.defaults === 'object' ? value.defaults : {},
    ownLabel: `${displayPath(parsed.file, options)} profiles.${name}`,
    defaultsLabel: `${displayPath(parsed.file, options)} defaults`,
  }));
  // Check every profile, not only the one asked for: a broken `full` should not hide behind `smoke`.
  for (const located of locatedAll) problems.push(...checkProfile(parsed, located));
  throwIfProblems(sortProblems(unique(problems)), displayPath(parsed.file, options), ErrorCodes.PROFILE_INVALID);
  const located = locatedAll.find((candidate) => candidate.name === selector);
  if (!located) {
    const known = locatedAll.map((candidate) => candidate.name);
    throw new AccordError(
      ErrorCodes.PROFILE_UNKNOWN,
      `unknown load profile "${selector}": expected one of ${known.join(', ')} (from ${displayPath(parsed.file, options)}) or a path to a profile YAML file`,
    );
  }
  return resolveProfile(located, parsed.file);
}

/** `defaults` of `<configDir>/load.yaml`, checked; undefined when there is no load.yaml (nothing to inherit). */
async function readDefaults(options: LoadProfileOptions): Promise<{ body: UserProfile; shown: string } | undefined> {
  const file = resolve(options.cwd ?? process.cwd(), options.configDir ?? 'config/integration', 'load.yaml');
  if (!(await access(file).then(() => true, () => false))) return undefined;
  const parsed = await parseYamlWithLocations(file);
  throwIfProblems(sortProblems(validateYaml(parsed, loadFileSchema)), displayPath(file, options), ErrorCodes.PROFILE_INVALID);
  const defaults = (parsed.value as { defaults?: unknown } | undefined)?.defaults;
  return { body: defaults && typeof defaults === 'object' ? (defaults as UserProfile) : {}, shown: displayPath(file, options) };
}

async function readLoadFile(options: LoadProfileOptions): Promise<ParsedYaml> {
  const file = resolve(options.cwd ?? process.cwd(), options.configDir ?? DEFAULT_CONFIG_DIR, 'load.yaml');
  try {
    await access(file);
  } catch {
    throw new AccordError(ErrorCodes.FILE_NOT_FOUND, `load profiles file ${displayPath(file, options)} not found: run from the repository root or pass --config DIR`);
  }
  return parseYamlWithLocations(file);
}

function displayPath(file: string, options: LoadProfileOptions): string {
  return relative(options.cwd ?? process.cwd(), file) || file;
}

function sortProblems(problems: ConfigProblem[]): ConfigProblem[] {
  return problems.sort((a, b) => a.line - b.line);
}

/** The value of a key with where it was written: the profile's own body or the defaults. */
function pick<K extends keyof UserProfile>(located: Located, key: K): { value: UserProfile[K]; at: (string | number)[] } | undefined {
  if (located.body[key] !== undefined) return { value: located.body[key], at: [...located.own, key] };
  // Inherited from another file (a profile file's load.yaml defaults): located at the profile's top.
  if (located.defaultsBody[key] !== undefined) return { value: located.defaultsBody[key], at: located.defaults ? [...located.defaults, key] : located.own };
  return undefined;
}

/**
 * What the schema cannot say: stages and mix exist after defaults, names resolve, durations are
 * positive. Runs even when the schema found problems (every problem is reported at once), so
 * it reads the raw values defensively.
 */
function checkProfile(parsed: ParsedYaml, located: Located): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const problem = (path: (string | number)[], message: string) =>
    problems.push({ file: parsed.file, line: parsed.lineOf(path), path: dottedPath(path), message });
  const where = located.own.length > 0 ? `profile "${located.name}"` : 'this profile';
  const record = (value: unknown): Record<string, unknown> => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {});

  const stages = pick(located, 'stages');
  const mix = pick(located, 'mix');
  if (!stages) problem(located.own, `${where} has no \`stages\` (neither its own nor from \`defaults\`)`);
  if (!mix) problem(located.own, `${where} has no \`mix\` (neither its own nor from \`defaults\`)`);
  const stageList = Array.isArray(stages?.value) ? stages.value.map(record) : [];
  const mixList = Array.isArray(mix?.value) ? mix.value.map(record) : [];

  const stageNames = stageList.map((stage, index) => (typeof stage.name === 'string' ? stage.name : `stage-${index + 1}`));
  stageList.forEach((stage, index) => {
    const ms = typeof stage.duration === 'string' ? parseDuration(stage.duration) : undefined;
    if (ms !== undefined && ms <= 0) problem([...(stages?.at ?? []), index, 'duration'], `expected a duration above 0, got "${String(stage.duration)}"`);
    if (ms !== undefined && ms > MAX_STAGE_MS) problem([...(stages?.at ?? []), index, 'duration'], `expected a duration of at most 24h, got "${printable(String(stage.duration), 40)}"`);
    const first = stageNames.indexOf(stageNames[index] ?? '');
    if (first !== index) problem([...(stages?.at ?? []), index, 'name'], `duplicate stage name "${stageNames[index]}" (also stage ${first + 1})`);
  });
  const startRate = pick(located, 'startRate')?.value ?? 0;
  if (stages && stageList.length > 0 && startRate === 0 && stageList.every((stage) => stage.target === 0)) {
    problem(stages.at, 'every stage has target 0: the profile would send nothing');
  }

  const ownStage = record(located.body.thresholds).stage;
  const defaultStage = record(located.defaultsBody.thresholds).stage;
  const thresholdStage = typeof ownStage === 'string' ? ownStage : typeof defaultStage === 'string' ? defaultStage : DEFAULT_THRESHOLDS.stage;
  if (stages && stageList.length > 0 && !stageNames.includes(thresholdStage)) {
    const at = typeof ownStage === 'string' ? [...located.own, 'thresholds', 'stage'] : typeof defaultStage === 'string' && located.defaults ? [...located.defaults, 'thresholds', 'stage'] : stages.at;
    problem(at, `thresholds are evaluated over stage "${thresholdStage}", which ${where} does not have (stages: ${stageNames.join(', ')})`);
  }

  const data = record(pick(located, 'data')?.value);
  const captured = new Set(mixList.flatMap((request) => Object.keys(record(request.capture))));
  const placeholdersOf = (request: Record<string, unknown>) => JSON.stringify([request.path ?? '', request.headers ?? {}, request.body ?? null]);
  mixList.forEach((request, index) => {
    const at = [...(mix?.at ?? []), index];
    for (const match of placeholdersOf(request).matchAll(/\{\{\s*([a-zA-Z][\w-]*)(?::([a-zA-Z][\w-]*))?\s*\}\}/g)) {
      const [whole, name, pool] = match;
      if (name === 'pick' || name === 'take') {
        if (!pool) problem(at, `placeholder ${whole} needs a pool name, e.g. {{${name}:users}}`);
        else if (!captured.has(pool)) problem(at, `placeholder ${whole} reads pool "${pool}", but no request captures it (add \`capture: { ${pool}: id }\` to the request that creates it)`);
      } else if (!BUILTIN_PLACEHOLDERS.has(name ?? '') && !(name && name in data)) {
        const known = ['uuid', 'seq', ...Object.keys(data)].join(', ');
        problem(at, `unknown placeholder ${whole} (expected one of: ${known}, pick:POOL, take:POOL)`);
      }
    }
  });
  if (mix && mixList.length > 0 && mixList.every((request) => /\{\{\s*(pick|take):/.test(placeholdersOf(request)))) {
    problem(mix.at, 'every request reads a captured pool: at least one must not, or nothing ever fills the pools');
  }
  return problems;
}

/** Keeps the first of problems reported twice (schema and semantic checks may meet on one value). */
function unique(problems: ConfigProblem[]): ConfigProblem[] {
  const seen = new Set<string>();
  return problems.filter((problem) => {
    const key = `${problem.line}:${problem.path}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Fills a checked profile from the defaults into a {@link LoadProfile}. */
function resolveProfile(located: Located, source: string): LoadProfile {
  const get = <K extends keyof UserProfile>(key: K): UserProfile[K] => located.body[key] ?? located.defaultsBody[key];
  const thresholds = { ...located.defaultsBody.thresholds, ...located.body.thresholds };
  const limits = { ...located.defaultsBody.limits, ...located.body.limits };
  const baseline = { ...located.defaultsBody.baseline, ...located.body.baseline };
  const eventLag = { ...located.defaultsBody.eventLag, ...located.body.eventLag };
  const ms = (value: number | string | undefined, fallback: number) =>
    value === undefined ? fallback : typeof value === 'number' ? value : (parseDuration(value) ?? fallback);

  const stages: Stage[] = (get('stages') ?? []).map((stage, index) => ({
    name: stage.name ?? `stage-${index + 1}`,
    durationMs: parseDuration(stage.duration) ?? 0,
    target: stage.target,
  }));
  const mix = templatesOf(get('mix') ?? []);
  const data = Object.fromEntries(Object.entries(get('data') ?? {}).map(([key, values]) => [key, values.map(String)]));

  const origins = originsOf(located);

  return {
    name: located.name,
    origins,
    description: get('description') ?? '',
    source,
    service: get('service'),
    startRate: get('startRate') ?? PROFILE_DEFAULTS.startRate,
    stages,
    mix,
    seedSql: get('seed'),
    data,
    warmupRequests: get('warmup') ?? PROFILE_DEFAULTS.warmupRequests,
    connections: get('connections') ?? PROFILE_DEFAULTS.connections,
    maxInFlight: get('maxInFlight') ?? PROFILE_DEFAULTS.maxInFlight,
    requestTimeoutMs: ms(get('requestTimeout'), PROFILE_DEFAULTS.requestTimeoutMs),
    lateAfterMs: ms(get('lateAfter'), PROFILE_DEFAULTS.lateAfterMs),
    sampleIntervalMs: ms(get('sampleInterval'), PROFILE_DEFAULTS.sampleIntervalMs),
    thresholds: {
      stage: thresholds.stage ?? DEFAULT_THRESHOLDS.stage,
      p50Ms: ms(thresholds.p50, DEFAULT_THRESHOLDS.p50Ms),
      p95Ms: ms(thresholds.p95, DEFAULT_THRESHOLDS.p95Ms),
      p99Ms: ms(thresholds.p99, DEFAULT_THRESHOLDS.p99Ms),
      minRate: thresholds.minRate ?? DEFAULT_THRESHOLDS.minRate,
      targetRate: thresholds.targetRate ?? DEFAULT_THRESHOLDS.targetRate,
      maxErrorRate: thresholds.maxErrorRate ?? DEFAULT_THRESHOLDS.maxErrorRate,
      abortOnFail: thresholds.abortOnFail ?? DEFAULT_THRESHOLDS.abortOnFail,
      abortGraceMs: ms(thresholds.abortGrace, DEFAULT_THRESHOLDS.abortGraceMs),
    },
    limits: {
      cpuPercent: limits.cpuPercent ?? DEFAULT_LIMITS.cpuPercent,
      cpuOf: limits.cpuOf ?? DEFAULT_LIMITS.cpuOf,
      memoryBytes: limits.memory === undefined ? DEFAULT_LIMITS.memoryBytes : (parseSize(limits.memory) ?? DEFAULT_LIMITS.memoryBytes),
      diskBytesPerSecond: limits.diskIo === undefined ? DEFAULT_LIMITS.diskBytesPerSecond : (parseSize(limits.diskIo) ?? DEFAULT_LIMITS.diskBytesPerSecond),
    },
    baseline: {
      tolerance: baseline.tolerance ?? DEFAULT_BASELINE_POLICY.tolerance,
      minDeltaMs: ms(baseline.minDelta, DEFAULT_BASELINE_POLICY.minDeltaMs),
      medianTolerance: baseline.medianTolerance ?? DEFAULT_BASELINE_POLICY.medianTolerance,
      medianMinDeltaMs: ms(baseline.medianMinDelta, DEFAULT_BASELINE_POLICY.medianMinDeltaMs),
      cpuShareTolerance: baseline.cpuShareTolerance ?? DEFAULT_BASELINE_POLICY.cpuShareTolerance,
      ...(baseline.ref === undefined ? {} : { ref: baseline.ref }),
      rounds: baseline.rounds ?? DEFAULT_BASELINE_POLICY.rounds,
      minRounds: Math.min(baseline.minRounds ?? DEFAULT_BASELINE_POLICY.minRounds, baseline.rounds ?? DEFAULT_BASELINE_POLICY.rounds),
      roundMs: ms(baseline.round, DEFAULT_BASELINE_POLICY.roundMs),
      pairedTolerance: baseline.pairedTolerance ?? DEFAULT_BASELINE_POLICY.pairedTolerance,
      pairedTailTolerance: baseline.pairedTailTolerance ?? DEFAULT_BASELINE_POLICY.pairedTailTolerance,
    },
    ...(eventLag.table ? { eventLag: { table: eventLag.table, p99Ms: ms(eventLag.p99, 1000), drainMs: ms(eventLag.drain, 5000) } } : {}),
  };
}

/** The mix's requests as templates: a name from the method and the path's placeholders when none is given. */
function templatesOf(requests: NonNullable<UserProfile['mix']>): RequestTemplate[] {
  return requests.map((request) => ({
    name: request.name ?? `${request.method} ${request.path.replace(/\{\{\s*(?:pick|take):([\w-]+)\s*\}\}/g, '{$1}').replace(/\{\{\s*([\w-]+)\s*\}\}/g, '{$1}')}`,
    weight: request.weight ?? 1,
    method: request.method,
    path: request.path,
    headers: { ...request.headers },
    body: request.body,
    expect: [...(request.expect ?? [])],
    capture: { ...request.capture },
  }));
}

/** Where each setting came from (the profile, the defaults file or the built-in value), for `--describe-profile`. */
function originsOf(located: Located): Record<string, string> {
  const from = (key: keyof UserProfile) => (located.body[key] !== undefined ? located.ownLabel : located.defaultsBody[key] !== undefined ? located.defaultsLabel : BUILT_IN);
  const fromNested = (section: 'thresholds' | 'limits' | 'baseline', key: string) =>
    (located.body[section] as Record<string, unknown> | undefined)?.[key] !== undefined
      ? located.ownLabel
      : (located.defaultsBody[section] as Record<string, unknown> | undefined)?.[key] !== undefined
        ? located.defaultsLabel
        : BUILT_IN;
  const topKeys: (keyof UserProfile)[] = ['description', 'service', 'startRate', 'stages', 'mix', 'seed', 'data', 'warmup', 'connections', 'maxInFlight', 'requestTimeout', 'lateAfter', 'sampleInterval'];
  const nestedKeys = {
    thresholds: ['stage', 'p50', 'p95', 'p99', 'minRate', 'targetRate', 'maxErrorRate', 'abortOnFail', 'abortGrace'],
    limits: ['cpuPercent', 'cpuOf', 'memory', 'diskIo'],
    baseline: ['tolerance', 'minDelta', 'medianTolerance', 'medianMinDelta', 'cpuShareTolerance', 'ref', 'rounds', 'minRounds', 'round', 'pairedTolerance', 'pairedTailTolerance'],
  } as const;
  const origins: Record<string, string> = Object.fromEntries(topKeys.map((key) => [key, from(key)]));
  for (const [section, keys] of Object.entries(nestedKeys) as ['thresholds' | 'limits' | 'baseline', readonly string[]][]) {
    for (const key of keys) origins[`${section}.${key}`] = fromNested(section, key);
  }
  return origins;
}
