import type { Queryable } from '../db.js';

/** A verification result of one pact version by one provider version. */
export interface Verification {
  id: number;
  pactVersionId: number;
  providerVersionId: number;
  number: number;
  success: boolean;
  verificationType: 'CDCT' | 'BDCT';
  buildUrl: string | null;
  testResults: unknown;
  verifiedBy: unknown;
  createdAt: Date;
}

/** What a new verification records. */
export interface NewVerification {
  pactVersionId: number;
  providerId: number;
  providerVersionId: number;
  success: boolean;
  verificationType?: 'CDCT' | 'BDCT';
  buildUrl?: string | undefined;
  testResults?: unknown;
  verifiedBy?: unknown;
  pactPending?: boolean | undefined;
  wip?: boolean;
  providerContractId?: number;
}

const COLUMNS = 'id::int AS id, pact_version_id::int AS "pactVersionId", provider_version_id::int AS "providerVersionId", number, success, verification_type AS "verificationType", build_url AS "buildUrl", test_results AS "testResults", verified_by AS "verifiedBy", created_at AS "createdAt"';

/** Stores a verification result with the next number for its pact version. Call inside a transaction. */
export async function createVerification(db: Queryable, input: NewVerification): Promise<Verification> {
  // The row lock serialises numbering per pact version.
  await db.query('SELECT id FROM pact_versions WHERE id = $1 FOR UPDATE', [input.pactVersionId]);
  const { rows } = await db.query<Verification>(
    `INSERT INTO verifications (pact_version_id, provider_id, provider_version_id, number, success, verification_type, build_url, test_results, verified_by, pact_pending, wip, provider_contract_id)
     VALUES ($1, $2, $3, (SELECT COALESCE(max(number), 0) + 1 FROM verifications WHERE pact_version_id = $1), $4, $5, $6, $7, $8, $9, $10, $11)
     RETURNING ${COLUMNS}`,
    [
      input.pactVersionId,
      input.providerId,
      input.providerVersionId,
      input.success,
      input.verificationType ?? 'CDCT',
      input.buildUrl ?? null,
      input.testResults === undefined ? null : JSON.stringify(input.testResults),
      input.verifiedBy === undefined ? null : JSON.stringify(input.verifiedBy),
      input.pactPending ?? null,
      input.wip ?? false,
      input.providerContractId ?? null,
    ],
  );
  return rows[0] as Verification;
}

/** Verification `number` of a pact version. */
export async function findVerification(db: Queryable, pactVersionId: number, number: number): Promise<Verification | undefined> {
  const { rows } = await db.query<Verification>(`SELECT ${COLUMNS} FROM verifications WHERE pact_version_id = $1 AND number = $2`, [pactVersionId, number]);
  return rows[0];
}
