import { connect } from 'node:net';
import { isIP } from 'node:net';
import { AccordError, ErrorCodes } from '../errors/index.js';

/**
 * True for loopback hosts. Accord's load pass sends traffic only to this machine: a load test
 * pointed at someone else's server by a typo is an attack, not a test.
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host === '::1') return true;
  return isIP(host) === 4 && host.startsWith('127.');
}

/** Parses and checks a target URL: http(s), loopback only. Returns its origin. */
export function parseTarget(target: string): URL {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    throw new AccordError(ErrorCodes.USAGE, `--target: expected a URL like http://127.0.0.1:3000, got "${target}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new AccordError(ErrorCodes.USAGE, `--target: expected an http:// or https:// URL, got "${target}"`);
  }
  if (!isLoopbackHost(url.hostname)) {
    throw new AccordError(ErrorCodes.TARGET_NOT_LOOPBACK, `--target: load is only sent to this machine (127.0.0.0/8, localhost, ::1), got host "${url.hostname}"`);
  }
  return url;
}

/** Resolves when a TCP connection to the target opens; a clear ACCORD_TARGET_UNREACHABLE otherwise. */
export async function assertTargetReachable(url: URL, timeoutMs = 2000): Promise<void> {
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const failure = await new Promise<string | undefined>((resolve) => {
    const socket = connect({ host, port });
    const done = (reason: string | undefined) => {
      socket.destroy();
      resolve(reason);
    };
    socket.setTimeout(timeoutMs, () => done(`no answer within ${timeoutMs} ms`));
    socket.once('error', (error: NodeJS.ErrnoException) => done(error.code === 'ECONNREFUSED' ? 'refused the connection (ECONNREFUSED)' : `cannot be reached (${error.code ?? error.message})`));
    socket.once('connect', () => done(undefined));
  });
  if (failure) {
    throw new AccordError(ErrorCodes.TARGET_UNREACHABLE, `load target ${url.origin} ${failure}: start the service first, or omit --target to let accord start the environment`);
  }
}
