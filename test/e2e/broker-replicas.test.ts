import { expect } from 'chai';
import pg from 'pg';
import type { StartedPostgres } from '../../src/env/index.js';
import { pactContent } from '../integration/broker/broker-harness.js';
import { startReceiver } from '../integration/broker/webhook-receiver.js';
import type { Receiver } from '../integration/broker/webhook-receiver.js';
import { WRITE_TOKEN, brokerDatabase, serveBroker } from './broker-support.js';
import type { ServedBroker } from './broker-support.js';

const headers = { authorization: `Bearer ${WRITE_TOKEN}`, 'content-type': 'application/json' };

/** Publishes one consumer version's pact (content unique to the version) through one replica. */
async function publish(broker: ServedBroker, version: string): Promise<number> {
  const content = Buffer.from(JSON.stringify(pactContent('service-a', 'service-b', version))).toString('base64');
  const response = await fetch(`${broker.url}/contracts/publish`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ pacticipantName: 'service-a', pacticipantVersionNumber: version, contracts: [{ consumerName: 'service-a', providerName: 'service-b', specification: 'pact', contentType: 'application/json', content }] }),
  });
  await response.arrayBuffer();
  return response.status;
}

/** The consumer version each received request names. */
const versionsOf = (receiver: Receiver) => receiver.received.map((request) => (JSON.parse(request.body) as { version: string }).version);

async function until(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

// Two `accord broker serve` processes over one PostgreSQL: the delivery queue lives there and the
// replicas claim from it, so each webhook is delivered once while both are healthy and still at
// least once when the one holding a delivery is killed with SIGKILL.
describe('two broker replicas over one PostgreSQL (e2e)', function () {
  this.timeout(240_000);
  let postgres: StartedPostgres;
  let databaseUrl: string;
  let one: ServedBroker;
  let two: ServedBroker;
  let receiver: Receiver | undefined;
  const env = { PACT_BROKER_WEBHOOK_SCHEME_WHITELIST: 'http', PACT_BROKER_WEBHOOK_HOST_WHITELIST: '127.0.0.1' };

  before(async () => {
    const database = await brokerDatabase('broker_e2e_replicas');
    postgres = database.postgres;
    databaseUrl = database.url;
    [one, two] = await Promise.all([serveBroker({ databaseUrl, env }), serveBroker({ databaseUrl, env })]);
  });
  after(async () => {
    await receiver?.stop();
    await Promise.allSettled([one?.stop(), two?.stop()]);
    await postgres?.stop();
  });

  const createWebhook = async (url: string) => {
    const response = await fetch(`${one.url}/webhooks`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ events: [{ name: 'contract_published' }], request: { method: 'POST', url, headers: { 'Content-Type': 'application/json' }, body: { version: '${pactbroker.consumerVersionNumber}' } } }),
    });
    expect(response.status).to.equal(201);
    return ((await response.json()) as { uuid: string }).uuid;
  };

  it('50 publishes spread over both replicas: each read on the other at once, each webhook delivered exactly once', async () => {
    receiver = await startReceiver();
    await createWebhook(`${receiver.url}/healthy`);
    const versions = Array.from({ length: 50 }, (_, index) => `1.0.${index}`);
    for (let start = 0; start < versions.length; start += 10) {
      const batch = versions.slice(start, start + 10);
      const statuses = await Promise.all(batch.map((version, index) => publish(index % 2 === 0 ? one : two, version)));
      expect(statuses).to.deep.equal(batch.map(() => 200));
    }
    // Published through one replica, read through the other straight away.
    const read = await fetch(`${two.url}/pacts/provider/service-b/consumer/service-a/version/1.0.48`, { headers });
    expect(read.status).to.equal(200);
    await receiver.waitFor(50, 30_000);
    await new Promise((resolve) => setTimeout(resolve, 2500));
    const received = versionsOf(receiver);
    expect(received).to.have.length(50);
    expect(new Set(received)).to.deep.equal(new Set(versions));
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ replica: string; n: string }>("SELECT split_part(replica, ':', 2) AS replica, count(*) AS n FROM webhook_executions GROUP BY 1");
      console.log(`      deliveries per replica process: ${rows.map((row) => `${row.replica}: ${row.n}`).join(', ')}`);
    } finally {
      await client.end();
    }
    await receiver.stop();
    receiver = undefined;
  });

  it('one replica killed with SIGKILL while deliveries are in flight: none lost, duplicates counted', async () => {
    // The receiver holds each request 2 s, so deliveries are in flight when the replica dies.
    receiver = await startReceiver(() => new Promise((resolve) => setTimeout(() => resolve(200), 2000)));
    await createWebhook(`${receiver.url}/slow`);
    const versions = Array.from({ length: 20 }, (_, index) => `2.0.${index}`);
    const statuses = await Promise.all(versions.map((version, index) => publish(index % 2 === 0 ? one : two, version)));
    expect(statuses).to.deep.equal(versions.map(() => 200));
    const current = receiver;
    // Both replicas' worth in flight (16 at a time each): kill one of them now.
    await until(() => new Set(versionsOf(current).filter((version) => version.startsWith('2.'))).size >= 10, 20_000, 'deliveries in flight');
    await one.kill9();
    // The dead replica's leases run out (timeout 10 s + 5 s) and the survivor sends those again.
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      const statuses = async () =>
        (await client.query<{ status: string; n: string }>("SELECT d.status, count(*) AS n FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id WHERE w.request->>'url' LIKE '%/slow' GROUP BY 1 ORDER BY 1")).rows.map((row) => [row.status, Number(row.n)]);
      const deadline = Date.now() + 60_000;
      while (JSON.stringify(await statuses()) !== JSON.stringify([['succeeded', 20]]) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 250));
      expect(await statuses()).to.deep.equal([['succeeded', 20]]);
    } finally {
      await client.end();
    }
    const received = versionsOf(current).filter((version) => version.startsWith('2.'));
    const duplicates = received.length - new Set(received).size;
    console.log(`      after SIGKILL: ${received.length} requests for ${versions.length} deliveries, ${duplicates} duplicate(s) (at least once)`);
    expect(new Set(received)).to.deep.equal(new Set(versions));
    // Only what the killed replica held can have been sent twice.
    expect(duplicates).to.be.at.most(16);
  });
});
