import { expect } from 'chai';
import pg from 'pg';
import { startBroker } from '../../../src/broker/index.js';
import { publishPact } from '../../../src/broker/store/pacts.js';
import { READ_TOKEN, WRITE_TOKEN, pactContent, startHarness } from './broker-harness.js';
import type { BrokerHarness, TestBroker } from './broker-harness.js';
import { startReceiver } from './webhook-receiver.js';
import type { Receiver } from './webhook-receiver.js';

const LOCAL = { policy: { schemeWhitelist: ['http'], hostWhitelist: ['127.0.0.1'] }, retries: 2, retryBackoffMs: 50, timeoutMs: 2000 };

/** A webhook body as `pact broker create-webhook` sends it. */
function webhookBody(url: string, events: string[], extra: Record<string, unknown> = {}) {
  return {
    description: 'start the provider build',
    events: events.map((name) => ({ name })),
    request: {
      method: 'POST',
      url,
      headers: { 'Content-Type': 'application/json', Authorization: 'Bearer ghp_secretsecretsecret' },
      body: { event_type: 'pact_changed', client_payload: { pact_url: '${pactbroker.pactUrl}', version: '${pactbroker.consumerVersionNumber}', branch: '${pactbroker.consumerVersionBranch}', status: '${pactbroker.githubVerificationStatus}', event: '${pactbroker.eventName}' } },
    },
    ...extra,
  };
}

const payload = (body: string) => (JSON.parse(body) as { client_payload: Record<string, string> }).client_payload;

describe('broker webhooks (real HTTP to a local receiver)', function () {
  this.timeout(60_000);
  let harness: BrokerHarness;
  let receiver: Receiver | undefined;

  before(async () => {
    harness = await startHarness();
  });
  after(async () => harness?.stop());
  afterEach(async () => {
    await receiver?.stop();
    receiver = undefined;
  });

  it('refuses at creation a target the policy does not allow, and accepts one it does', async () => {
    const broker = await harness.fresh({ webhooks: { policy: { schemeWhitelist: ['https'], hostWhitelist: [] } } });
    const metadata = await broker.api('POST', '/webhooks', webhookBody('https://169.254.169.254/latest/meta-data', ['contract_published']));
    expect(metadata.status).to.equal(400);
    expect(metadata.body.errors['request.url'][0]).to.include('link-local or cloud metadata address');
    const plain = await broker.api('POST', '/webhooks', webhookBody('http://ci.example.com/hook', ['contract_published']));
    expect(plain.status).to.equal(400);
    expect(plain.body.errors['request.url'][0]).to.include('the scheme "http" is not allowed');
    const unknownEvent = await broker.api('POST', '/webhooks', webhookBody('https://ci.example.com/hook', ['contract_published', 'pact_eaten']));
    expect(unknownEvent.status).to.equal(400);
    expect(unknownEvent.body.errors['events[1].name'][0]).to.include('"pact_eaten" is not a webhook event');
    const ok = await broker.api('POST', '/webhooks', webhookBody('https://ci.example.com/hook', ['contract_published']));
    expect(ok.status, JSON.stringify(ok.body)).to.equal(201);
    expect((await broker.api('GET', '/webhooks')).body._embedded.webhooks).to.have.length(1);

    const listed = await harness.fresh({ webhooks: { policy: { schemeWhitelist: ['https'], hostWhitelist: ['*.example.com'] } } });
    const elsewhere = await listed.api('POST', '/webhooks', webhookBody('https://ci.example.org/hook', ['contract_published']));
    expect(elsewhere.status).to.equal(400);
    expect(elsewhere.body.errors['request.url'][0]).to.include('not in the webhook host whitelist');
    expect((await listed.api('POST', '/webhooks', webhookBody('https://build.example.com/hook', ['contract_published']))).status).to.equal(201);
  });

  it('delivers requiring-verification and verification events with the parameters rendered, records each execution, masks secrets', async () => {
    receiver = await startReceiver();
    const broker = await harness.fresh({ webhooks: LOCAL });
    const created = await broker.api('POST', '/webhooks/provider/service-b/consumer/service-a', webhookBody(`${receiver.url}/dispatch`, ['contract_requiring_verification_published', 'provider_verification_succeeded']));
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
    const uuid: string = created.body.uuid;
    expect(created.body.request.headers.Authorization).to.equal('**********');
    expect(created.body.provider).to.deep.equal({ name: 'service-b' });

    const { sha } = await broker.publish('service-a', '1.0.0', 'service-b', { branch: 'feat-x' });
    await receiver.waitFor(1);
    const first = receiver.received[0];
    expect(first?.headers.authorization).to.equal('Bearer ghp_secretsecretsecret');
    expect(payload(first?.body ?? '{}')).to.deep.equal({
      pact_url: `${broker.broker.url}/pacts/provider/service-b/consumer/service-a/pact-version/${sha}`,
      version: '1.0.0',
      branch: 'feat-x',
      status: 'pending',
      event: 'contract_requiring_verification_published',
    });

    await broker.verify('service-b', '2.0.0', 'service-a', sha, true, { branch: 'main' });
    await receiver.waitFor(2);
    expect(payload(receiver.received[1]?.body ?? '{}')).to.include({ status: 'success', event: 'provider_verification_succeeded' });

    // Republishing the verified content asks for no verification again; another consumer's pact is out of scope.
    await broker.publish('service-a', '1.0.1', 'service-b', { branch: 'feat-x' });
    await broker.publish('service-c', '1.0.0', 'service-b');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(receiver.received).to.have.length(2);

    const executions = await broker.api('GET', `/webhooks/${uuid}/executions`, undefined, { token: READ_TOKEN });
    expect(executions.status).to.equal(200);
    const list = executions.body._embedded.executions as Array<Record<string, any>>;
    expect(list.map((execution) => [execution.eventName, execution.success, execution.response.status])).to.deep.equal([
      ['provider_verification_succeeded', true, 200],
      ['contract_requiring_verification_published', true, 200],
    ]);
    expect(list[0]?.request.headers.Authorization).to.equal('**********');
    expect(list[0]?.durationMs).to.be.a('number');
    expect(JSON.stringify(list)).not.to.include('ghp_secret');
    const page = await (await fetch(`${broker.broker.url}/`, { headers: { accept: 'text/html', authorization: `Bearer ${READ_TOKEN}` } })).text();
    expect(page).to.include('Webhook executions (newest 2)');
    expect(page).to.include(`POST ${receiver.url}/dispatch`);
  });

  it('retries a failing receiver with backoff, then gives up after the configured retries', async () => {
    // The first two answers are 500, the third 200: delivered on the third attempt (2 retries).
    receiver = await startReceiver((_request, index) => (index < 2 ? 500 : 200));
    const broker = await harness.fresh({ webhooks: LOCAL });
    const created = await broker.api('POST', '/webhooks', webhookBody(`${receiver.url}/flaky`, ['contract_published']));
    await broker.publish('service-a', '1.0.0', 'service-b');
    await receiver.waitFor(3);
    const executions = async () => (await broker.api('GET', `/webhooks/${created.body.uuid}/executions`)).body._embedded.executions as Array<Record<string, any>>;
    await waitUntil(async () => (await executions()).length === 3);
    expect((await executions()).map((execution) => [execution.attempt, execution.success])).to.deep.equal([[3, true], [2, false], [1, false]]);

    // Always 500: one attempt and two retries, then the delivery is failed and never sent again.
    const failing = await startReceiver(() => 500);
    try {
      const always = await broker.api('POST', '/webhooks', webhookBody(`${failing.url}/down`, ['contract_published']));
      await broker.publish('service-a', '1.0.1', 'service-b');
      await failing.waitFor(3);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(failing.received).to.have.length(3);
      const recorded = (await broker.api('GET', `/webhooks/${always.body.uuid}/executions`)).body._embedded.executions as Array<Record<string, any>>;
      expect(recorded.map((execution) => execution.error)).to.deep.equal(['the receiver answered 500', 'the receiver answered 500', 'the receiver answered 500']);
      expect(await deliveryStatuses(harness, broker)).to.include('failed');
    } finally {
      await failing.stop();
    }
  });

  it('PUT creates then updates a webhook, execute sends it now, DELETE removes it', async () => {
    receiver = await startReceiver();
    const broker = await harness.fresh({ webhooks: LOCAL });
    const uuid = 'dd6e5c1a-5c3e-4a43-9f1b-0d5a2b7c9e11';
    const put = await broker.api('PUT', `/webhooks/${uuid}`, webhookBody(`${receiver.url}/a`, ['contract_published']));
    expect(put.status).to.equal(201);
    const again = await broker.api('PUT', `/webhooks/${uuid}`, webhookBody(`${receiver.url}/b`, ['contract_published'], { description: 'changed' }));
    expect(again.status).to.equal(200);
    expect((await broker.api('GET', `/webhooks/${uuid}`)).body.description).to.equal('changed');
    await broker.publish('service-a', '1.0.0', 'service-b');
    await receiver.waitFor(1);
    const executed = await broker.api('POST', `/webhooks/${uuid}/execute`, {});
    expect(executed.status).to.equal(200);
    expect(executed.body.success).to.equal(true);
    expect(executed.body.request.url).to.equal(`${receiver.url}/b`);
    expect(executed.body.logs).to.include('Authorization: **********');
    expect(payload(receiver.received.at(-1)?.body ?? '{}').version).to.equal('1.0.0');
    expect((await broker.api('DELETE', `/webhooks/${uuid}`)).status).to.equal(204);
    expect((await broker.api('GET', `/webhooks/${uuid}`)).status).to.equal(404);
    expect((await broker.api('POST', '/webhooks', webhookBody(`${receiver.url}/c`, ['contract_published']), { token: READ_TOKEN })).status).to.equal(403);
  });

  it('two brokers on one database: a publish on one is read on the other at once; concurrent publishes of one version keep one content', async () => {
    const one = await harness.fresh();
    const two = await startBroker({ databaseUrl: harness.postgres.urlFor(one.database), auth: { readOnlyTokens: [], readWriteTokens: [WRITE_TOKEN] } });
    try {
      await one.publish('service-a', '1.0.0', 'service-b');
      const read = await fetch(`${two.url}/pacts/provider/service-b/consumer/service-a/version/1.0.0`, { headers: { authorization: `Bearer ${WRITE_TOKEN}` } });
      expect(read.status).to.equal(200);
      const publish = (url: string, version: string, variant: string) =>
        fetch(`${url}/contracts/publish`, {
          method: 'POST',
          headers: { authorization: `Bearer ${WRITE_TOKEN}`, 'content-type': 'application/json' },
          body: JSON.stringify({
            pacticipantName: 'service-a',
            pacticipantVersionNumber: version,
            contracts: [{ consumerName: 'service-a', providerName: 'service-b', specification: 'pact', contentType: 'application/json', content: Buffer.from(JSON.stringify(pactContent('service-a', 'service-b', variant))).toString('base64') }],
          }),
        }).then((response) => response.status);
      // The version exists first, so both publishes race on its pact, not on creating it.
      for (let round = 0; round < 5; round += 1) {
        const version = `3.0.${round}`;
        await one.createVersion('service-a', version);
        const statuses = await Promise.all([publish(one.broker.url, version, `a${round}`), publish(two.url, version, `b${round}`)]);
        expect(statuses.sort()).to.deep.equal([200, 409]);
      }

      // The same race made certain: the second publish starts while the first one's transaction is open.
      const pool = new pg.Pool({ connectionString: harness.postgres.urlFor(one.database), max: 2 });
      const [first, second] = await Promise.all([pool.connect(), pool.connect()]);
      try {
        await one.createVersion('service-a', '4.0.0');
        const ids = (await first.query<{ consumer: number; provider: number; version: number }>(
          "SELECT c.id AS consumer, p.id AS provider, v.id::int AS version FROM pacticipants c, pacticipants p, versions v WHERE c.name = 'service-a' AND p.name = 'service-b' AND v.pacticipant_id = c.id AND v.number = '4.0.0'",
        )).rows[0] as { consumer: number; provider: number; version: number };
        const input = (variant: string) => ({ consumerId: ids.consumer, consumerVersionId: ids.version, providerId: ids.provider, content: pactContent('service-a', 'service-b', variant) as never, merge: false });
        await first.query('BEGIN');
        await second.query('BEGIN');
        expect((await publishPact(first, input('x'))).kind).to.equal('published');
        const racing = publishPact(second, input('y'));
        await new Promise((resolve) => setTimeout(resolve, 200));
        await first.query('COMMIT');
        expect((await racing).kind).to.equal('conflict');
        await second.query('ROLLBACK');
      } finally {
        first.release();
        second.release();
        await pool.end();
      }
    } finally {
      await two.stop();
    }
  });
});

async function waitUntil(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function deliveryStatuses(harness: BrokerHarness, broker: TestBroker): Promise<string[]> {
  const client = new pg.Client({ connectionString: harness.postgres.urlFor(broker.database) });
  await client.connect();
  try {
    return (await client.query<{ status: string }>('SELECT status FROM webhook_deliveries ORDER BY id')).rows.map((row) => row.status);
  } finally {
    await client.end();
  }
}
