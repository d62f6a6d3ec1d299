/**
 * Service B's provider verification: Service A's committed pact against a live B on a freshly
 * migrated database, exactly as `accord verify` runs it (environment started and stopped).
 */
import { resolve } from 'node:path';
import { expect } from 'chai';
import { runVerificationLive } from 'accord';

const ROOT = resolve(import.meta.dirname, '../../..');

describe('service-b honours the pacts of its consumers (accord verify)', function () {
  this.timeout(240_000);

  it('verifies pacts/service-a-service-b.json against the live service, responses conforming to the contract', async () => {
    const result = await runVerificationLive({ root: ROOT });
    const failures = result.interactions.filter((interaction) => !interaction.ok);
    expect(failures, JSON.stringify(failures, null, 2)).to.deep.equal([]);
    expect(result.ok).to.equal(true);
    expect(new Set(result.interactions.map((interaction) => interaction.consumer))).to.deep.equal(new Set(['service-a', 'service-c']));
  });
});
