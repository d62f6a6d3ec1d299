import { randomBytes } from 'node:crypto';
import { request } from 'undici';
import { migrateBrokerDatabase, startBroker } from '../../../src/broker/index.js';
import type { BrokerOptions, ContractChecker, StartedBroker } from '../../../src/broker/index.js';
import { startPostgres } from '../../../src/env/index.js';
import type { StartedPostgres } from '../../../src/env/index.js';

export const READ_TOKEN = 'read-only-test-token';
export const WRITE_TOKEN = 'read-write-test-token';

/** A JSON response. */
export interface ApiResponse<T = any> {
  status: number;
  contentType: string;
  body: T;
}

/** One embedded PostgreSQL per suite with a migrated template; one database (a clone) and one broker per test. */
export interface BrokerHarness {
  postgres: StartedPostgres;
  /** Starts a broker on a fresh clone of the migrated template. */
  fresh(options?: { checkContract?: ContractChecker; bodyLimitBytes?: number; webhooks?: BrokerOptions['webhooks'] }): Promise<TestBroker>;
  stop(): Promise<void>;
}

/** A broker on its own database, with helpers that drive it through its HTTP API only. */
export interface TestBroker {
  broker: StartedBroker;
  database: string;
  api<T = any>(method: string, path: string, body?: unknown, options?: { token?: string | null; contentType?: string; rawBody?: string; accept?: string }): Promise<ApiResponse<T>>;
  publish(consumer: string, version: string, provider: string, options?: { branch?: string; tags?: string[]; variant?: string }): Promise<{ sha: string }>;
  verify(provider: string, providerVersion: string, consumer: string, sha: string, success: boolean, options?: { branch?: string }): Promise<void>;
  record(kind: 'deployed' | 'released', pacticipant: string, version: string, environment: string, applicationInstance?: string): Promise<void>;
  createVersion(pacticipant: string, version: string, branch?: string): Promise<void>;
  matrix(query: string): Promise<ApiResponse>;
  /** Row counts of the broker's tables (to prove nothing was half-written). */
  counts(): Promise<Record<string, number>>;
  stop(): Promise<void>;
}

/** A pact whose content differs per `variant` (so verifications attach to the right content). */
export function pactContent(consumer: string, provider: string, variant = 'v1') {
  return {
    consumer: { name: consumer },
    provider: { name: provider },
    interactions: [
      {
        type: 'Synchronous/HTTP',
        description: `a request for item ${variant}`,
        request: { method: 'GET', path: `/items/${variant}` },
        response: { status: 200, body: { content: { sku: variant }, contentType: 'application/json' } },
      },
    ],
    metadata: { pactSpecification: { version: '4.0' } },
  };
}

export async function startHarness(): Promise<BrokerHarness> {
  const postgres = await startPostgres();
  const suffix = randomBytes(3).toString('hex');
  const template = `broker_template_${suffix}`;
  await postgres.createDatabase(template);
  await migrateBrokerDatabase(postgres.urlFor(template));
  let count = 0;
  const started: TestBroker[] = [];
  return {
    postgres,
    async fresh(options = {}) {
      count += 1;
      const database = `broker_test_${suffix}_${count}`;
      const url = await postgres.createDatabase(database, { template });
      const broker = await startBroker({
        databaseUrl: url,
        auth: { readOnlyTokens: [READ_TOKEN], readWriteTokens: [WRITE_TOKEN] },
        ...(options.checkContract ? { checkContract: options.checkContract } : {}),
        ...(options.bodyLimitBytes ? { bodyLimitBytes: options.bodyLimitBytes } : {}),
        ...(options.webhooks ? { webhooks: options.webhooks } : {}),
      });
      const test = testBroker(broker, database, postgres);
      started.push(test);
      return test;
    },
    async stop() {
      for (const test of started) await test.stop();
      await postgres.stop();
    },
  };
}

function testBroker(broker: StartedBroker, database: string, postgres: StartedPostgres): TestBroker {
  const api: TestBroker['api'] = async (method, path, body, options = {}) => {
    const token = options.token === undefined ? WRITE_TOKEN : options.token;
    const headers: Record<string, string> = { accept: options.accept ?? 'application/hal+json, application/problem+json' };
    if (token) headers.authorization = `Bearer ${token}`;
    let payload: string | undefined = options.rawBody;
    if (body !== undefined) payload = JSON.stringify(body);
    if (payload !== undefined) headers['content-type'] = options.contentType ?? 'application/json';
    const response = await request(`${broker.url}${path}`, { method: method as 'GET', headers, body: payload ?? null });
    const text = await response.body.text();
    return { status: response.statusCode, contentType: String(response.headers['content-type'] ?? ''), body: text ? JSON.parse(text) : undefined };
  };
  let stopped = false;
  const self: TestBroker = {
    broker,
    database,
    api,
    async publish(consumer, version, provider, options = {}) {
      const content = pactContent(consumer, provider, options.variant);
      const response = await api('POST', '/contracts/publish', {
        pacticipantName: consumer,
        pacticipantVersionNumber: version,
        ...(options.branch ? { branch: options.branch } : {}),
        ...(options.tags ? { tags: options.tags } : {}),
        contracts: [{ consumerName: consumer, providerName: provider, specification: 'pact', contentType: 'application/json', content: Buffer.from(JSON.stringify(content)).toString('base64') }],
      });
      if (response.status !== 200) throw new Error(`publish failed: ${response.status} ${JSON.stringify(response.body)}`);
      const href: string = response.body._links['pb:contracts'][0].href;
      const pact = await api('GET', href.replace(broker.url, ''));
      return { sha: pact.body._links['pb:pact-version'].name as string };
    },
    async verify(provider, providerVersion, consumer, sha, success, options = {}) {
      if (options.branch) await self.createVersion(provider, providerVersion, options.branch);
      const response = await api('POST', `/pacts/provider/${provider}/consumer/${consumer}/pact-version/${sha}/verification-results`, { success, providerApplicationVersion: providerVersion });
      if (response.status !== 201) throw new Error(`verification failed: ${response.status} ${JSON.stringify(response.body)}`);
    },
    async record(kind, pacticipant, version, environment, applicationInstance) {
      const v = await api('GET', `/pacticipants/${pacticipant}/versions/${version}`);
      if (v.status !== 200) throw new Error(`no version ${pacticipant} ${version}: ${v.status}`);
      const link = (v.body._links[kind === 'deployed' ? 'pb:record-deployment' : 'pb:record-release'] as Array<{ name: string; href: string }>).find((l) => l.name === environment);
      if (!link) throw new Error(`no environment ${environment}`);
      const response = await api('POST', link.href.replace(broker.url, ''), applicationInstance ? { applicationInstance } : {});
      if (response.status !== 201) throw new Error(`record failed: ${response.status} ${JSON.stringify(response.body)}`);
    },
    async createVersion(pacticipant, version, branch) {
      const response = branch
        ? await api('PUT', `/pacticipants/${pacticipant}/branches/${branch}/versions/${version}`, { name: branch })
        : await api('PUT', `/pacticipants/${pacticipant}/versions/${version}`, {});
      if (response.status >= 300) throw new Error(`create version failed: ${response.status}`);
    },
    matrix: (query) => api('GET', `/matrix?${query}`),
    async counts() {
      const pg = await import('pg');
      const client = new pg.default.Client({ connectionString: postgres.urlFor(database) });
      await client.connect();
      try {
        const tables = ['pacticipants', 'versions', 'tags', 'branch_versions', 'pact_versions', 'pact_publications', 'verifications', 'environments', 'deployed_versions', 'released_versions', 'evidence'];
        const result: Record<string, number> = {};
        for (const table of tables) result[table] = Number((await client.query(`SELECT count(*) AS n FROM ${table}`)).rows[0].n);
        return result;
      } finally {
        await client.end();
      }
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await broker.stop();
      await postgres.dropDatabase(database);
    },
  };
  return self;
}
