/**
 * Benchmarks the broker (issue 8): seeds 50 pacticipants × 1,000 versions with pacts and
 * verification results, then times over real HTTP
 *   - GET /matrix for can-i-deploy of one version to an environment (goal p95 ≤ 50 ms),
 *   - POST /contracts/publish of a new consumer version (goal p95 ≤ 20 ms),
 *   - GET /matrix with require=all over the same data with evidence for every version and
 *     step (goal p95 ≤ 50 ms), and the HTML page a browser gets for it (goal ≤ 200 ms).
 * Seeding is bulk SQL (INSERT … SELECT generate_series), not the API: 50,000 versions through
 * HTTP would time the seeding, not the queries. Everything else goes through the HTTP API.
 * Then webhooks and replicas (issue 27), on a database of their own, with `accord broker serve`
 * processes (one, then two over the same database) and a local receiver:
 *   - from a publish's response to its webhook's request arriving (goal p95 ≤ 250 ms, one
 *     replica and two),
 *   - publishing throughput with a webhook on every publish (two replicas ≥ one, same run).
 * Run: npx tsx scripts/bench-broker.ts [iterations] [--webhooks-only]
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import * as hdr from 'hdr-histogram-js';
import pg from 'pg';
import { request } from 'undici';
import { EVIDENCE_STEPS, migrateBrokerDatabase, startBroker } from '../src/broker/index.js';
import { startPostgres } from '../src/env/index.js';
import type { StartedPostgres } from '../src/env/index.js';

const ARGS = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
const WEBHOOKS_ONLY = process.argv.includes('--webhooks-only');
const ITERATIONS = Number(ARGS[0] ?? 500);
const PACTICIPANTS = 50;
const VERSIONS = 1000;
const TOKEN = 'bench-token';

const postgres = await startPostgres();
if (WEBHOOKS_ONLY) {
  await benchWebhooks(postgres, ITERATIONS);
  await postgres.stop();
  process.exit(0);
}
const databaseUrl = await postgres.createDatabase('broker_bench');
await migrateBrokerDatabase(databaseUrl);

console.log(`bench-broker: ${PACTICIPANTS} pacticipants × ${VERSIONS} versions, ${ITERATIONS} timed requests each, load average ${loadavg().map((n) => n.toFixed(2)).join(' ')}, node ${process.version}`);

// --- seed (bulk SQL) ---------------------------------------------------------------------------
const seedStart = performance.now();
const client = new pg.Client({ connectionString: databaseUrl });
await client.connect();
// Each app i consumes apps i+1 and i+2 (mod 50); pact content changes every 10 versions; each
// pact content is verified by the 10 provider versions built alongside it (every 7th fails).
const version = "split_part(v.number, '.', 1)::int";
await client.query(`
  INSERT INTO pacticipants (name, main_branch) SELECT 'app-' || lpad(i::text, 2, '0'), 'main' FROM generate_series(0, ${PACTICIPANTS - 1}) i;
  INSERT INTO versions (pacticipant_id, number, created_at)
    SELECT p.id, n || '.0.0', now() - ((${VERSIONS} - n) || ' minutes')::interval FROM generate_series(1, ${VERSIONS}) n CROSS JOIN pacticipants p ORDER BY n, p.id;
  INSERT INTO branch_versions (pacticipant_id, branch, version_id) SELECT pacticipant_id, 'main', id FROM versions;
  INSERT INTO pact_versions (consumer_id, provider_id, sha, content)
    SELECT c.id, p.id, 'seed-' || g,
           jsonb_build_object('consumer', jsonb_build_object('name', c.name), 'provider', jsonb_build_object('name', p.name),
                              'interactions', jsonb_build_array(jsonb_build_object('description', 'request ' || g, 'request', jsonb_build_object('method', 'GET', 'path', '/items/' || g), 'response', jsonb_build_object('status', 200))))
    FROM pacticipants c CROSS JOIN generate_series(1, 2) k JOIN pacticipants p ON p.id = ((c.id - 1 + k) % ${PACTICIPANTS}) + 1
    CROSS JOIN generate_series(1, ${VERSIONS / 10}) g;
  INSERT INTO pact_publications (consumer_id, consumer_version_id, provider_id, pact_version_id)
    SELECT v.pacticipant_id, v.id, pv.provider_id, pv.id FROM versions v
    JOIN pact_versions pv ON pv.consumer_id = v.pacticipant_id AND pv.sha = 'seed-' || ((${version} - 1) / 10 + 1);
  INSERT INTO integrations (consumer_id, provider_id) SELECT DISTINCT consumer_id, provider_id FROM pact_versions;
  INSERT INTO verifications (pact_version_id, provider_id, provider_version_id, number, success, created_at)
    SELECT pv.id, pv.provider_id, v.id, row_number() OVER (PARTITION BY pv.id ORDER BY v.id), ${version} % 7 <> 0, v.created_at
    FROM pact_versions pv JOIN versions v ON v.pacticipant_id = pv.provider_id
     AND ${version} BETWEEN (split_part(pv.sha, '-', 2)::int - 1) * 10 + 1 AND split_part(pv.sha, '-', 2)::int * 10;
  INSERT INTO deployed_versions (uuid, pacticipant_id, version_id, environment_id, application_instance)
    SELECT gen_random_uuid(), v.pacticipant_id, v.id, e.id, CASE WHEN v.number = '${VERSIONS}.0.0' THEN '' ELSE 'canary' END
    FROM versions v, environments e WHERE e.name = 'production' AND v.number IN ('${VERSIONS}.0.0', '${VERSIONS - 5}.0.0');
  INSERT INTO released_versions (uuid, pacticipant_id, version_id, environment_id)
    SELECT gen_random_uuid(), v.pacticipant_id, v.id, e.id FROM versions v, environments e WHERE e.name = 'test' AND v.number IN ('${VERSIONS}.0.0', '${VERSIONS - 10}.0.0');
  -- Evidence for every version and every gate step; every 11th version's load step failed.
  INSERT INTO evidence (pacticipant_id, version_id, step, status, summary, report_digest)
    SELECT v.pacticipant_id, v.id, s.step, CASE WHEN s.step = 'load' AND ${version} % 11 = 0 THEN 'fail' ELSE 'pass' END,
           s.step || ' of ' || v.number, 'sha256:' || md5(v.id || s.step) || md5(s.step || v.id)
    FROM versions v CROSS JOIN unnest(ARRAY[${EVIDENCE_STEPS.map((step) => `'${step}'`).join(', ')}]) AS s(step);
  ANALYZE;
`);
const counts = (await client.query(`SELECT (SELECT count(*) FROM versions) AS versions, (SELECT count(*) FROM pact_publications) AS publications,
  (SELECT count(*) FROM pact_versions) AS pact_versions, (SELECT count(*) FROM verifications) AS verifications, (SELECT count(*) FROM evidence) AS evidence`)).rows[0];
await client.end();
console.log(`seeded in ${((performance.now() - seedStart) / 1000).toFixed(1)} s: ${counts.versions} versions, ${counts.publications} pact publications, ${counts.pact_versions} pact versions, ${counts.verifications} verification results, ${counts.evidence} evidence records`);

// --- time over HTTP ----------------------------------------------------------------------------
const broker = await startBroker({ databaseUrl, auth: { readOnlyTokens: [], readWriteTokens: [TOKEN] } });
const headers = { authorization: `Bearer ${TOKEN}`, accept: 'application/hal+json, application/json', 'content-type': 'application/json' };
const call = async (method: 'GET' | 'POST', path: string, body?: unknown, accept?: string) => {
  const started = performance.now();
  const response = await request(`${broker.url}${path}`, { method, headers: accept ? { ...headers, accept } : headers, body: body === undefined ? null : JSON.stringify(body) });
  const text = await response.body.text();
  const elapsed = performance.now() - started;
  if (response.statusCode >= 300) throw new Error(`${method} ${path} → ${response.statusCode}: ${text.slice(0, 300)}`);
  return { elapsed, text, json: accept?.includes('text/html') ? {} : (JSON.parse(text) as { summary?: { deployable: boolean | null }; matrix?: unknown[]; evidence?: unknown[] }) };
};
const name = (i: number) => `app-${String(i % PACTICIPANTS).padStart(2, '0')}`;

// A declaration (hoisted): the webhooks-only run reports before this line is reached.
function report(label: string, values: number[], goalMs: number): void {
  // hdr-histogram-js records integers: microseconds.
  const histogram = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: 3 });
  for (const value of values) histogram.recordValue(Math.round(value * 1000));
  const at = (p: number) => (histogram.getValueAtPercentile(p) / 1000).toFixed(1);
  const p95 = histogram.getValueAtPercentile(95) / 1000;
  console.log(`${label.padEnd(44)} n=${values.length}  p50 ${at(50)} ms  p95 ${at(95)} ms  p99 ${at(99)} ms  max ${at(100)} ms  goal p95 ≤ ${goalMs} ms: ${p95 <= goalMs ? 'met' : 'MISSED'}`);
  histogram.destroy();
}

// The floor on this machine: an authenticated GET / (no database) over the same HTTP client.
const floor: number[] = [];
for (let i = 0; i < ITERATIONS; i += 1) floor.push((await call('GET', '/')).elapsed);
report('GET / (HTTP + auth floor, no database)', floor, 50);

// Warm-up: JIT, connection pool, plan cache.
for (let i = 0; i < 50; i += 1) await call('GET', `/matrix?q[][pacticipant]=${name(i)}&q[][version]=${VERSIONS}.0.0&latestby=cvpv&environment=production`);

const latest: number[] = [];
const deployable = { true: 0, false: 0, null: 0 };
let rows = 0;
for (let i = 0; i < ITERATIONS; i += 1) {
  const { elapsed, json } = await call('GET', `/matrix?q[][pacticipant]=${name(i)}&q[][version]=${VERSIONS}.0.0&latestby=cvpv&environment=production`);
  latest.push(elapsed);
  deployable[String(json.summary?.deployable) as 'true' | 'false' | 'null'] += 1;
  rows += json.matrix?.length ?? 0;
}
report('GET /matrix can-i-deploy latest → production', latest, 50);
const anyVersion: number[] = [];
for (let i = 0; i < ITERATIONS; i += 1) {
  const number = 1 + ((i * 7919) % VERSIONS);
  anyVersion.push((await call('GET', `/matrix?q[][pacticipant]=${name(i * 13)}&q[][version]=${number}.0.0&latestby=cvpv&environment=production`)).elapsed);
}
report('GET /matrix can-i-deploy any version → prod', anyVersion, 50);
const simple: number[] = [];
for (let i = 0; i < ITERATIONS; i += 1) {
  simple.push((await call('GET', `/can-i-deploy?pacticipant=${name(i)}&version=${VERSIONS}.0.0&environment=test`)).elapsed);
}
report('GET /can-i-deploy latest → test (released)', simple, 50);
console.log(`  answers for latest → production: deployable true ${deployable.true}, false ${deployable.false}, unknown ${deployable.null}; ${(rows / ITERATIONS).toFixed(1)} rows per answer`);

const required: number[] = [];
const weighed = { true: 0, false: 0, null: 0 };
let evidenceEntries = 0;
for (let i = 0; i < ITERATIONS; i += 1) {
  const number = 1 + ((i * 7919) % VERSIONS);
  const { elapsed, json } = await call('GET', `/matrix?q[][pacticipant]=${name(i * 13)}&q[][version]=${number}.0.0&latestby=cvpv&environment=production&require=all`);
  required.push(elapsed);
  weighed[String(json.summary?.deployable) as 'true' | 'false' | 'null'] += 1;
  evidenceEntries += json.evidence?.length ?? 0;
}
report('GET /matrix can-i-deploy --require all → prod', required, 50);
console.log(`  answers with evidence: deployable true ${weighed.true}, false ${weighed.false}, unknown ${weighed.null}; ${(evidenceEntries / ITERATIONS).toFixed(1)} evidence entries per answer`);
const page: number[] = [];
let pageBytes = 0;
const pageIterations = Math.max(20, Math.round(ITERATIONS / 5));
for (let i = 0; i < pageIterations; i += 1) {
  const number = 1 + ((i * 7919) % VERSIONS);
  const { elapsed, text } = await call('GET', `/?pacticipant=${name(i)}&version=${number}.0.0&environment=production&require=all`, undefined, 'text/html,application/xhtml+xml,*/*;q=0.8');
  page.push(elapsed);
  pageBytes = text.length;
}
report('GET / as HTML (page + can-i-deploy --require all)', page, 200);
const pageOnly: number[] = [];
for (let i = 0; i < pageIterations; i += 1) pageOnly.push((await call('GET', '/', undefined, 'text/html,application/xhtml+xml,*/*;q=0.8')).elapsed);
report('GET / as HTML (page alone, no question)', pageOnly, 200);
console.log(`  page size ${(pageBytes / 1024).toFixed(0)} KiB`);

const publish: number[] = [];
for (let i = 0; i < ITERATIONS; i += 1) {
  const consumer = name(i);
  const provider = name(i + 1);
  const pact = { consumer: { name: consumer }, provider: { name: provider }, interactions: [{ description: `bench request ${i}`, request: { method: 'GET', path: `/bench/${i}` }, response: { status: 200 } }], metadata: { pactSpecification: { version: '4.0' } } };
  publish.push(
    (
      await call('POST', '/contracts/publish', {
        pacticipantName: consumer,
        pacticipantVersionNumber: `bench-${i}`,
        branch: 'main',
        contracts: [{ consumerName: consumer, providerName: provider, specification: 'pact', contentType: 'application/json', content: Buffer.from(JSON.stringify(pact)).toString('base64') }],
      })
    ).elapsed,
  );
}
report('POST /contracts/publish (new version + pact)', publish, 20);

await broker.stop();
await benchWebhooks(postgres, ITERATIONS);
await postgres.stop();

/** Webhook latency and publish throughput with one `accord broker serve`, then two, over one database. */
async function benchWebhooks(server: StartedPostgres, iterations: number): Promise<void> {
  const url = await server.createDatabase('broker_bench_webhooks');
  await migrateBrokerDatabase(url);
  const arrivals = new Map<string, number>();
  const receiver = createServer((req, res) => {
    const at = performance.timeOrigin + performance.now();
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    req.on('end', () => {
      arrivals.set((JSON.parse(body) as { version: string }).version, at);
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  const bin = fileURLToPath(new URL('../bin/accord.js', import.meta.url));
  const serve = async () => {
    const child = execa('node', [bin, 'broker', 'serve', '--port', '0', '--format', 'json', '--database-url', url], {
      env: { ACCORD_BROKER_READ_WRITE_TOKEN: TOKEN, PACT_BROKER_WEBHOOK_SCHEME_WHITELIST: 'http', PACT_BROKER_WEBHOOK_HOST_WHITELIST: '127.0.0.1' },
      reject: false,
      buffer: false,
    });
    const listening = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout?.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const line = out.split('\n').find((candidate) => candidate.includes('"listening"'));
        if (line) resolve((JSON.parse(line) as { url: string }).url);
      });
      void child.then((result) => reject(new Error(`accord broker serve exited (${result.exitCode})`)));
    });
    return { url: listening, stop: async () => {
      child.kill('SIGTERM');
      await child;
    } };
  };
  const now = () => performance.timeOrigin + performance.now();
  const post = async (base: string, path: string, body: unknown) => {
    const response = await request(`${base}${path}`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const text = await response.body.text();
    if (response.statusCode >= 300) throw new Error(`POST ${path} → ${response.statusCode}: ${text.slice(0, 300)}`);
  };
  const publishVersion = (base: string, version: string) => {
    const pact = { consumer: { name: 'hook-consumer' }, provider: { name: 'hook-provider' }, interactions: [{ description: `request ${version}`, request: { method: 'GET', path: `/v/${version}` }, response: { status: 200 } }], metadata: { pactSpecification: { version: '4.0' } } };
    return post(base, '/contracts/publish', { pacticipantName: 'hook-consumer', pacticipantVersionNumber: version, branch: 'main', contracts: [{ consumerName: 'hook-consumer', providerName: 'hook-provider', specification: 'pact', contentType: 'application/json', content: Buffer.from(JSON.stringify(pact)).toString('base64') }] });
  };
  const waitForArrivals = async (versions: readonly string[]) => {
    const deadline = Date.now() + 60_000;
    while (versions.some((version) => !arrivals.has(version))) {
      if (Date.now() > deadline) throw new Error(`webhooks missing for ${versions.filter((version) => !arrivals.has(version)).length} publishes`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  const latency = async (label: string, replicas: readonly string[]) => {
    const answered = new Map<string, number>();
    for (let i = 0; i < iterations; i += 1) {
      const version = `${label}-latency-${i}`;
      await publishVersion(replicas[i % replicas.length] as string, version);
      answered.set(version, now());
    }
    await waitForArrivals([...answered.keys()]);
    // The delivery is queued before the publish answers, so it may arrive first: that counts as 0 ms.
    const values = [...answered].map(([version, at]) => Math.max(0, (arrivals.get(version) ?? 0) - at));
    const early = [...answered].filter(([version, at]) => (arrivals.get(version) ?? 0) < at).length;
    report(`publish answered → webhook arrived, ${label}`, values, 250);
    console.log(`  ${early} of ${iterations} webhook requests arrived before the publish's response was read`);
  };
  const throughput = async (label: string, replicas: readonly string[], count: number, concurrency = 16) => {
    const versions = Array.from({ length: count }, (_, i) => `${label}-throughput-${i}`);
    let next = 0;
    const started = now();
    await Promise.all(Array.from({ length: concurrency }, async () => {
      while (next < versions.length) {
        const index = next++;
        await publishVersion(replicas[index % replicas.length] as string, versions[index] as string);
      }
    }));
    const perSecond = count / ((now() - started) / 1000);
    await waitForArrivals(versions);
    console.log(`${`POST /contracts/publish throughput, ${label}`.padEnd(44)} ${count} publishes, ${concurrency} at a time: ${perSecond.toFixed(0)} per second (each fires a webhook; all delivered)`);
    return perSecond;
  };

  const first = await serve();
  let second: Awaited<ReturnType<typeof serve>> | undefined;
  // The second replica runs only in its phases: an idle one would still claim deliveries.
  const withSecond = async () => {
    second = await serve();
    for (let i = 0; i < 20; i += 1) await publishVersion(second.url, `warm-${second.url}-${i}`);
    return [first.url, second.url];
  };
  const withoutSecond = async () => {
    await second?.stop();
    second = undefined;
    return [first.url];
  };
  try {
    await post(first.url, '/webhooks', { events: [{ name: 'contract_published' }], request: { method: 'POST', url: receiverUrl, headers: { 'Content-Type': 'application/json' }, body: { version: '${pactbroker.consumerVersionNumber}' } } });
    for (let i = 0; i < 20; i += 1) await publishVersion(first.url, `warm-${i}`);
    const count = Math.max(200, iterations * 2);
    console.log(`webhooks: ${iterations} sequential publishes for latency, ${count} concurrent for throughput (one, two, one, two: rounds alternate so drift in the machine's load hits both), load average ${loadavg().map((n) => n.toFixed(2)).join(' ')}`);
    await latency('one replica', [first.url]);
    const one = [await throughput('one replica, round 1', [first.url], count)];
    const pair = await withSecond();
    await latency('two replicas', pair);
    const two = [await throughput('two replicas, round 1', pair, count)];
    one.push(await throughput('one replica, round 2', await withoutSecond(), count));
    two.push(await throughput('two replicas, round 2', await withSecond(), count));
    const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
    console.log(`  throughput two replicas / one (mean of the rounds): ${(mean(two) / mean(one)).toFixed(2)} (goal ≥ 1: ${mean(two) >= mean(one) ? 'met' : 'MISSED'})`);
  } finally {
    await second?.stop();
    await first.stop();
    receiver.close();
  }
}
