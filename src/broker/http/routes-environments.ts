import type { FastifyInstance } from 'fastify';
import { withTransaction } from '../db.js';
import { BrokerProblem, notFound } from '../problem.js';
import { createEnvironment, findEnvironmentByUuid, listEnvironments, recordDeployment, recordRelease } from '../store/environments.js';
import { findPacticipant } from '../store/pacticipants.js';
import { findVersion, versionDetails } from '../store/versions.js';
import type { RouteContext } from './context.js';
import { link, linksFor } from './hal.js';
import { environmentVersionView, environmentView } from './views.js';

const environmentBody = {
  type: 'object',
  required: ['name'],
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 255, pattern: '^\\S+$' },
    displayName: { type: ['string', 'null'], maxLength: 255 },
    production: { type: 'boolean' },
    contacts: {
      type: 'array',
      maxItems: 50,
      items: { type: 'object', properties: { name: { type: 'string', maxLength: 255 }, details: { type: 'object' } } },
    },
  },
};
const deploymentBody = {
  type: 'object',
  properties: { applicationInstance: { type: ['string', 'null'], maxLength: 255 }, target: { type: ['string', 'null'], maxLength: 255 } },
};

type EnvParams = { pacticipant: string; version: string; uuid: string };

/** Environments and the deployed/released versions recorded in them, as the Pact Broker keeps them. */
export function registerEnvironmentRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { db } = ctx;

  app.get('/environments', async (request) => {
    const links = linksFor(request, ctx.baseUrl);
    return { _embedded: { environments: (await listEnvironments(db)).map((e) => environmentView(links, e)) }, _links: { self: link(links.url('environments')) } };
  });

  app.post<{ Body: { name: string; displayName?: string | null; production?: boolean; contacts?: unknown[] } }>('/environments', { schema: { body: environmentBody } }, async (request, reply) => {
    const body = request.body;
    const created = await createEnvironment(db, { name: body.name, displayName: body.displayName ?? undefined, production: body.production ?? false, contacts: body.contacts });
    if (!created) {
      const message = `Another environment with name '${body.name}' already exists.`;
      throw new BrokerProblem(409, 'Conflict', message, { name: [message] });
    }
    return reply.code(201).send(environmentView(linksFor(request, ctx.baseUrl), created));
  });

  app.get<{ Params: { uuid: string } }>('/environments/:uuid', async (request) => {
    const environment = await findEnvironmentByUuid(db, request.params.uuid);
    if (!environment) throw notFound(`environment ${JSON.stringify(request.params.uuid)}`);
    return environmentView(linksFor(request, ctx.baseUrl), environment);
  });

  for (const kind of ['deployed', 'released'] as const) {
    app.post<{ Params: EnvParams; Body: { applicationInstance?: string | null; target?: string | null } }>(
      `/pacticipants/:pacticipant/versions/:version/${kind}-versions/environment/:uuid`,
      { schema: { body: deploymentBody } },
      async (request, reply) => {
        const { pacticipant: name, version: number, uuid } = request.params;
        const environment = await findEnvironmentByUuid(db, uuid);
        if (!environment) throw notFound(`environment ${JSON.stringify(uuid)}`);
        const pacticipant = await findPacticipant(db, name);
        const version = pacticipant && (await findVersion(db, pacticipant.id, number));
        if (!pacticipant || !version) throw notFound(`version ${JSON.stringify(number)} of pacticipant ${JSON.stringify(name)}`);
        const instance = request.body?.applicationInstance ?? request.body?.target ?? undefined;
        const recorded = await withTransaction(db, (tx) =>
          kind === 'deployed'
            ? recordDeployment(tx, { pacticipantId: pacticipant.id, versionId: version.id, environmentId: environment.id, applicationInstance: instance })
            : recordRelease(tx, { pacticipantId: pacticipant.id, versionId: version.id, environmentId: environment.id }),
        );
        const details = (await versionDetails(db, [version.id])).get(version.id);
        return reply.code(201).send(environmentVersionView(linksFor(request, ctx.baseUrl), kind, recorded, details as NonNullable<typeof details>, environment));
      },
    );
  }
}
