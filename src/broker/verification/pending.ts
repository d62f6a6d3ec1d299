import type { Queryable } from '../db.js';

/** How the provider identifies the build that verifies: its branch, or its tags, or neither. */
export interface ProviderBuild {
  providerId: number;
  branch?: string | undefined;
  tags?: readonly string[] | undefined;
}

/**
 * The pact versions among `pactVersionIds` that are pending for this provider build
 * (`pact_version.rb#pending_for_provider_branch?`): not verified successfully by a provider
 * version on the branch (or with the tag), nor by any other version before that branch (tag)
 * first appeared. With neither branch nor tags: not verified successfully by any version.
 */
export async function pendingPactVersions(db: Queryable, pactVersionIds: readonly number[], build: ProviderBuild): Promise<Set<number>> {
  if (pactVersionIds.length === 0) return new Set();
  const ids = [...new Set(pactVersionIds)];
  if (build.branch) return notVerifiedFor(db, ids, build.providerId, 'branch_versions', 'branch', [build.branch]);
  if (build.tags && build.tags.length > 0) return notVerifiedFor(db, ids, build.providerId, 'tags', 'name', build.tags);
  const { rows } = await db.query<{ id: number }>(
    `SELECT id FROM unnest($1::bigint[]) AS ids(id)
     WHERE NOT EXISTS (SELECT 1 FROM verifications v WHERE v.pact_version_id = ids.id AND v.success AND v.verification_type = 'CDCT')`,
    [ids],
  );
  return new Set(rows.map((row) => Number(row.id)));
}

/** Pending for ANY of the names (one branch, or each of the tags). */
async function notVerifiedFor(db: Queryable, ids: number[], providerId: number, table: 'branch_versions' | 'tags', column: 'branch' | 'name', names: readonly string[]): Promise<Set<number>> {
  const { rows } = await db.query<{ id: number }>(
    `SELECT DISTINCT ids.id FROM unnest($1::bigint[]) AS ids(id) CROSS JOIN unnest($3::text[]) AS n(name)
     WHERE NOT EXISTS (
       SELECT 1 FROM verifications v JOIN ${table} x ON x.version_id = v.provider_version_id AND x.${column} = n.name
       WHERE v.pact_version_id = ids.id AND v.success AND v.verification_type = 'CDCT'
     ) AND NOT EXISTS (
       SELECT 1 FROM verifications v
       WHERE v.pact_version_id = ids.id AND v.success AND v.verification_type = 'CDCT'
         AND v.created_at < COALESCE((SELECT min(x.created_at) FROM ${table} x WHERE x.pacticipant_id = $2 AND x.${column} = n.name), 'infinity'::timestamptz)
     )`,
    [ids, providerId, names],
  );
  return new Set(rows.map((row) => Number(row.id)));
}
