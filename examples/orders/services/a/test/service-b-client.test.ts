import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { getFreePort } from 'accord';
import type { CapturedLogs } from '../../b/test/helpers/log-capture.js';
import { captureLogs } from '../../b/test/helpers/log-capture.js';
import type { RunningServiceB } from '../../b/test/helpers/service-b.js';
import { startServiceB, TEST_TOKEN } from '../../b/test/helpers/service-b.js';
import { backoffDelay } from '../src/backoff.js';
import { createLogger } from '../src/logger.js';
import { ServiceBClient, ServiceBError } from '../src/service-b-client.js';
import type { ServiceBClientOptions } from '../src/service-b-client.js';

/** A tiny real HTTP server whose handler the test chooses; counts the requests it got. */
async function startStub(handler: (req: IncomingMessage, res: ServerResponse, count: number) => void): Promise<{ url: string; requests: () => number; server: Server }> {
  let count = 0;
  const server = createServer((req, res) => handler(req, res, ++count));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests: () => count, server };
}

async function rejection(promise: Promise<unknown>): Promise<ServiceBError> {
  try {
    await promise;
  } catch (error) {
    expect(error).to.be.instanceOf(ServiceBError);
    return error as ServiceBError;
  }
  throw new Error('expected the call to fail');
}

describe('service-a: ServiceBClient', () => {
  describe('backoffDelay (full jitter)', () => {
    it('draws from 0 up to a ceiling that doubles per retry and stops at the maximum', () => {
      expect([1, 2, 3, 4, 5].map((retry) => backoffDelay(retry, 100, 1000, () => 1))).to.deep.equal([100, 200, 400, 800, 1000]);
      expect([1, 2, 3].map((retry) => backoffDelay(retry, 100, 1000, () => 0))).to.deep.equal([0, 0, 0]);
      expect(backoffDelay(3, 100, 1000, () => 0.5)).to.equal(200);
      for (let i = 0; i < 200; i++) expect(backoffDelay(4, 100, 2000)).to.be.within(0, 800);
    });
  });

  describe('against a real Service B', () => {
    let b: RunningServiceB;
    let client: ServiceBClient;

    before(async () => {
      b = await startServiceB('a_client');
      client = new ServiceBClient({ baseUrl: b.url, token: TEST_TOKEN, retries: 0 });
    });
    after(async () => {
      await client?.close();
      await b?.stop();
    });
    beforeEach(async () => {
      await b.reset();
    });

    it('returns typed items and reservations, sending the correlation id and source service', async () => {
      expect(await client.getItem('SKU-001')).to.include({ sku: 'SKU-001', stock: 100, priceCents: 1299 });
      const reservation = await client.reserve({ sku: 'SKU-001', quantity: 2 }, { correlationId: 'corr-client', idempotencyKey: 'key-client' });
      expect(reservation).to.include({ sku: 'SKU-001', quantity: 2, status: 'active', correlationId: 'corr-client', sourceService: 'service-a', idempotencyKey: 'key-client' });
      expect(await client.reserve({ sku: 'SKU-001', quantity: 2 }, { idempotencyKey: 'key-client' })).to.deep.equal(reservation);
      expect(await client.getReservation(reservation.id)).to.deep.equal(reservation);
      expect(await client.release(reservation.id)).to.include({ id: reservation.id, status: 'released' });
      expect(await client.getItem('SKU-001')).to.include({ stock: 100 });
    });

    it('throws ServiceBError with the kind of each refusal', async () => {
      // Thunks: each call starts only when its turn comes.
      const cases: Array<[() => Promise<unknown>, ServiceBError['kind'], number]> = [
        [() => client.getItem('SKU-NOPE'), 'not-found', 404],
        [() => client.reserve({ sku: 'SKU-NOPE', quantity: 1 }), 'not-found', 404],
        [() => client.reserve({ sku: 'SKU-EMPTY', quantity: 1 }), 'conflict', 409],
        [() => client.reserve({ sku: 'bad sku', quantity: 1 }), 'bad-request', 400],
        [() => client.getReservation('00000000-0000-4000-8000-000000000000'), 'not-found', 404],
        [() => client.release('00000000-0000-4000-8000-000000000000'), 'not-found', 404],
      ];
      for (const [call, kind, status] of cases) {
        const error = await rejection(call());
        expect(error.kind).to.equal(kind);
        expect(error.status).to.equal(status);
        expect(error.problem).to.include({ status });
        expect(error.attempts).to.equal(1);
      }
    });

    it('does not retry a 401: the token is wrong, not the moment', async () => {
      const wrong = new ServiceBClient({ baseUrl: b.url, token: 'wrong', retries: 3, retryBaseMs: 1 });
      try {
        const error = await rejection(wrong.getItem('SKU-001'));
        expect(error).to.include({ kind: 'unauthorized', status: 401, attempts: 1 });
      } finally {
        await wrong.close();
      }
    });
  });

  describe('retries', () => {
    let logs: CapturedLogs;
    const clientFor = (baseUrl: string, options: Partial<ServiceBClientOptions> = {}) =>
      new ServiceBClient({ baseUrl, token: 't', retries: 3, retryBaseMs: 20, retryMaxMs: 1000, random: () => 1, logger: logs.logger, ...options });

    beforeEach(() => {
      logs = captureLogs(createLogger);
    });

    it('retries connection errors with growing backoff, then throws unavailable (B down: a closed port)', async () => {
      const client = clientFor(`http://127.0.0.1:${await getFreePort()}`);
      try {
        const error = await rejection(client.reserve({ sku: 'SKU-001', quantity: 1 }));
        expect(error).to.include({ kind: 'unavailable', status: null, attempts: 4 });
      } finally {
        await client.close();
      }
      const calls = logs.events('upstream.call');
      expect(calls.map((line) => line.attempt)).to.deep.equal([1, 2, 3, 4]);
      expect(calls.every((line) => line.error === 'ECONNREFUSED' && line.method === 'POST' && line.path === '/reservations')).to.equal(true);
      expect(logs.events('upstream.retry').map((line) => [line.attempt, line.delayMs])).to.deep.equal([[1, 20], [2, 40], [3, 80]]);
      expect(logs.events('upstream.exhausted')).to.have.length(1);
      expect(logs.events('upstream.exhausted')[0]).to.include({ attempts: 4, level: 50 });
    });

    it('retries 503 answers up to the cap, then throws unavailable with B\'s problem', async () => {
      const stub = await startStub((_req, res) => {
        res.writeHead(503, { 'content-type': 'application/problem+json' }).end(JSON.stringify({ type: '/problems/service-unavailable', title: 'Service Unavailable', status: 503, detail: 'db down', correlationId: 'x' }));
      });
      const client = clientFor(stub.url, { retryMaxMs: 50 });
      try {
        const error = await rejection(client.getItem('SKU-001'));
        expect(error).to.include({ kind: 'unavailable', status: 503, attempts: 4 });
        expect(error.problem).to.include({ detail: 'db down' });
      } finally {
        await client.close();
        stub.server.close();
      }
      expect(stub.requests()).to.equal(4);
      expect(logs.events('upstream.call').map((line) => line.statusCode)).to.deep.equal([503, 503, 503, 503]);
      expect(logs.events('upstream.retry').map((line) => line.delayMs)).to.deep.equal([20, 40, 50]);
    });

    it('times out a silent B per attempt and retries', async () => {
      const stub = await startStub(() => undefined); // never answers
      const client = clientFor(stub.url, { retries: 1, timeoutMs: 100 });
      try {
        const error = await rejection(client.getItem('SKU-001'));
        expect(error).to.include({ kind: 'unavailable', status: null, attempts: 2 });
      } finally {
        await client.close();
        stub.server.closeAllConnections();
        stub.server.close();
      }
      expect(stub.requests()).to.equal(2);
      expect(logs.events('upstream.call').map((line) => line.error)).to.deep.equal(['timeout', 'timeout']);
    });

    it('succeeds when B recovers before the retries run out, sending the same Idempotency-Key each time', async () => {
      const keys: Array<string | undefined> = [];
      const stub = await startStub((req, res, count) => {
        keys.push(req.headers['idempotency-key'] as string | undefined);
        if (count < 3) {
          res.writeHead(500).end('boom');
          return;
        }
        res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ id: 'r-1', sku: 'SKU-001', quantity: 1, status: 'active' }));
      });
      const client = clientFor(stub.url);
      try {
        const reservation = await client.reserve({ sku: 'SKU-001', quantity: 1 }, { idempotencyKey: 'same-key' });
        expect(reservation).to.include({ id: 'r-1' });
      } finally {
        await client.close();
        stub.server.close();
      }
      expect(keys).to.deep.equal(['same-key', 'same-key', 'same-key']);
      expect(logs.events('upstream.retry')).to.have.length(2);
      expect(logs.events('upstream.exhausted')).to.have.length(0);
    });

    it('sends X-Source-Service where the contract declares it (POST /reservations) and nowhere else', async () => {
      const seen: Array<[string, string | undefined]> = [];
      const stub = await startStub((req, res) => {
        seen.push([`${req.method} ${req.url}`, req.headers['x-source-service'] as string | undefined]);
        res.writeHead(req.method === 'POST' ? 201 : 200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: 'r-1', sku: 'SKU-001', quantity: 1, status: 'active' }));
      });
      const client = clientFor(stub.url);
      try {
        await client.getItem('SKU-001');
        await client.reserve({ sku: 'SKU-001', quantity: 1 });
        await client.getReservation('r-1');
        await client.release('r-1');
      } finally {
        await client.close();
        stub.server.close();
      }
      expect(seen).to.deep.equal([
        ['GET /items/SKU-001', undefined],
        ['POST /reservations', 'service-a'],
        ['GET /reservations/r-1', undefined],
        ['DELETE /reservations/r-1', undefined],
      ]);
    });
  });
});
