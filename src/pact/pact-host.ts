/** A verifier host: a child Node process running one of this folder's host scripts, spoken to in JSON over IPC. */
import { fileURLToPath } from 'node:url';
import { execaNode } from 'execa';

// Built (dist/), a host is the JavaScript next to this file; run through tsx, it is TypeScript and needs tsx too.
const FROM_TYPESCRIPT = import.meta.url.endsWith('.ts');

/** Starts host script `name` (without extension) in `cwd`; it never rejects, its exit is read from the result. */
export function spawnPactHost(name: string, cwd: string) {
  const script = fileURLToPath(new URL(`./${name}${FROM_TYPESCRIPT ? '.ts' : '.js'}`, import.meta.url));
  // tsx by absolute URL: cwd may be anywhere.
  return execaNode(script, [], {
    cwd,
    nodeOptions: FROM_TYPESCRIPT ? ['--import', import.meta.resolve('tsx')] : [],
    ipc: true,
    serialization: 'json',
    reject: false,
    stdin: 'ignore',
    // pact's native verifier adds the pacts of the broker PACT_BROKER_BASE_URL names to any run
    // of its own accord, pact files given or not: Accord names the broker itself when it reads one
    // (a webhook's `verify --pact-url` job has the variable set and must verify only that pact).
    env: { PACT_DO_NOT_TRACK: 'true', FORCE_COLOR: '0', PACT_BROKER_BASE_URL: undefined },
  });
}

/** A running host: {@link spawnPactHost}. */
export type PactHost = ReturnType<typeof spawnPactHost>;

/** The host's result once it exits by itself after its reply; a native handle left open must not hang us, so it is killed after 5 s. */
export async function hostFinished(host: PactHost): Promise<Awaited<PactHost>> {
  const stuck = setTimeout(() => host.kill('SIGKILL'), 5000);
  const finished = await host;
  clearTimeout(stuck);
  return finished;
}
