import type { FastifyInstance, FastifyRequest } from 'fastify';
import { withTransaction } from '../db.js';
import type { Db } from '../db.js';
import { decodePactMetadata, encodePactMetadata } from '../pact-metadata.js';
import { badRequest, notFound } from '../problem.js';
import { ensurePacticipant, findPacticipant } from '../store/pacticipants.js';
import { findPactForConsumerVersion, findPactVersionBySha, latestConsumerVersionOf } from '../store/pacts.js';
import type { PactVersion } from '../store/pacts.js';
import { createVerification, findVerification } from '../store/verifications.js';
import { ensureVersion, findVersion } from '../store/versions.js';
import { pactsForVerification } from '../verification/pacts-for-verification.js';
import { selectorProblems } from '../verification/selectors.js';
import type { PactsForVerificationRequest } from '../verification/selectors.js';
import type { RouteContext } from './context.js';
import { link, linksFor } from './hal.js';
import type { Links } from './hal.js';

const str = { type: 'string', maxLength: 255 };
const forVerificationBody = {
  type: 'object',
  properties: {
    providerVersionBranch: str,
    providerVersionTags: { type: 'array', maxItems: 50, items: str },
    includePendingStatus: { type: 'boolean' },
    includeWipPactsSince: str,
    consumerVersionSelectors: {
      type: 'array',
      maxItems: 50,
      items: {
        type: 'object',
        additionalProperties: false,
        properties: {
          mainBranch: { type: 'boolean' },
          branch: str,
          matchingBranch: { type: 'boolean' },
          fallbackBranch: str,
          deployed: { type: 'boolean' },
          released: { type: 'boolean' },
          deployedOrReleased: { type: 'boolean' },
          environment: str,
          tag: str,
          fallbackTag: str,
          latest: { type: 'boolean' },
          consumer: str,
        },
      },
    },
  },
};
const verificationBody = {
  type: 'object',
  required: ['success', 'providerApplicationVersion'],
  properties: {
    success: { type: 'boolean' },
    providerApplicationVersion: { type: 'string', minLength: 1, maxLength: 255 },
    buildUrl: { type: 'string', maxLength: 2048, pattern: '^[a-zA-Z][a-zA-Z0-9+.-]*://' },
    testResults: {},
    verifiedBy: { type: 'object' },
  },
};

type PactParams = { provider: string; consumer: string; sha: string; metadata?: string };

/** The pact JSON plus the links the Verifier follows (pb:publish-verification-results, pb:provider). */
function pactView(links: Links, pact: PactVersion, names: { consumer: string; provider: string }, consumerVersion: string | undefined, metadata: string | undefined) {
  const self = [links.url('pacts', 'provider', names.provider, 'consumer', names.consumer, 'pact-version', pact.sha), metadata ? `metadata/${metadata}` : undefined].filter(Boolean).join('/');
  return {
    ...pact.content,
    createdAt: pact.createdAt,
    _links: {
      self: link(self, { title: 'Pact', name: `Pact between ${names.consumer}${consumerVersion ? ` (${consumerVersion})` : ''} and ${names.provider}` }),
      'pb:consumer': link(links.url('pacticipants', names.consumer), { title: 'Consumer', name: names.consumer }),
      ...(consumerVersion ? { 'pb:consumer-version': link(links.url('pacticipants', names.consumer, 'versions', consumerVersion), { title: 'Consumer version', name: consumerVersion }) } : {}),
      'pb:provider': link(links.url('pacticipants', names.provider), { title: 'Provider', name: names.provider }),
      'pb:pact-version': link(links.url('pacts', 'provider', names.provider, 'consumer', names.consumer, 'pact-version', pact.sha), { title: 'Pact content version permalink', name: pact.sha }),
      'pb:publish-verification-results': link(`${self}/verification-results`, { title: 'Publish verification results' }),
    },
  };
}

/** Pacts for verification, pact content and verification results, at the Pact Broker's paths. */
export function registerPactRoutes(app: FastifyInstance, ctx: RouteContext): void {
  registerForVerification(app, ctx);
  registerPactContent(app, ctx);
}

/** The pacts a provider version should verify, with why each one was selected. */
function registerForVerification(app: FastifyInstance, ctx: RouteContext): void {
  const { db } = ctx;

  const forVerification = async (request: FastifyRequest<{ Params: { provider: string }; Body?: PactsForVerificationRequest }>, body: PactsForVerificationRequest) => {
    const problems = selectorProblems(body);
    if (problems.length > 0) throw badRequest(problems.join('; '), { consumerVersionSelectors: problems });
    const links = linksFor(request, ctx.baseUrl);
    const provider = await findPacticipant(db, request.params.provider);
    const self = link(links.url('pacts', 'provider', request.params.provider, 'for-verification'), { title: 'Pacts to be verified' });
    if (!provider) return { _embedded: { pacts: [] }, _links: { self } };
    const pacts = await pactsForVerification(db, provider.id, body);
    return {
      _embedded: {
        pacts: pacts.map((pact) => verificationEntry(links, provider.name, pact, body)),
      },
      _links: { self },
    };
  };

  app.get<{ Params: { provider: string } }>('/pacts/provider/:provider/for-verification', async (request) => forVerification(request, {}));
  app.post<{ Params: { provider: string }; Body: PactsForVerificationRequest }>('/pacts/provider/:provider/for-verification', { schema: { body: forVerificationBody } }, async (request) =>
    forVerification(request, request.body ?? {}),
  );
}

type SelectedPact = Awaited<ReturnType<typeof pactsForVerification>>[number];

/** One pact to verify: its URL (with the metadata the verification results bring back), and the notices saying why. */
function verificationEntry(links: Links, providerName: string, pact: SelectedPact, body: PactsForVerificationRequest) {
  const metadata = encodePactMetadata(pact.metadata);
  const url = `${links.url('pacts', 'provider', providerName, 'consumer', pact.consumerName, 'pact-version', pact.sha)}/metadata/${metadata}`;
  const why = pact.wip
    ? `The pact at ${url} is being verified because it is a 'work in progress' pact (ie. it is the pact for ${pact.consumerName} ${pact.descriptions.join(', ')} and is still in pending state).`
    : `The pact at ${url} is being verified because the pact content belongs to the consumer version${pact.consumerVersions.length > 1 ? 's' : ''} matching the following criteria:\n    * ${pact.descriptions.join('\n    * ')} (${pact.consumerVersions.join(', ')})`;
  const notices = [{ when: 'before_verification', text: why }];
  if (pact.pending === true) {
    notices.push({ when: 'before_verification', text: `This pact is in pending state for this version of ${providerName} because a successful verification result for ${body.providerVersionBranch ? `a version from branch '${body.providerVersionBranch}'` : 'this provider'} has not yet been published. If this verification fails, it will not cause the overall build to fail.` });
  } else if (pact.pending === false) {
    notices.push({ when: 'before_verification', text: `This pact has previously been successfully verified by ${providerName}. If this verification fails, it will fail the build.` });
  }
  return {
    shortDescription: pact.descriptions.join(', '),
    verificationProperties: { ...(pact.pending === undefined ? {} : { pending: pact.pending }), ...(pact.wip ? { wip: true } : {}), notices },
    _links: { self: link(url, { name: `Pact between ${pact.consumerName} (${pact.consumerVersions[0] ?? ''}) and ${providerName}` }) },
  };
}

/** The pact with the consumer, provider and content version `params` name, or a 404. */
async function loadPact(db: Db, params: PactParams) {
  const consumer = await findPacticipant(db, params.consumer);
  const provider = await findPacticipant(db, params.provider);
  const pact = consumer && provider && (await findPactVersionBySha(db, consumer.id, provider.id, params.sha));
  if (!consumer || !provider || !pact) throw notFound(`pact version ${JSON.stringify(params.sha)} between ${JSON.stringify(params.consumer)} and ${JSON.stringify(params.provider)}`);
  return { consumer, provider, pact };
}

/** A pact's content (by content version or by consumer version) and its verification results. */
function registerPactContent(app: FastifyInstance, ctx: RouteContext): void {
  const { db } = ctx;

  for (const url of ['/pacts/provider/:provider/consumer/:consumer/pact-version/:sha', '/pacts/provider/:provider/consumer/:consumer/pact-version/:sha/metadata/:metadata']) {
    app.get<{ Params: PactParams }>(url, async (request) => {
      const { consumer, provider, pact } = await loadPact(db, request.params);
      return pactView(linksFor(request, ctx.baseUrl), pact, { consumer: consumer.name, provider: provider.name }, await latestConsumerVersionOf(db, pact.id), request.params.metadata);
    });

    app.post<{ Params: PactParams; Body: VerificationBody }>(`${url}/verification-results`, { schema: { body: verificationBody } }, async (request, reply) => reply.code(201).send(await recordVerification(request, ctx)));
  }

  app.get<{ Params: PactParams & { number: string } }>('/pacts/provider/:provider/consumer/:consumer/pact-version/:sha/verification-results/:number', async (request) => {
    const { pact, provider, consumer } = await loadPact(db, request.params);
    const verification = await findVerification(db, pact.id, Number(request.params.number) || 0);
    if (!verification) throw notFound(`verification result ${JSON.stringify(request.params.number)}`);
    const links = linksFor(request, ctx.baseUrl);
    const pactUrl = links.url('pacts', 'provider', provider.name, 'consumer', consumer.name, 'pact-version', pact.sha);
    return {
      success: verification.success,
      verificationType: verification.verificationType,
      buildUrl: verification.buildUrl,
      verifiedAt: verification.createdAt,
      testResults: verification.testResults,
      verifiedBy: verification.verifiedBy,
      _links: { self: link(`${pactUrl}/verification-results/${verification.number}`), 'pb:pact-version': link(pactUrl) },
    };
  });

  app.get<{ Params: { provider: string; consumer: string; version: string } }>('/pacts/provider/:provider/consumer/:consumer/version/:version', async (request) => {
    const { provider: providerName, consumer: consumerName, version: number } = request.params;
    const consumer = await findPacticipant(db, consumerName);
    const provider = await findPacticipant(db, providerName);
    const version = consumer && (await findVersion(db, consumer.id, number));
    const pact = provider && version && (await findPactForConsumerVersion(db, version.id, provider.id));
    if (!consumer || !provider || !pact) throw notFound(`pact between ${JSON.stringify(consumerName)} version ${JSON.stringify(number)} and ${JSON.stringify(providerName)}`);
    return pactView(linksFor(request, ctx.baseUrl), pact, { consumer: consumer.name, provider: provider.name }, number, undefined);
  });
}

type VerificationBody = { success: boolean; providerApplicationVersion: string; buildUrl?: string; testResults?: unknown; verifiedBy?: unknown };

/** Records a verification result for a pact version and tells the webhooks; the 201 body. */
async function recordVerification(request: FastifyRequest<{ Params: PactParams; Body: VerificationBody }>, ctx: RouteContext) {
  const { db } = ctx;
  const { provider, consumer, pact } = await loadPact(db, request.params);
  const metadata = decodePactMetadata(request.params.metadata);
  const body = request.body;
  const verification = await withTransaction(db, async (tx) => {
    const providerRow = await ensurePacticipant(tx, provider.name);
    const { version } = await ensureVersion(tx, providerRow.id, body.providerApplicationVersion);
    return createVerification(tx, {
      pactVersionId: pact.id,
      providerId: provider.id,
      providerVersionId: version.id,
      success: body.success,
      buildUrl: body.buildUrl,
      testResults: body.testResults,
      verifiedBy: body.verifiedBy,
      pactPending: metadata.p ?? (metadata.w ? true : undefined),
      wip: metadata.w === true,
    });
  });
  const links = linksFor(request, ctx.baseUrl);
  await ctx.webhooks?.verified(links.base, {
    consumerName: consumer.name,
    providerName: provider.name,
    pactVersionId: pact.id,
    sha: pact.sha,
    number: verification.number,
    success: verification.success,
    providerVersionId: verification.providerVersionId,
    providerVersionNumber: body.providerApplicationVersion,
    buildUrl: verification.buildUrl,
  });
  const pactUrl = links.url('pacts', 'provider', provider.name, 'consumer', consumer.name, 'pact-version', pact.sha);
  return {
    success: verification.success,
    providerName: provider.name,
    providerApplicationVersion: body.providerApplicationVersion,
    buildUrl: verification.buildUrl,
    verifiedAt: verification.createdAt,
    testResults: verification.testResults,
    _links: {
      self: link(`${pactUrl}/verification-results/${verification.number}`, { title: 'Verification result', name: `Verification #${verification.number}` }),
      'pb:pact-version': link(pactUrl, { title: 'Pact' }),
    },
  };
}
