import type { Queryable } from '../db.js';
import type { PactMetadata } from '../pact-metadata.js';
import { pendingPactVersions } from './pending.js';
import { describeVerificationSelector } from './selectors.js';
import type { ConsumerVersionSelector, PactsForVerificationRequest } from './selectors.js';

/** One pact the provider should verify, with why and whether it is pending or WIP. */
export interface VerifiablePact {
  pactVersionId: number;
  sha: string;
  consumerName: string;
  /** Consumer version numbers whose pact this content is, newest first. */
  consumerVersions: string[];
  descriptions: string[];
  metadata: PactMetadata;
  /** undefined when the request did not ask for pending status. */
  pending: boolean | undefined;
  wip: boolean;
}

interface Candidate {
  pactVersionId: number;
  sha: string;
  consumerId: number;
  consumerName: string;
  consumerVersionId: number;
  consumerVersionNumber: string;
  createdAt: Date;
  branch: string | null;
  tag: string | null;
  environment: string | null;
}

const CANDIDATE_COLUMNS = `pp.pact_version_id::int AS "pactVersionId", pv.sha, pp.consumer_id AS "consumerId", c.name AS "consumerName",
  pp.consumer_version_id::int AS "consumerVersionId", v.number AS "consumerVersionNumber", pp.created_at AS "createdAt"`;
const CANDIDATE_FROM = `pact_publications pp JOIN pact_versions pv ON pv.id = pp.pact_version_id
  JOIN pacticipants c ON c.id = pp.consumer_id JOIN versions v ON v.id = pp.consumer_version_id`;

/** Runs the request's selectors (or the broker's defaults), marks pending pacts and adds WIP pacts. */
export async function pactsForVerification(db: Queryable, providerId: number, request: PactsForVerificationRequest): Promise<VerifiablePact[]> {
  const selectors = request.consumerVersionSelectors && request.consumerVersionSelectors.length > 0 ? request.consumerVersionSelectors : undefined;
  const picked = new Map<number, VerifiablePact>();
  const add = (candidate: Candidate, description: string, meta: NonNullable<PactMetadata['s']>[number]) => {
    let entry = picked.get(candidate.pactVersionId);
    if (!entry) {
      entry = { pactVersionId: candidate.pactVersionId, sha: candidate.sha, consumerName: candidate.consumerName, consumerVersions: [], descriptions: [], metadata: { s: [] }, pending: undefined, wip: false };
      picked.set(candidate.pactVersionId, entry);
    }
    if (!entry.consumerVersions.includes(candidate.consumerVersionNumber)) entry.consumerVersions.push(candidate.consumerVersionNumber);
    if (!entry.descriptions.includes(description)) entry.descriptions.push(description);
    entry.metadata.s?.push({ ...meta, cv: candidate.consumerVersionNumber });
  };

  if (selectors) {
    for (const selector of selectors) {
      let found = await runSelector(db, providerId, selector, request.providerVersionBranch);
      let fallback = false;
      if (found.length === 0 && (selector.fallbackBranch || selector.fallbackTag)) {
        const alternative: ConsumerVersionSelector = { ...selector };
        if (selector.fallbackBranch) alternative.branch = selector.fallbackBranch;
        if (selector.fallbackTag) alternative.tag = selector.fallbackTag;
        found = await runSelector(db, providerId, alternative, request.providerVersionBranch);
        fallback = true;
      }
      for (const candidate of found) {
        const description = describeVerificationSelector(selector, { providerVersionBranch: request.providerVersionBranch, environment: candidate.environment ?? selector.environment, fallback });
        add(candidate, description, metaFor(selector, candidate));
      }
    }
  } else {
    // The broker's defaults: the latest main-branch pact per consumer (else the latest), plus deployed and released.
    const main = await runSelector(db, providerId, { mainBranch: true }, undefined);
    const withMain = new Set(main.map((c) => c.consumerId));
    for (const candidate of main) add(candidate, 'latest from main branch', metaFor({ mainBranch: true }, candidate));
    for (const candidate of await runSelector(db, providerId, { latest: true }, undefined)) {
      if (!withMain.has(candidate.consumerId)) add(candidate, 'latest', metaFor({ latest: true }, candidate));
    }
    for (const candidate of await runSelector(db, providerId, { deployedOrReleased: true }, undefined)) {
      add(candidate, `currently deployed or released in ${candidate.environment}`, metaFor({ deployedOrReleased: true }, candidate));
    }
  }

  const result = [...picked.values()];
  const includePending = request.includePendingStatus !== false;
  const build = { providerId, branch: request.providerVersionBranch, tags: request.providerVersionTags };
  if (includePending) {
    const pending = await pendingPactVersions(db, result.map((p) => p.pactVersionId), build);
    for (const pact of result) {
      pact.pending = pending.has(pact.pactVersionId);
      pact.metadata.p = pact.pending;
    }
  }

  // WIP needs a date and a provider branch or tags (#444).
  const hasBuildIdentity = Boolean(request.providerVersionBranch) || (request.providerVersionTags ?? []).length > 0;
  if (request.includeWipPactsSince && hasBuildIdentity) {
    const since = new Date(request.includeWipPactsSince);
    const heads = (await headPacts(db, providerId)).filter((c) => c.createdAt >= since && !picked.has(c.pactVersionId));
    const pending = await pendingPactVersions(db, heads.map((c) => c.pactVersionId), build);
    const wip = new Map<number, VerifiablePact>();
    for (const candidate of heads) {
      if (!pending.has(candidate.pactVersionId)) continue;
      let entry = wip.get(candidate.pactVersionId);
      if (!entry) {
        entry = { pactVersionId: candidate.pactVersionId, sha: candidate.sha, consumerName: candidate.consumerName, consumerVersions: [], descriptions: [], metadata: { w: true }, pending: true, wip: true };
        wip.set(candidate.pactVersionId, entry);
      }
      if (!entry.consumerVersions.includes(candidate.consumerVersionNumber)) entry.consumerVersions.push(candidate.consumerVersionNumber);
      const description = candidate.branch ? `latest from branch ${candidate.branch}` : `latest with tag ${candidate.tag}`;
      if (!entry.descriptions.includes(description)) entry.descriptions.push(description);
    }
    result.push(...wip.values());
  }
  return result;
}

function metaFor(selector: ConsumerVersionSelector, candidate: Candidate): NonNullable<PactMetadata['s']>[number] {
  const meta: NonNullable<PactMetadata['s']>[number] = {};
  if (candidate.branch) meta.b = candidate.branch;
  if (candidate.tag) meta.t = candidate.tag;
  if (candidate.environment) meta.e = candidate.environment;
  if (selector.latest || selector.branch || selector.mainBranch || selector.matchingBranch) meta.l = true;
  return meta;
}

/** The publications one selector picks for this provider. */
async function runSelector(db: Queryable, providerId: number, selector: ConsumerVersionSelector, providerVersionBranch: string | undefined): Promise<Candidate[]> {
  const params: unknown[] = [providerId];
  const where = ['pp.provider_id = $1'];
  if (selector.consumer) {
    params.push(selector.consumer);
    where.push(`c.name = $${params.length}`);
  }
  const branch = selector.matchingBranch ? providerVersionBranch : selector.branch;
  if (selector.mainBranch || branch !== undefined) {
    let join: string;
    if (selector.mainBranch) join = 'JOIN branch_versions b ON b.version_id = pp.consumer_version_id AND b.branch = c.main_branch';
    else {
      params.push(branch);
      join = `JOIN branch_versions b ON b.version_id = pp.consumer_version_id AND b.branch = $${params.length}`;
    }
    return latestPerConsumer(db, `, b.branch, NULL AS tag, NULL AS environment`, join, where, params);
  }
  if (selector.tag) {
    params.push(selector.tag);
    const join = `JOIN tags t ON t.version_id = pp.consumer_version_id AND t.name = $${params.length}`;
    if (selector.latest) return latestPerConsumer(db, ', NULL AS branch, t.name AS tag, NULL AS environment', join, where, params);
    return (await db.query<Candidate>(`SELECT ${CANDIDATE_COLUMNS}, NULL AS branch, t.name AS tag, NULL AS environment FROM ${CANDIDATE_FROM} ${join} WHERE ${where.join(' AND ')} ORDER BY pp.consumer_version_id DESC`, params)).rows;
  }
  if (selector.deployed || selector.released || selector.deployedOrReleased || selector.environment) {
    const parts: string[] = [];
    const wantDeployed = selector.deployed || selector.deployedOrReleased || (!selector.released && selector.environment !== undefined);
    const wantReleased = selector.released || selector.deployedOrReleased || (!selector.deployed && selector.environment !== undefined);
    if (wantDeployed) parts.push('SELECT version_id, environment_id FROM deployed_versions WHERE undeployed_at IS NULL');
    if (wantReleased) parts.push('SELECT version_id, environment_id FROM released_versions WHERE support_ended_at IS NULL');
    let envFilter = '';
    if (selector.environment) {
      params.push(selector.environment);
      envFilter = ` AND e.name = $${params.length}`;
    }
    return (
      await db.query<Candidate>(
        `SELECT DISTINCT ON (pp.id, e.name) ${CANDIDATE_COLUMNS}, NULL AS branch, NULL AS tag, e.name AS environment
         FROM ${CANDIDATE_FROM} JOIN (${parts.join(' UNION ')}) live ON live.version_id = pp.consumer_version_id
         JOIN environments e ON e.id = live.environment_id${envFilter}
         WHERE ${where.join(' AND ')} ORDER BY pp.id DESC, e.name`,
        params,
      )
    ).rows;
  }
  return latestPerConsumer(db, ', NULL AS branch, NULL AS tag, NULL AS environment', '', where, params);
}

async function latestPerConsumer(db: Queryable, extra: string, join: string, where: string[], params: unknown[]): Promise<Candidate[]> {
  const { rows } = await db.query<Candidate>(
    `SELECT DISTINCT ON (pp.consumer_id) ${CANDIDATE_COLUMNS}${extra} FROM ${CANDIDATE_FROM} ${join}
     WHERE ${where.join(' AND ')} ORDER BY pp.consumer_id, pp.consumer_version_id DESC`,
    params,
  );
  return rows;
}

/** The head pact of every consumer branch and every consumer tag (the WIP candidates). */
async function headPacts(db: Queryable, providerId: number): Promise<Candidate[]> {
  const byBranch = await db.query<Candidate>(
    `SELECT DISTINCT ON (pp.consumer_id, b.branch) ${CANDIDATE_COLUMNS}, b.branch, NULL AS tag, NULL AS environment
     FROM ${CANDIDATE_FROM} JOIN branch_versions b ON b.version_id = pp.consumer_version_id
     WHERE pp.provider_id = $1 ORDER BY pp.consumer_id, b.branch, pp.consumer_version_id DESC`,
    [providerId],
  );
  const byTag = await db.query<Candidate>(
    `SELECT DISTINCT ON (pp.consumer_id, t.name) ${CANDIDATE_COLUMNS}, NULL AS branch, t.name AS tag, NULL AS environment
     FROM ${CANDIDATE_FROM} JOIN tags t ON t.version_id = pp.consumer_version_id
     WHERE pp.provider_id = $1 ORDER BY pp.consumer_id, t.name, pp.consumer_version_id DESC`,
    [providerId],
  );
  return [...byBranch.rows, ...byTag.rows];
}
