import { createServer } from 'node:net';
import type { Server } from 'node:net';
import { expect } from 'chai';
import { resolveConfig } from '../../../src/config/index.js';
import type { UserServiceConfig } from '../../../src/config/index.js';
import { getFreePort } from '../../../src/env/index.js';
import { assignPorts } from '../../../src/env/service-ports.js';
import { ErrorCodes } from '../../../src/errors/index.js';
import { rejection } from '../../support/rejection.js';

function servicesOf(services: Record<string, UserServiceConfig>) {
  return [...resolveConfig({ environment: { services } }, { root: process.cwd(), dir: 'config', secrets: {}, env: {} }).environment.services.values()];
}

describe('assignPorts: where each service listens', () => {
  let holder: Server;
  let taken: number;

  before(async () => {
    holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    taken = (holder.address() as { port: number }).port;
  });
  after(() => holder.close());

  it('a configured port is the port (a provider that always listens on it is checked there)', async () => {
    const fixed = await getFreePort();
    const ports = await assignPorts(servicesOf({ products: { command: 'node app.js', port: fixed } }), false);
    expect(ports.get('products')).to.equal(fixed);
  });

  it('port 0 (or no port) picks a free one; --free-ports picks free ones for every service', async () => {
    const fixed = await getFreePort();
    const services = servicesOf({ zero: { command: 'node z.js', port: 0 }, unset: { command: 'node u.js' }, fixed: { command: 'node f.js', port: fixed } });
    const configured = await assignPorts(services, false);
    expect(configured.get('zero')).to.be.above(0);
    expect(configured.get('unset')).to.be.above(0);
    expect(configured.get('fixed')).to.equal(fixed);
    // Even a taken configured port is no obstacle with free ports.
    const free = await assignPorts(servicesOf({ fixed: { command: 'node f.js', port: taken } }), true);
    expect(free.get('fixed')).to.be.above(0).and.not.equal(taken);
  });

  it('a configured port already taken is ACCORD_PORT_IN_USE naming the port and the service', async () => {
    const error = await rejection(assignPorts(servicesOf({ products: { command: 'node app.js', port: taken } }), false));
    expect(error.code).to.equal(ErrorCodes.PORT_IN_USE);
    expect(error.message).to.equal(`port ${taken} on 127.0.0.1 is already in use, so products cannot listen there: stop what holds it or choose another port`);
  });

  it('two services configured on one port are refused before either starts', async () => {
    const port = await getFreePort();
    const error = await rejection(assignPorts(servicesOf({ a: { command: 'node a.js', port }, b: { command: 'node b.js', port } }), false));
    expect(error.code).to.equal(ErrorCodes.PORT_IN_USE);
    expect(error.message).to.equal(`a and b are both configured on port ${port}: give each its own port (or 0 for a free one)`);
  });
});
