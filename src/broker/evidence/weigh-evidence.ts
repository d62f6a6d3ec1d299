import type { Queryable } from '../db.js';
import type { MatrixDecision, MatrixReason, MatrixResult } from '../matrix/types.js';
import { evidenceFor } from '../store/evidence.js';
import type { VersionEvidence } from '../store/evidence.js';

/** One version the decision covers, with what its required steps recorded. */
export interface WeighedVersion {
  pacticipant: string;
  version: string;
  versionId: number;
  /** Step id → its record, or null when none was published. */
  steps: Record<string, VersionEvidence | null>;
}

/** The matrix decision with the required evidence weighed in. */
export interface EvidenceDecision {
  decision: MatrixDecision;
  required: string[];
  versions: WeighedVersion[];
  passed: number;
  failed: number;
  missing: number;
}

/**
 * Weighs each required step's evidence for every version the matrix decision covers (the
 * specified versions, the ones inferred from the destination, and the other side of every
 * considered row). A failed step says no whatever else is unknown (unlike an unverified pact,
 * it is a verdict already given); a missing or skipped one makes a "yes" unknown.
 */
export async function weighEvidence(db: Queryable, result: MatrixResult, required: readonly string[]): Promise<EvidenceDecision> {
  const involved = new Map<number, { pacticipant: string; version: string }>();
  const { resolved, rows } = result;
  for (const r of resolved) if (r.versionId !== undefined) involved.set(r.versionId, { pacticipant: r.pacticipantName, version: r.versionNumber ?? '' });
  for (const row of rows) {
    if (row.ignored) continue;
    involved.set(row.consumerVersionId, { pacticipant: row.consumerName, version: row.consumerVersionNumber });
    if (row.providerVersionId !== null) involved.set(row.providerVersionId, { pacticipant: row.providerName, version: row.providerVersionNumber ?? '' });
  }
  const records = await evidenceFor(db, [...involved.keys()], required);
  const byVersion = new Map<number, Map<string, VersionEvidence>>();
  for (const record of records) {
    const steps = byVersion.get(record.versionId) ?? new Map<string, VersionEvidence>();
    steps.set(record.step, record);
    byVersion.set(record.versionId, steps);
  }
  const versions: WeighedVersion[] = [...involved.entries()].map(([versionId, v]) => ({
    ...v,
    versionId,
    steps: Object.fromEntries(required.map((step) => [step, byVersion.get(versionId)?.get(step) ?? null])),
  }));

  const errors: MatrixReason[] = [];
  let passed = 0;
  let failed = 0;
  let missing = 0;
  for (const v of versions) {
    for (const step of required) {
      const record = v.steps[step] ?? null;
      const of = `version ${v.version} of ${v.pacticipant}`;
      if (record === null) {
        missing += 1;
        errors.push({ type: 'error', text: `There is no ${step} evidence for ${of}` });
      } else if (record.status === 'skip') {
        missing += 1;
        errors.push({ type: 'error', text: `The ${step} step was skipped for ${of}: ${record.summary}` });
      } else if (record.status === 'fail') {
        failed += 1;
        errors.push({ type: 'error', text: `The ${step} evidence for ${of} failed: ${record.summary}` });
      } else passed += 1;
    }
  }

  const matrix = result.decision;
  let deployable: boolean | null;
  if (matrix.deployable === false || failed > 0) deployable = false;
  else if (matrix.deployable === null || missing > 0) deployable = null;
  else deployable = true;
  // Evidence errors replace the matrix's "all successful" line, as the matrix's own errors do.
  const reasons = errors.length > 0 ? matrix.reasons.filter((r) => r.type !== 'success') : [...matrix.reasons];
  if (errors.length > 0) reasons.push(...errors);
  else if (versions.length > 0) reasons.push({ type: 'success', text: `All required evidence (${required.join(', ')}) is published and passing for ${versions.map((v) => `version ${v.version} of ${v.pacticipant}`).join(', ')}` });
  return { decision: { ...matrix, deployable, reasons }, required: [...required], versions, passed, failed, missing };
}
