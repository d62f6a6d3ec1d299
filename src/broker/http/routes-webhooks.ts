import type { FastifyInstance, FastifyRequest } from 'fastify';
import { notFound } from '../problem.js';
import { parseWebhook } from '../webhooks/parse-webhook.js';
import { REDACTED, redactHeaders } from '../webhooks/redact-headers.js';
import { sendWebhookRequest } from '../webhooks/send-request.js';
import type { WebhookTargetPolicy } from '../webhooks/target-policy.js';
import { testParams } from '../webhooks/triggers.js';
import { deleteWebhook, findWebhook, listExecutions, listWebhooks, recordExecution, saveWebhook } from '../webhooks/webhook-store.js';
import type { Webhook, WebhookExecution } from '../webhooks/webhook-store.js';
import type { RouteContext } from './context.js';
import { link, linksFor } from './hal.js';
import type { Links } from './hal.js';

/** What the webhook routes need beyond the route context. */
export interface WebhookRouteOptions {
  policy: WebhookTargetPolicy;
  /** How long `execute` waits for the receiver. */
  timeoutMs: number;
  /** This replica's name in execution records. */
  replica: string;
}

/** How many executions `GET …/executions` answers. */
const EXECUTIONS_SHOWN = 100;

/** A webhook as the Pact Broker shows it: secret-looking header values and the password masked. */
function webhookView(links: Links, webhook: Webhook) {
  const self = links.url('webhooks', webhook.uuid);
  const { password, ...request } = webhook.request;
  return {
    uuid: webhook.uuid,
    description: webhook.description ?? undefined,
    ...(webhook.consumerName ? { consumer: { name: webhook.consumerName } } : {}),
    ...(webhook.providerName ? { provider: { name: webhook.providerName } } : {}),
    enabled: webhook.enabled,
    request: { ...request, headers: redactHeaders(request.headers ?? {}), ...(password === undefined ? {} : { password: REDACTED }) },
    events: webhook.events.map((name) => ({ name })),
    createdAt: webhook.createdAt,
    updatedAt: webhook.updatedAt,
    _links: {
      self: link(self, { title: webhook.description ?? 'Webhook' }),
      'pb:execute': link(`${self}/execute`, { title: 'Test the execution of the webhook with the latest matching pact or verification by sending a POST request to this URL' }),
      'pb:webhooks': link(links.url('webhooks'), { title: 'All webhooks' }),
      'accord:executions': link(`${self}/executions`, { title: 'The webhook\'s recorded executions: request, response, duration and outcome' }),
      ...(webhook.consumerName ? { 'pb:consumer': link(links.url('pacticipants', webhook.consumerName), { title: 'Consumer', name: webhook.consumerName }) } : {}),
      ...(webhook.providerName ? { 'pb:provider': link(links.url('pacticipants', webhook.providerName), { title: 'Provider', name: webhook.providerName }) } : {}),
    },
  };
}

function executionView(execution: WebhookExecution) {
  const { id: _id, ...rest } = execution;
  return rest;
}

/** `/webhooks…` at the Pact Broker's paths (what `pact broker create-webhook`, `create-or-update-webhook` and `test-webhook` call), plus executions. */
export function registerWebhookRoutes(app: FastifyInstance, ctx: RouteContext, options: WebhookRouteOptions): void {
  const { db } = ctx;
  const created = async (request: FastifyRequest, scope: { consumer?: string; provider?: string }) => {
    const input = parseWebhook(request.body, options.policy, { scope });
    const { webhook } = await saveWebhook(db, input);
    return webhookView(linksFor(request, ctx.baseUrl), webhook);
  };

  app.get('/webhooks', async (request) => {
    const links = linksFor(request, ctx.baseUrl);
    const webhooks = await listWebhooks(db);
    return {
      _embedded: { webhooks: webhooks.map((webhook) => webhookView(links, webhook)) },
      _links: {
        self: link(links.url('webhooks'), { title: 'Webhooks' }),
        'pb:create': link(links.url('webhooks'), { title: 'POST to create a webhook' }),
        'pb:webhooks': webhooks.map((webhook) => link(links.url('webhooks', webhook.uuid), { title: webhook.description ?? 'Webhook', name: webhook.description ?? webhook.uuid })),
      },
    };
  });
  app.post('/webhooks', async (request, reply) => reply.code(201).send(await created(request, {})));
  app.post<{ Params: { provider: string; consumer: string } }>('/webhooks/provider/:provider/consumer/:consumer', async (request, reply) =>
    reply.code(201).send(await created(request, { provider: request.params.provider, consumer: request.params.consumer })),
  );
  app.post<{ Params: { provider: string } }>('/webhooks/provider/:provider', async (request, reply) => reply.code(201).send(await created(request, { provider: request.params.provider })));
  app.post<{ Params: { consumer: string } }>('/webhooks/consumer/:consumer', async (request, reply) => reply.code(201).send(await created(request, { consumer: request.params.consumer })));

  app.get<{ Params: { uuid: string } }>('/webhooks/:uuid', async (request) => {
    const webhook = await findWebhook(db, request.params.uuid);
    if (!webhook) throw notFound(`webhook ${JSON.stringify(request.params.uuid)}`);
    return webhookView(linksFor(request, ctx.baseUrl), webhook);
  });
  app.put<{ Params: { uuid: string } }>('/webhooks/:uuid', async (request, reply) => {
    const input = parseWebhook(request.body, options.policy, { uuid: request.params.uuid });
    const saved = await saveWebhook(db, input);
    return reply.code(saved.created ? 201 : 200).send(webhookView(linksFor(request, ctx.baseUrl), saved.webhook));
  });
  app.delete<{ Params: { uuid: string } }>('/webhooks/:uuid', async (request, reply) => {
    if (!(await deleteWebhook(db, request.params.uuid))) throw notFound(`webhook ${JSON.stringify(request.params.uuid)}`);
    return reply.code(204).send();
  });

  app.post<{ Params: { uuid: string } }>('/webhooks/:uuid/execute', async (request) => {
    const webhook = await findWebhook(db, request.params.uuid);
    if (!webhook) throw notFound(`webhook ${JSON.stringify(request.params.uuid)}`);
    const links = linksFor(request, ctx.baseUrl);
    const params = await testParams(db, links.base, webhook);
    const sent = await sendWebhookRequest(webhook.request, params, { policy: options.policy, timeoutMs: options.timeoutMs });
    await recordExecution(db, { ...sent, webhookId: webhook.id, deliveryId: undefined, eventName: 'execute', attempt: 1, replica: options.replica });
    const logs = [
      `${sent.request.method} ${sent.request.url}`,
      ...Object.entries(sent.request.headers).map(([name, value]) => `${name}: ${value}`),
      sent.response ? `answered ${sent.response.status} in ${Math.round(sent.durationMs)} ms` : `failed after ${Math.round(sent.durationMs)} ms: ${sent.error ?? ''}`,
    ].join('\n');
    return {
      request: sent.request,
      response: sent.response,
      logs,
      success: sent.success,
      ...(sent.error ? { error: { message: sent.error } } : {}),
      _links: { 'pb:webhook': link(links.url('webhooks', webhook.uuid), { title: 'Webhook' }), 'accord:executions': link(links.url('webhooks', webhook.uuid, 'executions')) },
    };
  });

  app.get<{ Params: { uuid: string } }>('/webhooks/:uuid/executions', async (request) => {
    const webhook = await findWebhook(db, request.params.uuid);
    if (!webhook) throw notFound(`webhook ${JSON.stringify(request.params.uuid)}`);
    const executions = await listExecutions(db, { webhookUuid: webhook.uuid, limit: EXECUTIONS_SHOWN });
    const links = linksFor(request, ctx.baseUrl);
    return { _embedded: { executions: executions.map(executionView) }, _links: { self: link(links.url('webhooks', webhook.uuid, 'executions')), 'pb:webhook': link(links.url('webhooks', webhook.uuid)) } };
  });
}
