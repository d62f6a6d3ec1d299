import type { FastifyInstance, FastifyRequest } from 'fastify';
import { parseRequiredSteps } from '../evidence/steps.js';
import { weighEvidence } from '../evidence/weigh-evidence.js';
import type { EvidenceDecision } from '../evidence/weigh-evidence.js';
import { computeMatrix } from '../matrix/compute-matrix.js';
import { parseCanIDeployQuery, parseMatrixQuery } from '../matrix/parse-query.js';
import type { MatrixQuery, MatrixResult } from '../matrix/types.js';
import { badRequest } from '../problem.js';
import { versionDetails } from '../store/versions.js';
import type { RouteContext } from './context.js';
import type { Links } from './hal.js';
import { link, linksFor } from './hal.js';
import { matrixVersionView } from './views.js';

/**
 * `GET /matrix` and `GET /can-i-deploy`: the Pact Broker's JSON, plus `verificationType`
 * per row. Accord's extension: `require=schema,load` (or `all`) weighs those steps' evidence too,
 * adding `summary.evidence` and `evidence`; without it the JSON is the Pact Broker's.
 */
export function registerMatrixRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const answer = async (request: FastifyRequest, search: URLSearchParams, query: MatrixQuery) => {
    const required = requiredSteps(search, ctx.evidenceSteps);
    const result = await computeMatrix(ctx.db, query);
    const evidence = required ? await weighEvidence(ctx.db, result, required) : undefined;
    return matrixView(request, ctx, result, evidence);
  };
  app.get('/matrix', async (request) => {
    const search = searchOf(request);
    return answer(request, search, parseMatrixQuery(search));
  });
  app.get('/can-i-deploy', async (request) => {
    const search = searchOf(request);
    return answer(request, search, parseCanIDeployQuery(search));
  });
}

/** The `require` parameter's step ids; an unknown one is a 400 before the matrix is computed. */
export function requiredSteps(search: URLSearchParams, known: readonly string[]): string[] | undefined {
  const values = search.getAll('require');
  if (values.length === 0) return undefined;
  const { steps, unknown } = parseRequiredSteps(values.join(','), known);
  if (unknown.length > 0) {
    const message = `require: unknown step${unknown.length > 1 ? 's' : ''} ${unknown.map((s) => JSON.stringify(s)).join(', ')} (known: ${known.join(', ')}, or all)`;
    throw badRequest(message, { require: [message] });
  }
  if (steps.length === 0) throw badRequest('require: give at least one step id (or all)', { require: ['give at least one step id (or all)'] });
  return steps;
}

function searchOf(request: FastifyRequest): URLSearchParams {
  const raw = request.raw.url ?? '';
  const at = raw.indexOf('?');
  return new URLSearchParams(at === -1 ? '' : raw.slice(at + 1));
}

/** The matrix JSON; with evidence weighed, the decision is the combined one. */
export async function matrixView(request: FastifyRequest, ctx: RouteContext, result: MatrixResult, evidence?: EvidenceDecision) {
  const links = linksFor(request, ctx.baseUrl);
  const ids = result.rows.flatMap((row) => (row.providerVersionId === null ? [row.consumerVersionId] : [row.consumerVersionId, row.providerVersionId]));
  const details = await versionDetails(ctx.db, ids);
  const decision = evidence?.decision ?? result.decision;
  return {
    summary: {
      deployable: decision.deployable,
      reason: decision.reasons.map((r) => r.text).join('\n'),
      success: decision.success,
      failed: decision.failed,
      unknown: decision.unknown,
      ...(decision.ignored === undefined ? {} : { ignored: decision.ignored }),
      ...(evidence ? { evidence: { required: evidence.required, passed: evidence.passed, failed: evidence.failed, missing: evidence.missing } } : {}),
    },
    notices: decision.reasons.map((r) => ({ type: r.type, text: r.text })),
    matrix: result.rows.map((row) => {
      const consumerVersion = details.get(row.consumerVersionId);
      const providerVersion = row.providerVersionId === null ? undefined : details.get(row.providerVersionId);
      const pactUrl = links.url('pacts', 'provider', row.providerName, 'consumer', row.consumerName, 'version', row.consumerVersionNumber);
      const pactVersionUrl = links.url('pacts', 'provider', row.providerName, 'consumer', row.consumerName, 'pact-version', row.pactSha);
      return {
        consumer: { name: row.consumerName, version: consumerVersion ? matrixVersionView(links, consumerVersion) : null, _links: { self: link(links.url('pacticipants', row.consumerName)) } },
        provider: { name: row.providerName, version: providerVersion ? matrixVersionView(links, providerVersion) : null, _links: { self: link(links.url('pacticipants', row.providerName)) } },
        pact: { createdAt: row.pactCreatedAt, _links: { self: link(pactUrl) } },
        verificationResult:
          row.verificationId === null
            ? null
            : { success: row.success, verifiedAt: row.verifiedAt, _links: { self: link(`${pactVersionUrl}/verification-results/${row.verificationNumber}`) } },
        verificationType: row.verificationType ?? 'CDCT',
        ...(row.ignored ? { ignored: true } : {}),
      };
    }),
    ...(evidence ? { evidence: evidenceRows(links, evidence) } : {}),
  };
}

/** One entry per version and required step: the record, or `status: null` when none was published. */
function evidenceRows(links: Links, evidence: EvidenceDecision) {
  return evidence.versions.flatMap((v) =>
    evidence.required.map((step) => {
      const record = v.steps[step] ?? null;
      const self = links.url('pacticipants', v.pacticipant, 'versions', v.version, 'evidence', step);
      return {
        pacticipant: { name: v.pacticipant },
        version: { number: v.version },
        step,
        status: record?.status ?? null,
        summary: record?.summary ?? null,
        reportDigest: record?.reportDigest ?? null,
        ...(record?.reportUrl ? { reportUrl: record.reportUrl } : {}),
        createdAt: record?.createdAt ?? null,
        _links: { self: link(self) },
      };
    }),
  );
}
