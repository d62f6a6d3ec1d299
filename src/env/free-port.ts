import { createServer } from 'node:net';
import { AccordError, ErrorCodes } from '../errors/index.js';

/** Asks the kernel for a free TCP port on `host`. @default host 127.0.0.1 */
export async function getFreePort(host = '127.0.0.1'): Promise<number> {
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
  await new Promise<void>((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') {
        reject(new AccordError(ErrorCodes.PORT_IN_USE, `port ${port} on ${host} is already in use, so ${what} cannot listen there: stop what holds it or choose another port`));
      } else {
        reject(new AccordError(ErrorCodes.PORT_IN_USE, `cannot listen on ${host}:${port} for ${what}: ${error.message}`));
      }
    });
    server.listen(port, host, () => server.close(() => resolve()));
  });
}
