/** A message a provider's real code built for one interaction: its content and its metadata. */
export interface BuiltMessage {
  readonly content: unknown;
  readonly metadata: Readonly<Record<string, string>>;
}

/** Sets up a provider state for a message; what it returns is handed to the message's builder. */
export type MessageStateFunction = (params: Readonly<Record<string, unknown>>) => Record<string, unknown> | void | Promise<Record<string, unknown> | void>;

/** Builds the message for one interaction description from what its provider states set up. */
export type MessageBuilder = (state: Readonly<Record<string, unknown>>) => BuiltMessage | Promise<BuiltMessage>;

/** What a message provider module default-exports (through {@link defineMessageProviders}). */
export interface MessageProviders {
  readonly kind: 'accord.message-providers';
  /** The provider's name in the pacts. */
  readonly provider: string;
  readonly states: Readonly<Record<string, MessageStateFunction>>;
  /** One builder per interaction description. */
  readonly messages: Readonly<Record<string, MessageBuilder>>;
}

/**
 * Declares how a provider produces the messages its consumers' message pacts expect: each builder
 * should call the provider's real event-building code, so verification checks what it sends.
 */
export function defineMessageProviders(definition: { provider: string; states?: Record<string, MessageStateFunction>; messages: Record<string, MessageBuilder> }): MessageProviders {
  return Object.freeze({ kind: 'accord.message-providers', provider: definition.provider, states: { ...(definition.states ?? {}) }, messages: { ...definition.messages } });
}

/** True when `value` came from {@link defineMessageProviders}. */
export function isMessageProviders(value: unknown): value is MessageProviders {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'accord.message-providers';
}
