import { join } from 'node:path';
import { EXAMPLE_ROOT } from '../support/accord.js';
import { expect } from 'chai';
import { request } from 'undici';
import type { StartedPostgres } from '../../src/env/index.js';
import { WRITE_TOKEN, brokerDatabase, pactBroker, serveBroker } from './broker-support.js';
import type { ServedBroker } from './broker-support.js';

const PACT_FILE = join(EXAMPLE_ROOT, 'pacts/service-c-service-a.json');

/** Publishes a verification result of C's message pact the way the Verifier does. */
async function publishVerification(broker: ServedBroker, providerVersion: string, success: boolean): Promise<void> {
  const headers = { authorization: `Bearer ${WRITE_TOKEN}`, 'content-type': 'application/json' };
  const pact = (await (await request(`${broker.url}/pacts/provider/service-a/consumer/service-c/version/1.0.0`, { headers })).body.json()) as { _links: Record<string, { href: string }> };
  const response = await request(pact._links['pb:publish-verification-results']?.href as string, { method: 'POST', headers, body: JSON.stringify({ success, providerApplicationVersion: providerVersion }) });
  expect(response.statusCode).to.equal(201);
  await response.body.dump();
}

// Message pacts are ordinary pacts to a broker: the official CLI publishes them, can-i-deploy weighs their verifications.
describe('accord broker serve with message pacts (official pact broker CLI)', function () {
  this.timeout(300_000);
  let postgres: StartedPostgres;
  let broker: ServedBroker;

  before(async () => {
    const database = await brokerDatabase('broker_e2e_message_pacts');
    postgres = database.postgres;
    broker = await serveBroker({ databaseUrl: database.url });
  });
  after(async () => {
    await broker?.stop();
    await postgres?.stop();
  });

  it('pact broker publish stores the V4 message pact with its content and metadata', async () => {
    const result = await pactBroker(broker.url, ['publish', PACT_FILE, '-a', '1.0.0', '--branch', 'main']);
    expect(result.exitCode, result.all).to.equal(0);
    expect(result.all).to.include('Pact published for service-c version 1.0.0 and provider service-a');
    const stored = (await (await request(`${broker.url}/pacts/provider/service-a/consumer/service-c/version/1.0.0`, { headers: { authorization: `Bearer ${WRITE_TOKEN}` } })).body.json()) as {
      interactions: Array<{ type: string; description: string; metadata: Record<string, string> }>;
    };
    expect(stored.interactions.map((i) => [i.type, i.description, i.metadata.stream, i.metadata.eventType])).to.deep.equal([
      ['Asynchronous/Messages', 'an order.cancelled event', 'orders.events', 'order.cancelled'],
      ['Asynchronous/Messages', 'an order.confirmed event', 'orders.events', 'order.confirmed'],
    ]);
  });

  it('can-i-deploy weighs the message pact: unknown unverified, yes after a successful verification, no after a failed one', async () => {
    const unknown = await pactBroker(broker.url, ['can-i-deploy', '-a', 'service-c', '-e', '1.0.0', '-a', 'service-a', '-e', '2.0.0']);
    expect(unknown.exitCode, unknown.all).to.equal(1);
    expect(unknown.all).to.include('Computer says no');
    await publishVerification(broker, '2.0.0', true);
    const yes = await pactBroker(broker.url, ['can-i-deploy', '-a', 'service-c', '-e', '1.0.0', '-a', 'service-a', '-e', '2.0.0']);
    expect(yes.exitCode, yes.all).to.equal(0);
    expect(yes.all).to.include('Computer says yes');
    await publishVerification(broker, '3.0.0', false);
    const no = await pactBroker(broker.url, ['can-i-deploy', '-a', 'service-c', '-e', '1.0.0', '-a', 'service-a', '-e', '3.0.0']);
    expect(no.exitCode, no.all).to.equal(1);
    expect(no.all).to.include('Computer says no');
  });
});
