import { setTimeout as sleep } from 'node:timers/promises';
import type nock from 'nock';
import { AccordError, ErrorCodes } from '../errors/index.js';
import { loadContractEngine } from './contract-engine.js';
import type { ContractEngine, Violation } from './contract-engine.js';

/** Options for {@link contractNock}. */
export interface ContractNockOptions {
  /** The vendor's OpenAPI document (a file path). */
  contract: string;
  /** Where a relative contract path starts. @default process.cwd() */
  cwd?: string;
}

/** A request as a reply function of {@link ContractInterceptor.reply} sees it. */
export interface MockedRequest {
  readonly method: string;
  /** The path relative to the base URL, without the query. */
  readonly path: string;
  readonly headers: Record<string, string>;
  /** The JSON body, parsed; the text when it is not JSON; undefined when empty. */
  readonly body: unknown;
}

/** What a reply function returns: status, body, headers (as nock's full reply function). */
export type MockedReply = readonly [number] | readonly [number, unknown] | readonly [number, unknown, Record<string, string>];

/** One nock interceptor whose request and reply are checked against the contract. */
export interface ContractInterceptor {
  /** Answers `status` with `body`; both are checked now (a wrong status or a field the vendor does not send throws). */
  reply(status: number, body?: unknown, headers?: Record<string, string>): ContractScope;
  /** Answers what `fn` returns for each request; checked when it is used, and reported by {@link ContractScope.done}. */
  reply(fn: (request: MockedRequest) => MockedReply | Promise<MockedReply>): ContractScope;
  /** The request fails with `error` (a connection reset: `{ code: 'ECONNRESET' }`); the request is still checked. */
  replyWithError(error: string | Error | Record<string, unknown>): ContractScope;
  /** Delays the whole answer (headers too, not only the body as nock's own delay does), as a slow vendor does. */
  delay(ms: number): this;
  /** Matches `n` requests instead of one. */
  times(n: number): this;
  /** Only requests whose header `name` matches. */
  matchHeader(name: string, value: string | RegExp | ((value: string | null) => boolean)): this;
}

/** A nock scope for one vendor, checked against its contract. */
export interface ContractScope {
  /** The underlying nock scope, for anything not wrapped here. */
  readonly scope: nock.Scope;
  readonly engine: ContractEngine;
  intercept(method: string, path: string, body?: unknown): ContractInterceptor;
  get(path: string): ContractInterceptor;
  post(path: string, body?: unknown): ContractInterceptor;
  put(path: string, body?: unknown): ContractInterceptor;
  patch(path: string, body?: unknown): ContractInterceptor;
  delete(path: string, body?: unknown): ContractInterceptor;
  /** What the requests that reached the interceptors (and reply functions' answers) broke, so far. */
  violations(): readonly string[];
  /** Throws when an interceptor was not used (nock's `done()`) or anything broke the contract. */
  done(): void;
}

const engines = new Map<string, Promise<ContractEngine>>();

/**
 * nock for a service that is not ours, held to that service's published OpenAPI: every
 * interceptor names an operation of the document, its body matcher must be a body the vendor
 * accepts, its reply a status the operation declares with a body the vendor would send (no
 * field it does not list, none it requires missing), and each request that reaches it must be
 * one the vendor accepts (headers such as Idempotency-Key included). Problems found while
 * defining throw at once; problems found while a request is served are collected and thrown by
 * {@link ContractScope.done}, with the field and the operation named.
 *
 * `baseUrl` is where the vendor's paths start (`https://api.paywell.example/v2`).
 */
// eslint-disable-next-line max-lines-per-function -- the scope's interceptors and done() share its pending and recorded calls in closures
export async function contractNock(baseUrl: string, options: ContractNockOptions): Promise<ContractScope> {
  const key = `${options.cwd ?? process.cwd()}\0${options.contract}`;
  let loading = engines.get(key);
  if (loading === undefined) {
    loading = loadContractEngine(options.contract, options.cwd === undefined ? {} : { cwd: options.cwd });
    engines.set(key, loading);
    loading.catch(() => engines.delete(key));
  }
  const engine = await loading;
  // Loaded on first use: importing nock patches node:http and fetch for the whole process, which
  // no one importing Accord's API for anything else should get.
  const { default: nockModule } = await import('nock');
  const base = new URL(baseUrl);
  const basePath = base.pathname.replace(/\/+$/, '');
  const scope = nockModule(base.origin);
  const found: string[] = [];
  const label = options.contract;

  const refuse = (message: string): never => {
    throw new AccordError(ErrorCodes.MOCK_VIOLATES_CONTRACT, `contractNock (${label}): ${message}`);
  };
  const listViolations = (violations: readonly Violation[]) => violations.map((v) => `${v.location} ${v.message}`).join('; ');

  // eslint-disable-next-line max-lines-per-function -- one interceptor's builder methods (reply, delay, times, matchHeader) share its request in closures
  const intercept = (method: string, path: string, body?: unknown): ContractInterceptor => {
    const upper = method.toUpperCase();
    const [route = ''] = path.split('?');
    const { operation, pathKnown } = engine.match(upper, route);
    if (operation === undefined) {
      return refuse(`${upper} ${path} is not an operation of the contract${pathKnown ? ' (the path exists with another method)' : ''}`);
    }
    const name = engine.describe(operation);
    if (body !== undefined && typeof body === 'object' && body !== null && !(body instanceof RegExp)) {
      const wrong = engine.checkRequest(operation, { method: upper, path: route, body }).filter((v) => v.location === 'body');
      if (wrong.length > 0) refuse(`${name}: the request body matcher is not a body the vendor accepts: ${listViolations(wrong)}`);
    }
    const nockInterceptor = scope.intercept(basePath + path, upper, body as never);

    /** Checks a request that reached this interceptor; returns it in the reply functions' shape. */
    const inspect = async (request: Request): Promise<MockedRequest> => {
      const url = new URL(request.url);
      const relative = url.pathname.startsWith(basePath) ? url.pathname.slice(basePath.length) || '/' : url.pathname;
      const headers: Record<string, string> = {};
      request.headers.forEach((value, header) => {
        headers[header] = value;
      });
      const text = await request.clone().text();
      let parsed: unknown = text === '' ? undefined : text;
      if (text !== '' && /json/i.test(headers['content-type'] ?? '')) {
        try {
          parsed = JSON.parse(text);
        } catch {
          found.push(`${name}: the request body is not valid JSON`);
        }
      }
      const query = Object.fromEntries(url.searchParams);
      const wrong = engine.checkRequest(operation, { method: upper, path: relative, query, headers, body: parsed });
      if (wrong.length > 0) found.push(`${name}: the request breaks the contract: ${listViolations(wrong)}`);
      return { method: upper, path: relative, headers, body: parsed };
    };

    const checkReply = (status: number, replyBody: unknown): string | undefined => {
      const wrong = engine.checkResponse(operation, status, replyBody);
      return wrong.length === 0 ? undefined : `${name}: the ${status} reply is not one the vendor sends: ${listViolations(wrong)}`;
    };
    const contentType = (status: number, headers: Record<string, string> | undefined): Record<string, string> => {
      if (headers !== undefined && Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) return headers;
      const media = engine.example(operation, { status })?.mediaType;
      return media === undefined ? { ...headers } : { 'content-type': media, ...headers };
    };

    let delayMs = 0;
    const wrapped: ContractInterceptor = {
      reply(statusOrFn: number | ((request: MockedRequest) => MockedReply | Promise<MockedReply>), replyBody?: unknown, headers?: Record<string, string>): ContractScope {
        if (typeof statusOrFn === 'function') {
          const fn = statusOrFn;
          // One parameter: nock calls it with the request and awaits the promise.
          nockInterceptor.reply(async (request: Request) => {
            const seen = await inspect(request);
            if (delayMs > 0) await sleep(delayMs);
            const [status, answer, answerHeaders] = await fn(seen);
            const problem = checkReply(status, answer);
            if (problem !== undefined) {
              found.push(problem);
              // The test's code must not go on as if the vendor had answered this.
              throw new AccordError(ErrorCodes.MOCK_VIOLATES_CONTRACT, `contractNock (${label}): ${problem}`);
            }
            return [status, answer as never, contentType(status, answerHeaders)];
          });
          return contract;
        }
        const status = statusOrFn;
        const problem = checkReply(status, replyBody);
        if (problem !== undefined) refuse(problem);
        const fixed = replyBody;
        nockInterceptor.reply(async (request: Request) => {
          await inspect(request);
          if (delayMs > 0) await sleep(delayMs);
          return [status, fixed as never, contentType(status, headers)];
        });
        return contract;
      },
      replyWithError(error) {
        // nock has no hook before an error reply: a function that inspects, then throws, stands in.
        nockInterceptor.reply(async (request: Request) => {
          await inspect(request);
          if (delayMs > 0) await sleep(delayMs);
          throw typeof error === 'string' ? new Error(error) : error;
        });
        return contract;
      },
      delay(ms) {
        delayMs = ms;
        return wrapped;
      },
      times(n) {
        nockInterceptor.times(n);
        return wrapped;
      },
      matchHeader(header, value) {
        nockInterceptor.matchHeader(header, value);
        return wrapped;
      },
    };
    return wrapped;
  };

  const contract: ContractScope = {
    scope,
    engine,
    intercept,
    get: (path) => intercept('GET', path),
    post: (path, body) => intercept('POST', path, body),
    put: (path, body) => intercept('PUT', path, body),
    patch: (path, body) => intercept('PATCH', path, body),
    delete: (path, body) => intercept('DELETE', path, body),
    violations: () => [...found],
    done() {
      if (found.length > 0) {
        throw new AccordError(ErrorCodes.MOCK_VIOLATES_CONTRACT, `contractNock (${label}): ${found.length} contract violation(s):\n  ${found.join('\n  ')}`);
      }
      scope.done();
    },
  };
  return contract;
}
