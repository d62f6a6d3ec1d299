import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import type { ContractChecker } from '../bdct/contract-checker.js';
import type { Db } from '../db.js';
import { EVIDENCE_STEPS } from '../evidence/steps.js';
import { printable } from '../../errors/index.js';
import { MAX_NESTING_DEPTH, textNestingDepth } from '../../input/index.js';
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
import { registerWebhookRoutes } from './routes-webhooks.js';
import type { WebhookRouteOptions } from './routes-webhooks.js';
import { DEFAULT_TARGET_POLICY } from '../webhooks/target-policy.js';
import { webhookNotifier } from '../webhooks/notifier.js';
import type { WebhookNotifier } from '../webhooks/notifier.js';

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
  /** Webhooks: where they may call and who hears of events. @default https only; deliveries queued in the database for whichever replica runs a worker */
  webhooks?: Partial<WebhookRouteOptions> & { notifier?: WebhookNotifier | undefined };
}

/** The longest URL the broker reads; names and versions are far shorter. */
const MAX_URL_LENGTH = 4096;
/** The longest pacticipant name, version, tag, branch or environment, in a URL as in a body (the bodies' schemas say 255 too). */
const MAX_NAME_LENGTH = 255;

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** True when a parsed body holds a NUL character in any key or string (walked without recursion). */
function hasNul(value: unknown): boolean {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const node = stack.pop();
    if (typeof node === 'string') {
      if (node.includes('\u0000')) return true;
    } else if (Array.isArray(node)) {
      for (const item of node) stack.push(item);
    }
    else if (typeof node === 'object' && node !== null) {
      for (const [key, child] of Object.entries(node)) {
        if (key.includes('\u0000')) return true;
        stack.push(child);
      }
    }
  }
  return false;
}

const JSON_TYPES = ['application/json', 'application/hal+json', 'application/merge-patch+json'];

/** The broker's fastify app (not listening yet): auth, JSON parsing, problem+json errors, every route. */
export function buildBrokerApp(options: BrokerAppOptions): FastifyInstance {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: options.bodyLimitBytes ?? 5 * 1024 * 1024,
    // Pacticipant names and versions come URL-encoded in paths; 'ignoreTrailingSlash' matches the broker's leniency.
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: MAX_NAME_LENGTH * 3 },
    ajv: { customOptions: { allErrors: true, removeAdditional: false, coerceTypes: false } },
    // Errors the router raises before any hook (a malformed URL, a parameter over maxParamLength)
    // are answered as problem+json too, without echoing the URL.
    frameworkErrors: (error, request, reply) => {
      const tooLong = (error as { code?: string }).code === 'FST_ERR_MAX_PARAM_LENGTH';
      void replyProblem(
        tooLong ? new BrokerProblem(414, 'URI Too Long', `a name or version in the URL is longer than ${MAX_NAME_LENGTH} characters`) : new BrokerProblem(400, 'Bad Request', 'the URL is malformed'),
        request,
        reply,
      );
    },
  });
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  // An empty body means "{}" (clients PUT versions and tags with no body); prototype poisoning is refused.
  app.addContentTypeParser(JSON_TYPES, { parseAs: 'string' }, (request, body, done) => {
    if (typeof body === 'string' && body.trim() === '') {
      done(null, {});
      return;
    }
    const text = body.toString();
    // Before parsing: nesting deeper than the limit is refused, never walked by a recursive reader.
    if (textNestingDepth(text) > MAX_NESTING_DEPTH) {
      done(new BrokerProblem(400, 'Bad Request', `the request body nests objects and arrays more than ${MAX_NESTING_DEPTH} deep`), undefined);
      return;
    }
    // Given `done`, the default parser answers through it and returns nothing to await.
    void parseJson(request, text, (error: Error | null, value?: unknown) => {
      if (error === null && hasNul(value)) {
        done(new BrokerProblem(400, 'Bad Request', 'the request body holds a NUL character (\\u0000), which names and documents may not contain'), undefined);
        return;
      }
      done(error, value);
    });
  });
  // A NUL byte in the path or the query (a name, a matrix selector) is refused before any route
  // sees it; PostgreSQL text cannot hold one.
  app.addHook('onRequest', async (request) => {
    if (/%00|\u0000/i.test(request.url)) throw new BrokerProblem(400, 'Bad Request', 'the URL holds a NUL character (%00), which names and selectors may not contain');
    if (request.url.length > MAX_URL_LENGTH) throw new BrokerProblem(414, 'URI Too Long', `the URL is longer than ${MAX_URL_LENGTH} characters`);
    const [path = '', query = ''] = request.url.split('?', 2);
    if (path.split('/').some((segment) => segment.length > MAX_NAME_LENGTH * 3 || safeDecode(segment).length > MAX_NAME_LENGTH)) {
      throw new BrokerProblem(414, 'URI Too Long', `a name or version in the URL is longer than ${MAX_NAME_LENGTH} characters`);
    }
    // Query values are names too (matrix and can-i-deploy selectors): the same limit, never echoed.
    for (const [key, value] of new URLSearchParams(query)) {
      if (value.length > MAX_NAME_LENGTH) throw new BrokerProblem(414, 'URI Too Long', `the query's ${printable(key, 40)} is longer than ${MAX_NAME_LENGTH} characters`);
    }
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

  const ctx = { db: options.db, baseUrl: options.baseUrl, checkContract: options.checkContract, evidenceSteps: options.evidenceSteps ?? EVIDENCE_STEPS, webhooks: options.webhooks?.notifier ?? webhookNotifier(options.db) };
  registerIndexRoutes(app, ctx);
  registerPublishRoutes(app, ctx);
  registerPacticipantRoutes(app, ctx);
  registerEnvironmentRoutes(app, ctx);
  registerPactRoutes(app, ctx);
  registerMatrixRoutes(app, ctx);
  registerProviderContractRoutes(app, ctx);
  registerEvidenceRoutes(app, ctx);
  registerWebhookRoutes(app, ctx, { policy: options.webhooks?.policy ?? DEFAULT_TARGET_POLICY, timeoutMs: options.webhooks?.timeoutMs ?? 10_000, replica: options.webhooks?.replica ?? 'broker' });
  registerWebRoutes(app, options.auth);
  return app;
}
