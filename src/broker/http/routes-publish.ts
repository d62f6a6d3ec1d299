import type { FastifyInstance } from 'fastify';
import { afterPactsPublished } from '../bdct/cross-check.js';
import { publishContracts } from '../publish-contracts.js';
import type { PublishContractsInput } from '../publish-contracts.js';
import type { RouteContext } from './context.js';
import { link, linksFor } from './hal.js';
import { pacticipantView } from './views.js';

const text = (max: number) => ({ type: 'string', minLength: 1, maxLength: max });
const publishBody = {
  type: 'object',
  required: ['pacticipantName', 'pacticipantVersionNumber', 'contracts'],
  properties: {
    pacticipantName: text(255),
    pacticipantVersionNumber: text(255),
    branch: text(255),
    tags: { type: 'array', maxItems: 100, items: text(255) },
    buildUrl: { type: 'string', maxLength: 2048 },
    contracts: {
      type: 'array',
      minItems: 1,
      maxItems: 100,
      items: {
        type: 'object',
        required: ['consumerName', 'providerName', 'specification', 'contentType', 'content'],
        properties: {
          consumerName: text(255),
          providerName: text(255),
          specification: text(50),
          contentType: text(100),
          content: { type: 'string', minLength: 1 },
          onConflict: { type: 'string', enum: ['overwrite', 'merge'] },
        },
      },
    },
  },
};

/** `POST /contracts/publish` (what `pact broker publish` sends) and the legacy `PUT` of one pact. */
export function registerPublishRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.post<{ Body: PublishContractsInput }>('/contracts/publish', { schema: { body: publishBody } }, async (request, reply) => {
    const result = await publishContracts(ctx.db, request.body);
    await afterPactsPublished(ctx, result.pacts.map((p) => p.pactVersion));
    const links = linksFor(request, ctx.baseUrl);
    await ctx.webhooks?.published(links.base, result);
    const { pacticipant, version } = result;
    const versionUrl = links.url('pacticipants', pacticipant.name, 'versions', version.number);
    return reply.code(200).send({
      notices: result.notices,
      // The Rust CLI deserialises `logs` and the version's self link (name, title) as required fields.
      logs: [],
      _embedded: { pacticipant: pacticipantView(links, pacticipant), version: { number: version.number, buildUrl: version.buildUrl, _links: { self: link(versionUrl, { title: 'Version', name: version.number }) } } },
      _links: {
        'pb:pacticipant': link(links.url('pacticipants', pacticipant.name), { title: 'Pacticipant', name: pacticipant.name }),
        'pb:pacticipant-version': link(versionUrl, { title: 'Pacticipant version', name: version.number }),
        'pb:pacticipant-version-tags': result.tags.map((tag) => link(`${versionUrl}/tags/${encodeURIComponent(tag)}`, { title: 'Tag', name: tag })),
        ...(result.branch ? { 'pb:pacticipant-branch-version': link(links.url('pacticipants', pacticipant.name, 'branches', result.branch, 'versions', version.number), { name: result.branch }) } : {}),
        'pb:contracts': result.pacts.map((p) => link(links.url('pacts', 'provider', p.provider.name, 'consumer', pacticipant.name, 'version', version.number), { title: 'Pact', name: `Pact between ${pacticipant.name} (${version.number}) and ${p.provider.name}` })),
      },
    });
  });

  app.put<{ Params: { provider: string; consumer: string; version: string }; Body: unknown }>(
    '/pacts/provider/:provider/consumer/:consumer/version/:version',
    { schema: { body: { type: 'object' } } },
    async (request, reply) => {
      const { provider, consumer, version } = request.params;
      const result = await publishContracts(ctx.db, {
        pacticipantName: consumer,
        pacticipantVersionNumber: version,
        contracts: [{ consumerName: consumer, providerName: provider, specification: 'pact', contentType: 'application/json', content: Buffer.from(JSON.stringify(request.body)).toString('base64') }],
      });
      await afterPactsPublished(ctx, result.pacts.map((p) => p.pactVersion));
      await ctx.webhooks?.published(linksFor(request, ctx.baseUrl).base, result);
      const pact = result.pacts[0];
      return reply.code(pact?.republished ? 200 : 201).send({ ...(pact?.pactVersion.content ?? {}), notices: result.notices });
    },
  );
}
