import { AccordError, ErrorCodes } from '../errors/index.js';
import type { ConsumerSummary, ContractChange, DiffRun } from './diff-context.js';
import { assertValidAsyncApi } from './asyncapi-validate.js';
import { compareAsyncApiDocuments, isAsyncApiDocument } from './diff-asyncapi.js';
import { compareDocuments } from './diff-document.js';
import { getAt, isObject, parsePointer } from './json-pointer.js';
import type { JsonObject } from './json-pointer.js';
import { loadContract } from './load-contract.js';
import type { OpenApiDocument } from './openapi-document.js';
import type { AsyncApiContract, OpenApiContract } from './parse-contract.js';
import { collectRefs, createRefResolver } from './refs.js';
import { sameValue } from './same-value.js';
import { changesRequiring, checkVersion, DIFF_POLICIES, requiredBump } from './semver-policy.js';
import type { Bump, DiffPolicy } from './semver-policy.js';

/** What `accord contract diff` reports; `--format json` prints exactly these fields. */
export interface DiffResult {
  /** At least one change at level error. */
  breaking: boolean;
  requiredBump: Bump;
  /** Each change that asks for the required bump (for a patch: the texts that changed, as `api-text-changed`). */
  requiredBy: ContractChange[];
  version: { base: string; revision: string; ok: boolean };
  policy: DiffPolicy;
  /** The policy's verdict: semver → the version moved enough; none → nothing breaking; consumers → nothing breaking that a consumer touches (see the usage capability). */
  ok: boolean;
  changes: ContractChange[];
  /** With `--consumers`: the consumers checked and those a breaking change touches. */
  consumers?: ConsumerSummary;
}

/** Options for {@link diffContracts} and {@link diffDocuments}. */
export interface DiffOptions {
  /** @default 'semver' */
  policy?: DiffPolicy;
  /** Directory relative paths and `git:` sources start from. @default process.cwd() */
  cwd?: string;
  /** Hosts whose http(s) URLs a `$ref` may name. @default none */
  allowRefHosts?: readonly string[];
  /** The path `git:REF` reads when it names no path. @default the config's `contracts.path` default */
  defaultPath?: string;
  /** The date sunsets are compared with. @default new Date() */
  today?: Date;
}

const LEVEL_ORDER = { error: 0, warning: 1, info: 2 } as const;

/** Loads two contract versions (files or `git:REF[:PATH]`) and classifies every change between them. */
export async function diffContracts(base: string, revision: string, options: DiffOptions = {}): Promise<DiffResult> {
  const policy = checkPolicy(options.policy ?? 'semver');
  const { before, after } = await loadDiffPair(base, revision, options);
  return diffDocuments(before.document, after.document, { ...options, policy });
}

/** One side of a diff: a file or `git:REF[:PATH]`, or a contract already loaded (with `allowAsyncApi`). */
export type DiffSide = string | OpenApiContract | AsyncApiContract;

/** Loads the two versions {@link diffContracts} compares, refusing an OpenAPI/AsyncAPI pair and invalid AsyncAPI. */
export async function loadDiffPair(base: DiffSide, revision: DiffSide, options: DiffOptions = {}): Promise<{ before: OpenApiContract | AsyncApiContract; after: OpenApiContract | AsyncApiContract }> {
  const loadOptions = { allowAsyncApi: true, ...(options.cwd === undefined ? {} : { cwd: options.cwd }), ...(options.allowRefHosts === undefined ? {} : { allowRefHosts: options.allowRefHosts }), ...(options.defaultPath === undefined ? {} : { defaultPath: options.defaultPath }) };
  const load = async (side: DiffSide) => (typeof side === 'string' ? loadContract(side, loadOptions) : side);
  const [before, after] = await Promise.all([load(base), load(revision)]);
  const asyncApi = [before, after].filter((contract) => contract.kind === 'asyncapi-3.0');
  if (asyncApi.length === 1) {
    throw new AccordError(ErrorCodes.USAGE, `${before.label} is ${describeKind(before.kind)} but ${after.label} is ${describeKind(after.kind)}: diff two versions of the same contract`);
  }
  // Both must be valid AsyncAPI before their changes mean anything (bad input, with file:line).
  for (const contract of asyncApi) await assertValidAsyncApi(contract);
  // Swagger 2.0 is refused by loadContract unless asked for, and it is not asked for here.
  return { before, after } as { before: OpenApiContract | AsyncApiContract; after: OpenApiContract | AsyncApiContract };
}

function describeKind(kind: string): string {
  return kind.startsWith('asyncapi') ? 'an AsyncAPI document' : 'an OpenAPI document';
}

/**
 * Classifies every change between two parsed OpenAPI 3.x (or two AsyncAPI 3.0, as plain JSON)
 * documents (no I/O).
 */
export function diffDocuments(base: OpenApiDocument | JsonObject, revision: OpenApiDocument | JsonObject, options: DiffOptions = {}): DiffResult {
  const policy = checkPolicy(options.policy ?? 'semver');
  const run: DiffRun = {
    resolveBase: createRefResolver(base),
    resolveRevision: createRefResolver(revision),
    sameComponent: createSameComponent(base, revision),
    today: options.today ?? new Date(),
    changes: [],
  };
  if (isAsyncApiDocument(base) && isAsyncApiDocument(revision)) compareAsyncApiDocuments(run, base, revision);
  // Any other pair is read as OpenAPI, an AsyncAPI document beside an OpenAPI one included
  // (diffContracts refuses that pair; a direct caller gets what the OpenAPI rules find).
  else compareDocuments(run, base as OpenApiDocument, revision as OpenApiDocument);
  const changes = dedupe(run.changes);
  const breaking = changes.some((change) => change.level === 'error');
  const bump = requiredBump(changes, !sameValue(withoutVersion(base), withoutVersion(revision)));
  const requiredBy = changesRequiring(changes, bump);
  if (bump === 'patch') requiredBy.push(...textChanges(withoutVersion(base), withoutVersion(revision)));
  const baseVersion = versionOf(base);
  const revisionVersion = versionOf(revision);
  const version = checkVersion(baseVersion, revisionVersion, bump);
  if (version.change !== undefined) changes.push(version.change);
  changes.sort((a, b) => LEVEL_ORDER[a.level] - LEVEL_ORDER[b.level] || (a.operation ?? '').localeCompare(b.operation ?? '') || a.location.localeCompare(b.location) || a.id.localeCompare(b.id));
  return {
    breaking,
    requiredBump: bump,
    requiredBy,
    version: { base: baseVersion, revision: revisionVersion, ok: version.ok },
    policy,
    // `consumers` starts as `none` would judge; the usage capability narrows it to the changes consumers touch.
    ok: policy === 'semver' ? version.ok : !breaking,
    changes,
  };
}

function checkPolicy(policy: string): DiffPolicy {
  if ((DIFF_POLICIES as readonly string[]).includes(policy)) return policy as DiffPolicy;
  throw new AccordError(ErrorCodes.USAGE, `Expected \`policy\` to be one of ${DIFF_POLICIES.join(', ')}, got \`${policy}\``);
}

// OpenAPI and AsyncAPI both keep the version at `info.version`; read as plain JSON for either.
function versionOf(document: OpenApiDocument | JsonObject): string {
  return isObject(document.info) && document.info.version !== undefined ? String(document.info.version) : '';
}

const TEXT_CHANGES_NAMED = 20;

/**
 * Where two documents differ when no rule saw a change: the pointers of the differing values
 * (the first {@link TEXT_CHANGES_NAMED}), so a patch bump names what asks for it.
 */
function textChanges(base: unknown, revision: unknown): ContractChange[] {
  const found: string[] = [];
  let more = 0;
  const walk = (a: unknown, b: unknown, pointer: string): void => {
    if (sameValue(a, b)) return;
    if (isObject(a) && isObject(b)) {
      for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) walk(a[key], b[key], `${pointer}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`);
      return;
    }
    if (found.length < TEXT_CHANGES_NAMED) found.push(pointer);
    else more += 1;
  };
  walk(base, revision, '#');
  const changes = found.map((location): ContractChange => ({ id: 'api-text-changed', level: 'info', operation: null, location, message: `${location} changed` }));
  if (more > 0) changes.push({ id: 'api-text-changed', level: 'info', operation: null, location: '#', message: `and ${more} more value${more === 1 ? '' : 's'} changed` });
  return changes;
}

function withoutVersion(document: OpenApiDocument | JsonObject): object {
  if (!isObject(document.info)) return document;
  const { version: _version, ...info } = document.info;
  return { ...document, info };
}

/**
 * Is a `$ref` target the same in both documents, including everything it references?
 * Computed once for all references: the targets that differ, then everything that
 * reaches them. Unchanged components (most of a large API) are then skipped by the diff.
 */
function createSameComponent(base: object, revision: object): (ref: string) => boolean {
  let changed: Set<string> | undefined;
  const compute = (): Set<string> => {
    const refs = new Set<string>();
    for (const { ref } of [...collectRefs(base, false), ...collectRefs(revision, false)]) if (ref.startsWith('#')) refs.add(ref);
    const dirty = new Set<string>();
    const usedBy = new Map<string, string[]>();
    for (const ref of refs) {
      const tokens = parsePointer(ref);
      const before = getAt(base, tokens);
      if (before === undefined || !sameValue(before, getAt(revision, tokens))) dirty.add(ref);
      for (const inner of collectRefs(before, false)) {
        if (!inner.ref.startsWith('#')) continue;
        usedBy.set(inner.ref, [...(usedBy.get(inner.ref) ?? []), ref]);
      }
    }
    const queue = [...dirty];
    while (queue.length > 0) {
      for (const user of usedBy.get(queue.pop() as string) ?? []) {
        if (!dirty.has(user)) {
          dirty.add(user);
          queue.push(user);
        }
      }
    }
    return dirty;
  };
  return (ref) => {
    changed ??= compute();
    return !changed.has(ref);
  };
}

function dedupe(changes: ContractChange[]): ContractChange[] {
  const seen = new Set<string>();
  return changes.filter((change) => {
    const key = `${change.id}\u0000${change.operation ?? ''}\u0000${change.location}\u0000${change.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
