import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import type { FilteredRequest } from './provider-states.js';

/** One request the verifier made and the provider's answer, as seen on the wire. */
export interface RecordedExchange {
  readonly method: string;
  /** Path without the query string. */
  readonly path: string;
  readonly status: number;
  /** Response headers, lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  /** Response body as text ('' when there is none). */
  readonly body: string;
}

/** A canned answer the proxy gives instead of forwarding (e.g. the interaction's state failed). */
export interface ProxyAnswer {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

/** Options for {@link startRecordingProxy}. */
export interface RecordingProxyOptions {
  /** The provider's base URL. */
  target: string;
  /** Called with every forwarded exchange. */
  onExchange: (exchange: RecordedExchange) => void;
  /** Asked first for every request: an answer stops it from reaching the provider. */
  intercept?: (method: string, path: string) => ProxyAnswer | undefined;
  /** Per-request timeout. @default 10000 */
  timeoutMs?: number;
  /** May change each forwarded request's headers first (a fresh token); a rejection answers 502. */
  filter?: (request: FilteredRequest) => Promise<void>;
}

/** A running recording proxy. */
export interface StartedRecordingProxy {
  readonly url: string;
  stop(): Promise<void>;
}

// Hop-by-hop headers are about one connection, not the message; they are not forwarded.
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection', 'te', 'trailer', 'host', 'content-length']);

/**
 * Starts a loopback HTTP proxy between the pact verifier and the provider that keeps every
 * response in full. Hand-written over node:http + undici rather than http-proxy: the whole
 * body is needed before answering (to validate it against the contract) and some requests
 * must be answered without reaching the provider at all.
 */
export async function startRecordingProxy(options: RecordingProxyOptions): Promise<StartedRecordingProxy> {
  const target = options.target.replace(/\/$/, '');
  const timeoutMs = options.timeoutMs ?? 10_000;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const method = req.method ?? 'GET';
      const url = req.url ?? '/';
      const path = url.split('?')[0] ?? '/';
      const answer = options.intercept?.(method, path);
      if (answer) {
        res.writeHead(answer.status, { 'content-type': answer.contentType }).end(answer.body);
        return;
      }
      const filtered: FilteredRequest = { baseUrl: target, method, url, path, headers: { ...req.headers } };
      Promise.resolve(options.filter?.(filtered))
        .then(() => forward(method, url, filtered.headers, Buffer.concat(chunks)))
        .then(({ status, headers, body }) => {
          options.onExchange({ method, path, status, headers, body: body.toString('utf8') });
          res.writeHead(status, headers).end(body);
        })
        .catch((error: unknown) => {
          res.writeHead(502, { 'content-type': 'text/plain' }).end(`accord recording proxy: ${target} did not answer ${method} ${path}: ${(error as Error).message}`);
        });
    });
  });

  const forward = async (method: string, url: string, headers: FilteredRequest['headers'], body: Buffer) => {
    const outgoing: Record<string, string> = {};
    for (const [name, value] of Object.entries(headers)) {
      if (value !== undefined && !HOP_BY_HOP.has(name)) outgoing[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    const response = await request(`${target}${url}`, {
      method: method as 'GET',
      headers: outgoing,
      ...(body.length > 0 ? { body } : {}),
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    const received = Buffer.from(await response.body.arrayBuffer());
    const kept: Record<string, string> = {};
    for (const [name, value] of Object.entries(response.headers)) {
      if (value !== undefined && !HOP_BY_HOP.has(name)) kept[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    return { status: response.statusCode, headers: kept, body: received };
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
