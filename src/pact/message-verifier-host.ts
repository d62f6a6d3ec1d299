/**
 * The message verifier host: a child process that runs {@link verifyMessages}, so the pact core's
 * report (printed to stdout) stays out of the CLI's output. It gets the pacts, the provider module
 * and the AsyncAPI file over IPC and answers with the result.
 */
import { pathToFileURL } from 'node:url';
import { getEachMessage, sendMessage } from 'execa';
import { importModule } from './import-module.js';
import { loadMessageConformance } from './message-contract.js';
import { isMessageProviders } from './message-providers.js';
import type { PactFileSummary } from './pact-files.js';
import { verifyMessages } from './verify-messages.js';

/** What the parent sends. */
export interface MessageHostRequest {
  pacts: PactFileSummary[];
  providersModule: string;
  asyncApi: string | undefined;
  cwd: string;
}

for await (const raw of getEachMessage()) {
  const request = raw as unknown as MessageHostRequest;
  let reply: { ok: true; result: unknown } | { ok: false; error: string };
  try {
    const module = (await importModule(pathToFileURL(request.providersModule).href)) as { default?: unknown };
    if (!isMessageProviders(module.default)) throw new Error(`${request.providersModule} must default-export defineMessageProviders({...})`);
    const conformance = request.asyncApi === undefined ? undefined : await loadMessageConformance(request.asyncApi, request.cwd);
    reply = { ok: true, result: await verifyMessages({ pacts: request.pacts, providers: module.default, conformance }) };
  } catch (error) {
    reply = { ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
  await sendMessage(reply as unknown as Parameters<typeof sendMessage>[0]);
  process.disconnect?.();
  break;
}
