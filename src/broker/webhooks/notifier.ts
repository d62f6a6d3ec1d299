import type { Db } from '../db.js';
import type { PublishContractsResult } from '../publish-contracts.js';
import { publishEvents, verificationEvents } from './triggers.js';
import type { VerificationFacts } from './triggers.js';
import { enqueueDeliveries } from './webhook-store.js';

/** What the publish and verification routes tell about what they stored. */
export interface WebhookNotifier {
  /** A consumer version's pacts were published (`base`: the broker's URL for links). */
  published(base: string, result: PublishContractsResult): Promise<void>;
  /** A verification result was recorded. */
  verified(base: string, verification: VerificationFacts): Promise<void>;
}

/**
 * Queues the deliveries an event calls for (in PostgreSQL, before the route answers, so a
 * replica that dies after answering still has them delivered) and wakes the local worker.
 */
export function webhookNotifier(db: Db, wake: () => void = () => undefined): WebhookNotifier {
  // One cheap look first: with no webhooks, a publish pays for nothing else.
  const anyWebhook = async () => (await db.query<{ any: boolean }>('SELECT EXISTS (SELECT 1 FROM webhooks WHERE enabled) AS any')).rows[0]?.any === true;
  const queue = async (events: Parameters<typeof enqueueDeliveries>[1]) => {
    if ((await enqueueDeliveries(db, events)) > 0) wake();
  };
  return {
    async published(base, result) {
      if (!(await anyWebhook())) return;
      const pacts = result.pacts.map((pact) => ({
        consumerName: result.pacticipant.name,
        providerName: pact.provider.name,
        providerId: pact.provider.id,
        pactVersionId: pact.pactVersion.id,
        sha: pact.pactVersion.sha,
        consumerVersionId: result.version.id,
        consumerVersionNumber: result.version.number,
        consumerVersionBranch: result.branch,
        consumerVersionTags: result.tags,
        buildUrl: result.version.buildUrl,
        republished: pact.republished,
      }));
      await queue(await publishEvents(db, base, pacts));
    },
    async verified(base, verification) {
      if (!(await anyWebhook())) return;
      await queue(await verificationEvents(db, base, verification));
    },
  };
}
