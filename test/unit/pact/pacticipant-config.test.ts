/** A service keeps its lowercase key for files and variables and gains any pacticipant name Pact accepts. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect } from 'chai';
import { loadConfig } from '../../../src/config/index.js';
import { isAccordError } from '../../../src/errors/index.js';

const PRODUCT_SERVICE = resolve(import.meta.dirname, '../../fixtures/shapes/product-service');

describe('services: pacticipant names', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'accord-pacticipant-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const load = async (environment: string, pacts = ''): Promise<Awaited<ReturnType<typeof loadConfig>> | string> => {
    await writeFile(join(dir, 'environment.yaml'), environment);
    await writeFile(join(dir, 'pacts.yaml'), pacts);
    return loadConfig(dir, { root: dir, env: {} }).catch((error: unknown) => (isAccordError(error) ? `${error.message}\n${error.details ?? ''}` : Promise.reject(error)));
  };

  it('ProductService: the key names the service, the pacticipant is its name in pacts; pacts.yaml may name either', async () => {
    const config = await loadConfig('config/integration', { root: PRODUCT_SERVICE, env: {} });
    expect(config.environment.services.get('product-service')).to.include({ name: 'product-service', pacticipant: 'ProductService', port: 8080 });
    expect(config.environment.postgres.enabled).to.equal(false);
    expect(config.pacts.verify?.provider).to.equal('ProductService');
  });

  it('accepts mixed case, spaces and dots; without one, the pacticipant is the key', async () => {
    const config = await load(`services:\n  movies:\n    command: node movies.js\n    pacticipant: MoviesAPI\n  web:\n    command: node web.js\n    pacticipant: "Web Shop v2.1"\n  plain:\n    command: node plain.js\npostgres: false\n`, 'verify:\n  provider: Web Shop v2.1\n');
    if (typeof config === 'string') throw new Error(config);
    expect([...config.environment.services.values()].map((service) => [service.name, service.pacticipant])).to.deep.equal([
      ['movies', 'MoviesAPI'],
      ['web', 'Web Shop v2.1'],
      ['plain', 'plain'],
    ]);
    expect(config.pacts.verify?.provider).to.equal('Web Shop v2.1');
  });

  it('refuses an empty name, one with leading or trailing blanks, and a service key that is not lowercase', async () => {
    for (const [yaml, expected] of [
      [`services:\n  movies:\n    command: node m.js\n    pacticipant: ""\n`, /pacticipant/],
      [`services:\n  movies:\n    command: node m.js\n    pacticipant: " MoviesAPI"\n`, /pacticipant/],
      [`services:\n  MoviesAPI:\n    command: node m.js\n`, /MoviesAPI/],
    ] as const) {
      const problem = await load(yaml);
      expect(problem, yaml).to.be.a('string').and.match(expected);
    }
  });
});
