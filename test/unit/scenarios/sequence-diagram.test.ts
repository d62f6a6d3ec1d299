import { readFile } from 'node:fs/promises';
import { expect } from 'chai';
import { EXAMPLE_ROLES } from './example-roles.js';
import { buildTrace, escapeText, parseLogLines, renderSequenceDiagram, renderSequencePage } from '../../../src/scenarios/index.js';
import type { Trace } from '../../../src/scenarios/index.js';

const FIXTURE = new URL('../../fixtures/scenarios/b-unavailable-logs/', import.meta.url);

async function fixtureTrace(): Promise<Trace> {
  const lines = [
    ...parseLogLines(await readFile(new URL('service-a.log', FIXTURE), 'utf8')),
    ...parseLogLines(await readFile(new URL('service-b.log', FIXTURE), 'utf8')),
  ];
  return buildTrace('b-unavailable', lines, Date.parse('2026-01-01T00:00:00.900Z'), Date.parse('2026-01-01T00:00:04.000Z'));
}

// The statements the generator may emit, as Mermaid's sequence grammar accepts them; message text
// may hold entity codes (#59;) but no bare ";" or "#", which would end the statement or start a code.
const TEXT = String.raw`(?:[^;#\n]|#\d+;)+`;
const STATEMENT = new RegExp(String.raw`^(sequenceDiagram|  participant [A-Z] as [^:;#]+|  [A-Z](->>|-->>|-x|--x|-\)|--\))[A-Z]: ${TEXT}|  Note over [A-Z](,[A-Z])?: ${TEXT})$`);

describe('scenarios: renderSequenceDiagram', () => {
  it('draws every recorded attempt from A to B, the backoff waits and the 503', async () => {
    const diagram = renderSequenceDiagram(await fixtureTrace(), EXAMPLE_ROLES);
    const lines = diagram.trimEnd().split('\n');
    const outage = lines.slice(lines.findIndex((l) => l.includes('cid-outage')), lines.findIndex((l) => l.includes('cid-retry')));
    expect(outage.filter((l) => l.startsWith('  A-xB: POST /reservations'))).to.have.length(4);
    expect(outage.filter((l) => l.includes('backoff'))).to.deep.equal([
      '  Note over A: retry 1 after 40 ms backoff',
      '  Note over A: retry 2 after 90 ms backoff',
      '  Note over A: retry 3 after 170 ms backoff',
    ]);
    expect(outage).to.include('  A-xB: POST /reservations (attempt 2): ECONNREFUSED after 2 ms');
    expect(outage.at(-1)).to.equal('  A-->>C: 503 (323 ms)');
  });

  it("draws a successful call's SQL and cache traffic inside B's answer", async () => {
    const lines = renderSequenceDiagram(await fixtureTrace(), EXAMPLE_ROLES).split('\n');
    const retry = lines.slice(lines.findIndex((l) => l.includes('cid-retry')));
    expect(retry.slice(1, 10)).to.deep.equal([
      '  C->>A: POST /orders',
      '  A->>B: POST /reservations (attempt 1)',
      '  B->>P: SELECT id FROM reservations WHERE idempotency_key = $1',
      '  B->>P: BEGIN',
      '  B->>P: UPDATE items SET stock = stock - $1 WHERE sku = $2 AND stoc…',
      '  B->>P: COMMIT',
      '  B->>R: invalidate item:SKU-1',
      '  B-->>A: 201 after 25 ms',
      '  A-->>C: 200 (32 ms)',
    ]);
  });

  it('emits only statements of the Mermaid sequence grammar, and leaves health probes out', async () => {
    const diagram = renderSequenceDiagram(await fixtureTrace(), EXAMPLE_ROLES, { maxSqlLength: 200 });
    for (const line of diagram.trimEnd().split('\n')) expect(line).to.match(STATEMENT);
    expect(diagram).to.not.include('/health');
    // the SQL's ";", "#" and "<x>" arrive as entity codes, not as statement breaks or HTML
    expect(diagram).to.include('stock #62;= $1#59; -- #35;1 #60;x#62;');
  });

  it('counts the correlations it does not draw, by final status', async () => {
    const trace = await fixtureTrace();
    const diagram = renderSequenceDiagram(trace, EXAMPLE_ROLES, { maxCorrelations: 1 });
    expect(diagram).to.include('Note over C,P: 1 more correlation ids not drawn (1×200)');
    expect(diagram).to.not.include('cid-retry');
  });

  it('draws one correlation of each outcome before drawing more of the same', () => {
    const order = (id: string, status: number) => ({
      correlationId: id,
      events: [
        { t: 0, service: 'service-a', event: 'http.request', method: 'POST', url: '/orders' },
        { t: 1, service: 'service-a', event: 'http.response', statusCode: status, durationMs: 1 },
      ],
    });
    const trace: Trace = { scenario: 'race', startedAt: '', finishedAt: '', correlations: [order('ok-1', 200), order('ok-2', 200), order('late-409', 409)], uncorrelated: [] };
    const diagram = renderSequenceDiagram(trace, EXAMPLE_ROLES, { maxCorrelations: 2 });
    expect(diagram).to.include('correlation ok-1').and.include('correlation late-409').and.not.include('correlation ok-2');
    expect(diagram).to.include('1 more correlation ids not drawn (1×200)');
  });

  it('says so when nothing was recorded', () => {
    const empty: Trace = { scenario: 'x', startedAt: '', finishedAt: '', correlations: [], uncorrelated: [] };
    expect(renderSequenceDiagram(empty, EXAMPLE_ROLES)).to.include('no cross-service traffic was recorded');
  });

  it('draws the stream hops: A → stream → C → Postgres, a redelivery and a dead-lettered entry', () => {
    const at = (ms: number) => Date.parse('2026-01-01T00:00:01.000Z') + ms;
    const lines = [
      { service: 'service-a', time: at(0), event: 'http.request', correlationId: 'cid-1', method: 'POST', url: '/orders' },
      { service: 'service-a', time: at(5), event: 'order.event', correlationId: 'cid-1', stream: 'orders.events', eventType: 'order.confirmed' },
      { service: 'service-a', time: at(6), event: 'http.response', correlationId: 'cid-1', statusCode: 200 },
      { service: 'service-c', time: at(9), event: 'event.processed', correlationId: 'cid-1', eventType: 'order.confirmed', outcome: 'applied', lagMs: 4 },
      { service: 'service-c', time: at(20), event: 'event.processed', correlationId: 'cid-1', eventType: 'order.confirmed', outcome: 'duplicate', lagMs: 15 },
      { service: 'service-c', time: at(30), event: 'event.dead-lettered', streamId: '1-0', reason: 'payload is not JSON', deadLetterStream: 'orders.events.dead-letter' },
    ];
    const diagram = renderSequenceDiagram(buildTrace('stream', lines, at(0), at(100)), EXAMPLE_ROLES);
    const drawn = diagram.trimEnd().split('\n');
    expect(drawn).to.include('  participant W as service-c (fulfilment)');
    expect(drawn.slice(drawn.indexOf('  C->>A: POST /orders'))).to.deep.equal([
      '  C->>A: POST /orders',
      '  A->>R: XADD orders.events order.confirmed',
      '  A-->>C: 200',
      '  R-)W: XREADGROUP order.confirmed after 4 ms',
      '  W->>P: INSERT shipment + processed event (one transaction)',
      '  W->>R: XACK',
      '  R-)W: XREADGROUP order.confirmed after 15 ms',
      '  W->>P: event id already processed: nothing written',
      '  W->>R: XACK',
      '  W->>R: XADD orders.events.dead-letter: entry 1-0 dead-lettered (payload is not JSON)',
    ]);
    for (const line of drawn) expect(line).to.match(STATEMENT);
  });

  it('leaves the worker out of diagrams it took no part in', async () => {
    expect(renderSequenceDiagram(await fixtureTrace(), EXAMPLE_ROLES)).not.to.include('participant W');
  });

  it('wraps the diagram in a Markdown page that names the recording it came from', async () => {
    const page = renderSequencePage(await fixtureTrace(), 'Scenario: B unavailable', EXAMPLE_ROLES);
    expect(page).to.match(/^# Scenario: B unavailable\n/);
    expect(page).to.include('reports/traces/b-unavailable.json');
    expect(page).to.include('```mermaid\nsequenceDiagram\n');
  });
});

describe('scenarios: renderSequencePage is deterministic', () => {
  const order = (cid: string, sku: string, ms: number, backoff: number): Trace => ({
    scenario: 'happy-path',
    startedAt: new Date(1_700_000_000_000 + ms).toISOString(),
    finishedAt: '',
    correlations: [
      {
        correlationId: cid,
        events: [
          { t: ms, service: 'service-a', event: 'http.request', method: 'POST', url: '/orders' },
          { t: ms + 1, service: 'service-a', event: 'upstream.retry', attempt: 1, delayMs: backoff },
          { t: ms + 2, service: 'service-b', event: 'cache.invalidate', key: `item:${sku}` },
          { t: ms + 3, service: 'service-a', event: 'upstream.call', method: 'POST', path: '/reservations', attempt: 2, statusCode: 201, durationMs: ms / 10 },
          { t: ms + 4, service: 'service-a', event: 'http.response', statusCode: 200, durationMs: ms / 5 },
        ],
      },
    ],
    uncorrelated: [],
  });

  it('gives the same bytes for the same traffic recorded twice (other ids, timings and start time)', () => {
    const first = renderSequencePage(order('scn-happy-path-order-c847a326', 'HAPPY-675828', 490, 41), 'Scenario: happy path', EXAMPLE_ROLES);
    const second = renderSequencePage(order('scn-happy-path-order-0b1d9e77', 'HAPPY-113904', 730, 97), 'Scenario: happy path', EXAMPLE_ROLES);
    expect(second).to.equal(first);
    expect(first).to.include('correlation scn-happy-path-order-id1').and.include('invalidate item:HAPPY-id2').and.include('retry 1 after backoff');
    expect(first).to.not.match(/\d+ ms|2023-|c847a326/);
  });

  it('still tells different traffic apart', () => {
    const ok = renderSequencePage(order('cid-aaaaaa1', 'S-1', 10, 5), 't', EXAMPLE_ROLES);
    const failed = renderSequencePage({ ...order('cid-aaaaaa1', 'S-1', 10, 5), correlations: [{ ...order('cid-aaaaaa1', 'S-1', 10, 5).correlations[0]!, events: [{ t: 1, service: 'service-a', event: 'http.response', statusCode: 503 }] }] }, 't', EXAMPLE_ROLES);
    expect(failed).to.not.equal(ok);
  });
});

describe('scenarios: escapeText', () => {
  it('turns the characters that break a Mermaid message into entity codes, once', () => {
    expect(escapeText('a;b#c<d>e\nf')).to.equal('a#59;b#35;c#60;d#62;e f');
  });
});

describe("scenarios: the client's recorded calls in a diagram", () => {
  const at = (ms: number) => Date.parse('2026-01-01T00:00:01.000Z') + ms;
  const roles = { consumer: { service: 'ledger', label: 'ledger' }, provider: { service: 'notifier', label: 'notifier' } };

  it("draws a call to a service that logs nothing of it from the client's own record", () => {
    const lines = [{ service: 'client', event: 'client.call', time: at(5), correlationId: 'cid-1', target: 'ledger', method: 'POST', path: '/entries', statusCode: 201, durationMs: 4 }];
    const diagram = renderSequenceDiagram(buildTrace('second', lines, at(0), at(10)), roles);
    expect(diagram).to.include('  C->>A: POST /entries\n  A-->>C: 201 (4 ms)\n');
  });

  it("leaves the record out when the service logged the request itself (no arrow twice), and says when no answer came", () => {
    const lines = [
      { service: 'client', event: 'client.call', time: at(5), correlationId: 'cid-1', target: 'ledger', method: 'POST', path: '/entries', statusCode: 201, durationMs: 4 },
      { service: 'ledger', event: 'http.request', time: at(2), correlationId: 'cid-1', method: 'POST', url: '/entries' },
      { service: 'ledger', event: 'http.response', time: at(4), correlationId: 'cid-1', statusCode: 201 },
      { service: 'client', event: 'client.call', time: at(8), correlationId: 'cid-2', target: 'notifier', method: 'GET', path: '/notes', error: 'ECONNREFUSED', durationMs: 1 },
    ];
    const diagram = renderSequenceDiagram(buildTrace('second', lines, at(0), at(10)), roles);
    expect(diagram.match(/POST \/entries/g)).to.have.length(1);
    expect(diagram).to.include('  C-xB: GET /notes: ECONNREFUSED\n');
  });
});
