import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect } from 'chai';
import { contractPathOf, DEFAULT_CONFIG, expectedSchemaOf, loadConfig, redact, requireSetting } from '../../../src/config/index.js';
import { ErrorCodes, isAccordError } from '../../../src/errors/index.js';
import { EXAMPLE_ROOT as EXAMPLE } from '../../support/accord.js';

const fixtures = 'test/fixtures/config';

async function loadError(dir: string, options = {}): Promise<{ code: string; message: string; details: string }> {
  try {
    await loadConfig(dir, options);
  } catch (error) {
    if (!isAccordError(error)) throw error;
    return { code: error.code, message: error.message, details: error.details ?? '' };
  }
  throw new Error(`expected loading ${dir} to fail`);
}

describe('loadConfig', () => {
  it('resolves the repository config: every section filled, paths absolute, services in dependency order', async () => {
    const config = await loadConfig('config/integration', { root: EXAMPLE, env: {} });
    expect([...config.environment.services.keys()]).to.deep.equal(['payments-stub', 'service-b', 'service-a', 'service-c']);
    expect(config.environment.services.get('service-a')?.dependsOn).to.deep.equal(['service-b', 'payments-stub']);
    const b = config.environment.services.get('service-b');
    expect(b?.command).to.deep.equal(['node', '--enable-source-maps', 'dist/services/b/src/main.js']);
    expect(b?.port).to.equal(8002);
    expect(b?.health).to.equal('/health');
    expect(config.environment.services.get('service-a')?.env.B_RETRIES).to.equal('3');
    expect(config.environment.postgres).to.include({ version: 14, database: 'accord', url: undefined });
    expect(config.environment.postgres.migrations).to.equal(resolve(EXAMPLE, 'migrations'));
    expect(config.contracts).to.deep.equal({ path: resolve(EXAMPLE, 'contracts/service-a-to-b.yaml'), policy: 'semver', baseline: resolve(EXAMPLE, 'contracts/released/service-a-to-b-1.2.0.yaml'), refs: { allowHosts: [] } });
    expect(config.pacts.dir).to.equal(resolve(EXAMPLE, 'pacts'));
    expect(config.schema).to.deep.equal({ expected: resolve(EXAMPLE, 'schemas/database-v2.sql'), migrations: resolve(EXAMPLE, 'migrations') });
    expect(config.environment.seed).to.equal(resolve(EXAMPLE, 'seeds/demo.sql'));
    expect(config.environment.compose).to.deep.equal({ file: resolve(EXAMPLE, 'docker-compose.integration.yml'), network: 'integration-test-network', volumes: { postgres: 'postgres-data', redis: 'redis-data' } });
    expect(config.secrets.SERVICE_B_TOKEN).to.be.a('string').and.have.length.greaterThan(8);
  });

  it('fills what a minimal file leaves out from the frozen defaults', async () => {
    const config = await loadConfig(join(fixtures, 'valid-minimal'), { env: {} });
    expect(config.environment.postgres.database).to.equal('minimal');
    expect(config.environment.redis.binary).to.equal(DEFAULT_CONFIG.environment.redis.binary);
    expect(Object.isFrozen(DEFAULT_CONFIG.environment.postgres)).to.equal(true);
  });

  it('names no service, contract, expected schema, compose file or seed of its own: what the config leaves out stays unset', async () => {
    const config = await loadConfig(join(fixtures, 'valid-minimal'), { env: {} });
    expect([...config.environment.services.keys()]).to.deep.equal([]);
    expect(config.contracts.path).to.equal(undefined);
    expect(config.schema.expected).to.equal(undefined);
    expect(config.environment.compose).to.equal(undefined);
    expect(config.environment.seed).to.equal(undefined);
    expect(() => expectedSchemaOf(config)).to.throw('test/fixtures/config/valid-minimal/schema.yaml: expected: required key is missing (the SQL file the migrated database is compared with)');
    expect(config.pacts.verify).to.deep.equal({ provider: undefined, states: undefined, messages: undefined, asyncApi: undefined, tokenSecret: undefined });
  });

  it('says in one line which file and key a command needs when the config leaves it out', async () => {
    const config = await loadConfig(join(fixtures, 'valid-minimal'), { env: {} });
    const error = (() => {
      try {
        contractPathOf(config, 'the contract to check');
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(isAccordError(error, ErrorCodes.CONFIG_INVALID)).to.equal(true);
    expect((error as Error).message).to.equal('test/fixtures/config/valid-minimal/contracts.yaml: path: required key is missing (the contract to check)');
    expect(requireSetting(config, 'given', { section: 'pacts', key: 'verify.provider', purpose: 'unused' })).to.equal('given');
  });

  it("reads pacts.yaml's verify block, paths absolute, and rejects unknown keys and bad names", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'accord-config-'));
    try {
      await writeFile(join(dir, 'pacts.yaml'), 'verify:\n  provider: inventory\n  states: test/states.ts\n  tokenSecret: INVENTORY_TOKEN\n');
      const config = await loadConfig(dir, { env: {}, root: '/repo' });
      expect(config.pacts.verify).to.deep.equal({ provider: 'inventory', states: '/repo/test/states.ts', messages: undefined, asyncApi: undefined, tokenSecret: 'INVENTORY_TOKEN' });
      await writeFile(join(dir, 'pacts.yaml'), 'verify:\n  provider: " Inventory"\n  stats: test/states.ts\n');
      const error = await loadError(dir, { env: {} });
      expect(error.details.split('\n').map((line) => line.trim().replace(/^.*\//, ''))).to.deep.equal([
        'pacts.yaml:2: verify.provider: expected a service name of environment.yaml or its pacticipant name, e.g. "ProductService", got " Inventory" (string)',
        'pacts.yaml:3: verify.stats: unknown key (did you mean "states"?)',
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('lists EVERY problem as file:line: path: message', async () => {
    const error = await loadError(join(fixtures, 'unknown-keys'), { env: {} });
    expect(error.code).to.equal(ErrorCodes.CONFIG_INVALID);
    expect(error.message).to.match(/has 5 problems/);
    const file = 'test/fixtures/config/unknown-keys/environment.yaml';
    const lines = error.details.split('\n').map((line) => line.trim());
    expect(lines).to.deep.equal([
      `${file}:5: services.service-b.prot: unknown key (did you mean "port"?)`,
      `${file}:6: services.service-a.command: required key is missing`,
      `${file}:7: services.service-a.port: expected a port from 0 (pick a free one) to 65535, got "eighty" (string)`,
      `${file}:8: services.service-a.dependsOn[0]: unknown service "service-c" (expected one of: service-b, service-a)`,
      `${file}:11: postgres.databse: unknown key (did you mean "database"?)`,
    ]);
  });

  it('reports invalid YAML with its line and column', async () => {
    const error = await loadError(join(fixtures, 'invalid-yaml'), { env: {} });
    expect(error.code).to.equal(ErrorCodes.CONFIG_INVALID);
    expect(error.message).to.match(/^test\/fixtures\/config\/invalid-yaml\/environment\.yaml:5:1: invalid YAML: /);
  });

  it('reports a dependency cycle and two services on one port', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'accord-config-'));
    try {
      await writeFile(
        join(dir, 'environment.yaml'),
        ['services:', '  one:', '    command: node one.js', '    port: 9100', '    dependsOn: [two]', '  two:', '    command: node two.js', '    port: 9100', '    dependsOn: [one]', ''].join('\n'),
      );
      const error = await loadError(dir, { env: {} });
      expect(error.details).to.include('services.one.dependsOn: dependency cycle: one -> two -> one');
      expect(error.details).to.include(':8: services.two.port: port 9100 is also used by one');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('leaves files it does not own (load.yaml) to their capability', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'accord-config-'));
    try {
      await writeFile(join(dir, 'load.yaml'), 'anything: [goes, here]\n');
      const config = await loadConfig(dir, { env: {} });
      expect(config.sections.get('load')?.file).to.equal(join(dir, 'load.yaml'));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('names a missing config directory', async () => {
    const error = await loadError('no/such/dir', { env: {} });
    expect(error.code).to.equal(ErrorCodes.FILE_NOT_FOUND);
    expect(error.message).to.include('config directory no/such/dir not found');
  });

  it('refuses an empty config directory instead of falling back to the defaults', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'accord-config-'));
    try {
      const error = await loadError(dir, { env: {} });
      expect(error.code).to.equal(ErrorCodes.CONFIG_INVALID);
      expect(error.message).to.match(/^config directory .*accord-config-\w+ has no \.yaml files \(expected environment\.yaml, contracts\.yaml, /);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('names a misnamed section file with a did-you-mean', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'accord-config-'));
    try {
      await writeFile(join(dir, 'enviroment.yaml'), 'postgres:\n  database: typo\n');
      await writeFile(join(dir, 'laod.yaml'), 'profiles: {}\n');
      const error = await loadError(dir, { env: {} });
      expect(error.code).to.equal(ErrorCodes.CONFIG_INVALID);
      expect(error.details.split('\n').map((line) => line.trim().replace(/^.*\//, ''))).to.deep.equal([
        'enviroment.yaml:1: not a config section this Accord knows (did you mean environment.yaml?)',
        'laod.yaml:1: not a config section this Accord knows (did you mean load.yaml?)',
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('accepts contracts.yaml policy: none, as --policy none', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'accord-config-'));
    try {
      await writeFile(join(dir, 'contracts.yaml'), 'policy: none\n');
      const config = await loadConfig(dir, { env: {} });
      expect(config.contracts.policy).to.equal('none');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('takes DATABASE_URL and REDIS_URL from the given env and redacts the password from then on', async () => {
    const config = await loadConfig('config/integration', { root: EXAMPLE, env: { DATABASE_URL: 'postgres://app:s3cret-pw@db.example:5432/app', REDIS_URL: 'redis://cache:6379' } });
    expect(config.environment.postgres.url).to.equal('postgres://app:s3cret-pw@db.example:5432/app');
    expect(config.environment.redis.url).to.equal('redis://cache:6379');
    expect(redact('password is s3cret-pw')).to.equal('password is ***');
  });

  it('registers every env-file value as a secret', async () => {
    const config = await loadConfig('config/integration', { root: EXAMPLE, env: {} });
    const token = config.secrets.SERVICE_B_TOKEN ?? '';
    expect(redact(`Authorization: Bearer ${token}`)).to.equal('Authorization: Bearer ***');
  });
});
