import { readdir, readFile } from 'node:fs/promises';
import { basename, extname, join, relative, resolve } from 'node:path';
import { expect } from 'chai';
import { parse } from 'yaml';

// `src/` is the framework a team installs; the example system (`examples/orders`) is its first
// user and nothing of it may be welded into the framework. Every file under src/ (code, defaults,
// help texts, messages, comments and SQL alike) is searched for the example's names: its services,
// tables, environment variables, ports, scenarios, files and domain words. The names are read from
// the example where it states them (its config, schemas, service configs, sequence pages and
// files), plus a fixed list that keeps the test meaningful should the example change shape.

const REPO = resolve(import.meta.dirname, '../../..');
const SRC = join(REPO, 'src');
const EXAMPLE = join(REPO, 'examples/orders');

/** One kind of name and the expressions that find it in a line. */
interface NameRule {
  readonly kind: string;
  readonly label: string;
  readonly pattern: RegExp;
}

/** One occurrence: `src/x.ts:12: service name service-a`. */
interface Hit {
  readonly file: string;
  readonly line: number;
  readonly kind: string;
  readonly label: string;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A hyphenated or dotted name: not part of a longer name (`happy-path` is not in `happy-paths`). */
const exactName = (name: string) => new RegExp(`(?<![\\w-])${escape(name)}(?![\\w-])`, 'i');
/**
 * A domain word, alone or as a part of a name (`sku`, `SKUs`, `WIDGET-1`, `paymentMethod`,
 * `customerId`), not inside another word (`stockade` is no stock).
 */
const domainWord = (word: string) => {
  const capital = `${word[0]?.toUpperCase()}${word.slice(1)}`;
  return new RegExp(`(?:(?<![A-Za-z])(?:${word}|${word.toUpperCase()})|(?<![A-Z])${capital})(?:s|S)?(?![a-z])`);
};
/** An environment variable: not part of a longer upper-case name. */
const envName = (name: string) => new RegExp(`(?<![A-Za-z0-9_])${escape(name)}(?![A-Za-z0-9_])`);

async function readOptional(file: string): Promise<string | undefined> {
  return readFile(file, 'utf8').catch(() => undefined);
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const out: string[] = [];
  for (const entry of entries) {
    if (entry.name === 'node_modules' || entry.name === 'dist') continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listFiles(full)));
    else out.push(full);
  }
  return out.sort();
}

// Fixed lists (what the example is named today); the derived names are added to them.
const SERVICES = ['service-a', 'service-b', 'service-c', 'payments-stub'];
const TABLES = ['items', 'reservations', 'shipments', 'processed_events'];
const ENV_VARS = [
  'SERVICE_A_URL', 'SERVICE_B_URL', 'SERVICE_C_URL', 'PAYMENTS_STUB_URL', 'SERVICE_B_TOKEN',
  'B_TIMEOUT_MS', 'B_RETRIES', 'B_RETRY_BASE_MS', 'B_RETRY_MAX_MS', 'RETRY_AFTER_SECONDS',
  'ORDER_EVENTS_STREAM', 'ORDER_EVENTS_MAXLEN', 'DEAD_LETTER_STREAM', 'MAX_DELIVERIES', 'CLAIM_IDLE_MS',
];
const PORTS = [8001, 8002, 8003];
const SCENARIOS = [
  'happy-path', 'b-unavailable', 'b-hangs', 'c-down', 'c-killed', 'concurrent-last-stock', 'data-consistency',
  'payment-outage', 'payments-down', 'payments-retry-key', 'payments-slow', 'poison-message', 'postgres-down',
  'redis-down', 'redis-paused',
];
const FILES = ['service-a-to-b', 'database-v2', 'docker-compose.integration', 'order-events', 'inventory.ts'];
/** Variables every service gets from Accord itself, or that any Node service reads: not the example's. */
const GENERIC_ENV = new Set(['DATABASE_URL', 'REDIS_URL', 'PORT', 'HOST', 'LOG_LEVEL', 'NODE_ENV']);

/** The example's names, from its own files plus the fixed lists above. */
async function exampleNames(): Promise<{ services: string[]; tables: string[]; envVars: string[]; ports: number[]; scenarios: string[]; files: string[] }> {
  const services = new Set(SERVICES);
  const envVars = new Set(ENV_VARS);
  const ports = new Set(PORTS);
  const environment = parse((await readOptional(join(EXAMPLE, 'config/integration/environment.yaml'))) ?? '{}') as {
    services?: Record<string, { port?: number; env?: Record<string, unknown>; secrets?: string[] }>;
  } | null;
  for (const [name, service] of Object.entries(environment?.services ?? {})) {
    services.add(name);
    envVars.add(`${name.toUpperCase().replaceAll('-', '_')}_URL`);
    for (const key of [...Object.keys(service.env ?? {}), ...(service.secrets ?? [])]) envVars.add(key);
    if (service.port && service.port >= 8000 && service.port < 9000) ports.add(service.port);
  }
  for (const line of ((await readOptional(join(EXAMPLE, '.env.integration-test'))) ?? '').split('\n')) {
    const key = /^\s*([A-Z][A-Z0-9_]*)=/.exec(line)?.[1];
    if (key) envVars.add(key);
  }
  for (const file of await listFiles(join(EXAMPLE, 'services'))) {
    if (!/\/src\/(config|main)\.ts$/.test(file)) continue;
    for (const match of (await readFile(file, 'utf8')).matchAll(/(?:'|env\.)([A-Z][A-Z0-9]*_[A-Z0-9_]+)/g)) envVars.add(match[1] as string);
  }
  const tables = new Set(TABLES);
  for (const file of [...(await listFiles(join(EXAMPLE, 'schemas'))), ...(await listFiles(join(EXAMPLE, 'migrations')))]) {
    if (!file.endsWith('.sql')) continue;
    for (const match of (await readFile(file, 'utf8')).matchAll(/CREATE TABLE (?:IF NOT EXISTS )?(?:"?public"?\.)?"?([A-Za-z_][\w]*)"?/gi)) tables.add((match[1] as string).toLowerCase());
  }
  // The example's scenarios: its sequence pages are named after them, as are its catalog's files.
  const scenarios = new Set(SCENARIOS);
  for (const file of await listFiles(join(EXAMPLE, 'docs/sequences'))) if (file.endsWith('.md')) scenarios.add(basename(file, '.md'));
  for (const file of await listFiles(EXAMPLE)) {
    if (!/\/scenarios\/[^/]+\.ts$/.test(file)) continue;
    for (const match of (await readFile(file, 'utf8')).matchAll(/^\s*name: '([a-z][a-z0-9-]*)',?$/gm)) scenarios.add(match[1] as string);
  }
  const files = new Set(FILES);
  for (const dir of ['contracts', 'schemas', 'messages', 'states', 'pacts', 'migrations']) {
    for (const file of await listFiles(join(EXAMPLE, dir))) files.add(basename(file, extname(file)));
  }
  for (const file of await readdir(EXAMPLE).catch(() => [] as string[])) if (/^docker-compose.*\.ya?ml$/.test(file)) files.add(basename(file, extname(file)));
  return {
    services: [...services],
    tables: [...tables],
    envVars: [...envVars].filter((name) => !GENERIC_ENV.has(name)),
    ports: [...ports],
    scenarios: [...scenarios],
    // A file named after a generic word (seeds/demo.sql) says nothing of the example.
    files: [...files].filter((name) => name.length > 4),
  };
}

/**
 * Words of Accord's own that the example shares, taken out of a line before it is searched.
 * `items` is JSON Schema's array keyword and a field of the `yaml` package's nodes: as a property
 * (`schema.items`, `items: {…}`, `['items']`), as the keyword in backquotes, or inside a longer name
 * (`min-items`, `align-items`) it is not the example's table; `public.items` is.
 * `data-consistency` is one of the kinds of proof a scenario declares (`proves`, the checklist's
 * "Data consistency verified"), which the example named one of its scenarios after.
 */
function withoutAccordWords(line: string): string {
  const out = line
    .replace(/(?<!\bpublic)\.items\b/g, '.·')
    .replace(/\bitems(\??:)/g, '·$1')
    .replace(/\['items'\]|`items`|=== 'items'/g, '·')
    .replace(/(?<=[\w-])-items\b|\bitems-(?=[\w-])/g, '-·');
  return /\bprov(?:es|ing)\b|ScenarioProof|SCENARIO_PROOFS|error-handling/.test(out) ? out.replace(/(['`])data-consistency\1/g, '$1·$1') : out;
}

function rules(names: Awaited<ReturnType<typeof exampleNames>>): NameRule[] {
  const out: NameRule[] = [];
  const add = (kind: string, label: string, pattern: RegExp) => out.push({ kind, label, pattern });
  for (const name of names.services) add('service', name, exactName(name));
  // How the example's docs call its services: Service A, serviceB, service_c, and A's / B's / C's.
  add('service', 'Service A/B/C', /\b[Ss]ervice(?:[-_]?[ABCabc]|\s[ABC])(?![a-z0-9])/);
  add('service', "A's / B's / C's", /(?<![\w.'-])[ABC]'s\b/);
  // processed_events is also written processed-events.
  for (const table of names.tables) add('table', table, new RegExp(`(?<![\\w-])${escape(table).replaceAll('_', '[-_]')}(?![\\w-])`, 'i'));
  for (const name of names.envVars) add('env var', name, envName(name));
  add('env var', 'PAYMENTS_*', /(?<![A-Za-z0-9_])PAYMENTS_[A-Z0-9_]+/);
  for (const port of names.ports) add('port', String(port), new RegExp(`(?<![\\d.])${port}(?!\\d)`));
  for (const name of names.scenarios) add('scenario', name, exactName(name));
  for (const name of names.files) add('file', name, exactName(name));
  // The example's domain: orders, order ids and events, SKUs, stock, payments, reservations…
  add('domain', 'orders', /\borders\b/i);
  add('domain', 'an order', /\b(?:an|each|every|one|confirmed|placed) order\b/i);
  add('domain', 'order id/event', /\border[-_ .]?(?:ids?|events?)(?![a-z])/i);
  add('domain', 'order id/event', /\b(?:place|create|get|find|cancel|confirm)Orders?\b|\bOrder(?:Id|Event|Store)/);
  for (const word of ['sku', 'stock', 'widget', 'inventory', 'fulfilment', 'fulfillment', 'reservation', 'shipment', 'payment', 'customer']) add('domain', word, domainWord(word));
  return out;
}

async function scan(): Promise<Hit[]> {
  const names = await exampleNames();
  const all = rules(names);
  const hits: Hit[] = [];
  for (const file of await listFiles(SRC)) {
    const lines = (await readFile(file, 'utf8')).split('\n');
    for (const [index, raw] of lines.entries()) {
      const line = withoutAccordWords(raw);
      const seen = new Set<string>();
      for (const rule of all) {
        if (seen.has(rule.label) || !rule.pattern.test(line)) continue;
        seen.add(rule.label);
        hits.push({ file: relative(REPO, file), line: index + 1, kind: rule.kind, label: rule.label });
      }
    }
  }
  return hits;
}

describe('src/ names nothing of the example system', () => {
  it('reads the example names from examples/orders', async () => {
    const names = await exampleNames();
    expect(names.services).to.include.members(['service-a', 'service-b', 'service-c', 'payments-stub']);
    expect(names.tables).to.include.members(['items', 'reservations', 'shipments', 'processed_events']);
    expect(names.envVars).to.include.members(['SERVICE_B_TOKEN', 'SERVICE_A_URL', 'B_TIMEOUT_MS', 'ORDER_EVENTS_STREAM', 'PAYMENTS_TIMEOUT_MS']);
    expect(names.envVars).not.to.include('LOG_LEVEL');
    expect(names.ports).to.include.members([8001, 8002, 8003]);
    expect(names.scenarios).to.include.members(['happy-path', 'b-hangs', 'poison-message']);
    expect(names.files).to.include.members(['service-a-to-b', 'database-v2', 'docker-compose.integration', 'order-events']);
  });

  it('tells the example apart from JSON Schema and from English', () => {
    const rule = (line: string) => rules({ services: SERVICES, tables: TABLES, envVars: ENV_VARS, ports: PORTS, scenarios: SCENARIOS, files: FILES })
      .filter((r) => r.pattern.test(withoutAccordWords(line)))
      .map((r) => r.label);
    expect(rule("{ type: 'array', items: { type: 'string' } }")).to.deep.equal([]);
    expect(rule('if (base.items !== undefined) compare(node.items);')).to.deep.equal([]);
    expect(rule("} else if (token === 'items') {")).to.deep.equal([]);
    expect(rule("'request-body-min-items-set': ['w', 'X'], align-items:end")).to.deep.equal([]);
    expect(rule('the columns in their position order; sort order; ORDER BY id')).to.deep.equal([]);
    expect(rule('INSERT INTO items (sku) VALUES ($1)')).to.include.members(['items', 'sku']);
    expect(rule('`public.items`, _No items._')).to.deep.equal(['items']);
    expect(rule("alternatives, `items`, additionalProperties; proving('data-consistency')")).to.deep.equal([]);
    expect(rule("name: 'data-consistency',")).to.deep.equal(['data-consistency']);
    expect(rule("`error-handling` (it injects a fault), `data-consistency` (it compares the data)")).to.deep.equal([]);
    expect(rule("run against Service A: A's retries, serviceBToken, SERVICE_A_URL at 127.0.0.1:8001")).to.include.members(['Service A/B/C', "A's / B's / C's", 'SERVICE_A_URL', '8001']);
    expect(rule('see docker-compose.integration.yml and happy-path')).to.include.members(['docker-compose.integration', 'happy-path']);
    expect(rule("given('an item exists', { sku: 'WIDGET-1' }), paymentMethod.token, SKUs, placeOrder(), processed-events rows, columnOrder")).to.include.members(['sku', 'widget', 'payment', 'order id/event', 'processed_events']);
    expect(rule('a stockade of customers in the inventoryless shipmentyard')).to.deep.equal(['customer']);
  });

  it('finds none of them in any file under src/', async () => {
    const hits = await scan();
    const listing = hits.map((hit) => `${hit.file}:${hit.line}: ${hit.kind} ${hit.label}`).join('\n');
    expect(hits.length, `${hits.length} occurrence(s) of the example's names under src/:\n${listing}\n`).to.equal(0);
  });
});
