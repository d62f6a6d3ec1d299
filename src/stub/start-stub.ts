import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { onCleanup } from '../env/cleanup.js';
import { AccordError, ErrorCodes, isAccordError } from '../errors/index.js';
import { loadContractEngine } from './contract-engine.js';
import type { ContractEngine, Violation } from './contract-engine.js';
import { createExchangeLog } from './exchange-log.js';
import type { Exchange, ExchangeOutcome } from './exchange-log.js';
import { NO_FAULT, parseFault } from './faults.js';
import type { Fault } from './faults.js';
import { parsePrefer } from './prefer.js';

/** Options for {@link startStub}. */
export interface StubOptions {
  /** The OpenAPI document to serve (a file path). */
  contract: string;
  /** @default 0 (a free port) */
  port?: number;
  /** @default '127.0.0.1' */
  host?: string;
  /** A JSON-lines file every exchange is appended to; truncated at start. @default none (memory only) */
  record?: string;
  /** A fault in force from the start (as the admin endpoint takes it). @default none */
  fault?: unknown;
  /** Where relative paths start. @default process.cwd() */
  cwd?: string;
}

/** A running stub. */
export interface StartedStub {
  readonly url: string;
  readonly port: number;
  readonly engine: ContractEngine;
  /** The fault in force. */
  fault(): Fault;
  /** Sets a fault (throws an AccordError naming an unknown mode). */
  setFault(input: unknown): Fault;
  /** The exchanges so far, oldest first (the last 10,000). */
  exchanges(): readonly Exchange[];
  clearExchanges(): void;
  stop(): Promise<void>;
}

/** Where the stub's own endpoints live; no vendor path starts with it. */
export const ADMIN_PREFIX = '/__stub';

const PROBLEM = 'application/problem+json';
const BODY_LIMIT = 1024 * 1024;

/**
 * Serves an OpenAPI document as a stub, the way Prism does: every request is routed and
 * validated against the document (400/422 problem+json naming each offending field), answered
 * from the document's examples (`Prefer: code=402, example=declined` picks one), and recorded.
 * Faults for scenarios (latency, 5xx, timeouts, connection resets) switch at run time through
 * `PUT /__stub/fault`.
 */
// eslint-disable-next-line max-lines-per-function -- the stub's routes, recorder and fault switch share one server's state in closures
export async function startStub(options: StubOptions): Promise<StartedStub> {
  const settings = { port: 0, host: '127.0.0.1', cwd: process.cwd(), ...options };
  const engine = await loadContractEngine(settings.contract, { cwd: settings.cwd });
  let fault = settings.fault === undefined ? NO_FAULT : parseFault(settings.fault);
  let faultHits = 0;
  const log = createExchangeLog(settings.record === undefined ? undefined : resolvePath(settings.cwd, settings.record));
  const hanging = new Set<ServerResponse>();

  const setFault = (input: unknown): Fault => {
    fault = parseFault(input);
    faultHits = 0;
    return fault;
  };
  /** The fault this request meets, counting it against `times`. */
  const faultFor = (operationId: string | null): Fault | undefined => {
    if (fault.mode === 'none') return undefined;
    if (fault.operations.length > 0 && (operationId === null || !fault.operations.includes(operationId))) return undefined;
    const current = fault;
    faultHits += 1;
    if (current.times !== null && faultHits >= current.times) {
      fault = NO_FAULT;
      faultHits = 0;
    }
    return current;
  };

  const admin = async (req: IncomingMessage, res: ServerResponse, path: string, text: string): Promise<void> => {
    const route = `${req.method ?? 'GET'} ${path.slice(ADMIN_PREFIX.length)}`;
    if (route === 'GET /health') return send(res, 200, 'application/json', { status: 'ok', contract: engine.contract.label });
    if (route === 'GET /fault') return send(res, 200, 'application/json', fault);
    if (route === 'DELETE /fault') return send(res, 200, 'application/json', setFault({ mode: 'none' }));
    if (route === 'PUT /fault' || route === 'POST /fault') {
      let input: unknown;
      try {
        input = JSON.parse(text);
      } catch {
        return send(res, 400, PROBLEM, problem(400, 'Bad fault', 'the body is not JSON: send {"mode":"latency","delayMs":2000}'));
      }
      try {
        return send(res, 200, 'application/json', setFault(input));
      } catch (error) {
        if (!isAccordError(error)) throw error;
        return send(res, 400, PROBLEM, problem(400, 'Bad fault', error.message));
      }
    }
    if (route === 'GET /exchanges') return send(res, 200, 'application/json', log.list());
    if (route === 'DELETE /exchanges') {
      log.clear();
      return send(res, 204, undefined, undefined);
    }
    return send(res, 404, PROBLEM, problem(404, 'Not found', `the stub has no ${route} (it has GET /health, GET|PUT|DELETE /fault, GET|DELETE /exchanges under ${ADMIN_PREFIX})`));
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const started = performance.now();
    const url = new URL(req.url ?? '/', 'http://stub');
    const text = await readBody(req);
    if (url.pathname.startsWith(ADMIN_PREFIX)) return admin(req, res, url.pathname, text);

    const method = req.method ?? 'GET';
    const headers = flatHeaders(req);
    const query = Object.fromEntries(url.searchParams);
    let body: unknown = text === '' ? undefined : text;
    let malformed = false;
    if (text !== '' && /json/i.test(headers['content-type'] ?? '')) {
      try {
        body = JSON.parse(text);
      } catch {
        malformed = true;
      }
    }
    const { operation, pathKnown } = engine.match(method, url.pathname);
    const operationId = operation?.operationId ?? null;
    const record = (outcome: ExchangeOutcome, response: Exchange['response'], faultMode?: string) => {
      log.add({
        time: new Date().toISOString(),
        contract: settings.contract,
        operation: operationId,
        request: { method, path: url.pathname, query, headers: redactHeaders(headers), body },
        response,
        outcome,
        ...(faultMode === undefined ? {} : { fault: faultMode }),
        durationMs: Math.round((performance.now() - started) * 100) / 100,
      });
    };
    const answer = (status: number, type: string | undefined, payload: unknown, outcome: ExchangeOutcome, faultMode?: string) => {
      send(res, status, type, payload);
      record(outcome, { status, headers: type === undefined ? {} : { 'content-type': type }, body: payload }, faultMode);
    };

    const active = faultFor(operationId);
    if (active?.mode === 'reset') {
      record('fault', null, 'reset');
      req.socket.destroy();
      return;
    }
    if (active?.mode === 'timeout') {
      // Never answered: the client's own timeout is what the scenario is about.
      record('fault', null, 'timeout');
      hanging.add(res);
      res.on('close', () => hanging.delete(res));
      return;
    }
    if (active?.mode === 'latency') await sleep(active.delayMs);
    if (active?.mode === 'error') {
      const canned = operation === undefined ? undefined : engine.example(operation, { status: active.status });
      const payload = canned?.body ?? problem(active.status, 'Injected fault', `the stub answers ${active.status} (fault mode error)`);
      return answer(active.status, canned?.mediaType ?? PROBLEM, payload, 'fault', 'error');
    }
    const faultMode = active?.mode;

    if (operation === undefined) {
      const status = pathKnown ? 405 : 404;
      const title = pathKnown ? 'NO_METHOD_MATCHED' : 'NO_PATH_MATCHED';
      return answer(status, PROBLEM, problem(status, title, `${method} ${url.pathname} is not an operation of ${engine.contract.label}`), 'not-found', faultMode);
    }
    if (malformed) return answer(400, PROBLEM, problem(400, 'Malformed request', 'the body is not valid JSON', engine.describe(operation)), 'rejected', faultMode);
    const violations = engine.checkRequest(operation, { method, path: url.pathname, query, headers, body });
    if (violations.length > 0) {
      const status = violations.some((v) => v.code === 'security') ? 401 : violations.some((v) => v.location === 'body') ? 422 : 400;
      const declared = status === 401 ? engine.example(operation, { status }) : undefined;
      const payload = declared?.body ?? validationProblem(status, engine.describe(operation), violations);
      return answer(status, declared?.mediaType ?? PROBLEM, payload, 'rejected', faultMode);
    }
    const prefer = parsePrefer(headers.prefer);
    const canned = engine.example(operation, { ...(prefer.code === undefined ? {} : { status: prefer.code }), ...(prefer.example === undefined ? {} : { example: prefer.example }) });
    if (canned === undefined) {
      const wanted = [prefer.code === undefined ? '' : `code=${prefer.code}`, prefer.example === undefined ? '' : `example=${prefer.example}`].filter(Boolean).join(', ');
      return answer(404, PROBLEM, problem(404, 'NOT_FOUND', `${engine.describe(operation)} has no response for Prefer: ${wanted} (statuses: ${engine.statuses(operation).join(', ')})`), 'rejected', faultMode);
    }
    return answer(canned.status, canned.mediaType, canned.body, 'example', faultMode);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, PROBLEM, problem(500, 'Stub error', (error as Error).message));
    });
  });
  server.keepAliveTimeout = 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new AccordError(ErrorCodes.PORT_IN_USE, `port ${settings.port} on ${settings.host} is in use: pick another with --port`) : error),
    );
    server.listen(settings.port, settings.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const close = async () => {
    for (const res of hanging) res.socket?.destroy();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    log.close();
  };
  // Ctrl-C in the CLI: the recording is flushed and the port freed before the process exits.
  const unregister = onCleanup(`stub on ${settings.host}:${port}`, close);
  return {
    url: `http://${settings.host}:${port}`,
    port,
    engine,
    fault: () => fault,
    setFault,
    exchanges: () => log.list(),
    clearExchanges: () => log.clear(),
    async stop() {
      unregister();
      await close();
    },
  };
}

function resolvePath(cwd: string, file: string): string {
  return file.startsWith('/') ? file : `${cwd.replace(/\/$/, '')}/${file}`;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > BODY_LIMIT) break;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function flatHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  return headers;
}

// A recording is evidence people share: credentials never reach it.
function redactHeaders(headers: Record<string, string>): Record<string, string> {
  if (headers.authorization === undefined) return headers;
  const [scheme] = headers.authorization.split(' ');
  return { ...headers, authorization: `${scheme ?? ''} [redacted]` };
}

function send(res: ServerResponse, status: number, type: string | undefined, payload: unknown): void {
  const text = payload === undefined ? '' : JSON.stringify(payload);
  const headers: Record<string, string | number> = { 'content-length': Buffer.byteLength(text) };
  if (type !== undefined && payload !== undefined) headers['content-type'] = type;
  res.writeHead(status, headers).end(text);
}

function problem(status: number, title: string, detail: string, operation?: string): Record<string, unknown> {
  return { type: 'about:blank', title, status, detail, ...(operation === undefined ? {} : { operation }) };
}

/** A Prism-style validation problem: one line naming every field, and one entry per field. */
function validationProblem(status: number, operation: string, violations: readonly Violation[]): Record<string, unknown> {
  return {
    ...problem(status, status === 422 ? 'Unprocessable Entity' : 'Bad Request', `${operation}: ${violations.map((v) => `${v.location} ${v.message}`).join('; ')}`, operation),
    validation: violations.map((v) => ({ location: [v.location, ...(v.field === '' ? [] : v.field.split('.'))], severity: 'Error', code: v.code, message: v.message })),
  };
}
