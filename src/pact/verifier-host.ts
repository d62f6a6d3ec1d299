/**
 * The verifier host: a child process that runs pact-js's Verifier for `runVerification`.
 * It owns nothing: provider states, data resets and the provider connection are the
 * parent's; each step is forwarded over IPC (host-protocol.ts). Run with an IPC channel as
 * `node dist/pact/verifier-host.js` (built) or `node --import tsx verifier-host.ts`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { getEachMessage, sendMessage } from 'execa';
import { Verifier } from '@pact-foundation/pact';
import type { VerifierOptions } from '@pact-foundation/pact';
import type { HostConfig, HostMessage, ParentMessage } from './host-protocol.js';

type Reply = { ok: true; values: Record<string, unknown> | undefined } | { ok: false; error: string };
type Request = { kind: 'begin' } | { kind: 'end' } | { kind: 'state'; action: 'setup' | 'teardown'; state: string; params: Record<string, unknown> };

const waiting = new Map<number, (reply: Reply) => void>();
let lastId = 0;

async function ask(request: Request): Promise<Record<string, unknown> | undefined> {
  const id = ++lastId;
  const answered = new Promise<Reply>((resolve) => waiting.set(id, resolve));
  await send({ ...request, id });
  const reply = await answered;
  if (!reply.ok) throw new Error(reply.error);
  return reply.values;
}

/** Sends a protocol message; its types are JSON by construction (readonly, so not `JsonMessage` to TS). */
async function send(message: HostMessage): Promise<void> {
  await sendMessage(message as unknown as Parameters<typeof sendMessage>[0]);
}

type StateFunction = (params?: unknown) => Promise<Record<string, unknown> | undefined>;

function isStateChange(body: unknown): body is { action: 'setup' | 'teardown'; state: string; params?: Record<string, unknown> } {
  return typeof body === 'object' && body !== null && typeof (body as { state?: unknown }).state === 'string' && ['setup', 'teardown'].includes((body as { action?: unknown }).action as string);
}

function verifierOptions(config: HostConfig): VerifierOptions {
  const known = new Set(config.stateNames);
  const stateHandlers: Record<string, { setup: StateFunction; teardown: StateFunction }> = {};
  for (const state of config.stateNames) {
    const forward = (action: 'setup' | 'teardown'): StateFunction => async (params) => ask({ kind: 'state', action, state, params: (params ?? {}) as Record<string, unknown> });
    stateHandlers[state] = { setup: forward('setup'), teardown: forward('teardown') };
  }
  const source = config.source;
  // pact-js types `stateHandlers` as an intersection with message-pact handlers and
  // `requestFilter` with express types this project does not install: the shapes above are the documented ones.
  const options = {
    provider: config.provider,
    providerBaseUrl: config.providerBaseUrl,
    logLevel: 'error',
    timeout: config.timeoutMs,
    ...(source.kind === 'files'
      ? { pactUrls: [...source.files] }
      : {
          pactBrokerUrl: source.url,
          ...(source.token === undefined ? {} : { pactBrokerToken: source.token }),
          ...(source.consumerVersionSelectors.length > 0 ? { consumerVersionSelectors: source.consumerVersionSelectors as never } : {}),
          ...(source.enablePending ? { enablePending: true } : {}),
          ...(source.includeWipPactsSince === undefined ? {} : { includeWipPactsSince: source.includeWipPactsSince }),
        }),
    ...(config.publish === undefined
      ? {}
      : {
          publishVerificationResult: true,
          providerVersion: config.publish.providerVersion,
          ...(config.publish.branch === undefined ? {} : { providerVersionBranch: config.publish.branch }),
          ...(config.publish.buildUrl === undefined ? {} : { buildUrl: config.publish.buildUrl }),
        }),
    stateHandlers,
    // Called once per interaction, before its first state change: the parent resets the data.
    beforeEach: async () => {
      await ask({ kind: 'begin' });
    },
    afterEach: async () => {
      await ask({ kind: 'end' });
    },
    requestFilter: (req: IncomingMessage & { body?: unknown }, _res: ServerResponse, next: (error?: unknown) => void) => {
      const body: unknown = req.body;
      if (isStateChange(body)) {
        // pact-js ignores states it has no handler for; the parent must hear of them to fail the interaction.
        if (body.action === 'setup' && body.state !== '' && !known.has(body.state)) {
          ask({ kind: 'state', action: 'setup', state: body.state, params: body.params ?? {} }).then(() => next(), next);
          return;
        }
        next();
        return;
      }
      if (config.token !== undefined) req.headers.authorization = `Bearer ${config.token}`;
      next();
    },
  };
  return options as unknown as VerifierOptions;
}

async function main(): Promise<void> {
  let started = false;
  for await (const raw of getEachMessage()) {
    const message = raw as ParentMessage;
    if (message.kind === 'reply') {
      const resolve = waiting.get(message.id);
      waiting.delete(message.id);
      resolve?.(message.ok ? { ok: true, values: message.values } : { ok: false, error: message.error });
    } else if (message.kind === 'start' && !started) {
      started = true;
      void run(message.config);
    }
  }
}

async function run(config: HostConfig): Promise<void> {
  let done: HostMessage;
  try {
    const report = await new Verifier(verifierOptions(config)).verifyProvider();
    done = { kind: 'done', report, failure: undefined };
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    // A failed verification rejects with the JSON report as its message; anything else is a crash.
    done = text.trimStart().startsWith('{') ? { kind: 'done', report: text, failure: undefined } : { kind: 'done', report: undefined, failure: text };
  }
  await send(done);
  process.disconnect?.();
}

await main();
