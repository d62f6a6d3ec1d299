/**
 * Service A's consumer contract with Service B, written by driving A's real client
 * (ServiceBClient) against pact's mock server. Every call A makes to B is here, with the
 * error answers A handles. Writes pacts/service-a-service-b.json (committed).
 */
import { copyFile, mkdtemp, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MatchersV3, PactV4 } from '@pact-foundation/pact';
import { expect } from 'chai';
import { ServiceBClient, ServiceBError } from '../../src/service-b-client.js';
import type { ServiceBErrorKind } from '../../src/service-b-client.js';

const { integer, like, regex, string, uuid } = MatchersV3;

const PACT_DIR = fileURLToPath(new URL('../../../../pacts/', import.meta.url));
const PACT_FILE = 'service-a-service-b.json';
// Pact writes into a fresh directory; the committed file is replaced only once every test passed,
// in one rename, so a verification reading pacts/ never sees it half-written or missing.
const WORK_DIR = await mkdtemp(join(tmpdir(), 'accord-pact-consumer-'));
const TOKEN = 'consumer-test-token';
const SKU = 'WIDGET-1';
const UNKNOWN_SKU = 'NOPE-404';
const RESERVATION_ID = '3f1c2b9e-5d4a-4c1e-9a7b-2e8f6d0c1a55';
const UNKNOWN_RESERVATION_ID = '0b7e9d2a-1c3f-4e5a-8b6d-9f0a1b2c3d4e';
const CORRELATION_ID = '7d4e2c1a-0b9f-4e3d-8c6a-5f1e2d3c4b5a';
const IDEMPOTENCY_KEY = 'order-42-attempt';
const ISO_INSTANT = '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})$';

const pact = new PactV4({ consumer: 'service-a', provider: 'service-b', dir: WORK_DIR, logLevel: 'error' });

/** Headers A sends on every call (the mock server checks them; the verifier's filter replaces the token). */
const requestHeaders = {
  Authorization: regex('^Bearer .+$', `Bearer ${TOKEN}`),
  'X-Correlation-Id': string(CORRELATION_ID),
};
// Pact regexes match the whole value: the media type, then any parameters (charset).
const jsonResponse = { 'Content-Type': regex('^application/json(;.*)?$', 'application/json; charset=utf-8') };
const problemResponse = { 'Content-Type': regex('^application/problem\\+json(;.*)?$', 'application/problem+json; charset=utf-8') };

const item = {
  sku: string(SKU),
  name: string('Widget'),
  stock: integer(40),
  priceCents: integer(1299),
  updatedAt: regex(ISO_INSTANT, '2026-01-15T10:00:00.000Z'),
};

const reservation = (status: 'active' | 'released') => ({
  id: uuid(RESERVATION_ID),
  sku: string(SKU),
  quantity: integer(2),
  status,
  correlationId: string(CORRELATION_ID),
  sourceService: string('service-a'),
  idempotencyKey: string(IDEMPOTENCY_KEY),
  createdAt: regex(ISO_INSTANT, '2026-01-15T10:00:00.000Z'),
  updatedAt: regex(ISO_INSTANT, '2026-01-15T10:00:00.000Z'),
});

const problem = (status: number) => ({
  type: string('about:blank'),
  title: string('Problem'),
  status,
  detail: string('what went wrong'),
  correlationId: like(CORRELATION_ID),
});

/**
 * A's client as A builds it, pointed at the mock server; no retries so one interaction is one
 * call, and a timeout far above A's own 1 s: a pact fixes the request's shape, not its speed, and
 * a cold first request to the native mock server on a busy machine once outlasted 1 s, so the
 * client gave up before the request arrived ("expected but not received"). The same message for
 * a request the mock server did answer, under heavy CPU load, was a race in pact's native mock
 * server from 16.3.0 (pact-foundation/pact-reference#535); pact 17 does not show it here.
 */
function clientFor(url: string): ServiceBClient {
  return new ServiceBClient({ baseUrl: url, token: TOKEN, retries: 0, timeoutMs: 15_000 });
}

async function expectServiceBError(call: Promise<unknown>, kind: ServiceBErrorKind, status: number): Promise<void> {
  const error = await call.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).to.be.instanceOf(ServiceBError);
  expect((error as ServiceBError).kind).to.equal(kind);
  expect((error as ServiceBError).status).to.equal(status);
}

describe('Service A → Service B (pact consumer)', () => {
  let failed = false;
  afterEach(function () {
    if (this.currentTest?.state !== 'passed') failed = true;
  });
  after(async () => {
    // The file is rebuilt from these tests alone, so a removed interaction leaves it too.
    if (!failed) {
      const staged = join(PACT_DIR, `.${PACT_FILE}.${process.pid}`);
      await copyFile(join(WORK_DIR, PACT_FILE), staged);
      await rename(staged, join(PACT_DIR, PACT_FILE));
    }
    await rm(WORK_DIR, { recursive: true, force: true });
  });

  describe('GET /items/{sku}', () => {
    it('reads an item that exists', async () => {
      await pact
        .addInteraction()
        .given('an item exists', { sku: SKU, name: 'Widget', stock: 40, priceCents: 1299 })
        .uponReceiving('a request for an item')
        .withRequest('GET', `/items/${SKU}`, (request) => request.headers(requestHeaders))
        .willRespondWith(200, (response) => response.headers(jsonResponse).jsonBody(item))
        .executeTest(async (server) => {
          const client = clientFor(server.url);
          const found = await client.getItem(SKU, { correlationId: CORRELATION_ID });
          await client.close();
          expect(found).to.include({ sku: SKU, stock: 40, priceCents: 1299 });
        });
    });

    it('gets 404 for an unknown sku', async () => {
      await pact
        .addInteraction()
        .given('no item exists', { sku: UNKNOWN_SKU })
        .uponReceiving('a request for an unknown item')
        .withRequest('GET', `/items/${UNKNOWN_SKU}`, (request) => request.headers(requestHeaders))
        .willRespondWith(404, (response) => response.headers(problemResponse).jsonBody(problem(404)))
        .executeTest(async (server) => {
          const client = clientFor(server.url);
          await expectServiceBError(client.getItem(UNKNOWN_SKU, { correlationId: CORRELATION_ID }), 'not-found', 404);
          await client.close();
        });
    });
  });

  describe('POST /reservations', () => {
    const reserveHeaders = { ...requestHeaders, 'Content-Type': 'application/json', 'Idempotency-Key': string(IDEMPOTENCY_KEY), 'X-Source-Service': 'service-a' };
    const reserve = (client: ServiceBClient, sku: string, quantity: number) =>
      client.reserve({ sku, quantity }, { correlationId: CORRELATION_ID, idempotencyKey: IDEMPOTENCY_KEY });

    it('reserves stock of an item in stock (201)', async () => {
      await pact
        .addInteraction()
        .given('an item exists', { sku: SKU, stock: 40 })
        .uponReceiving('a reservation of an item in stock')
        .withRequest('POST', '/reservations', (request) => request.headers(reserveHeaders).jsonBody({ sku: SKU, quantity: 2 }))
        .willRespondWith(201, (response) => response.headers(jsonResponse).jsonBody(reservation('active')))
        .executeTest(async (server) => {
          const client = clientFor(server.url);
          const made = await reserve(client, SKU, 2);
          await client.close();
          expect(made).to.include({ id: RESERVATION_ID, sku: SKU, quantity: 2, status: 'active' });
        });
    });

    it('gets the original reservation back for a repeated Idempotency-Key (200)', async () => {
      await pact
        .addInteraction()
        .given('a reservation exists', { id: RESERVATION_ID, sku: SKU, quantity: 2, idempotencyKey: IDEMPOTENCY_KEY, correlationId: CORRELATION_ID })
        .uponReceiving('a repeated reservation with the same idempotency key')
        .withRequest('POST', '/reservations', (request) => request.headers(reserveHeaders).jsonBody({ sku: SKU, quantity: 2 }))
        .willRespondWith(200, (response) => response.headers(jsonResponse).jsonBody(reservation('active')))
        .executeTest(async (server) => {
          const client = clientFor(server.url);
          const replayed = await reserve(client, SKU, 2);
          await client.close();
          expect(replayed).to.include({ id: RESERVATION_ID, idempotencyKey: IDEMPOTENCY_KEY });
        });
    });

    it('gets 404 for an unknown sku', async () => {
      await pact
        .addInteraction()
        .given('no item exists', { sku: UNKNOWN_SKU })
        .uponReceiving('a reservation of an unknown item')
        .withRequest('POST', '/reservations', (request) => request.headers(reserveHeaders).jsonBody({ sku: UNKNOWN_SKU, quantity: 2 }))
        .willRespondWith(404, (response) => response.headers(problemResponse).jsonBody(problem(404)))
        .executeTest(async (server) => {
          const client = clientFor(server.url);
          await expectServiceBError(reserve(client, UNKNOWN_SKU, 2), 'not-found', 404);
          await client.close();
        });
    });

    it('gets 409 when the stock is insufficient', async () => {
      await pact
        .addInteraction()
        .given('an item exists', { sku: SKU, stock: 3 })
        .uponReceiving('a reservation of more than the stock')
        .withRequest('POST', '/reservations', (request) => request.headers(reserveHeaders).jsonBody({ sku: SKU, quantity: 50 }))
        .willRespondWith(409, (response) => response.headers(problemResponse).jsonBody(problem(409)))
        .executeTest(async (server) => {
          const client = clientFor(server.url);
          await expectServiceBError(reserve(client, SKU, 50), 'conflict', 409);
          await client.close();
        });
    });

    it('gets 400 for an invalid quantity', async () => {
      await pact
        .addInteraction()
        .given('an item exists', { sku: SKU, stock: 40 })
        .uponReceiving('a reservation with a quantity of zero')
        .withRequest('POST', '/reservations', (request) => request.headers(reserveHeaders).jsonBody({ sku: SKU, quantity: 0 }))
        .willRespondWith(400, (response) => response.headers(problemResponse).jsonBody(problem(400)))
        .executeTest(async (server) => {
          const client = clientFor(server.url);
          await expectServiceBError(reserve(client, SKU, 0), 'bad-request', 400);
          await client.close();
        });
    });

    it('gets 503 when B cannot reach its database', async () => {
      await pact
        .addInteraction()
        .given('the inventory database is unreachable')
        .uponReceiving('a reservation while the inventory database is down')
        .withRequest('POST', '/reservations', (request) => request.headers(reserveHeaders).jsonBody({ sku: SKU, quantity: 2 }))
        .willRespondWith(503, (response) => response.headers(problemResponse).jsonBody(problem(503)))
        .executeTest(async (server) => {
          const client = clientFor(server.url);
          await expectServiceBError(reserve(client, SKU, 2), 'unavailable', 503);
          await client.close();
        });
    });
  });

  describe('GET /reservations/{id}', () => {
    it('reads a reservation', async () => {
      await pact
        .addInteraction()
        .given('a reservation exists', { id: RESERVATION_ID, sku: SKU, quantity: 2, idempotencyKey: IDEMPOTENCY_KEY, correlationId: CORRELATION_ID })
        .uponReceiving('a request for a reservation')
        .withRequest('GET', `/reservations/${RESERVATION_ID}`, (request) => request.headers(requestHeaders))
        .willRespondWith(200, (response) => response.headers(jsonResponse).jsonBody(reservation('active')))
        .executeTest(async (server) => {
          const client = clientFor(server.url);
          const found = await client.getReservation(RESERVATION_ID, { correlationId: CORRELATION_ID });
          await client.close();
          expect(found).to.include({ id: RESERVATION_ID, status: 'active' });
        });
    });

    it('gets 404 for an unknown reservation', async () => {
      await pact
        .addInteraction()
        .given('no reservation exists', { id: UNKNOWN_RESERVATION_ID })
        .uponReceiving('a request for an unknown reservation')
        .withRequest('GET', `/reservations/${UNKNOWN_RESERVATION_ID}`, (request) => request.headers(requestHeaders))
        .willRespondWith(404, (response) => response.headers(problemResponse).jsonBody(problem(404)))
        .executeTest(async (server) => {
          const client = clientFor(server.url);
          await expectServiceBError(client.getReservation(UNKNOWN_RESERVATION_ID, { correlationId: CORRELATION_ID }), 'not-found', 404);
          await client.close();
        });
    });
  });

  describe('DELETE /reservations/{id}', () => {
    it('releases a reservation', async () => {
      await pact
        .addInteraction()
        .given('a reservation exists', { id: RESERVATION_ID, sku: SKU, quantity: 2, idempotencyKey: IDEMPOTENCY_KEY, correlationId: CORRELATION_ID })
        .uponReceiving('a release of a reservation')
        .withRequest('DELETE', `/reservations/${RESERVATION_ID}`, (request) => request.headers(requestHeaders))
        .willRespondWith(200, (response) => response.headers(jsonResponse).jsonBody(reservation('released')))
        .executeTest(async (server) => {
          const client = clientFor(server.url);
          const released = await client.release(RESERVATION_ID, { correlationId: CORRELATION_ID });
          await client.close();
          expect(released).to.include({ id: RESERVATION_ID, status: 'released' });
        });
    });

    it('gets 404 when releasing an unknown reservation', async () => {
      await pact
        .addInteraction()
        .given('no reservation exists', { id: UNKNOWN_RESERVATION_ID })
        .uponReceiving('a release of an unknown reservation')
        .withRequest('DELETE', `/reservations/${UNKNOWN_RESERVATION_ID}`, (request) => request.headers(requestHeaders))
        .willRespondWith(404, (response) => response.headers(problemResponse).jsonBody(problem(404)))
        .executeTest(async (server) => {
          const client = clientFor(server.url);
          await expectServiceBError(client.release(UNKNOWN_RESERVATION_ID, { correlationId: CORRELATION_ID }), 'not-found', 404);
          await client.close();
        });
    });
  });
});
