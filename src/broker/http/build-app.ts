import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import type { ContractChecker } from '../bdct/contract-checker.js';
import type { Db } from '../db.js';
import { EVIDENCE_STEPS } from '../evidence/steps.js';
import { BrokerProblem } from '../problem.js';
import { authHook } from './auth.js';
import type { BrokerAuth } from './auth.js';
import { replyProblem } from './reply-problem.js';
import { renderLoginPage } from '../web/render-page.js';
import { registerWebRoutes } from '../web/routes-web.js';
import { registerEvidenceRoutes } from './routes-evidence.js';
import { registerEnvironmentRoutes } from './routes-environments.js';
import { registerIndexRoutes } from './routes-index.js';
import { registerMatrixRoutes } from './routes-matrix.js';
import { registerPacticipantRoutes } from './routes-pacticipants.js';
import { registerPactRoutes } from './routes-pacts.js';
import { registerProviderContractRoutes } from './routes-provider-contracts.js';
import { registerPublishRoutes } from './routes-publish.js';

/** Options for {@link buildBrokerApp}. */
export interface BrokerAppOptions {
  db: Db;
  auth: BrokerAuth;
  checkContract: ContractChecker;
  /** Largest accepted request body. @default 5 MiB */
  bodyLimitBytes?: number;
  /** Public URL for links when behind a proxy. @default taken from each request */
  baseUrl?: string | undefined;
  /** pino logger settings, or false. @default false */
  logger?: boolean | { level: string };
  /** Step ids evidence may be recorded for. @default EVIDENCE_STEPS */
  evidenceSteps?: readonly string[];
}

const JSON_TYPES = ['application/json', 'application/hal+json', 'application/merge-patch+json'];

/** The broker's fastify app (not listening yet): auth, JSON parsing, problem+json errors, every route. */
export function buildBrokerApp(options: BrokerAppOptions): FastifyInstance {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: options.bodyLimitBytes ?? 5 * 1024 * 1024,
    // Pacticipant names and versions come URL-encoded in paths; 'ignoreTrailingSlash' matches the broker's leniency.
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 500 },
    ajv: { customOptions: { allErrors: true, removeAdditional: false, coerceTypes: false } },
  });
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  // An empty body means "{}" (clients PUT versions and tags with no body); prototype poisoning is refused.
  app.addContentTypeParser(JSON_TYPES, { parseAs: 'string' }, (request, body, done) => {
    if (typeof body === 'string' && body.trim() === '') {
      done(null, {});
      return;
    }
    // Given `done`, the default parser answers through it and returns nothing to await.
    void parseJson(request, body.toString(), done);
  });
  app.addHook('onRequest', authHook(options.auth, renderLoginPage));
  app.addHook('preValidation', async (request) => {
    if (request.body === undefined && !['GET', 'HEAD', 'OPTIONS', 'DELETE'].includes(request.method)) request.body = {};
  });
  app.setErrorHandler((error, request, reply) => replyProblem(error as Error, request, reply));
  app.setNotFoundHandler((request, reply) => replyProblem(new BrokerProblem(404, 'Not Found', `no broker resource at ${request.method} ${request.url.split('?')[0]}`), request, reply));
  app.addHook('onSend', async (_request, reply, payload) => {
    const type = reply.getHeader('content-type');
    if (typeof type === 'string' && type.startsWith('application/json')) reply.header('content-type', 'application/hal+json; charset=utf-8');
    return payload;
  });

  const ctx = { db: options.db, baseUrl: options.baseUrl, checkContract: options.checkContract, evidenceSteps: options.evidenceSteps ?? EVIDENCE_STEPS };
  registerIndexRoutes(app, ctx);
  registerPublishRoutes(app, ctx);
  registerPacticipantRoutes(app, ctx);
  registerEnvironmentRoutes(app, ctx);
  registerPactRoutes(app, ctx);
  registerMatrixRoutes(app, ctx);
  registerProviderContractRoutes(app, ctx);
  registerEvidenceRoutes(app, ctx);
  registerWebRoutes(app, options.auth);
  return app;
}
