import type { Queryable } from '../db.js';

/** A pacticipant version row. */
export interface Version {
  id: number;
  pacticipantId: number;
  number: string;
  buildUrl: string | null;
  createdAt: Date;
}

/** A version with what the HAL views show about it. */
export interface VersionDetails extends Version {
  pacticipantName: string;
  branches: string[];
  tags: string[];
  /** Environments the version is currently deployed to or released in. */
  environments: Array<{ uuid: string; name: string; displayName: string | null; production: boolean; kind: 'deployed' | 'released' }>;
}

const COLUMNS = 'id::int AS id, pacticipant_id AS "pacticipantId", number, build_url AS "buildUrl", created_at AS "createdAt"';

// The Pact Broker's auto-detected main branch names (`main_branch_candidates`).
const MAIN_BRANCH_CANDIDATES = new Set(['develop', 'main', 'master']);

/** Version `number` of the pacticipant, or undefined. */
export async function findVersion(db: Queryable, pacticipantId: number, number: string): Promise<Version | undefined> {
  const { rows } = await db.query<Version>(`SELECT ${COLUMNS} FROM versions WHERE pacticipant_id = $1 AND number = $2`, [pacticipantId, number]);
  return rows[0];
}

/** Finds or creates version `number`; a given build URL replaces the stored one. */
export async function ensureVersion(db: Queryable, pacticipantId: number, number: string, buildUrl?: string): Promise<{ version: Version; created: boolean }> {
  const inserted = await db.query<Version>(
    `INSERT INTO versions (pacticipant_id, number, build_url) VALUES ($1, $2, $3)
     ON CONFLICT (pacticipant_id, number) DO NOTHING RETURNING ${COLUMNS}`,
    [pacticipantId, number, buildUrl ?? null],
  );
  if (inserted.rows[0]) return { version: inserted.rows[0], created: true };
  const { rows } = await db.query<Version>(
    `UPDATE versions SET build_url = COALESCE($3, build_url) WHERE pacticipant_id = $1 AND number = $2 RETURNING ${COLUMNS}`,
    [pacticipantId, number, buildUrl ?? null],
  );
  return { version: rows[0] as Version, created: false };
}

/** Puts the version on `branch`; also makes it the pacticipant's main branch when none is set and the name is a usual one. */
export async function addBranchVersion(db: Queryable, pacticipantId: number, versionId: number, branch: string, currentMainBranch?: string | null): Promise<boolean> {
  const { rowCount } = await db.query(
    'INSERT INTO branch_versions (pacticipant_id, branch, version_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
    [pacticipantId, branch, versionId],
  );
  if (MAIN_BRANCH_CANDIDATES.has(branch) && !currentMainBranch) {
    await db.query('UPDATE pacticipants SET main_branch = $2 WHERE id = $1 AND main_branch IS NULL', [pacticipantId, branch]);
  }
  return (rowCount ?? 0) > 0;
}

/** Tags the version; returns true when the tag is new. */
export async function addTag(db: Queryable, pacticipantId: number, versionId: number, tag: string): Promise<boolean> {
  const { rowCount } = await db.query('INSERT INTO tags (pacticipant_id, name, version_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [pacticipantId, tag, versionId]);
  return (rowCount ?? 0) > 0;
}

/** The latest version of a pacticipant, optionally with a tag. */
export async function latestVersion(db: Queryable, pacticipantId: number, tag?: string): Promise<Version | undefined> {
  const { rows } = tag
    ? await db.query<Version>(
        `SELECT ${COLUMNS} FROM versions WHERE id = (SELECT version_id FROM tags WHERE pacticipant_id = $1 AND name = $2 ORDER BY version_id DESC LIMIT 1)`,
        [pacticipantId, tag],
      )
    : await db.query<Version>(`SELECT ${COLUMNS} FROM versions WHERE pacticipant_id = $1 ORDER BY id DESC LIMIT 1`, [pacticipantId]);
  return rows[0];
}

/** Branches, tags and current environments of the given versions, keyed by version id. */
export async function versionDetails(db: Queryable, versionIds: readonly number[]): Promise<Map<number, VersionDetails>> {
  const details = new Map<number, VersionDetails>();
  if (versionIds.length === 0) return details;
  const ids = [...new Set(versionIds)];
  const { rows } = await db.query<Version & { pacticipantName: string; branches: string[]; tags: string[]; environments: VersionDetails['environments'] }>(
    `SELECT v.id::int AS id, v.pacticipant_id AS "pacticipantId", v.number, v.build_url AS "buildUrl", v.created_at AS "createdAt",
            p.name AS "pacticipantName",
            COALESCE((SELECT array_agg(b.branch ORDER BY b.created_at) FROM branch_versions b WHERE b.version_id = v.id), '{}') AS branches,
            COALESCE((SELECT array_agg(t.name ORDER BY t.created_at) FROM tags t WHERE t.version_id = v.id), '{}') AS tags,
            COALESCE((
              SELECT json_agg(json_build_object('uuid', e.uuid, 'name', e.name, 'displayName', e.display_name, 'production', e.production, 'kind', x.kind))
              FROM (
                SELECT d.environment_id, 'deployed' AS kind FROM deployed_versions d WHERE d.version_id = v.id AND d.undeployed_at IS NULL
                UNION
                SELECT r.environment_id, 'released' FROM released_versions r WHERE r.version_id = v.id AND r.support_ended_at IS NULL
              ) x JOIN environments e ON e.id = x.environment_id
            ), '[]') AS environments
     FROM versions v JOIN pacticipants p ON p.id = v.pacticipant_id
     WHERE v.id = ANY($1::bigint[])`,
    [ids],
  );
  for (const row of rows) details.set(row.id, row);
  return details;
}
