import { stringify } from 'yaml';
import type { RepositoryScan } from './scan-repository.js';

/** Which side of the pacts a repository is on. */
export type InitRole = 'provider' | 'consumer' | 'both';

/** The roles `accord init --role` accepts. */
export const INIT_ROLES: readonly InitRole[] = ['provider', 'consumer', 'both'];

/** What `accord init` would write, and what it says about it. */
export interface InitPlan {
  /** Config files, paths relative to the repository root. */
  readonly files: readonly { readonly path: string; readonly text: string }[];
  /** What was guessed, and from what, one line each. */
  readonly guessed: readonly string[];
  /** What is left for the team to fill in or check, one line each. */
  readonly todo: readonly string[];
}

const DATABASE_PACKAGES = ['pg', 'postgres', 'pg-promise', 'knex', 'prisma', '@prisma/client', 'typeorm', 'sequelize', 'drizzle-orm', 'kysely'];
const CACHE_PACKAGES = ['ioredis', 'redis', '@redis/client'];
const SHELL = /[|&;<>$`\\"'(){}*?~]/;
const PACT_SCRIPT = /^(?:test:)?(?:pact|contract)s?(?::.*)?$|^test:(?:pact|contract)/;

/**
 * A starting config for `role` from what {@link scanRepository} found. Pure: the same scan gives
 * the same files. A provider gets its service (start script, database and cache from its
 * dependencies and migration folders), its contract, its pacts (a directory, else the broker)
 * and its states module; a consumer its Pact tests and can-i-deploy, no environment.
 */
export function planConfig(scan: RepositoryScan, role: InitRole, configDir = 'config/integration'): InitPlan {
  const guessed: string[] = [];
  const todo: string[] = [];
  const files: { path: string; text: string }[] = [];
  const add = (name: string, why: string, body: Record<string, unknown>) => files.push({ path: `${configDir}/${name}`, text: `# ${why}\n# Written by accord init: check it, then commit it.\n${stringify(body, { lineWidth: 0 })}` });
  const provider = role !== 'consumer';
  const consumer = role !== 'provider';

  // Where the pacts are: a provider reads its consumers' (a directory or the broker); a consumer writes its own.
  const pactDir = scan.pactDirs[0]?.dir;
  const ownPacts = consumer ? scan.pactDirs.find((dir) => dir.consumers.length > 0) : undefined;
  const dir = ownPacts?.dir ?? pactDir ?? 'pacts';
  if (pactDir) guessed.push(`pacts: ${dir}/ (${scan.pactDirs.map((d) => `${d.dir}/: ${d.consumers.join(', ')} → ${d.providers.join(', ')}`).join('; ')})`);

  const gate: Record<string, unknown> = {};
  const pacts: Record<string, unknown> = { dir };
  if (provider) {
    const key = serviceKey(scan.packageName);
    const providers = [...new Set(scan.pactDirs.flatMap((d) => d.providers))];
    const pacticipant = providers.length === 1 ? providers[0] : undefined;
    const service: Record<string, unknown> = { command: startCommand(scan, guessed, todo), port: 0, health: '/health' };
    if (pacticipant !== undefined && pacticipant !== key) {
      service.pacticipant = pacticipant;
      guessed.push(`the provider's pacticipant name: ${pacticipant} (the pacts name it so)`);
    } else if (pacticipant === undefined) todo.push(`${configDir}/environment.yaml: services.${key}.pacticipant: the name your consumers' pacts give this provider, if not "${key}"`);
    todo.push(`${configDir}/environment.yaml: services.${key}: Accord starts it with PORT set (port 0: a free one) and waits for GET /health to answer 2xx; set port: and health: if it listens elsewhere`);
    const environment = environmentOf(scan, key, service, guessed, todo, configDir);
    add('environment.yaml', 'The services Accord starts, and what each uses (a database, a cache, streams, HTTP, vendors).', environment);

    const contract = scan.openApi[0];
    if (contract) {
      guessed.push(`the provider's OpenAPI contract: ${contract}${scan.openApi.length > 1 ? ` (also found: ${scan.openApi.slice(1).join(', ')})` : ''}`);
      add('contracts.yaml', 'The OpenAPI contract the gate lints, diffs against the last commit and checks every verified response against.', { path: contract, policy: 'semver' });
    } else todo.push(`${configDir}/contracts.yaml: path: the provider's OpenAPI contract (none found; verification checks every response against it)`);
    if (scan.asyncApi.length > 0) guessed.push(`AsyncAPI: ${scan.asyncApi.join(', ')} (for message pacts: pacts.yaml verify.asyncApi)`);

    const states = scan.states[0];
    pacts.verify = { provider: key, ...(states ? { states } : {}) };
    if (states) guessed.push(`provider states: ${states}`);
    else todo.push(`${configDir}/pacts.yaml: verify.states: a module default-exporting defineProviderStates({...}) from 'accord' (none found)`);
    const local = scan.pactDirs.some((d) => d.providers.includes(pacticipant ?? key));
    if (!local && !consumer) {
      gate.verify = { fromBroker: true };
      guessed.push('no pact for this provider in the repository: the gate verifies the pacts the broker holds (pass --broker-url or set PACT_BROKER_BASE_URL)');
    }
  } else {
    // No service of ours runs in a consumer-only gate: nothing to start, nothing to migrate.
    add('environment.yaml', 'A consumer-only repository: its gate starts nothing (no database, no cache, no service).', { services: {}, postgres: false, redis: false });
    if (scan.openApi.length > 0) guessed.push(`not used: ${scan.openApi.join(', ')} (a consumer's pacts are checked against the provider's contract in the broker)`);
  }
  add('pacts.yaml', provider ? 'The pacts, and the provider they are verified against.' : 'Where the consumer Pact tests write their pacts.', pacts);

  if (consumer) {
    const command = consumerTestsCommand(scan);
    if (command) {
      gate.consumerTests = { command };
      guessed.push(`consumer Pact tests: ${command}`);
    } else todo.push(`${configDir}/gate.yaml: consumerTests.command: the command that runs your Pact consumer tests (no test script found)`);
  }
  if (role !== 'both') {
    gate.canIDeploy = {};
    todo.push(`run accord gate --publish --broker-url URL: the broker ${consumer ? "checks the pacts against the provider's contract" : 'records the contract and the evidence'} and can-i-deploy answers`);
  }
  add('gate.yaml', 'accord gate: what it runs that belongs to this repository.', gate);
  return { files, guessed, todo };
}

/** A service key (lowercase letters, digits, -) from the package name: `@acme/ProductService` → `productservice`. */
export function serviceKey(packageName: string | undefined): string {
  const base = (packageName ?? '').replace(/^@[^/]+\//, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^[^a-z]+|-+$/g, '');
  return base === '' ? 'provider' : base;
}

function startCommand(scan: RepositoryScan, guessed: string[], todo: string[]): string {
  for (const name of ['start', 'serve', 'dev']) {
    const script = scan.scripts[name];
    if (script === undefined) continue;
    // No shell runs a service command: a script needing one runs through npm.
    const command = SHELL.test(script) || /^\s*\w+=/.test(script) ? `npm run ${name}` : script.trim();
    guessed.push(`the provider's start command: ${command} (package.json scripts.${name})`);
    return command;
  }
  todo.push('services: command: how the provider starts (package.json has no start script)');
  return 'npm start';
}

function environmentOf(scan: RepositoryScan, key: string, service: Record<string, unknown>, guessed: string[], todo: string[], configDir: string): Record<string, unknown> {
  const migrations = scan.migrations[0];
  const database = migrations !== undefined || scan.dependencies.some((name) => DATABASE_PACKAGES.includes(name));
  const cache = scan.dependencies.some((name) => CACHE_PACKAGES.includes(name));
  const uses: Record<string, string>[] = [];
  if (database) uses.push({ database: key });
  if (cache) uses.push({ cache: 'redis' });
  if (uses.length > 0) service.uses = uses;
  let postgres: unknown = false;
  if (database) {
    const command = migrations?.tool === 'prisma' ? 'npx prisma migrate deploy' : migrations?.tool === 'knex' ? 'npx knex migrate:latest' : undefined;
    postgres = migrations === undefined ? {} : { migrations: command ? { dir: migrations.dir, command, ...(migrations.tool === 'prisma' ? { table: '_prisma_migrations' } : {}) } : migrations.dir };
    if (migrations) guessed.push(`PostgreSQL, migrated from ${migrations.dir}/ (${command ? `by ${command}` : migrations.tool})`);
    else todo.push(`${configDir}/environment.yaml: postgres.migrations: the migrations folder (a database package is a dependency, but no migrations/ folder was found)`);
  } else guessed.push('no database (no migrations folder, no database package): postgres: false');
  guessed.push(cache ? 'Redis (a Redis client is a dependency)' : 'no cache (no Redis client among the dependencies): redis: false');
  return { services: { [key]: service }, postgres, redis: cache ? {} : false };
}

function consumerTestsCommand(scan: RepositoryScan): string | undefined {
  const script = Object.keys(scan.scripts).find((name) => PACT_SCRIPT.test(name));
  if (script) return `npm run ${script}`;
  // Mocha is run directly: the gate then reports each test as a check.
  if (scan.pactTests.length > 0 && scan.dependencies.includes('mocha')) return `mocha ${scan.pactTests.join(' ')}`;
  if (scan.scripts.test !== undefined) return 'npm test';
  return undefined;
}
