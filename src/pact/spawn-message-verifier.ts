import { onCleanup } from '../env/cleanup.js';
import { AccordError, ErrorCodes } from '../errors/index.js';
import type { MessageHostRequest } from './message-verifier-host.js';
import { hostFinished, spawnPactHost } from './pact-host.js';
import type { VerifyResult } from './verify-result.js';

/** Runs the message verification in its own process (see message-verifier-host) and returns its result. */
export async function verifyMessagesInChild(request: MessageHostRequest): Promise<VerifyResult> {
  const host = spawnPactHost('message-verifier-host', request.cwd);
  const unregister = onCleanup('message pact verification', async () => {
    host.kill('SIGKILL');
  });
  try {
    await host.sendMessage(request as unknown as Parameters<typeof host.sendMessage>[0]);
    let reply: { ok: true; result: VerifyResult } | { ok: false; error: string } | undefined;
    for await (const message of host.getEachMessage()) {
      reply = message as unknown as typeof reply;
      break;
    }
    const finished = await hostFinished(host);
    if (reply?.ok) return reply.result;
    const reason = reply?.error ?? `the message verifier ended (${finished.exitCode ?? finished.signal ?? 'no exit code'}) without a result: ${String(finished.stderr).split('\n')[0]}`;
    throw new AccordError(ErrorCodes.VERIFIER_FAILED, `the message pact verifier could not run: ${reason.split('\n')[0]}`);
  } finally {
    unregister();
  }
}
