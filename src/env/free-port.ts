import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { randomInt } from 'node:crypto';
import { AccordError, ErrorCodes } from '../errors/index.js';

// Ports are picked below the kernel's ephemeral range: a port from listen(0) comes from that
// range, so between the pick and the server's own bind (a PostgreSQL cluster copy, a process
// start) any outgoing connection on the machine could take it as its local port. Below the
// range only another listener can, and the probe sees those.
const LOWEST = 10_000;
/** IANA's dynamic range starts here; the default ephemeral range of macOS and Windows. */
const DEFAULT_EPHEMERAL_LOW = 49_152;
const ATTEMPTS = 40;
/** A port handed out stays out of this process's later picks until its owner has surely bound it. */
const HELD_MS = 30_000;
const handedOut = new Map<string, number>();

/**
 * A TCP port on `host` that nothing listens on, for a server started next. Picked at random
 * below the ephemeral range, so outgoing connections cannot take it before the server binds;
 * the kernel's own pick (listen on 0) when that range leaves no room.
 * @default host 127.0.0.1
 */
export async function getFreePort(host = '127.0.0.1'): Promise<number> {
  const below = await ephemeralLow();
  const now = Date.now();
  for (const [key, until] of handedOut) if (until <= now) handedOut.delete(key);
  if (below - LOWEST >= 1000) {
    for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
      const port = randomInt(LOWEST, below);
      if (handedOut.has(`${host}:${port}`)) continue;
      if ((await probe(port, host)) === undefined) return handOut(host, port, now);
    }
  }
  return handOut(host, await kernelPort(host), now);
}

function handOut(host: string, port: number, now: number): number {
  handedOut.set(`${host}:${port}`, now + HELD_MS);
  return port;
}

let ephemeralLowCache: Promise<number> | undefined;

/** The first port of the kernel's ephemeral range (Linux's setting; IANA's 49152 elsewhere). */
export function ephemeralLow(): Promise<number> {
  ephemeralLowCache ??= readFile('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').then(
    (text) => {
      const low = Number.parseInt(text.trim().split(/\s+/)[0] ?? '', 10);
      return Number.isInteger(low) && low > 0 ? low : DEFAULT_EPHEMERAL_LOW;
    },
    () => DEFAULT_EPHEMERAL_LOW,
  );
  return ephemeralLowCache;
}

/** Listens on host:port for a moment: undefined when it could, else why it could not. */
function probe(port: number, host: string): Promise<NodeJS.ErrnoException | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', resolve);
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(undefined)));
  });
}

function kernelPort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('could not read the port of a probe socket'));
      });
    });
  });
}

/** Throws ACCORD_PORT_IN_USE naming `what` when something already listens on host:port. */
export async function assertPortFree(port: number, what: string, host = '127.0.0.1'): Promise<void> {
  const error = await probe(port, host);
  if (error?.code === 'EADDRINUSE') {
    throw new AccordError(ErrorCodes.PORT_IN_USE, `port ${port} on ${host} is already in use, so ${what} cannot listen there: stop what holds it or choose another port`);
  }
  if (error) throw new AccordError(ErrorCodes.PORT_IN_USE, `cannot listen on ${host}:${port} for ${what}: ${error.message}`);
}
