import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { TOKEN_COOKIE, tokenAccess } from '../http/auth.js';
import type { BrokerAuth } from '../http/auth.js';
import type { RouteContext } from '../http/context.js';
import { requiredSteps } from '../http/routes-matrix.js';
import { weighEvidence } from '../evidence/weigh-evidence.js';
import { computeMatrix } from '../matrix/compute-matrix.js';
import { BrokerProblem } from '../problem.js';
import { readPageData } from './page-data.js';
import { EXECUTIONS_ON_PAGE } from '../webhooks/render-executions.js';
import { listExecutions } from '../webhooks/webhook-store.js';
import { renderBrokerPage, renderLoginPage } from './render-page.js';
import type { PageQuestion } from './render-page.js';

const COOKIE_MAX_AGE_SECONDS = 8 * 3600;

/** `GET /` for a browser: the page, with the can-i-deploy answer when the form's fields are given. */
export async function replyBrokerPage(ctx: RouteContext, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const search = new URLSearchParams((request.raw.url ?? '').split('?')[1] ?? '');
  const [data, question, executions] = await Promise.all([readPageData(ctx.db, ctx.evidenceSteps), askCanIDeploy(ctx, search), listExecutions(ctx.db, { limit: EXECUTIONS_ON_PAGE })]);
  return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(renderBrokerPage(data, question, executions));
}

/** The form's question through the same matrix and evidence rules as `GET /matrix?…&require=`. */
async function askCanIDeploy(ctx: RouteContext, search: URLSearchParams): Promise<PageQuestion | undefined> {
  const pacticipant = search.get('pacticipant') ?? '';
  const version = search.get('version') ?? '';
  const environment = search.get('environment') ?? '';
  const require = search.get('require') ?? '';
  if (!pacticipant && !version) return undefined;
  const question: PageQuestion = { pacticipant, version, environment, require };
  if (!pacticipant || !version || !environment) return { ...question, error: 'give a pacticipant, a version and an environment' };
  try {
    const required = require.trim() ? requiredSteps(new URLSearchParams({ require }), ctx.evidenceSteps) : undefined;
    const result = await computeMatrix(ctx.db, { selectors: [{ pacticipant, version }], ignore: [], latestby: 'cvpv', environment, limit: 100 });
    const evidence = required ? await weighEvidence(ctx.db, result, required) : undefined;
    return { ...question, answer: { decision: evidence?.decision ?? result.decision, evidence } };
  } catch (error) {
    if (error instanceof BrokerProblem) return { ...question, error: error.message };
    throw error;
  }
}

/** The login form's endpoints: a valid token becomes an HttpOnly cookie that lets this browser read. */
export function registerWebRoutes(app: FastifyInstance, auth: BrokerAuth): void {
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(String(body))));
  });
  app.post<{ Body: { token?: string } }>('/ui/login', async (request, reply) => {
    const token = typeof request.body?.token === 'string' ? request.body.token.trim() : '';
    if (!token || tokenAccess(auth, token) === undefined) return reply.code(401).type('text/html; charset=utf-8').send(renderLoginPage('That token is not valid for this broker.'));
    const secure = request.protocol === 'https' ? '; Secure' : '';
    return reply
      .code(303)
      .header('set-cookie', `${TOKEN_COOKIE}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${COOKIE_MAX_AGE_SECONDS}${secure}`)
      .header('location', '/')
      .send();
  });
  app.post('/ui/logout', async (_request, reply) =>
    reply.code(303).header('set-cookie', `${TOKEN_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0`).header('location', '/').send(),
  );
}
