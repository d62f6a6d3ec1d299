import type { Db } from '../db.js';
import type { PublishContractsResult } from '../publish-contracts.js';
import { publishEvents, verificationEvents } from './triggers.js';
import type { VerificationFacts } from './triggers.js';
import { enqueueDeliveries, subscribedEvents } from './webhook-store.js';

/** What the publish and verification routes tell about what they stored. */
export interface WebhookNotifier {
  /** A consumer version's pacts were published (`base`: the broker's URL for links). */
  published(base: string, result: PublishContractsResult): Promise<void>;
  /** A verification result was recorded. */
  verified(base: string, verification: VerificationFacts): Promise<void>;
}

/** The worker of the replica the notifier runs in. */
export interface LocalWorker {
  readonly replica: string;
  /** Looks at the queue now. */
  wake(): void;
  /** Whether it would claim another delivery now (fewer in flight than its concurrency, not stopping). */
  hasRoom(): boolean;
}

/**
 * Queues the deliveries an event calls for (in PostgreSQL, before the route answers, so a
 * replica that dies after answering still has them delivered) and wakes the local worker. The
 * other replicas are notified only when the local worker has no room: otherwise each of them
 * would run a claim that finds nothing (the local one took it), a cost that grows with replicas.
 * Should this replica die before claiming, the others' poll finds the delivery.
 */
export function webhookNotifier(db: Db, local?: LocalWorker): WebhookNotifier {
  const queue = async (events: Parameters<typeof enqueueDeliveries>[1]) => {
    const notice = { notify: local === undefined || !local.hasRoom(), from: local?.replica ?? '' };
    if ((await enqueueDeliveries(db, events, notice)) > 0) local?.wake();
  };
  return {
    async published(base, result) {
      // One cheap look first: with no webhook for this consumer, a publish pays for nothing else,
      // and the look-ups of events no webhook listens for are skipped.
      const wanted = await subscribedEvents(db, [result.pacticipant.name], result.pacts.map((pact) => pact.provider.name));
      if (wanted.size === 0) return;
      const pacts = result.pacts.map((pact) => ({
        consumerName: result.pacticipant.name,
        consumerId: result.pacticipant.id,
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
      await queue(await publishEvents(db, base, pacts, wanted));
    },
    async verified(base, verification) {
      const wanted = await subscribedEvents(db, [verification.consumerName], [verification.providerName]);
      if (![...wanted].some((name) => name.startsWith('provider_verification_'))) return;
      await queue(await verificationEvents(db, base, verification));
    },
  };
}
