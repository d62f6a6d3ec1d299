import type { FastifyInstance, FastifyRequest } from 'fastify';
import { computeMatrix } from '../matrix/compute-matrix.js';
import { parseCanIDeployQuery, parseMatrixQuery } from '../matrix/parse-query.js';
import type { MatrixQuery, MatrixResult } from '../matrix/types.js';
import { versionDetails } from '../store/versions.js';
import type { RouteContext } from './context.js';
import { link, linksFor } from './hal.js';
import { matrixVersionView } from './views.js';

/** `GET /matrix` and `GET /can-i-deploy`: the Pact Broker's JSON, plus `verificationType` per row. */
export function registerMatrixRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const answer = async (request: FastifyRequest, query: MatrixQuery) => {
    const result = await computeMatrix(ctx.db, query);
    return matrixView(request, ctx, result);
  };
  app.get('/matrix', async (request) => answer(request, parseMatrixQuery(searchOf(request))));
  app.get('/can-i-deploy', async (request) => answer(request, parseCanIDeployQuery(searchOf(request))));
}

function searchOf(request: FastifyRequest): URLSearchParams {
  const raw = request.raw.url ?? '';
  const at = raw.indexOf('?');
  return new URLSearchParams(at === -1 ? '' : raw.slice(at + 1));
}

async function matrixView(request: FastifyRequest, ctx: RouteContext, result: MatrixResult) {
  const links = linksFor(request, ctx.baseUrl);
  const ids = result.rows.flatMap((row) => (row.providerVersionId === null ? [row.consumerVersionId] : [row.consumerVersionId, row.providerVersionId]));
  const details = await versionDetails(ctx.db, ids);
  const { decision } = result;
  return {
    summary: {
      deployable: decision.deployable,
      reason: decision.reasons.map((r) => r.text).join('\n'),
      success: decision.success,
      failed: decision.failed,
      unknown: decision.unknown,
      ...(decision.ignored === undefined ? {} : { ignored: decision.ignored }),
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
  };
}
