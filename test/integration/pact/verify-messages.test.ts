import { resolve } from 'node:path';
import { expect } from 'chai';
import { isAccordError } from '../../../src/errors/index.js';
import { loadPactFiles, runVerificationLive } from '../../../src/pact/index.js';
import { verifyMessagesInChild } from '../../../src/pact/spawn-message-verifier.js';

const ROOT = resolve(import.meta.dirname, '../../..');
const PROVIDERS = resolve(ROOT, 'examples/orders/messages/order-events.ts');
const ASYNCAPI = resolve(ROOT, 'examples/orders/contracts/order-events.asyncapi.yaml');
const FIXTURES = resolve(ROOT, 'test/fixtures/pact/messages');

/** Verifies Service A's messages (its real event code) against the message pacts in `dir`. */
async function verifyA(dir: string, asyncApi: string | undefined = ASYNCAPI) {
  const pacts = await loadPactFiles(dir, { provider: 'service-a', cwd: ROOT });
  return verifyMessagesInChild({ pacts, providersModule: PROVIDERS, asyncApi, cwd: ROOT });
}

describe('message pacts: Service A verified as a message provider (pact-js messageProviders)', function () {
  this.timeout(120_000);

  it('passes the committed pacts/service-c-service-a.json, one result per interaction, content and metadata checked', async () => {
    const result = await verifyA(resolve(ROOT, 'examples/orders/pacts'));
    expect(result.ok, JSON.stringify(result.interactions)).to.equal(true);
    expect(result.interactions.map((i) => [i.description, i.providerStates, i.consumer, i.provider])).to.deep.equal([
      ['an order.cancelled event', ['an order was cancelled'], 'service-c', 'service-a'],
      ['an order.confirmed event', ['an order was confirmed'], 'service-c', 'service-a'],
    ]);
    expect(result.verifierOutput).to.include('includes metadata');
  });

  it('fails when the pact expects a field A does not send, naming the message and the field', async () => {
    const result = await verifyA(resolve(FIXTURES, 'field-a-does-not-send'));
    expect(result.ok).to.equal(false);
    const confirmed = result.interactions.find((i) => i.description === 'an order.confirmed event');
    expect(confirmed?.ok).to.equal(false);
    expect(confirmed?.mismatches.map((m) => `${m.attribute} ${m.location} ${m.message}`).join('\n')).to.include('warehouse');
    expect(result.interactions.find((i) => i.description === 'an order.cancelled event')?.ok).to.equal(true);
  });

  it("fails when A's event violates the AsyncAPI document, naming the message and the field", async () => {
    const result = await verifyA(resolve(ROOT, 'examples/orders/pacts'), resolve(FIXTURES, 'asyncapi-stricter/order-events.asyncapi.yaml'));
    expect(result.ok).to.equal(false);
    for (const interaction of result.interactions) {
      expect(interaction.ok).to.equal(false);
      const [mismatch] = interaction.mismatches;
      expect(mismatch?.attribute).to.equal('contract');
      expect(mismatch?.location).to.equal('content');
      expect(mismatch?.message).to.match(/message order\.(confirmed|cancelled) payload: .*warehouse/);
    }
  });

  it('refuses a message pact for a provider nothing provides, before starting anything', async () => {
    const started = Date.now();
    try {
      await runVerificationLive({ root: resolve(ROOT, 'examples/orders'), pacts: resolve(FIXTURES, 'unknown-provider') });
      expect.fail('expected bad input');
    } catch (error) {
      if (!isAccordError(error)) throw error;
      expect(error.code).to.equal('ACCORD_PACT_INVALID');
      expect(error.message).to.equal(
        'message pact for an unknown provider: ../../test/fixtures/pact/messages/unknown-provider/service-c-service-x.json (provider "service-x"); messages/order-events.ts provides messages for "service-a" only',
      );
    }
    expect(Date.now() - started).to.be.below(20_000);
  });
});
