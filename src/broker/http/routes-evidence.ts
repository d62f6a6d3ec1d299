import type { FastifyInstance } from 'fastify';
import { withTransaction } from '../db.js';
import { BrokerProblem, badRequest, notFound } from '../problem.js';
import { insertEvidence, listEvidence, sameEvidence } from '../store/evidence.js';
import type { NewEvidence, VersionEvidence } from '../store/evidence.js';
import { findPacticipant } from '../store/pacticipants.js';
import { findVersion } from '../store/versions.js';
import type { RouteContext } from './context.js';
import type { Links } from './hal.js';
import { link, linksFor } from './hal.js';

const record = {
  type: 'object',
  additionalProperties: false,
  required: ['status', 'summary', 'reportDigest'],
  properties: {
    status: { type: 'string', enum: ['pass', 'fail', 'warn', 'skip'] },
    summary: { type: 'string', minLength: 1, maxLength: 2000 },
    reportDigest: { type: 'string', pattern: '^sha256:[0-9a-f]{64}$' },
    reportUrl: { type: 'string', pattern: '^https?://', maxLength: 2048 },
  },
};
const stepRecord = { ...record, required: ['step', ...record.required], properties: { step: { type: 'string', minLength: 1, maxLength: 100 }, ...record.properties } };
const batchBody = { type: 'object', additionalProperties: false, required: ['evidence'], properties: { evidence: { type: 'array', minItems: 1, maxItems: 100, items: stepRecord } } };

type PV = { pacticipant: string; version: string };

/** `accord:evidence`: the gate's step results per pacticipant version (an Accord extension to the Pact Broker API). */
export function registerEvidenceRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { db } = ctx;

  const findTarget = async ({ pacticipant: name, version: number }: PV) => {
    const pacticipant = await findPacticipant(db, name);
    if (!pacticipant) throw notFound(`pacticipant ${JSON.stringify(name)}`);
    const version = await findVersion(db, pacticipant.id, number);
    if (!version) throw notFound(`version ${JSON.stringify(number)} of pacticipant ${JSON.stringify(name)}`);
    return { pacticipant, version };
  };

  // Every record is checked (steps known, none twice) before the database is asked anything.
  const checkSteps = (records: ReadonlyArray<{ step: string }>, at: (index: number) => string) => {
    const errors: Record<string, string[]> = {};
    const seen = new Set<string>();
    records.forEach(({ step }, index) => {
      if (!ctx.evidenceSteps.includes(step)) errors[at(index)] = [`unknown step ${JSON.stringify(step)} (known: ${ctx.evidenceSteps.join(', ')})`];
      else if (seen.has(step)) errors[at(index)] = [`step ${JSON.stringify(step)} is given twice`];
      seen.add(step);
    });
    if (Object.keys(errors).length > 0) throw badRequest(Object.entries(errors).map(([key, list]) => `${key}: ${list.join(', ')}`).join('; '), errors);
  };

  // All records or none: a 409 on one step rolls back the others.
  const store = async (params: PV, records: readonly NewEvidence[]) => {
    const { pacticipant, version } = await findTarget(params);
    return withTransaction(db, async (tx) => {
      const stored: Array<{ record: VersionEvidence; created: boolean }> = [];
      for (const input of records) {
        const outcome = await insertEvidence(tx, pacticipant.id, version.id, input);
        if (!outcome.created && !sameEvidence(outcome.record, input)) {
          const text = `Cannot change the ${input.step} evidence of ${pacticipant.name} version ${version.number}: it was published with other content (status ${outcome.record.status}, digest ${outcome.record.reportDigest}). Each run must be published with a unique version number.`;
          throw new BrokerProblem(409, 'Conflict', text, { [input.step]: [text] }, [{ type: 'error', text }]);
        }
        stored.push(outcome);
      }
      return { pacticipant, version, stored };
    });
  };

  app.get<{ Params: PV }>('/pacticipants/:pacticipant/versions/:version/evidence', async (request) => {
    const { pacticipant, version } = await findTarget(request.params);
    const links = linksFor(request, ctx.baseUrl);
    const records = await listEvidence(db, version.id);
    return evidenceListView(links, pacticipant.name, version.number, records);
  });

  app.get<{ Params: PV & { step: string } }>('/pacticipants/:pacticipant/versions/:version/evidence/:step', async (request) => {
    const { pacticipant, version } = await findTarget(request.params);
    const found = (await listEvidence(db, version.id)).find((r) => r.step === request.params.step);
    if (!found) throw notFound(`${JSON.stringify(request.params.step)} evidence of version ${JSON.stringify(version.number)} of pacticipant ${JSON.stringify(pacticipant.name)}`);
    return evidenceView(linksFor(request, ctx.baseUrl), pacticipant.name, version.number, found);
  });

  app.post<{ Params: PV; Body: { evidence: Array<NewEvidence & { step: string }> } }>(
    '/pacticipants/:pacticipant/versions/:version/evidence',
    { schema: { body: batchBody } },
    async (request, reply) => {
      checkSteps(request.body.evidence, (index) => `evidence.${index}.step`);
      const { pacticipant, version, stored } = await store(request.params, request.body.evidence);
      const links = linksFor(request, ctx.baseUrl);
      const created = stored.some((s) => s.created);
      return reply.code(created ? 201 : 200).send({
        notices: stored.map((s) => ({ type: 'success', text: `${s.created ? 'Recorded' : 'Identical evidence already recorded:'} ${s.record.step} ${s.record.status} for ${pacticipant.name} version ${version.number}` })),
        ...evidenceListView(links, pacticipant.name, version.number, stored.map((s) => s.record)),
      });
    },
  );

  app.put<{ Params: PV & { step: string }; Body: Omit<NewEvidence, 'step'> }>(
    '/pacticipants/:pacticipant/versions/:version/evidence/:step',
    { schema: { body: record } },
    async (request, reply) => {
      const { step } = request.params;
      checkSteps([{ step }], () => 'step');
      const { pacticipant, version, stored } = await store(request.params, [{ ...request.body, step }]);
      const only = stored[0] as { record: VersionEvidence; created: boolean };
      return reply.code(only.created ? 201 : 200).send(evidenceView(linksFor(request, ctx.baseUrl), pacticipant.name, version.number, only.record));
    },
  );
}

/** One evidence record as HAL. */
export function evidenceView(links: Links, pacticipant: string, version: string, r: VersionEvidence) {
  return {
    step: r.step,
    status: r.status,
    summary: r.summary,
    reportDigest: r.reportDigest,
    ...(r.reportUrl ? { reportUrl: r.reportUrl } : {}),
    createdAt: r.createdAt,
    _links: {
      self: link(links.url('pacticipants', pacticipant, 'versions', version, 'evidence', r.step), { title: 'Evidence', name: r.step }),
      'pb:pacticipant-version': link(links.url('pacticipants', pacticipant, 'versions', version), { title: 'Version', name: version }),
      ...(r.reportUrl ? { 'accord:report': link(r.reportUrl, { title: 'Report' }) } : {}),
    },
  };
}

function evidenceListView(links: Links, pacticipant: string, version: string, records: readonly VersionEvidence[]) {
  return {
    _embedded: { evidence: records.map((r) => evidenceView(links, pacticipant, version, r)) },
    _links: {
      self: link(links.url('pacticipants', pacticipant, 'versions', version, 'evidence'), { title: 'Evidence' }),
      'pb:pacticipant-version': link(links.url('pacticipants', pacticipant, 'versions', version), { title: 'Version', name: version }),
    },
  };
}
