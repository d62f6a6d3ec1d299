import { expect } from 'chai';
import { EXAMPLE_ROOT } from '../../support/accord.js';
import { loadConfig } from '../../../src/config/index.js';
import { checkComposeFile } from '../../../src/env/index.js';

describe('examples/orders/docker-compose.integration.yml stays consistent with config/integration', () => {
  it('matches ports, images, injected variable names, network, volumes, healthchecks and Dockerfile commands', async () => {
    const config = await loadConfig('config/integration', { root: EXAMPLE_ROOT, env: {} });
    const result = await checkComposeFile('examples/orders/docker-compose.integration.yml', config);
    expect(result.problems).to.deep.equal([]);
    expect(result.ok).to.equal(true);
  });

  it('reports each way a compose file can drift from the config', async () => {
    const config = await loadConfig('config/integration', { root: EXAMPLE_ROOT, env: {} });
    const result = await checkComposeFile('test/fixtures/env/compose-drift/docker-compose.integration.yml', config);
    expect(result.ok).to.equal(false);
    expect(result.problems).to.have.members([
      'postgres: image should be postgres:14, got postgres:16',
      'volumes: redis-data is not declared',
      'service-a: should publish "8001:8001" (environment.yaml port), got ["8081:8001"]',
      'service-a: environment lacks SERVICE_B_URL, which Accord injects',
      'service-a: environment sets SERVICE_B_ADDRESS, which Accord does not inject',
      'service-a: B_RETRIES should be 3 (environment.yaml), got 5',
    ]);
  });
});
