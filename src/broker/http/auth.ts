import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { BrokerProblem } from '../problem.js';

/** Who may read and who may write. */
export interface BrokerAuth {
  /** Bearer tokens that may read. */
  readOnlyTokens: readonly string[];
  /** Bearer tokens that may read and write. */
  readWriteTokens: readonly string[];
  /** Let callers without a token read (writes always need a read-write token). @default false */
  allowPublicRead?: boolean;
}

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
// Asking which pacts to verify is a POST only because its selectors are a body; the Pact Broker treats it as a read.
const READ_POST = /^\/pacts\/provider\/[^/]+\/for-verification$/;

// Comparing digests keeps the comparison constant-time whatever the token lengths.
const digest = (value: string) => createHash('sha256').update(value).digest();
const matches = (token: string, candidates: readonly string[]) => {
  const given = digest(token);
  return candidates.some((candidate) => timingSafeEqual(given, digest(candidate)));
};

/** The cookie the page's login form sets; it is honoured for reads only, so a page can never be made to write. */
export const TOKEN_COOKIE = 'accord_broker_token';

/** Whether the caller is a browser asking for a page (HAL clients ask for JSON). */
export function wantsHtml(request: FastifyRequest): boolean {
  return (request.headers.accept ?? '').includes('text/html');
}

/** The token in the page's cookie, if any. */
export function cookieToken(header: string | undefined): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === TOKEN_COOKIE && value.length > 0) return decodeURIComponent(value.join('='));
  }
  return undefined;
}

/** Which tokens let a caller read (`read`), write (`write`), or neither. */
export function tokenAccess(auth: BrokerAuth, token: string): 'write' | 'read' | undefined {
  if (matches(token, auth.readWriteTokens)) return 'write';
  if (matches(token, auth.readOnlyTokens)) return 'read';
  return undefined;
}

// The login form posts its token itself; logging out only clears the cookie.
const SELF_AUTHENTICATED = new Set(['/ui/login', '/ui/logout']);

/**
 * An onRequest hook: 401 without a known token, 403 when a read-only token tries to write.
 * A browser reading without a token gets the login form (`loginPage`) instead of the 401 body.
 */
export function authHook(auth: BrokerAuth, loginPage?: (message: string) => string) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | void> => {
    const path = request.url.split('?')[0] ?? '';
    const isRead = READ_METHODS.has(request.method) || (request.method === 'POST' && READ_POST.test(path));
    if (request.method === 'POST' && SELF_AUTHENTICATED.has(path)) return;
    const header = request.headers.authorization;
    // The scheme is case-insensitive (RFC 7235): `bearer x` and `BEARER x` are `Bearer x`.
    const bearer = header === undefined ? undefined : /^bearer[ \t]+(.+)$/is.exec(header)?.[1]?.trim();
    const token = bearer ?? (isRead && header === undefined ? cookieToken(request.headers.cookie) : undefined);
    const page = (message: string) => (isRead && loginPage && wantsHtml(request) ? reply.code(401).type('text/html; charset=utf-8').send(loginPage(message)) : undefined);
    if (token === undefined) {
      if (isRead && auth.allowPublicRead) return;
      const shown = page('Reading this broker needs a token.');
      if (shown) return shown;
      void reply.header('WWW-Authenticate', 'Bearer realm="accord-broker"');
      throw new BrokerProblem(401, 'Unauthorized', header ? 'Authorization must be "Bearer <token>"' : `${isRead ? 'Reading' : 'Writing'} requires a bearer token (Authorization: Bearer <token>)`);
    }
    const access = tokenAccess(auth, token);
    if (access === 'write') return;
    if (access === 'read') {
      if (isRead) return;
      throw new BrokerProblem(403, 'Forbidden', `a read-only token cannot ${request.method} ${path}: use a read-write token`);
    }
    const shown = page('That token is not valid for this broker.');
    if (shown) return shown;
    void reply.header('WWW-Authenticate', 'Bearer realm="accord-broker", error="invalid_token"');
    throw new BrokerProblem(401, 'Unauthorized', 'the bearer token is not valid for this broker');
  };
}
