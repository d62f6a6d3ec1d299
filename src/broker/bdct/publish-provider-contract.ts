import type { Db } from '../db.js';
import { withTransaction } from '../db.js';
import { badRequest } from '../problem.js';
import { ensurePacticipant } from '../store/pacticipants.js';
import type { Pacticipant } from '../store/pacticipants.js';
import { addBranchVersion, addTag, ensureVersion } from '../store/versions.js';
import type { Version } from '../store/versions.js';

/** The body `pactflow publish-provider-contract` sends. */
export interface ProviderContractInput {
  pacticipantVersionNumber: string;
  branch?: string;
  tags?: string[];
  buildUrl?: string;
  contract: {
    content: string;
    contentType: string;
    specification: string;
    selfVerificationResults?: { success: boolean; content?: string; contentType?: string; format?: string; verifier?: string; verifierVersion?: string };
  };
}

/** Stores a provider's OpenAPI document (one per provider version) with its self-verification result. */
export async function storeProviderContract(db: Db, providerName: string, input: ProviderContractInput): Promise<{ provider: Pacticipant; version: Version; contractId: number }> {
  if (input.contract.specification.toLowerCase() !== 'oas') {
    throw badRequest(`contract.specification: expected "oas", got ${JSON.stringify(input.contract.specification)}`, { 'contract.specification': [`expected "oas", got ${JSON.stringify(input.contract.specification)}`] });
  }
  const text = Buffer.from(input.contract.content, 'base64').toString('utf8');
  // PostgreSQL text cannot hold a NUL: refused here as bad input, not failed there as a 500.
  if (text.includes('\u0000')) {
    throw badRequest('contract.content: the OpenAPI document holds a NUL character (\\u0000)', { 'contract.content': ['holds a NUL character'] });
  }
  if (!/\b(openapi|swagger)\b\s*["']?\s*:/.test(text)) {
    throw badRequest('contract.content: expected a base64-encoded OpenAPI document (no "openapi:" key found)', { 'contract.content': ['expected a base64-encoded OpenAPI document'] });
  }
  return withTransaction(db, async (tx) => {
    const provider = await ensurePacticipant(tx, providerName);
    const { version } = await ensureVersion(tx, provider.id, input.pacticipantVersionNumber, input.buildUrl);
    if (input.branch) await addBranchVersion(tx, provider.id, version.id, input.branch);
    for (const tag of input.tags ?? []) await addTag(tx, provider.id, version.id, tag);
    const { rows } = await tx.query<{ id: number }>(
      `INSERT INTO provider_contracts (provider_id, provider_version_id, content, content_type, specification, self_verification)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (provider_version_id) DO UPDATE SET content = EXCLUDED.content, content_type = EXCLUDED.content_type, self_verification = EXCLUDED.self_verification, created_at = now()
       RETURNING id::int AS id`,
      [provider.id, version.id, text, input.contract.contentType, 'oas', input.contract.selfVerificationResults ? JSON.stringify(input.contract.selfVerificationResults) : null],
    );
    // A replaced contract must be checked again: drop the BDCT results of its previous content.
    await tx.query("DELETE FROM verifications WHERE provider_contract_id = $1 AND verification_type = 'BDCT'", [rows[0]?.id]);
    return { provider, version, contractId: (rows[0] as { id: number }).id };
  });
}
