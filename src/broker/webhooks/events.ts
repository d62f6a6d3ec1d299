/** The Pact Broker's webhook events, in its order. */
export const WEBHOOK_EVENTS = [
  'contract_published',
  'contract_content_changed',
  'contract_requiring_verification_published',
  'provider_verification_published',
  'provider_verification_succeeded',
  'provider_verification_failed',
] as const;

/** One of {@link WEBHOOK_EVENTS}. */
export type WebhookEventName = (typeof WEBHOOK_EVENTS)[number];

/** Whether `name` is a webhook event the broker fires. */
export function isWebhookEvent(name: unknown): name is WebhookEventName {
  return typeof name === 'string' && (WEBHOOK_EVENTS as readonly string[]).includes(name);
}

/** Something that happened to one integration: the event and the `${pactbroker.…}` values it brings. */
export interface WebhookEvent {
  name: WebhookEventName;
  consumerName: string;
  providerName: string;
  params: Record<string, string>;
}
