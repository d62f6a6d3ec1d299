import type { Queryable } from '../db.js';
import { WEBHOOK_EVENTS } from './events.js';
import type { WebhookEvent, WebhookEventName } from './events.js';
import { verificationStatuses } from './template.js';

/** One pact a consumer version just published, as the publish stored it. */
export interface PublishedPactFacts {
  consumerName: string;
  consumerId: number;
  providerName: string;
  providerId: number;
  pactVersionId: number;
  sha: string;
  consumerVersionId: number;
  consumerVersionNumber: string;
  consumerVersionBranch: string | undefined;
  consumerVersionTags: readonly string[];
  buildUrl: string | null;
  /** The same version published the same content before. */
  republished: boolean;
}

/** A verification result just recorded. */
export interface VerificationFacts {
  consumerName: string;
  providerName: string;
  pactVersionId: number;
  sha: string;
  number: number;
  success: boolean;
  providerVersionId: number;
  providerVersionNumber: string;
  buildUrl: string | null;
}

const url = (base: string, ...segments: string[]) => `${base}/${segments.map((segment) => encodeURIComponent(segment)).join('/')}`;
const pactUrlOf = (base: string, provider: string, consumer: string, sha: string) => url(base, 'pacts', 'provider', provider, 'consumer', consumer, 'pact-version', sha);

/** Every parameter set, blank where the event has no value (as the Pact Broker renders them). */
function paramsOf(values: Record<string, string | undefined>, success: boolean | undefined): Record<string, string> {
  const blank = ['pactUrl', 'verificationResultUrl', 'consumerName', 'providerName', 'consumerVersionNumber', 'consumerVersionBranch', 'consumerVersionTags', 'consumerLabels', 'providerVersionNumber', 'providerVersionBranch', 'providerVersionTags', 'providerLabels', 'buildUrl', 'eventName'];
  const params: Record<string, string> = Object.fromEntries(blank.map((name) => [name, '']));
  for (const [name, value] of Object.entries(values)) params[name] = value ?? '';
  return { ...params, ...verificationStatuses(success) };
}

/** Branches and tags of versions, in one statement. */
async function labelsOf(db: Queryable, versionIds: readonly number[]): Promise<Map<number, { branches: string[]; tags: string[] }>> {
  const { rows } = await db.query<{ id: number; branches: string[]; tags: string[] }>(
    `SELECT v.id::int AS id,
            ARRAY(SELECT branch FROM branch_versions b WHERE b.version_id = v.id ORDER BY b.created_at) AS branches,
            ARRAY(SELECT name FROM tags t WHERE t.version_id = v.id ORDER BY t.created_at) AS tags
     FROM versions v WHERE v.id = ANY ($1::bigint[])`,
    [versionIds],
  );
  return new Map(rows.map((row) => [row.id, { branches: row.branches, tags: row.tags }]));
}

/**
 * The provider versions a new pact should be verified by that have not verified its content:
 * the head of the provider's main branch and every version deployed or released. An empty
 * list when all have; `[undefined]` when the provider has none of them (verify it anyway).
 */
async function versionsRequiringVerification(db: Queryable, providerId: number, pactVersionId: number): Promise<Array<{ number: string; branch: string } | undefined>> {
  const { rows } = await db.query<{ number: string; branch: string | null; verified: boolean }>(
    `WITH candidates AS (
       SELECT (SELECT max(bv.version_id) FROM branch_versions bv JOIN pacticipants p ON p.id = bv.pacticipant_id AND bv.branch = p.main_branch WHERE bv.pacticipant_id = $1) AS id
       UNION SELECT version_id FROM deployed_versions WHERE pacticipant_id = $1 AND undeployed_at IS NULL
       UNION SELECT version_id FROM released_versions WHERE pacticipant_id = $1 AND support_ended_at IS NULL
     )
     SELECT v.number, (SELECT b.branch FROM branch_versions b WHERE b.version_id = v.id ORDER BY b.created_at LIMIT 1) AS branch,
            EXISTS (SELECT 1 FROM verifications x WHERE x.pact_version_id = $2 AND x.provider_version_id = v.id) AS verified
     FROM candidates c JOIN versions v ON v.id = c.id ORDER BY v.id`,
    [providerId, pactVersionId],
  );
  if (rows.length === 0) return [undefined];
  return rows.filter((row) => !row.verified).map((row) => ({ number: row.number, branch: row.branch ?? '' }));
}

/** Whether the integration's previous consumer version published other content (or none). */
async function contentChanged(db: Queryable, pact: PublishedPactFacts): Promise<boolean> {
  // By ids, so the (provider, consumer, version DESC) index finds it in one step however many
  // versions the integration has (by the consumer's name it read them all).
  const { rows } = await db.query<{ pactVersionId: number }>(
    `SELECT pact_version_id::int AS "pactVersionId" FROM pact_publications
     WHERE provider_id = $1 AND consumer_id = $2 AND consumer_version_id < $3 ORDER BY consumer_version_id DESC LIMIT 1`,
    [pact.providerId, pact.consumerId, pact.consumerVersionId],
  );
  return rows[0]?.pactVersionId !== pact.pactVersionId;
}

/**
 * The events a publish fires: published always; content changed; requiring verification, once
 * per provider version that needs to verify it. Events outside `wanted` are not looked for.
 */
export async function publishEvents(db: Queryable, base: string, pacts: readonly PublishedPactFacts[], wanted: ReadonlySet<WebhookEventName> = new Set(WEBHOOK_EVENTS)): Promise<WebhookEvent[]> {
  const events: WebhookEvent[] = [];
  for (const pact of pacts) {
    const values = {
      pactUrl: pactUrlOf(base, pact.providerName, pact.consumerName, pact.sha),
      consumerName: pact.consumerName,
      providerName: pact.providerName,
      consumerVersionNumber: pact.consumerVersionNumber,
      consumerVersionBranch: pact.consumerVersionBranch,
      consumerVersionTags: pact.consumerVersionTags.join(', '),
      buildUrl: pact.buildUrl ?? '',
    };
    const event = (name: WebhookEventName, extra: Record<string, string> = {}): WebhookEvent => ({ name, consumerName: pact.consumerName, providerName: pact.providerName, params: paramsOf({ ...values, ...extra, eventName: name }, undefined) });
    events.push(event('contract_published'));
    if (wanted.has('contract_content_changed') && !pact.republished && (await contentChanged(db, pact))) events.push(event('contract_content_changed'));
    if (!wanted.has('contract_requiring_verification_published')) continue;
    for (const provider of await versionsRequiringVerification(db, pact.providerId, pact.pactVersionId)) {
      events.push(event('contract_requiring_verification_published', provider ? { providerVersionNumber: provider.number, providerVersionBranch: provider.branch } : {}));
    }
  }
  return events;
}

/** The events a verification result fires: published, and succeeded or failed. */
export async function verificationEvents(db: Queryable, base: string, verification: VerificationFacts): Promise<WebhookEvent[]> {
  const { rows } = await db.query<{ id: number; number: string }>(
    `SELECT v.id::int AS id, v.number FROM pact_publications pp JOIN versions v ON v.id = pp.consumer_version_id WHERE pp.pact_version_id = $1 ORDER BY pp.consumer_version_id DESC LIMIT 1`,
    [verification.pactVersionId],
  );
  const consumerVersion = rows[0];
  const labels = await labelsOf(db, [verification.providerVersionId, ...(consumerVersion ? [consumerVersion.id] : [])]);
  const provider = labels.get(verification.providerVersionId);
  const consumer = consumerVersion ? labels.get(consumerVersion.id) : undefined;
  const pactUrl = pactUrlOf(base, verification.providerName, verification.consumerName, verification.sha);
  const values = {
    pactUrl,
    verificationResultUrl: `${pactUrl}/verification-results/${verification.number}`,
    consumerName: verification.consumerName,
    providerName: verification.providerName,
    consumerVersionNumber: consumerVersion?.number,
    consumerVersionBranch: consumer?.branches[0],
    consumerVersionTags: consumer?.tags.join(', '),
    providerVersionNumber: verification.providerVersionNumber,
    providerVersionBranch: provider?.branches[0],
    providerVersionTags: provider?.tags.join(', '),
    buildUrl: verification.buildUrl ?? '',
  };
  const names: WebhookEventName[] = ['provider_verification_published', verification.success ? 'provider_verification_succeeded' : 'provider_verification_failed'];
  return names.map((name) => ({ name, consumerName: verification.consumerName, providerName: verification.providerName, params: paramsOf({ ...values, eventName: name }, verification.success) }));
}

/** The parameters `POST /webhooks/{uuid}/execute` renders: from the newest pact the webhook's scope covers, else example values. */
export async function testParams(db: Queryable, base: string, scope: { consumerName: string | null; providerName: string | null }): Promise<Record<string, string>> {
  const { rows } = await db.query<{ consumer: string; provider: string; sha: string; number: string; versionId: number; buildUrl: string | null }>(
    `SELECT c.name AS consumer, p.name AS provider, pv.sha, v.number, v.id::int AS "versionId", v.build_url AS "buildUrl"
     FROM pact_publications pp JOIN pacticipants c ON c.id = pp.consumer_id JOIN pacticipants p ON p.id = pp.provider_id
     JOIN pact_versions pv ON pv.id = pp.pact_version_id JOIN versions v ON v.id = pp.consumer_version_id
     WHERE ($1::text IS NULL OR c.name = $1) AND ($2::text IS NULL OR p.name = $2) ORDER BY pp.id DESC LIMIT 1`,
    [scope.consumerName, scope.providerName],
  );
  const latest = rows[0];
  if (!latest) {
    const consumer = scope.consumerName ?? 'Example Consumer';
    const provider = scope.providerName ?? 'Example Provider';
    return paramsOf({ pactUrl: pactUrlOf(base, provider, consumer, '0123456789abcdef'), consumerName: consumer, providerName: provider, consumerVersionNumber: '1.0.0', eventName: 'contract_published' }, undefined);
  }
  const labels = (await labelsOf(db, [latest.versionId])).get(latest.versionId);
  return paramsOf(
    {
      pactUrl: pactUrlOf(base, latest.provider, latest.consumer, latest.sha),
      consumerName: latest.consumer,
      providerName: latest.provider,
      consumerVersionNumber: latest.number,
      consumerVersionBranch: labels?.branches[0],
      consumerVersionTags: labels?.tags.join(', '),
      buildUrl: latest.buildUrl ?? '',
      eventName: 'contract_published',
    },
    undefined,
  );
}
