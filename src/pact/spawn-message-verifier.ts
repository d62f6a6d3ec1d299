import { fileURLToPath } from 'node:url';
import { execaNode } from 'execa';
import { onCleanup } from '../env/cleanup.js';
import { AccordError, ErrorCodes } from '../errors/index.js';
import type { MessageHostRequest } from './message-verifier-host.js';
import type { VerifyResult } from './verify-result.js';

const FROM_TYPESCRIPT = import.meta.url.endsWith('.ts');
const HOST_SCRIPT = fileURLToPath(new URL(FROM_TYPESCRIPT ? './message-verifier-host.ts' : './message-verifier-host.js', import.meta.url));

/** Runs the message verification in its own process (see message-verifier-host) and returns its result. */
export async function verifyMessagesInChild(request: MessageHostRequest): Promise<VerifyResult> {
  const host = execaNode(HOST_SCRIPT, [], {
    cwd: request.cwd,
    nodeOptions: FROM_TYPESCRIPT ? ['--import', import.meta.resolve('tsx')] : [],
    ipc: true,
    serialization: 'json',
    reject: false,
    stdin: 'ignore',
    env: { PACT_DO_NOT_TRACK: 'true', FORCE_COLOR: '0' },
  });
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
    const stuck = setTimeout(() => host.kill('SIGKILL'), 5000);
    const finished = await host;
    clearTimeout(stuck);
    if (reply?.ok) return reply.result;
    const reason = reply?.error ?? `the message verifier ended (${finished.exitCode ?? finished.signal ?? 'no exit code'}) without a result: ${String(finished.stderr).split('\n')[0]}`;
    throw new AccordError(ErrorCodes.VERIFIER_FAILED, `the message pact verifier could not run: ${reason.split('\n')[0]}`);
  } finally {
    unregister();
  }
}
