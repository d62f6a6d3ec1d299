import type { Queryable } from '../db.js';

/** One gate step's outcome for a pacticipant version. */
export interface EvidenceRecord {
  step: string;
  status: 'pass' | 'fail' | 'warn' | 'skip';
  summary: string;
  /** `sha256:<hex>` of the step's full report. */
  reportDigest: string;
  reportUrl: string | null;
  createdAt: Date;
}

/** An evidence record with the version it belongs to. */
export interface VersionEvidence extends EvidenceRecord {
  versionId: number;
}

const COLUMNS = 'version_id::int AS "versionId", step, status, summary, report_digest AS "reportDigest", report_url AS "reportUrl", created_at AS "createdAt"';

/** Every evidence record of one version, by step. */
export async function listEvidence(db: Queryable, versionId: number): Promise<VersionEvidence[]> {
  const { rows } = await db.query<VersionEvidence>(`SELECT ${COLUMNS} FROM evidence WHERE version_id = $1 ORDER BY step`, [versionId]);
  return rows;
}

/** The records of the given steps for the given versions (one statement for a whole can-i-deploy). */
export async function evidenceFor(db: Queryable, versionIds: readonly number[], steps: readonly string[]): Promise<VersionEvidence[]> {
  if (versionIds.length === 0 || steps.length === 0) return [];
  const { rows } = await db.query<VersionEvidence>(`SELECT ${COLUMNS} FROM evidence WHERE version_id = ANY($1::bigint[]) AND step = ANY($2::text[])`, [[...new Set(versionIds)], [...steps]]);
  return rows;
}

/** What a client sends for one step. */
export type NewEvidence = Omit<EvidenceRecord, 'createdAt' | 'reportUrl'> & { reportUrl?: string | undefined };

/**
 * Inserts one record unless the version already has one for the step. Returns the stored
 * record and whether it is new; an existing record with other content is returned as is, for
 * the caller to refuse. Call inside a transaction.
 */
export async function insertEvidence(db: Queryable, pacticipantId: number, versionId: number, input: NewEvidence): Promise<{ record: VersionEvidence; created: boolean }> {
  const inserted = await db.query<VersionEvidence>(
    `INSERT INTO evidence (pacticipant_id, version_id, step, status, summary, report_digest, report_url) VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (version_id, step) DO NOTHING RETURNING ${COLUMNS}`,
    [pacticipantId, versionId, input.step, input.status, input.summary, input.reportDigest, input.reportUrl ?? null],
  );
  if (inserted.rows[0]) return { record: inserted.rows[0], created: true };
  const { rows } = await db.query<VersionEvidence>(`SELECT ${COLUMNS} FROM evidence WHERE version_id = $1 AND step = $2`, [versionId, input.step]);
  return { record: rows[0] as VersionEvidence, created: false };
}

/** Whether a stored record says the same as a new one (createdAt is the broker's, not content). */
export function sameEvidence(stored: EvidenceRecord, input: NewEvidence): boolean {
  return stored.status === input.status && stored.summary === input.summary && stored.reportDigest === input.reportDigest && (stored.reportUrl ?? null) === (input.reportUrl ?? null);
}
