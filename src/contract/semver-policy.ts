import type { ContractChange } from './diff-context.js';
import { ruleLevel } from './diff-context.js';

/** The smallest version bump a set of changes needs. */
export type Bump = 'major' | 'minor' | 'patch' | 'none';

/**
 * `semver`: the version must move by at least the required bump; `none`: no breaking change at all;
 * `consumers`: no breaking change that a consumer's pact touches.
 */
export type DiffPolicy = 'semver' | 'none' | 'consumers';

/** The policy names accepted by `--policy`. */
export const DIFF_POLICIES: readonly DiffPolicy[] = ['semver', 'none', 'consumers'];

const RANK: Record<Bump, number> = { none: 0, patch: 1, minor: 2, major: 3 };

// Changes that only touch how the API is described, not what it accepts or returns.
const DOCUMENTATION_RULES = new Set(['api-tag-added', 'api-tag-removed']);

/** The changes that ask for `bump`: the breaking ones for major, the non-documentation ones for minor, the documentation ones for patch. */
export function changesRequiring(changes: readonly ContractChange[], bump: Bump): ContractChange[] {
  if (bump === 'major') return changes.filter((change) => change.level === 'error');
  if (bump === 'minor') return changes.filter((change) => !DOCUMENTATION_RULES.has(change.id));
  if (bump === 'patch') return changes.filter((change) => DOCUMENTATION_RULES.has(change.id));
  return [];
}

/** Major for any error-level change, minor for any other rule, patch when only text changed. */
export function requiredBump(changes: readonly ContractChange[], documentsDiffer: boolean): Bump {
  if (changes.some((change) => change.level === 'error')) return 'major';
  if (changes.some((change) => !DOCUMENTATION_RULES.has(change.id))) return 'minor';
  return documentsDiffer || changes.length > 0 ? 'patch' : 'none';
}

interface Semver {
  major: number;
  minor: number;
  patch: number;
}

/** Strict semver with an optional leading `v`; pre-release and build metadata are ignored (as oasdiff does). */
export function parseSemver(version: string): Semver | undefined {
  const match = /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/.exec(version.trim());
  if (match === null) return undefined;
  return { major: Number(match[1]), minor: Number(match[2]), patch: Number(match[3]) };
}

/** The bump from `base` to `revision`, `decreased`, or `undefined` when either is not semver. */
export function actualBump(base: string, revision: string): Bump | 'decreased' | undefined {
  const from = parseSemver(base);
  const to = parseSemver(revision);
  if (from === undefined || to === undefined) return undefined;
  const order = [to.major - from.major, to.minor - from.minor, to.patch - from.patch].find((delta) => delta !== 0) ?? 0;
  if (order < 0) return 'decreased';
  if (to.major !== from.major) return 'major';
  // Below 1.0.0 the minor number plays the major's role (semver §4, oasdiff's policy).
  if (to.minor !== from.minor) return from.major === 0 ? 'major' : 'minor';
  if (to.patch !== from.patch) return from.major === 0 ? 'minor' : 'patch';
  return 'none';
}

/** The verdict on the two `info.version`s and the versioning-policy change it adds, if any. */
export function checkVersion(base: string, revision: string, required: Bump): { ok: boolean; change: ContractChange | undefined } {
  const actual = actualBump(base, revision);
  const make = (id: string, message: string): { ok: boolean; change: ContractChange } => ({
    ok: false,
    change: { id, level: ruleLevel(id) ?? 'info', operation: null, location: '#/info/version', message },
  });
  // A version that goes backwards is wrong whatever else changed, nothing included.
  if (actual === 'decreased') return make('api-version-decreased', `info.version went backwards from ${base} to ${revision}`);
  if (required === 'none') return { ok: true, change: undefined };
  if (actual === undefined) {
    if (required === 'patch') return { ok: true, change: undefined };
    return make('api-version-not-semver', `info.version ${base} → ${revision} is not semver, so the required ${required} bump cannot be checked`);
  }
  if (RANK[actual] >= RANK[required]) return { ok: true, change: undefined };
  if (actual === 'none') return make('api-version-not-bumped', `info.version stayed ${base}, but the changes need a ${required} bump`);
  if (required === 'major') return make('api-major-version-not-bumped', `info.version ${base} → ${revision} is a ${actual} bump, but breaking changes need a major bump`);
  return make('api-minor-version-not-bumped', `info.version ${base} → ${revision} is a ${actual} bump, but the changes need a ${required} bump`);
}
