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
 *   - publishing throughput with a webhook on every publish (two replicas ≥ one, same run), in
 *     short rounds alternating ABBA, judged on the median of the per-pair ratios.
 * Run: npx tsx scripts/bench-broker.ts [iterations] [--webhooks-only] [--pairs=10] [--per-round=150] [--concurrency=32]
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import * as hdr from 'hdr-histogram-js';
import pg from 'pg';
import { Agent, request } from 'undici';
import { EVIDENCE_STEPS, migrateBrokerDatabase, startBroker } from '../src/broker/index.js';
import { startPostgres } from '../src/env/index.js';
import type { StartedPostgres } from '../src/env/index.js';

const ARGS = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
const WEBHOOKS_ONLY = process.argv.includes('--webhooks-only');
const ITERATIONS = Number(ARGS[0] ?? 500);
const option = (name: string, fallback: number) => {
  const given = process.argv.find((arg) => arg.startsWith(`--${name}=`));
  const value = given === undefined ? fallback : Number(given.slice(name.length + 3));
  if (!Number.isInteger(value) || value < 1) throw new Error(`Expected \`--${name}\` to be a positive integer, got \`${given?.slice(name.length + 3)}\``);
  return value;
};
const THROUGHPUT = { pairs: option('pairs', 10), perRound: option('per-round', 150), concurrency: option('concurrency', 32) };
const PACTICIPANTS = 50;
const VERSIONS = 1000;
const TOKEN = 'bench-token';

const postgres = await startPostgres();
if (WEBHOOKS_ONLY) {
  await benchWebhooks(postgres, ITERATIONS, THROUGHPUT);
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
await benchWebhooks(postgres, ITERATIONS, THROUGHPUT);
await postgres.stop();

/** CPU seconds a process has used so far (user + system), from /proc; undefined where there is none. */
function cpuSecondsOf(pid: number | undefined): number | undefined {
  if (pid === undefined || !existsSync(`/proc/${pid}/stat`)) return undefined;
  try {
    // The fields after the command's closing parenthesis: utime and stime are the 12th and 13th.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    // USER_HZ is 100 on every Linux this runs on (getconf CLK_TCK).
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined; // it exited between the look and the read
  }
}

/** The PostgreSQL server's CPU seconds: the postmaster and every backend it forked (backends come and go; the sum over the ones alive at both ends is what is compared). */
function postgresProcesses(postmaster: number | undefined): number[] {
  if (postmaster === undefined || !existsSync('/proc')) return [];
  const children = readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .filter((pid) => {
      try {
        return Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ')[1]) === postmaster;
      } catch {
        return false;
      }
    });
  return [postmaster, ...children];
}

// Declarations (hoisted), like report(): the webhooks-only run uses them before this line is reached.
function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}
function geometricMean(values: readonly number[]): number {
  return Math.exp(values.reduce((sum, value) => sum + Math.log(value), 0) / values.length);
}
function load1(): string {
  return (loadavg()[0] ?? 0).toFixed(2);
}

/**
 * Webhook latency and publish throughput with one `accord broker serve`, then two, over one database.
 * Throughput runs in short rounds in ABBA order (1 2 2 1 1 2 2 1 …) after a discarded warm-up
 * pair, and each adjacent one/two pair gives a ratio: the machine's load drifts between rounds,
 * far less within a pair, so the median of the pair ratios says more than a ratio of means.
 */
async function benchWebhooks(server: StartedPostgres, iterations: number, settings: { pairs: number; perRound: number; concurrency: number }): Promise<void> {
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
  // Enough sockets that the client never queues a publish behind another.
  const agent = new Agent({ connections: settings.concurrency * 2 });
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
    return {
      url: listening,
      pid: child.pid,
      pause: () => child.kill('SIGSTOP'),
      resume: () => child.kill('SIGCONT'),
      stop: async () => {
        child.kill('SIGCONT');
        child.kill('SIGTERM');
        await child;
      },
    };
  };
  const now = () => performance.timeOrigin + performance.now();
  const post = async (base: string, path: string, body: unknown) => {
    const response = await request(`${base}${path}`, { dispatcher: agent, method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const text = await response.body.text();
    if (response.statusCode >= 300) throw new Error(`POST ${path} → ${response.statusCode}: ${text.slice(0, 300)}`);
  };
  const publishVersion = (base: string, version: string) => {
    const pact = { consumer: { name: 'hook-consumer' }, provider: { name: 'hook-provider' }, interactions: [{ description: `request ${version}`, request: { method: 'GET', path: `/v/${version}` }, response: { status: 200 } }], metadata: { pactSpecification: { version: '4.0' } } };
    return post(base, '/contracts/publish', { pacticipantName: 'hook-consumer', pacticipantVersionNumber: version, branch: 'main', contracts: [{ consumerName: 'hook-consumer', providerName: 'hook-provider', specification: 'pact', contentType: 'application/json', content: Buffer.from(JSON.stringify(pact)).toString('base64') }] });
  };
  // Set once both replicas run: gives back a lease the paused replica took (see replicasFor).
  let releasePaused: () => Promise<void> = () => Promise.resolve();
  const waitForArrivals = async (versions: readonly string[]) => {
    const deadline = Date.now() + 60_000;
    let looks = 0;
    while (versions.some((version) => !arrivals.has(version))) {
      if (Date.now() > deadline) throw new Error(`webhooks missing for ${versions.filter((version) => !arrivals.has(version)).length} publishes`);
      if (++looks % 40 === 0) await releasePaused();
      await new Promise((resolve) => setTimeout(resolve, 5));
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

  const first = await serve();
  const second = await serve();
  const monitor = new pg.Client({ connectionString: url });
  await monitor.connect();
  // The second replica is paused (SIGSTOP) in one-replica rounds: a running idle one would still
  // claim deliveries. It is paused only with the queue empty, but a claim it sent just before
  // (its 1 s poll) may still run in PostgreSQL and lease a new delivery to a replica that cannot
  // send it; such a lease is given back, as if that replica were not there (otherwise the
  // delivery waits the 15 s lease out: the at-least-once path, not what a round measures).
  let paused = false;
  releasePaused = async () => {
    if (!paused || second.pid === undefined) return;
    await monitor.query("UPDATE webhook_deliveries SET leased_until = NULL, leased_by = NULL WHERE status = 'pending' AND leased_by LIKE $1", [`%:${second.pid}:%`]);
  };
  const queueEmpty = async () => {
    const deadline = Date.now() + 60_000;
    while (((await monitor.query<{ n: number }>("SELECT count(*)::int AS n FROM webhook_deliveries WHERE status = 'pending'")).rows[0]?.n ?? 0) > 0) {
      if (Date.now() > deadline) throw new Error('deliveries still pending after 60 s');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  };
  const replicasFor = async (count: 1 | 2) => {
    if (count === 1 && !paused) {
      await queueEmpty();
      second.pause();
      paused = true;
    }
    if (count === 2 && paused) {
      second.resume();
      paused = false;
    }
    return count === 1 ? [first.url] : [first.url, second.url];
  };

  interface Round { replicas: 1 | 2; published: number; delivered: number; cpu: { client: number; brokers: number; postgres: number }; load: string }
  let roundNumber = 0;
  const throughputRound = async (count: 1 | 2): Promise<Round> => {
    const replicas = await replicasFor(count);
    roundNumber += 1;
    const versions = Array.from({ length: settings.perRound }, (_, i) => `round-${roundNumber}-${i}`);
    const pgPids = postgresProcesses(server.pid);
    const cpuBefore = { client: process.cpuUsage(), brokers: [first.pid, second.pid].map(cpuSecondsOf), postgres: pgPids.map(cpuSecondsOf) };
    let next = 0;
    const started = now();
    await Promise.all(Array.from({ length: settings.concurrency }, async () => {
      while (next < versions.length) {
        const index = next++;
        await publishVersion(replicas[index % replicas.length] as string, versions[index] as string);
      }
    }));
    const answered = now();
    await waitForArrivals(versions);
    const lastArrival = Math.max(...versions.map((version) => arrivals.get(version) ?? 0));
    const seconds = (lastArrival - started) / 1000;
    const client = process.cpuUsage(cpuBefore.client);
    const used = (before: Array<number | undefined>, pids: Array<number | undefined>) =>
      pids.reduce<number>((sum, pid, i) => sum + Math.max(0, (cpuSecondsOf(pid) ?? 0) - (before[i] ?? cpuSecondsOf(pid) ?? 0)), 0);
    return {
      replicas: count,
      published: settings.perRound / ((answered - started) / 1000),
      delivered: settings.perRound / seconds,
      cpu: { client: (client.user + client.system) / 1e6 / seconds, brokers: used(cpuBefore.brokers, [first.pid, second.pid]) / seconds, postgres: used(cpuBefore.postgres, pgPids) / seconds },
      load: load1(),
    };
  };
  const show = (round: Round, label: string) =>
    console.log(
      `  ${label.padEnd(9)} ${round.replicas === 1 ? 'one' : 'two'}: published ${round.published.toFixed(0).padStart(4)}/s, all delivered ${round.delivered.toFixed(0).padStart(4)}/s; CPU (cores) client ${round.cpu.client.toFixed(2)}, broker${round.replicas === 1 ? ' ' : 's'} ${round.cpu.brokers.toFixed(2)}, PostgreSQL ${round.cpu.postgres.toFixed(2)}; load ${round.load}`,
    );

  try {
    await post(first.url, '/webhooks', { events: [{ name: 'contract_published' }], request: { method: 'POST', url: receiverUrl, headers: { 'Content-Type': 'application/json' }, body: { version: '${pactbroker.consumerVersionNumber}' } } });
    for (let i = 0; i < 40; i += 1) await publishVersion(i % 2 === 0 ? first.url : second.url, `warm-${i}`);
    console.log(`webhooks: ${iterations} sequential publishes for latency (one replica, then two); throughput in ${settings.pairs} pairs of rounds in ABBA order after a warm-up pair, ${settings.perRound} publishes a round, ${settings.concurrency} at a time; load average ${loadavg().map((n) => n.toFixed(2)).join(' ')}`);
    await replicasFor(1);
    await latency('one replica', [first.url]);
    await latency('two replicas', await replicasFor(2));

    console.log('POST /contracts/publish throughput, each publish firing a webhook ("all delivered": until the last webhook arrived):');
    show(await throughputRound(1), 'warm-up');
    show(await throughputRound(2), 'warm-up');
    const pairs: Array<{ one: Round; two: Round }> = [];
    for (let pair = 0; pair < settings.pairs; pair += 1) {
      // ABBA: 1 2, 2 1, 1 2, … so neither setup always goes first.
      const order: Array<1 | 2> = pair % 2 === 0 ? [1, 2] : [2, 1];
      const rounds: Round[] = [];
      for (const count of order) {
        const round = await throughputRound(count);
        show(round, `pair ${pair + 1}`);
        rounds.push(round);
      }
      const one = rounds.find((round) => round.replicas === 1) as Round;
      const two = rounds.find((round) => round.replicas === 2) as Round;
      pairs.push({ one, two });
    }
    for (const [label, pick] of [['all delivered', (round: Round) => round.delivered], ['published', (round: Round) => round.published]] as const) {
      const ratios = pairs.map(({ one, two }) => pick(two) / pick(one));
      const sorted = [...ratios].sort((a, b) => a - b);
      const middle = median(ratios);
      console.log(
        `  two replicas / one, ${label.padEnd(13)}: median of ${ratios.length} pair ratios ${middle.toFixed(2)} (geometric mean ${geometricMean(ratios).toFixed(2)}; spread ${(sorted[0] as number).toFixed(2)}–${(sorted[sorted.length - 1] as number).toFixed(2)}; ${ratios.filter((ratio) => ratio >= 1).length} of ${ratios.length} pairs ≥ 1) goal ≥ 1: ${middle >= 1 ? 'met' : 'MISSED'}`,
      );
      console.log(`    pair ratios: ${ratios.map((ratio) => ratio.toFixed(2)).join(' ')}; median rate one ${median(pairs.map(({ one }) => pick(one))).toFixed(0)}/s, two ${median(pairs.map(({ two }) => pick(two))).toFixed(0)}/s`);
    }
    const cpu = (pick: (round: Round) => number, count: 1 | 2) => median(pairs.map((pair) => pick(count === 1 ? pair.one : pair.two))).toFixed(2);
    console.log(`  median CPU (cores) one / two replicas: client ${cpu((round) => round.cpu.client, 1)} / ${cpu((round) => round.cpu.client, 2)}, brokers ${cpu((round) => round.cpu.brokers, 1)} / ${cpu((round) => round.cpu.brokers, 2)}, PostgreSQL ${cpu((round) => round.cpu.postgres, 1)} / ${cpu((round) => round.cpu.postgres, 2)}; load average ${loadavg().map((n) => n.toFixed(2)).join(' ')}`);
  } finally {
    await monitor.end();
    await second.stop();
    await first.stop();
    receiver.close();
    await agent.close();
  }
}
