import type { Queryable } from '../db.js';
import type { Pacticipant } from '../store/pacticipants.js';
import type { MatrixSelector, ResolvedSelector } from './types.js';

type VersionHit = { id: number; number: string; deployed?: boolean };

/** Destination options that decide how the other side of each integration is chosen. */
export interface Destination {
  latest?: boolean | undefined;
  tag?: string | undefined;
  environmentId?: number | undefined;
  environment?: string | undefined;
  mainBranch?: boolean | undefined;
}

/**
 * Resolves one selector to concrete versions: one ResolvedSelector per version, or a single
 * one with no version when nothing matches (step 1 of the broker's algorithm).
 */
export async function resolveSelector(
  db: Queryable,
  selector: MatrixSelector,
  pacticipant: Pacticipant | undefined,
  type: ResolvedSelector['type'],
  environmentIds: ReadonlyMap<string, number>,
): Promise<ResolvedSelector[]> {
  const base = { pacticipantId: pacticipant?.id, pacticipantName: selector.pacticipant, type, selector };
  if (!pacticipant) return [{ ...base, versionId: undefined, versionNumber: undefined, versionDoesNotExist: true }];
  const hits = await findVersions(db, selector, pacticipant, environmentIds);
  if (hits.length === 0) {
    return [{ ...base, versionId: undefined, versionNumber: undefined, versionDoesNotExist: selector.version !== undefined }];
  }
  return hits.map((hit) => {
    const resolved: ResolvedSelector = { ...base, versionId: hit.id, versionNumber: hit.number, versionDoesNotExist: false };
    if (hit.deployed !== undefined) resolved.deployed = hit.deployed;
    return resolved;
  });
}

/** The selector an inferred pacticipant gets from the destination ("the versions of Bar currently in prod"). */
export function inferredSelector(pacticipantName: string, destination: Destination): MatrixSelector {
  const selector: MatrixSelector = { pacticipant: pacticipantName };
  if (destination.environment) selector.environment = destination.environment;
  else if (destination.tag) {
    selector.tag = destination.tag;
    selector.latest = true;
  } else if (destination.mainBranch) {
    selector.mainBranch = true;
    selector.latest = true;
  } else if (destination.latest) selector.latest = true;
  return selector;
}

async function findVersions(db: Queryable, selector: MatrixSelector, pacticipant: Pacticipant, environmentIds: ReadonlyMap<string, number>): Promise<VersionHit[]> {
  const id = pacticipant.id;
  if (selector.version) {
    return (await db.query<VersionHit>('SELECT id::int AS id, number FROM versions WHERE pacticipant_id = $1 AND number = $2', [id, selector.version])).rows;
  }
  if (selector.environment) {
    const environmentId = environmentIds.get(selector.environment);
    if (environmentId === undefined) return [];
    return (
      await db.query<VersionHit>(
        `SELECT v.id::int AS id, v.number, bool_or(x.deployed) AS deployed FROM (
           SELECT version_id, true AS deployed FROM deployed_versions WHERE environment_id = $1 AND pacticipant_id = $2 AND undeployed_at IS NULL
           UNION ALL
           SELECT version_id, false FROM released_versions WHERE environment_id = $1 AND pacticipant_id = $2 AND support_ended_at IS NULL
         ) x JOIN versions v ON v.id = x.version_id GROUP BY v.id, v.number ORDER BY v.id`,
        [environmentId, id],
      )
    ).rows;
  }
  if (selector.tag) {
    const limit = selector.latest ? 'LIMIT 1' : '';
    return (
      await db.query<VersionHit>(
        `SELECT v.id::int AS id, v.number FROM tags t JOIN versions v ON v.id = t.version_id WHERE t.pacticipant_id = $1 AND t.name = $2 ORDER BY t.version_id DESC ${limit}`,
        [id, selector.tag],
      )
    ).rows;
  }
  const branch = selector.mainBranch ? pacticipant.mainBranch : selector.branch;
  if (selector.mainBranch || selector.branch) {
    if (!branch) return [];
    // A branch selector means the head of that branch (the Rust CLI sends no q[][latest] with --branch).
    return (
      await db.query<VersionHit>(
        `SELECT v.id::int AS id, v.number FROM branch_versions b JOIN versions v ON v.id = b.version_id
         WHERE b.pacticipant_id = $1 AND b.branch = $2 ORDER BY b.version_id DESC LIMIT 1`,
        [id, branch],
      )
    ).rows;
  }
  if (selector.latest) {
    return (await db.query<VersionHit>('SELECT id::int AS id, number FROM versions WHERE pacticipant_id = $1 ORDER BY id DESC LIMIT 1', [id])).rows;
  }
  return (await db.query<VersionHit>('SELECT id::int AS id, number FROM versions WHERE pacticipant_id = $1 ORDER BY id DESC', [id])).rows;
}
