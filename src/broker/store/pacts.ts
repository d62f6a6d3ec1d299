import type { Queryable } from '../db.js';
import { mergePacts, pactSha } from '../pact-content.js';
import type { PactDocument } from '../pact-content.js';

/** A stored pact version (distinct content of one integration). */
export interface PactVersion {
  id: number;
  consumerId: number;
  providerId: number;
  sha: string;
  content: PactDocument;
  createdAt: Date;
}

/** What publishing one pact did. */
export type PublishPactOutcome =
  | { kind: 'published'; pactVersion: PactVersion; previousSha: string | undefined; newContent: boolean }
  | { kind: 'conflict'; existingSha: string; existing: PactDocument };

const PACT_VERSION_COLUMNS = 'pv.id::int AS id, pv.consumer_id AS "consumerId", pv.provider_id AS "providerId", pv.sha, pv.content, pv.created_at AS "createdAt"';

/**
 * Stores `content` as the pact of one consumer version with a provider. Different content for a
 * version that already has a pact is a conflict unless `merge` (the broker's 409 since PR #484).
 * Call inside a transaction.
 */
export async function publishPact(
  db: Queryable,
  input: { consumerId: number; consumerVersionId: number; providerId: number; content: PactDocument; merge: boolean; versionLocked?: boolean },
): Promise<PublishPactOutcome> {
  // Publishes of one consumer version queue here (replicas too): the first one's content wins
  // and a different one gets the 409, instead of a later upsert silently replacing it. A caller
  // that inserted or updated the version row in this transaction holds that lock already.
  if (!input.versionLocked) await db.query('SELECT id FROM versions WHERE id = $1 FOR UPDATE', [input.consumerVersionId]);
  const existing = await db.query<{ sha: string; content: PactDocument }>(
    `SELECT pv.sha, pv.content FROM pact_publications pp JOIN pact_versions pv ON pv.id = pp.pact_version_id
     WHERE pp.consumer_version_id = $1 AND pp.provider_id = $2 FOR UPDATE OF pp`,
    [input.consumerVersionId, input.providerId],
  );
  const previous = existing.rows[0];
  let content = input.content;
  if (previous && input.merge) content = mergePacts(previous.content, input.content);
  const sha = pactSha(content);
  if (previous && previous.sha !== sha && !input.merge) return { kind: 'conflict', existingSha: previous.sha, existing: previous.content };

  const inserted = await db.query<PactVersion>(
    `INSERT INTO pact_versions AS pv (consumer_id, provider_id, sha, content) VALUES ($1, $2, $3, $4)
     ON CONFLICT (consumer_id, provider_id, sha) DO NOTHING RETURNING ${PACT_VERSION_COLUMNS}`,
    [input.consumerId, input.providerId, sha, JSON.stringify(content)],
  );
  const pactVersion =
    inserted.rows[0] ??
    ((await db.query<PactVersion>(`SELECT ${PACT_VERSION_COLUMNS} FROM pact_versions pv WHERE consumer_id = $1 AND provider_id = $2 AND sha = $3`, [input.consumerId, input.providerId, sha])).rows[0] as PactVersion);
  // One round trip for both rows: a publish's time is mostly its round trips to PostgreSQL.
  await db.query(
    `WITH integration AS (INSERT INTO integrations (consumer_id, provider_id) VALUES ($1, $3) ON CONFLICT DO NOTHING)
     INSERT INTO pact_publications (consumer_id, consumer_version_id, provider_id, pact_version_id) VALUES ($1, $2, $3, $4)
     ON CONFLICT (consumer_version_id, provider_id) DO UPDATE SET pact_version_id = EXCLUDED.pact_version_id, created_at = now()`,
    [input.consumerId, input.consumerVersionId, input.providerId, pactVersion.id],
  );
  return { kind: 'published', pactVersion, previousSha: previous?.sha, newContent: inserted.rows[0] !== undefined };
}

/** The pact version with this sha between the named consumer and provider. */
export async function findPactVersionBySha(db: Queryable, consumerId: number, providerId: number, sha: string): Promise<PactVersion | undefined> {
  const { rows } = await db.query<PactVersion>(`SELECT ${PACT_VERSION_COLUMNS} FROM pact_versions pv WHERE consumer_id = $1 AND provider_id = $2 AND sha = $3`, [consumerId, providerId, sha]);
  return rows[0];
}

/** The pact a consumer version published for a provider. */
export async function findPactForConsumerVersion(db: Queryable, consumerVersionId: number, providerId: number): Promise<(PactVersion & { publishedAt: Date }) | undefined> {
  const { rows } = await db.query<PactVersion & { publishedAt: Date }>(
    `SELECT ${PACT_VERSION_COLUMNS}, pp.created_at AS "publishedAt" FROM pact_publications pp JOIN pact_versions pv ON pv.id = pp.pact_version_id
     WHERE pp.consumer_version_id = $1 AND pp.provider_id = $2`,
    [consumerVersionId, providerId],
  );
  return rows[0];
}

/** The latest consumer version number that published this pact version (for link names). */
export async function latestConsumerVersionOf(db: Queryable, pactVersionId: number): Promise<string | undefined> {
  const { rows } = await db.query<{ number: string }>(
    `SELECT v.number FROM pact_publications pp JOIN versions v ON v.id = pp.consumer_version_id WHERE pp.pact_version_id = $1 ORDER BY pp.consumer_version_id DESC LIMIT 1`,
    [pactVersionId],
  );
  return rows[0]?.number;
}
