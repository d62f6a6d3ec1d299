import type { Queryable } from '../db.js';
import { withTransaction } from '../db.js';
import type { RouteContext } from '../http/context.js';
import type { PactDocument } from '../pact-content.js';
import type { PactVersion } from '../store/pacts.js';
import { createVerification } from '../store/verifications.js';

// Bounds the work one publication triggers: the newest contracts/pacts are the ones deployed.
const MAX_COUNTERPARTS = 50;

interface ProviderContractRow {
  id: number;
  providerId: number;
  providerVersionId: number;
  content: string;
  selfVerification: { success?: boolean } | null;
}

/**
 * Bi-directional contracts: checks each pact against a provider contract and records the
 * outcome as a verification of type BDCT (success = provider self-verified AND the pact fits
 * the OpenAPI). Already-checked pairs are skipped, so republishing is cheap.
 */
export async function crossCheck(ctx: Pick<RouteContext, 'db' | 'checkContract'>, contract: ProviderContractRow, pactVersion: { id: number; content: PactDocument }): Promise<void> {
  const done = await ctx.db.query('SELECT 1 FROM verifications WHERE pact_version_id = $1 AND provider_contract_id = $2', [pactVersion.id, contract.id]);
  if ((done.rowCount ?? 0) > 0) return;
  let outcome: { ok: boolean; findings: string[] };
  try {
    outcome = await ctx.checkContract({ openapi: contract.content, pact: pactVersion.content });
  } catch (error) {
    outcome = { ok: false, findings: [`the provider contract could not be checked: ${(error as Error).message}`] };
  }
  const selfVerified = contract.selfVerification?.success !== false;
  await withTransaction(ctx.db, (tx) =>
    createVerification(tx, {
      pactVersionId: pactVersion.id,
      providerId: contract.providerId,
      providerVersionId: contract.providerVersionId,
      success: outcome.ok && selfVerified,
      verificationType: 'BDCT',
      testResults: { crossContract: outcome, selfVerified },
      verifiedBy: { implementation: 'accord-bdct' },
      providerContractId: contract.id,
    }),
  );
}

/** New pacts are checked against the provider's newest contracts. */
export async function afterPactsPublished(ctx: Pick<RouteContext, 'db' | 'checkContract'>, pactVersions: readonly PactVersion[]): Promise<void> {
  for (const pactVersion of pactVersions) {
    for (const contract of await providerContracts(ctx.db, pactVersion.providerId)) await crossCheck(ctx, contract, pactVersion);
  }
}

/** A new provider contract is checked against the newest pact of each consumer version with that provider. */
export async function afterProviderContractPublished(ctx: Pick<RouteContext, 'db' | 'checkContract'>, contractId: number): Promise<void> {
  const { rows } = await ctx.db.query<ProviderContractRow>(`${CONTRACT_SELECT} WHERE id = $1`, [contractId]);
  const contract = rows[0];
  if (!contract) return;
  const pacts = await ctx.db.query<{ id: number; content: PactDocument }>(
    `SELECT pv.id::int AS id, pv.content FROM pact_versions pv WHERE pv.provider_id = $1 ORDER BY pv.id DESC LIMIT ${MAX_COUNTERPARTS}`,
    [contract.providerId],
  );
  for (const pactVersion of pacts.rows) await crossCheck(ctx, contract, pactVersion);
}

const CONTRACT_SELECT = `SELECT id::int AS id, provider_id AS "providerId", provider_version_id::int AS "providerVersionId", content, self_verification AS "selfVerification" FROM provider_contracts`;

async function providerContracts(db: Queryable, providerId: number): Promise<ProviderContractRow[]> {
  const { rows } = await db.query<ProviderContractRow>(`${CONTRACT_SELECT} WHERE provider_id = $1 ORDER BY id DESC LIMIT ${MAX_COUNTERPARTS}`, [providerId]);
  return rows;
}
