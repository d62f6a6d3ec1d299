import type { Queryable } from '../db.js';
import { BrokerProblem } from '../problem.js';
import type { Pacticipant } from '../store/pacticipants.js';
import { decide } from './decide.js';
import { inferredSelector, resolveSelector } from './resolve-selectors.js';
import type { Destination } from './resolve-selectors.js';
import { applyLatestBy, queryMatrixRows } from './query-rows.js';
import type { VersionSet } from './query-rows.js';
import type { Integration, MatrixQuery, MatrixResult, MatrixSelector, ResolvedSelector } from './types.js';

const PACTICIPANT_COLUMNS = 'id, name, display_name AS "displayName", main_branch AS "mainBranch", repository_url AS "repositoryUrl", created_at AS "createdAt", updated_at AS "updatedAt"';

/**
 * Answers a matrix query the way the Pact Broker does: resolve the specified
 * selectors, find their integrations, infer the other side from the destination, query the
 * rows, apply `latestby`, split off ignored rows, decide.
 */
export async function computeMatrix(db: Queryable, query: MatrixQuery): Promise<MatrixResult> {
  const names = [...new Set([...query.selectors, ...query.ignore].map((s) => s.pacticipant))];
  const environmentNames = [...new Set([query.environment, ...query.selectors.map((s) => s.environment)].filter((n): n is string => n !== undefined))];
  // Independent lookups go out together: each round trip costs more than the query behind it.
  const [pacticipantRows, environmentRows] = await Promise.all([
    db.query<Pacticipant>(`SELECT ${PACTICIPANT_COLUMNS} FROM pacticipants WHERE name = ANY($1::text[])`, [names]),
    db.query<{ id: number; name: string }>('SELECT id, name FROM environments WHERE name = ANY($1::text[])', [environmentNames]),
  ]);
  const pacticipants = new Map(pacticipantRows.rows.map((p) => [p.name, p]));
  const unknown = query.selectors.filter((s) => !pacticipants.has(s.pacticipant)).map((s) => s.pacticipant);
  if (unknown.length > 0) {
    const messages = [...new Set(unknown)].map((name) => `Pacticipant ${JSON.stringify(name)} not found`);
    throw new BrokerProblem(400, 'Bad Request', messages.join('; '), { q: messages });
  }
  const environmentIds = new Map(environmentRows.rows.map((e) => [e.name, e.id]));
  const missingEnvironments = environmentNames.filter((name) => !environmentIds.has(name)).map((name) => `Environment with name ${JSON.stringify(name)} does not exist`);
  if (missingEnvironments.length > 0) throw new BrokerProblem(400, 'Bad Request', missingEnvironments.join('; '), { environment: missingEnvironments });

  // Step 1: the specified selectors.
  const resolved: ResolvedSelector[] = (
    await Promise.all(query.selectors.map((selector) => resolveSelector(db, selector, pacticipants.get(selector.pacticipant), 'specified', environmentIds)))
  ).flat();
  const versionSets = new Map<number, number[] | null>();
  for (const r of resolved) {
    if (r.pacticipantId === undefined) continue;
    const set = versionSets.get(r.pacticipantId) ?? [];
    if (r.versionId !== undefined) set.push(r.versionId);
    versionSets.set(r.pacticipantId, set);
  }
  const specifiedIds = new Set(versionSets.keys());

  // Step 2: integrations of the specified pacticipants.
  const destination: Destination = { latest: query.latest, tag: query.tag, environment: query.environment, environmentId: query.environment ? environmentIds.get(query.environment) : undefined, mainBranch: query.mainBranch };
  const inferring = Boolean(query.latest || query.tag || query.environment || query.mainBranch);
  let integrations = await findIntegrations(db, resolved);
  if (!inferring && query.selectors.length > 1) {
    integrations = integrations.filter((i) => specifiedIds.has(i.consumerId) && specifiedIds.has(i.providerId));
  }

  // Step 3: infer the other side from the destination.
  const others = new Map<number, string>();
  for (const integration of integrations) {
    if (!specifiedIds.has(integration.consumerId)) others.set(integration.consumerId, integration.consumerName);
    if (!specifiedIds.has(integration.providerId)) others.set(integration.providerId, integration.providerName);
  }
  if (!inferring) {
    for (const id of others.keys()) versionSets.set(id, null);
  } else if (others.size > 0) {
    const otherRows = await db.query<Pacticipant>(`SELECT ${PACTICIPANT_COLUMNS} FROM pacticipants WHERE id = ANY($1::int[])`, [[...others.keys()]]);
    const inferred = await Promise.all(otherRows.rows.map((p) => resolveSelector(db, inferredSelector(p.name, destination), p, 'inferred', environmentIds)));
    for (const [index, p] of otherRows.rows.entries()) {
      const found = inferred[index] ?? [];
      resolved.push(...found);
      versionSets.set(p.id, found.flatMap((r) => (r.versionId === undefined ? [] : [r.versionId])));
    }
  }

  // Steps 4-6: rows, latestby, ignore.
  const rows = applyLatestBy(await queryMatrixRows(db, integrations, versionSets as Map<number, VersionSet>), query.latestby);
  const { isIgnored, unresolved } = await ignoreMatcher(db, query.ignore, pacticipants);
  for (const row of rows) {
    row.ignored = isIgnored(row.consumerId, row.consumerVersionId) || isIgnored(row.providerId, row.providerVersionId);
  }

  const decision = decide({ query, rows, resolved, integrations, unresolvedIgnores: unresolved, isIgnored });
  return { rows: rows.slice(0, query.limit), resolved, decision };
}

/** Step 2: consumers' pacts give required providers; a provider's consumers come from the integrations table. */
async function findIntegrations(db: Queryable, resolved: readonly ResolvedSelector[]): Promise<Integration[]> {
  const byKey = new Map<string, Integration>();
  const versionIds = resolved.flatMap((r) => (r.versionId === undefined ? [] : [r.versionId]));
  const pacticipantIds = [...new Set(resolved.flatMap((r) => (r.pacticipantId === undefined || r.versionId === undefined ? [] : [r.pacticipantId])))];
  if (versionIds.length === 0) return [];
  const { rows } = await db.query<Integration>(
    `SELECT DISTINCT pp.consumer_id AS "consumerId", c.name AS "consumerName", pp.provider_id AS "providerId", p.name AS "providerName", true AS required
     FROM pact_publications pp JOIN pacticipants c ON c.id = pp.consumer_id JOIN pacticipants p ON p.id = pp.provider_id
     WHERE pp.consumer_version_id = ANY($1::bigint[])
     UNION ALL
     SELECT i.consumer_id, c.name, i.provider_id, p.name, false
     FROM integrations i JOIN pacticipants c ON c.id = i.consumer_id JOIN pacticipants p ON p.id = i.provider_id
     WHERE i.provider_id = ANY($2::int[])`,
    [versionIds, pacticipantIds],
  );
  for (const row of rows) {
    const key = `${row.consumerId}/${row.providerId}`;
    const existing = byKey.get(key);
    if (existing) existing.required ||= row.required;
    else byKey.set(key, { ...row });
  }
  return [...byKey.values()];
}

/** Step 6: which rows `--ignore` removes from the decision, and the ignores that match nothing. */
async function ignoreMatcher(
  db: Queryable,
  ignore: readonly MatrixSelector[],
  pacticipants: ReadonlyMap<string, Pacticipant>,
): Promise<{ isIgnored: (pacticipantId: number, versionId: number | null) => boolean; unresolved: string[] }> {
  const rules: Array<{ pacticipantId: number; versionId: number | undefined }> = [];
  const unresolved: string[] = [];
  for (const selector of ignore) {
    const pacticipant = pacticipants.get(selector.pacticipant);
    if (!pacticipant) {
      unresolved.push(`${selector.pacticipant} (not found)`);
      continue;
    }
    if (selector.version) {
      const { rows } = await db.query<{ id: number }>('SELECT id::int AS id FROM versions WHERE pacticipant_id = $1 AND number = $2', [pacticipant.id, selector.version]);
      if (!rows[0]) {
        unresolved.push(`version ${selector.version} of ${selector.pacticipant} (no such version exists)`);
        continue;
      }
      rules.push({ pacticipantId: pacticipant.id, versionId: rows[0].id });
    } else {
      rules.push({ pacticipantId: pacticipant.id, versionId: undefined });
    }
  }
  const isIgnored = (pacticipantId: number, versionId: number | null) =>
    rules.some((rule) => rule.pacticipantId === pacticipantId && (rule.versionId === undefined || versionId === null || rule.versionId === versionId));
  return { isIgnored, unresolved };
}
