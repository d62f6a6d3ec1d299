import type { ResolvedServiceConfig } from '../config/index.js';
import { AccordError, ErrorCodes } from '../errors/index.js';
import { assertPortFree, getFreePort } from './free-port.js';

/**
 * The port of every service, decided before anything starts: the configured one (a provider that
 * listens where it always does, e.g. 8080, is health-checked there), after checking nothing holds
 * it; a free one for `port: 0` or when `freePorts` says so (every service is then told its PORT).
 */
export async function assignPorts(services: readonly ResolvedServiceConfig[], freePorts: boolean, host = '127.0.0.1'): Promise<Map<string, number>> {
  const ports = new Map<string, number>();
  const owners = new Map<number, string>();
  for (const service of services) {
    if (freePorts || service.port === 0) {
      ports.set(service.name, await getFreePort(host));
      continue;
    }
    const other = owners.get(service.port);
    if (other !== undefined) {
      throw new AccordError(ErrorCodes.PORT_IN_USE, `${other} and ${service.name} are both configured on port ${service.port}: give each its own port (or 0 for a free one)`);
    }
    await assertPortFree(service.port, service.name, host);
    owners.set(service.port, service.name);
    ports.set(service.name, service.port);
  }
  return ports;
}
