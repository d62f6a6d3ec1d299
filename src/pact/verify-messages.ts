import type { VerifierOptions } from '@pact-foundation/pact';
import type { MessageConformance } from './message-contract.js';
import type { BuiltMessage, MessageProviders } from './message-providers.js';
import type { PactFileSummary } from './pact-files.js';
import { parseVerifierReport } from './verifier-report.js';
import type { VerifiedInteraction, VerifyMismatch, VerifyResult } from './verify-result.js';

/** Options for {@link verifyMessages}. */
export interface VerifyMessagesOptions {
  /** The provider's message pacts. */
  pacts: readonly PactFileSummary[];
  providers: MessageProviders;
  /** Every built message is also checked against the AsyncAPI document. */
  conformance?: MessageConformance | undefined;
}

type Handler = (descriptor: unknown) => Promise<{ __pactMessageMetadata: Record<string, string>; message: unknown }>;

/**
 * Verifies a provider's message pacts with pact-js's Verifier (`messageProviders`): for each
 * interaction its provider states run, then its builder (the provider's real event code) makes the
 * message the verifier compares with the pact, content and metadata. Each built message is then
 * checked against the AsyncAPI document. Needs no running service: messages are built in process.
 */
export async function verifyMessages(options: VerifyMessagesOptions): Promise<VerifyResult> {
  const started = Date.now();
  const { providers } = options;
  const records: { states: string[]; built: BuiltMessage | undefined; problems: VerifyMismatch[]; stateMs: number }[] = [];
  let state: Record<string, unknown> = {};
  const current = () => records.at(-1);

  const stateHandlers: Record<string, (params?: unknown) => Promise<void>> = {};
  for (const [name, setup] of Object.entries(providers.states)) {
    stateHandlers[name] = async (params) => {
      const t0 = performance.now();
      current()?.states.push(name);
      try {
        Object.assign(state, (await setup((params ?? {}) as Record<string, unknown>)) ?? {});
      } catch (error) {
        current()?.problems.push({ attribute: 'providerState', location: name, message: `setup of provider state "${name}" failed: ${(error as Error).message}` });
      } finally {
        const record = current();
        if (record) record.stateMs += performance.now() - t0;
      }
    };
  }
  const messageProviders: Record<string, Handler> = {};
  for (const [description, build] of Object.entries(providers.messages)) {
    messageProviders[description] = async () => {
      const built = await build({ ...state });
      const record = current();
      if (record) record.built = built;
      return { __pactMessageMetadata: { ...built.metadata }, message: built.content };
    };
  }
  const verifierOptions = {
    provider: providers.provider,
    pactUrls: options.pacts.map((pact) => pact.file),
    logLevel: 'error',
    messageProviders,
    stateHandlers,
    // Once per interaction, before its states: a fresh record and no state left from the last one.
    beforeEach: async () => {
      records.push({ states: [], built: undefined, problems: [], stateMs: 0 });
      state = {};
    },
  };

  // pact-js (with ramda, graphql and express) is loaded only when messages are verified: every
  // command that reaches this module would otherwise pay about 0.6 s of CPU to start.
  const { Verifier } = await import('@pact-foundation/pact');
  let json: string;
  try {
    json = await new Verifier(verifierOptions as unknown as VerifierOptions).verifyProvider();
  } catch (error) {
    // A failed verification rejects with the JSON report as its message.
    const text = error instanceof Error ? error.message : String(error);
    if (!text.trimStart().startsWith('{')) throw error;
    json = text;
  }
  const report = parseVerifierReport(json);
  const interactions = report.interactions.map((reported, index): VerifiedInteraction => {
    const record = records[index];
    const known = providers.messages[reported.description] !== undefined;
    const missing: VerifyMismatch[] = known ? [] : [{ attribute: 'message', location: reported.description, message: `${providers.provider} builds no message "${reported.description}" (known: ${Object.keys(providers.messages).map((d) => `"${d}"`).join(', ')})` }];
    const conformance = record?.built && options.conformance ? options.conformance.check(record.built) : [];
    const mismatches = [...(record?.problems ?? []), ...missing, ...reported.mismatches, ...conformance];
    const consumer = options.pacts.find((pact) => pact.interactions.some((i) => i.description === reported.description))?.consumer;
    return { description: reported.description, providerStates: record?.states ?? [], ok: reported.ok && mismatches.length === 0, mismatches, consumer, stateSetupMs: record?.stateMs ?? 0, provider: providers.provider };
  });
  return {
    ok: report.ok && interactions.length > 0 && interactions.every((interaction) => interaction.ok),
    provider: providers.provider,
    interactions,
    verifierOutput: report.output,
    published: undefined,
    timings: { verifyMs: Date.now() - started },
  };
}
