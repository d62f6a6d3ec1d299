import type { FastifyInstance } from 'fastify';
import { afterProviderContractPublished } from '../bdct/cross-check.js';
import { storeProviderContract } from '../bdct/publish-provider-contract.js';
import type { ProviderContractInput } from '../bdct/publish-provider-contract.js';
import type { RouteContext } from './context.js';
import { link, linksFor } from './hal.js';

const text = { type: 'string', minLength: 1, maxLength: 255 };
const providerContractBody = {
  type: 'object',
  required: ['pacticipantVersionNumber', 'contract'],
  properties: {
    pacticipantVersionNumber: text,
    branch: text,
    tags: { type: 'array', maxItems: 100, items: text },
    buildUrl: { type: 'string', maxLength: 2048 },
    contract: {
      type: 'object',
      required: ['content', 'contentType', 'specification'],
      properties: {
        content: { type: 'string', minLength: 1 },
        contentType: text,
        specification: text,
        selfVerificationResults: {
          type: 'object',
          required: ['success'],
          properties: { success: { type: 'boolean' }, content: { type: 'string' }, contentType: { type: 'string' }, format: { type: 'string' }, verifier: { type: 'string' }, verifierVersion: { type: 'string' } },
        },
      },
    },
  },
};

/** `pf:publish-provider-contract`: a provider's OpenAPI with its self-verification, cross-checked against every consumer pact. */
export function registerProviderContractRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.post<{ Params: { provider: string }; Body: ProviderContractInput }>(
    '/provider-contracts/provider/:provider/publish',
    { schema: { body: providerContractBody } },
    async (request, reply) => {
      const { provider, version, contractId } = await storeProviderContract(ctx.db, request.params.provider, request.body);
      await afterProviderContractPublished(ctx, contractId);
      const links = linksFor(request, ctx.baseUrl);
      return reply.code(200).send({
        notices: [{ type: 'success', text: `Provider contract published for ${provider.name} version ${version.number}; consumer pacts were checked against it (verificationType BDCT in the matrix)` }],
        _embedded: { version: { number: version.number } },
        _links: {
          'pb:pacticipant': link(links.url('pacticipants', provider.name), { name: provider.name }),
          'pb:pacticipant-version': link(links.url('pacticipants', provider.name, 'versions', version.number), { name: version.number }),
        },
      });
    },
  );
}
