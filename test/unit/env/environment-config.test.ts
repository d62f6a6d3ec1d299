import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { loadConfig, resolveConfig } from '../../../src/config/index.js';
import type { UserConfig } from '../../../src/config/index.js';
import { isAccordError } from '../../../src/errors/index.js';

// What environment.yaml says about the system's database, cache and migration tool.

const resolved = (user: UserConfig, env: Record<string, string> = {}) => resolveConfig(user, { root: '/repo', dir: 'config', secrets: {}, env });

describe('environment config: systems without PostgreSQL or Redis, and the team migration tool', () => {
  it('postgres: false and redis: false: nothing to start, and DATABASE_URL / REDIS_URL from the shell are not given', () => {
    const config = resolved({ environment: { postgres: false, redis: false } }, { DATABASE_URL: 'postgres://elsewhere/db', REDIS_URL: 'redis://elsewhere' });
    expect(config.environment.postgres.enabled).to.equal(false);
    expect(config.environment.postgres.url).to.equal(undefined);
    expect(config.environment.redis.enabled).to.equal(false);
    expect(config.environment.redis.url).to.equal(undefined);
  });

  it('by default both are there, migrated by Accord from migrations/', () => {
    const config = resolved({});
    expect(config.environment.postgres.enabled).to.equal(true);
    expect(config.environment.redis.enabled).to.equal(true);
    expect(config.environment.postgres.migrations).to.equal('/repo/migrations');
    expect(config.environment.postgres.migrationCommand).to.equal(undefined);
  });

  it("migrations: { dir, command } names the team's command (split like a service command) and the folder schema diff reads", () => {
    const config = resolved({ environment: { postgres: { migrations: { dir: 'prisma/migrations', command: 'npx prisma migrate deploy', table: '_prisma_migrations' } } } });
    expect(config.environment.postgres.migrationCommand).to.deep.equal({ line: 'npx prisma migrate deploy', argv: ['npx', 'prisma', 'migrate', 'deploy'], timeoutMs: 120_000, table: '_prisma_migrations' });
    expect(config.environment.postgres.migrations).to.equal('/repo/prisma/migrations');
    expect(config.schema.migrations).to.equal('/repo/prisma/migrations');
  });

  describe('in the YAML file', () => {
    let dir: string;
    beforeEach(async () => {
      dir = await mkdtemp(join(tmpdir(), 'accord-env-config-'));
      await mkdir(join(dir, 'config'));
    });
    afterEach(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    const load = async (yaml: string) => {
      await writeFile(join(dir, 'config/environment.yaml'), yaml);
      try {
        return await loadConfig('config', { root: dir });
      } catch (error) {
        if (isAccordError(error)) return error.message;
        throw error;
      }
    };

    it('postgres: false loads; postgres: true is refused in one line naming the key', async () => {
      const ok = await load('services:\n  api:\n    command: node api.js\npostgres: false\nredis: false\n');
      expect(typeof ok === 'string' ? ok : ok.environment.postgres.enabled).to.equal(false);
      const refused = await load('services:\n  api:\n    command: node api.js\npostgres: true\n');
      expect(refused).to.be.a('string').and.match(/config\/environment\.yaml:4: postgres: expected a map, or false \(the system has no database\), got true \(boolean\)$/);
      expect(String(refused)).not.to.include('\n');
    });
  });
});
