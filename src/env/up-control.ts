import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AccordError, ErrorCodes } from '../errors/index.js';
import type { StartedPostgres } from './postgres.js';

/**
 * How another `accord` process in the same directory reaches a running `accord up`: a loopback
 * URL and a random token, both recorded in its state file (readable by its owner only).
 */
export interface UpControl {
  readonly url: string;
  readonly token: string;
}

/** The PostgreSQL that `accord up` started, halted and resumed by that process (which owns it). */
export interface RemotePostgres {
  halt(): Promise<void>;
  resume(): Promise<void>;
}

/** A running control endpoint of `accord up`. */
export interface StartedUpControl extends UpControl {
  stop(): Promise<void>;
}

/** Options for {@link serveUpControl}. */
export interface UpControlOptions {
  /** Told after a halt or resume, once done (the postmaster's PID changed: the state file is rewritten). */
  readonly onChange?: () => Promise<void> | void;
}

/** How long a halt or resume may take before the caller gives up. */
const CONTROL_TIMEOUT_MS = 60_000;

/**
 * Serves `POST /postgres/halt` and `POST /postgres/resume` on 127.0.0.1 for the embedded
 * PostgreSQL of `accord up`: only that process can restart it as its own child, so that `accord
 * down` and Ctrl-C still stop it. Requests without the token are refused; one runs at a time.
 */
export async function serveUpControl(postgres: StartedPostgres, options: UpControlOptions = {}): Promise<StartedUpControl> {
  const token = randomBytes(24).toString('hex');
  const expected = Buffer.from(`Bearer ${token}`);
  let queue: Promise<unknown> = Promise.resolve();
  const server = createServer((req, res) => {
    const given = Buffer.from(req.headers.authorization ?? '');
    const action = req.method === 'POST' ? /^\/postgres\/(halt|resume)$/.exec(req.url ?? '')?.[1] : undefined;
    req.resume();
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return void res.writeHead(401).end();
    if (action === undefined) return void res.writeHead(404).end();
    const run = queue.then(async () => {
      await (action === 'halt' ? postgres.halt() : postgres.resume());
      await options.onChange?.();
    });
    queue = run.catch(() => undefined);
    run.then(
      () => res.writeHead(204).end(),
      (error: unknown) => res.writeHead(500, { 'content-type': 'text/plain' }).end((error as Error).message.split('\n')[0]),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  server.unref();
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    token,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The halt/resume of the PostgreSQL a running `accord up` recorded; its failures are ACCORD_USAGE naming what failed. */
export function remotePostgres(control: UpControl): RemotePostgres {
  const call = async (action: 'halt' | 'resume') => {
    let response: Response;
    try {
      response = await fetch(`${control.url}/postgres/${action}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${control.token}` },
        signal: AbortSignal.timeout(CONTROL_TIMEOUT_MS),
      });
    } catch (error) {
      throw new AccordError(ErrorCodes.USAGE, `the accord up running here did not ${action} its PostgreSQL: ${(error as Error).message}`);
    }
    if (!response.ok) throw new AccordError(ErrorCodes.USAGE, `the accord up running here did not ${action} its PostgreSQL (HTTP ${response.status}${response.status === 500 ? `: ${(await response.text()).slice(0, 200)}` : ''})`);
  };
  return { halt: () => call('halt'), resume: () => call('resume') };
}
