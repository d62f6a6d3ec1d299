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

// Comparing digests keeps the comparison constant-time whatever the token lengths.
const digest = (value: string) => createHash('sha256').update(value).digest();
const matches = (token: string, candidates: readonly string[]) => {
  const given = digest(token);
  return candidates.some((candidate) => timingSafeEqual(given, digest(candidate)));
};

/** An onRequest hook: 401 without a known token, 403 when a read-only token tries to write. */
export function authHook(auth: BrokerAuth) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const isRead = READ_METHODS.has(request.method);
    const header = request.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : undefined;
    if (token === undefined) {
      if (isRead && auth.allowPublicRead) return;
      void reply.header('WWW-Authenticate', 'Bearer realm="accord-broker"');
      throw new BrokerProblem(401, 'Unauthorized', header ? 'Authorization must be "Bearer <token>"' : `${isRead ? 'Reading' : 'Writing'} requires a bearer token (Authorization: Bearer <token>)`);
    }
    if (matches(token, auth.readWriteTokens)) return;
    if (matches(token, auth.readOnlyTokens)) {
      if (isRead) return;
      throw new BrokerProblem(403, 'Forbidden', `a read-only token cannot ${request.method} ${request.url.split('?')[0]}: use a read-write token`);
    }
    void reply.header('WWW-Authenticate', 'Bearer realm="accord-broker", error="invalid_token"');
    throw new BrokerProblem(401, 'Unauthorized', 'the bearer token is not valid for this broker');
  };
}
