import type { Db } from '../db.js';
import type { ContractChecker } from '../bdct/contract-checker.js';
import type { WebhookNotifier } from '../webhooks/notifier.js';

/** What every route module needs. */
export interface RouteContext {
  db: Db;
  /** The broker's public URL when it sits behind a proxy; otherwise taken from each request. */
  baseUrl: string | undefined;
  /** The pact ↔ OpenAPI check for bi-directional contracts. */
  checkContract: ContractChecker;
  /** The gate step ids evidence may be recorded for. */
  evidenceSteps: readonly string[];
  /** Told of publishes and verification results, to queue webhook deliveries. */
  webhooks?: WebhookNotifier | undefined;
}
