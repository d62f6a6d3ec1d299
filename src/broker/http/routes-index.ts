import type { FastifyInstance } from 'fastify';
import { replyBrokerPage } from '../web/routes-web.js';
import { wantsHtml } from './auth.js';
import type { RouteContext } from './context.js';
import { link, linksFor } from './hal.js';

/** `GET /`: the HAL relations the official clients navigate (`pb:publish-contracts`, `pb:provider-pacts-for-verification`, …); a browser gets the broker's page instead. */
export function registerIndexRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.get('/', async (request, reply) => {
    if (wantsHtml(request)) return replyBrokerPage(ctx, request, reply);
    const { base } = linksFor(request, ctx.baseUrl);
    const t = { templated: true };
    return {
      _links: {
        self: link(base, { title: 'Index' }),
        'pb:publish-contracts': link(`${base}/contracts/publish`, { title: 'Publish contracts' }),
        'pb:publish-pact': link(`${base}/pacts/provider/{provider}/consumer/{consumer}/version/{consumerApplicationVersion}`, { title: 'Publish a pact', ...t }),
        'pb:provider-pacts-for-verification': link(`${base}/pacts/provider/{provider}/for-verification`, { title: 'Pact versions to be verified for the specified provider', ...t }),
        'beta:provider-pacts-for-verification': link(`${base}/pacts/provider/{provider}/for-verification`, { title: 'DEPRECATED - please use pb:provider-pacts-for-verification', ...t }),
        'pb:pacticipants': link(`${base}/pacticipants`, { title: 'Pacticipants' }),
        'pb:pacticipant': link(`${base}/pacticipants/{pacticipant}`, { title: 'Fetch pacticipant by name', ...t }),
        'pb:pacticipant-version': link(`${base}/pacticipants/{pacticipant}/versions/{version}`, { title: 'Get, create or delete a pacticipant version', ...t }),
        'pb:pacticipant-branch-version': link(`${base}/pacticipants/{pacticipant}/branches/{branch}/versions/{version}`, { title: 'Get or add/create a version for a pacticipant branch', ...t }),
        'pb:pacticipant-version-tag': link(`${base}/pacticipants/{pacticipant}/versions/{version}/tags/{tag}`, { title: 'Get, create or delete a tag for a pacticipant version', ...t }),
        'pb:latest-version': link(`${base}/pacticipants/{pacticipant}/latest-version`, { title: 'Latest pacticipant version', ...t }),
        'pb:latest-tagged-version': link(`${base}/pacticipants/{pacticipant}/latest-version/{tag}`, { title: 'Latest pacticipant version with the specified tag', ...t }),
        'pb:environments': link(`${base}/environments`, { title: 'Environments' }),
        'pb:environment': link(`${base}/environments/{uuid}`, { title: 'Environment', ...t }),
        'pb:can-i-deploy-pacticipant-version-to-environment': link(`${base}/can-i-deploy?pacticipant={pacticipant}&version={version}&environment={environment}`, { title: 'Determine if a pacticipant version can be deployed to an environment', ...t }),
        'pb:can-i-deploy-pacticipant-version-to-tag': link(`${base}/can-i-deploy?pacticipant={pacticipant}&version={version}&to={tag}`, { title: 'Determine if a pacticipant version can be deployed to a tagged environment', ...t }),
        'pb:matrix': link(`${base}/matrix`, { title: 'The matrix of pact publications and verification results' }),
        'pf:publish-provider-contract': link(`${base}/provider-contracts/provider/{provider}/publish`, { title: 'Publish a provider contract (OpenAPI) for bi-directional contract testing', ...t }),
        'pb:webhooks': link(`${base}/webhooks`, { title: 'Webhooks' }),
        'pb:webhook': link(`${base}/webhooks/{uuid}`, { title: 'Webhook', ...t }),
        'accord:evidence': link(`${base}/pacticipants/{pacticipant}/versions/{version}/evidence`, { title: 'Gate evidence (one record per step) of a pacticipant version: an Accord extension', ...t }),
        curies: [{ name: 'pb', href: `${base}/doc/{rel}?context=index`, templated: true }],
      },
    };
  });
}
