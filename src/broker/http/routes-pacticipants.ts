import type { FastifyInstance } from 'fastify';
import { withTransaction } from '../db.js';
import type { Db, Queryable } from '../db.js';
import { notFound } from '../problem.js';
import { listEnvironments } from '../store/environments.js';
import { ensurePacticipant, findPacticipant, listPacticipants, upsertPacticipant } from '../store/pacticipants.js';
import type { PacticipantFields } from '../store/pacticipants.js';
import { addBranchVersion, addTag, ensureVersion, findVersion, latestVersion, versionDetails } from '../store/versions.js';
import type { RouteContext } from './context.js';
import { link, linksFor } from './hal.js';
import { pacticipantView, versionView } from './views.js';

const name = { type: 'string', minLength: 1, maxLength: 255 };
const nullableText = { type: ['string', 'null'], maxLength: 2048 };
const pacticipantBody = {
  type: 'object',
  properties: { name, displayName: nullableText, mainBranch: nullableText, repositoryUrl: nullableText, repositoryName: nullableText, repositoryNamespace: nullableText },
};
const versionBody = { type: 'object', properties: { buildUrl: { type: 'string', maxLength: 2048 } } };
const namedBody = { type: 'object', properties: { name } };

type P = { pacticipant: string };
type PV = P & { version: string };

function fieldsOf(body: Record<string, unknown>): PacticipantFields {
  const fields: PacticipantFields = {};
  if ('displayName' in body) fields.displayName = body.displayName as string | null;
  if ('mainBranch' in body) fields.mainBranch = body.mainBranch as string | null;
  if ('repositoryUrl' in body) fields.repositoryUrl = body.repositoryUrl as string | null;
  return fields;
}

/** Pacticipants, versions, branches and tags, at the Pact Broker's paths. */
export function registerPacticipantRoutes(app: FastifyInstance, ctx: RouteContext): void {
  registerPacticipants(app, ctx);
  registerVersions(app, ctx);
  registerLabels(app, ctx);
  registerLatestVersions(app, ctx);
}

/** The pacticipant list, and one pacticipant read, created or updated. */
function registerPacticipants(app: FastifyInstance, ctx: RouteContext): void {
  const { db } = ctx;

  app.get('/pacticipants', async (request) => {
    const links = linksFor(request, ctx.baseUrl);
    const all = await listPacticipants(db);
    return { _embedded: { pacticipants: all.map((p) => pacticipantView(links, p)) }, _links: { self: link(links.url('pacticipants')) } };
  });

  app.post<{ Body: Record<string, unknown> & { name: string } }>('/pacticipants', { schema: { body: { ...pacticipantBody, required: ['name'] } } }, async (request, reply) => {
    const existed = await findPacticipant(db, request.body.name);
    const p = await upsertPacticipant(db, request.body.name, fieldsOf(request.body));
    return reply.code(existed ? 200 : 201).send(pacticipantView(linksFor(request, ctx.baseUrl), p));
  });

  app.get<{ Params: P }>('/pacticipants/:pacticipant', async (request) => {
    const p = await findPacticipant(db, request.params.pacticipant);
    if (!p) throw notFound(`pacticipant ${JSON.stringify(request.params.pacticipant)}`);
    return pacticipantView(linksFor(request, ctx.baseUrl), p);
  });

  for (const method of ['PATCH', 'PUT'] as const) {
    app.route<{ Params: P; Body: Record<string, unknown> }>({
      method,
      url: '/pacticipants/:pacticipant',
      schema: { body: pacticipantBody },
      handler: async (request, reply) => {
        const existed = await findPacticipant(db, request.params.pacticipant);
        const p = await upsertPacticipant(db, request.params.pacticipant, fieldsOf(request.body ?? {}));
        return reply.code(existed ? 200 : 201).send(pacticipantView(linksFor(request, ctx.baseUrl), p));
      },
    });
  }
}

/** One pacticipant's version, read or created. */
function registerVersions(app: FastifyInstance, ctx: RouteContext): void {
  const { db } = ctx;

  const showVersion = async (request: { params: PV }, links: ReturnType<typeof linksFor>) => {
    const p = await findPacticipant(db, request.params.pacticipant);
    const v = p && (await findVersion(db, p.id, request.params.version));
    if (!p || !v) throw notFound(`version ${JSON.stringify(request.params.version)} of pacticipant ${JSON.stringify(request.params.pacticipant)}`);
    const details = (await versionDetails(db, [v.id])).get(v.id);
    if (!details) throw notFound(`version ${JSON.stringify(request.params.version)}`);
    return versionView(links, details, await listEnvironments(db));
  };

  app.get<{ Params: PV }>('/pacticipants/:pacticipant/versions/:version', async (request) => showVersion(request, linksFor(request, ctx.baseUrl)));

  app.put<{ Params: PV; Body: { buildUrl?: string } }>('/pacticipants/:pacticipant/versions/:version', { schema: { body: versionBody } }, async (request, reply) => {
    const created = await withTransaction(db, async (tx) => {
      const p = await ensurePacticipant(tx, request.params.pacticipant);
      return (await ensureVersion(tx, p.id, request.params.version, request.body?.buildUrl)).created;
    });
    return reply.code(created ? 201 : 200).send(await showVersion(request, linksFor(request, ctx.baseUrl)));
  });
}

/** A version's branches and tags, added (with the pacticipant and version when new). */
function registerLabels(app: FastifyInstance, ctx: RouteContext): void {
  const { db } = ctx;

  app.put<{ Params: PV & { branch: string }; Body: { name?: string } }>('/pacticipants/:pacticipant/branches/:branch/versions/:version', { schema: { body: namedBody } }, async (request, reply) => {
    const added = await labelVersion(db, request.params, (tx, pacticipantId, versionId) => addBranchVersion(tx, pacticipantId, versionId, request.params.branch));
    const links = linksFor(request, ctx.baseUrl);
    const { pacticipant, branch, version } = request.params;
    return reply.code(added ? 201 : 200).send({
      name: branch,
      _links: {
        self: link(links.url('pacticipants', pacticipant, 'branches', branch, 'versions', version)),
        'pb:version': link(links.url('pacticipants', pacticipant, 'versions', version), { name: version }),
        'pb:branch': link(links.url('pacticipants', pacticipant, 'branches', branch), { name: branch }),
      },
    });
  });

  app.put<{ Params: PV & { tag: string }; Body: { name?: string } }>('/pacticipants/:pacticipant/versions/:version/tags/:tag', { schema: { body: namedBody } }, async (request, reply) => {
    const added = await labelVersion(db, request.params, (tx, pacticipantId, versionId) => addTag(tx, pacticipantId, versionId, request.params.tag));
    const links = linksFor(request, ctx.baseUrl);
    const { pacticipant, tag, version } = request.params;
    return reply.code(added ? 201 : 200).send({
      name: tag,
      _links: {
        self: link(links.url('pacticipants', pacticipant, 'versions', version, 'tags', tag)),
        'pb:version': link(links.url('pacticipants', pacticipant, 'versions', version), { name: version }),
        'pb:pacticipant': link(links.url('pacticipants', pacticipant), { name: pacticipant }),
      },
    });
  });
}

/** Adds a branch or tag (`add`) to a version, creating the pacticipant and version when new; true when the label is new. */
async function labelVersion(db: Db, params: PV, add: (tx: Queryable, pacticipantId: number, versionId: number) => Promise<boolean>): Promise<boolean> {
  return withTransaction(db, async (tx) => {
    const p = await ensurePacticipant(tx, params.pacticipant);
    const { version } = await ensureVersion(tx, p.id, params.version);
    return add(tx, p.id, version.id);
  });
}

/** A pacticipant's latest version, optionally the latest with a tag. */
function registerLatestVersions(app: FastifyInstance, ctx: RouteContext): void {
  const { db } = ctx;

  for (const url of ['/pacticipants/:pacticipant/latest-version', '/pacticipants/:pacticipant/latest-version/:tag']) {
    app.get<{ Params: P & { tag?: string } }>(url, async (request) => {
      const p = await findPacticipant(db, request.params.pacticipant);
      const v = p && (await latestVersion(db, p.id, request.params.tag));
      if (!p || !v) throw notFound(`a latest version of ${JSON.stringify(request.params.pacticipant)}${request.params.tag ? ` with tag ${JSON.stringify(request.params.tag)}` : ''}`);
      const details = (await versionDetails(db, [v.id])).get(v.id);
      return versionView(linksFor(request, ctx.baseUrl), details as NonNullable<typeof details>, await listEnvironments(db));
    });
  }
}
