import { createServer } from 'node:net';
import type { Server } from 'node:net';
import { expect } from 'chai';
import { resolveConfig } from '../../../src/config/index.js';
import type { UserConfig } from '../../../src/config/index.js';
import { pendingCleanups, startEnvironment } from '../../../src/env/index.js';
import { ErrorCodes } from '../../../src/errors/index.js';
import { rejection } from '../../support/rejection.js';

// What startEnvironment refuses before it starts anything (so nothing can be left running).

function configWith(user: UserConfig, secrets: Record<string, string> = { SERVICE_B_TOKEN: 'token-value' }) {
  return resolveConfig(user, { root: process.cwd(), dir: 'examples/orders/config/integration', secrets, env: {} });
}


/** Two services that both need the token, as the example's environment.yaml gives them. */
const TWO_SERVICES: UserConfig = {
  environment: {
    services: {
      'service-b': { command: 'node b.js', secrets: ['SERVICE_B_TOKEN'] },
      'service-a': { command: 'node a.js', dependsOn: ['service-b'], secrets: ['SERVICE_B_TOKEN'] },
    },
  },
};

describe('startEnvironment: refusals before anything starts', () => {
  let holder: Server;
  let takenPort: number;

  before(async () => {
    holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    takenPort = (holder.address() as { port: number }).port;
  });

  after(() => holder.close());

  it('names a configured port that is already taken (ACCORD_PORT_IN_USE)', async () => {
    const config = configWith({ environment: { services: { 'service-b': { command: 'node b.js', port: takenPort } } } });
    const before = pendingCleanups();
    const error = await rejection(startEnvironment(config));
    expect(error.code).to.equal(ErrorCodes.PORT_IN_USE);
    expect(error.message).to.include(`port ${takenPort} on 127.0.0.1 is already in use, so service-b cannot listen there`);
    expect(pendingCleanups()).to.equal(before);
  });

  it('names a missing secret and who needs it (ACCORD_SECRET_MISSING)', async () => {
    const error = await rejection(startEnvironment(configWith(TWO_SERVICES, {})));
    expect(error.code).to.equal(ErrorCodes.SECRET_MISSING);
    expect(error.message).to.equal('SERVICE_B_TOKEN (needed by service-b, service-a) is not set in .env.integration-test: add a line like SERVICE_B_TOKEN=<value>');
  });

  it('rejects an unknown service name', async () => {
    const error = await rejection(startEnvironment(configWith(TWO_SERVICES), { services: ['service-z'] }));
    expect(error.code).to.equal(ErrorCodes.USAGE);
    expect(error.message).to.equal('unknown service "service-z": expected one of service-b, service-a');
  });

  it('a config that names no services is one line naming environment.yaml and the key', async () => {
    const error = await rejection(startEnvironment(configWith({})));
    expect(error.code).to.equal(ErrorCodes.CONFIG_INVALID);
    expect(error.message).to.equal('examples/orders/config/integration/environment.yaml: services: required key is missing (the services to start)');
  });
});
