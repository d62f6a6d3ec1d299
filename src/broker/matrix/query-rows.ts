import type { Queryable } from '../db.js';
import type { Integration, MatrixRow } from './types.js';

/** The versions a pacticipant is restricted to in a query; `null` means any version. */
export type VersionSet = readonly number[] | null;

/**
 * Step 4: the pact publications of each integration's consumer versions, left-joined with the
 * latest verification per provider version (restricted to the provider's selected versions).
 * One statement for all integrations: a provider with fifty consumers is one round trip.
 */
export async function queryMatrixRows(db: Queryable, integrations: readonly Integration[], versionSets: ReadonlyMap<number, VersionSet>): Promise<MatrixRow[]> {
  const specs = { idx: [] as number[], consumer: [] as number[], provider: [] as number[], cvAny: [] as boolean[], pvAny: [] as boolean[] };
  const cv = { idx: [] as number[], version: [] as number[] };
  const pv = { idx: [] as number[], version: [] as number[] };
  integrations.forEach((integration, idx) => {
    const consumerVersions = versionSets.get(integration.consumerId) ?? null;
    const providerVersions = versionSets.get(integration.providerId) ?? null;
    if (consumerVersions !== null && consumerVersions.length === 0) return;
    specs.idx.push(idx);
    specs.consumer.push(integration.consumerId);
    specs.provider.push(integration.providerId);
    specs.cvAny.push(consumerVersions === null);
    specs.pvAny.push(providerVersions === null);
    for (const id of consumerVersions ?? []) {
      cv.idx.push(idx);
      cv.version.push(id);
    }
    for (const id of providerVersions ?? []) {
      pv.idx.push(idx);
      pv.version.push(id);
    }
  });
  if (specs.idx.length === 0) return [];
  // Only the branches this query needs: a planner cannot prune an OR on a parameter, and the
  // "any consumer version" branch would otherwise scan every publication of the integration.
  const pubs = [
    specs.cvAny.some(Boolean)
      ? `SELECT s.idx, s.pv_any, pp.* FROM spec s
         JOIN pact_publications pp ON pp.provider_id = s.provider_id AND pp.consumer_id = s.consumer_id
         WHERE s.cv_any`
      : undefined,
    specs.cvAny.some((any) => !any)
      ? `SELECT s.idx, s.pv_any, pp.* FROM spec s
         JOIN cv ON cv.idx = s.idx
         JOIN pact_publications pp ON pp.consumer_version_id = cv.version_id AND pp.provider_id = s.provider_id
         WHERE NOT s.cv_any`
      : undefined,
  ].filter(Boolean);
  const verificationFilter = specs.pvAny.every(Boolean)
    ? ''
    : specs.pvAny.some(Boolean)
      ? 'AND (pubs.pv_any OR v.provider_version_id IN (SELECT pvs.version_id FROM pvs WHERE pvs.idx = pubs.idx))'
      : 'AND v.provider_version_id IN (SELECT pvs.version_id FROM pvs WHERE pvs.idx = pubs.idx)';
  const { rows } = await db.query<Omit<MatrixRow, 'ignored' | 'consumerName' | 'providerName'> & { idx: number }>(
    `WITH spec AS (SELECT * FROM unnest($1::int[], $2::int[], $3::int[], $4::bool[], $5::bool[]) AS s(idx, consumer_id, provider_id, cv_any, pv_any)),
          cv AS (SELECT * FROM unnest($6::int[], $7::bigint[]) AS c(idx, version_id)),
          pvs AS (SELECT * FROM unnest($8::int[], $9::bigint[]) AS p(idx, version_id)),
          pubs AS (${pubs.join(' UNION ALL ')})
     SELECT pubs.idx, pubs.consumer_id AS "consumerId", pubs.consumer_version_id::int AS "consumerVersionId", pubs.provider_id AS "providerId",
            pubs.pact_version_id::int AS "pactVersionId", pv.sha AS "pactSha", pubs.created_at AS "pactCreatedAt",
            ver.provider_version_id::int AS "providerVersionId", ver.id::int AS "verificationId", ver.number AS "verificationNumber",
            ver.success, ver.verification_type AS "verificationType", ver.created_at AS "verifiedAt",
            cvv.number AS "consumerVersionNumber", pvv.number AS "providerVersionNumber"
     FROM pubs
     JOIN pact_versions pv ON pv.id = pubs.pact_version_id
     JOIN versions cvv ON cvv.id = pubs.consumer_version_id
     LEFT JOIN LATERAL (
       SELECT DISTINCT ON (v.provider_version_id) v.* FROM verifications v
       WHERE v.pact_version_id = pubs.pact_version_id ${verificationFilter}
       ORDER BY v.provider_version_id, v.id DESC
     ) ver ON true
     LEFT JOIN versions pvv ON pvv.id = ver.provider_version_id
     ORDER BY pubs.consumer_version_id DESC, ver.provider_version_id DESC NULLS LAST`,
    [specs.idx, specs.consumer, specs.provider, specs.cvAny, specs.pvAny, cv.idx, cv.version, pv.idx, pv.version],
  );
  return rows.map(({ idx, ...row }) => {
    const integration = integrations[idx] as Integration;
    return { ...row, consumerName: integration.consumerName, providerName: integration.providerName, ignored: false };
  });
}

/**
 * Step 5, `latestby`: `cvpv` keeps one row per consumer version and provider version (the
 * query already keeps the latest verification of each); `cvp` keeps, per consumer version and
 * provider, the row of the latest provider version; `cp` per consumer and provider. Rows with
 * no verification are always kept.
 */
export function applyLatestBy(rows: readonly MatrixRow[], latestby: 'cvpv' | 'cvp' | 'cp' | undefined): MatrixRow[] {
  if (latestby === undefined || latestby === 'cvpv') return [...rows];
  const kept = new Map<string, MatrixRow>();
  const unverified: MatrixRow[] = [];
  for (const row of rows) {
    if (row.providerVersionId === null) {
      unverified.push(row);
      continue;
    }
    const key = latestby === 'cvp' ? `${row.consumerVersionId}/${row.providerId}` : `${row.consumerId}/${row.providerId}`;
    const current = kept.get(key);
    const newer =
      !current ||
      (latestby === 'cp' && row.consumerVersionId !== current.consumerVersionId
        ? row.consumerVersionId > current.consumerVersionId
        : row.providerVersionId > (current.providerVersionId ?? 0));
    if (newer) kept.set(key, row);
  }
  return [...kept.values(), ...unverified].sort((a, b) => b.consumerVersionId - a.consumerVersionId || (b.providerVersionId ?? 0) - (a.providerVersionId ?? 0));
}
