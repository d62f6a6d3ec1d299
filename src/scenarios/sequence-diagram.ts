import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isStreamPublish } from './trace.js';
import type { Trace, TraceCorrelation, TraceEvent } from './trace.js';

/** Options for {@link renderSequenceDiagram}. */
export interface SequenceDiagramOptions {
  /** At most this many correlations are drawn; the rest are counted in a note. @default 4 */
  maxCorrelations?: number;
  /** SQL longer than this is cut with an ellipsis. @default 60 */
  maxSqlLength?: number;
}

/** One role's service name (the log's `service` field) and its participant label. */
export interface DiagramRole {
  readonly service: string;
  readonly label: string;
  /** For the worker: what it writes to Postgres when it applies an event, as the diagram says it. @default 'event applied (one transaction)' */
  readonly writes?: string | undefined;
}

/** What the diagram says a worker writes when it applies an event, unless its role says. */
export const DEFAULT_WORKER_WRITES = 'event applied (one transaction)';

/** Who the diagram draws as A (consumer), B (provider) and W (worker): scenarios.yaml's roles. */
export interface SequenceParticipants {
  readonly consumer: DiagramRole;
  readonly provider: DiagramRole;
  readonly worker?: DiagramRole | undefined;
}

const DEFAULTS = Object.freeze({ maxCorrelations: 4, maxSqlLength: 60 });

/** One drawn step, with the instant it happened and a rank that sorts steps logged in the same millisecond. */
interface Step {
  readonly t: number;
  readonly rank: number;
  readonly line: string;
}

/**
 * Renders a trace as a Mermaid `sequenceDiagram`: one block per correlation id, arrows for the
 * client's request to the consumer (A), each A→B attempt and its outcome, the provider's SQL and cache
 * traffic, and the consumer's answer.
 * Everything drawn comes from a recorded log line; nothing is assumed.
 */
export function renderSequenceDiagram(trace: Trace, roles: SequenceParticipants, options: SequenceDiagramOptions = {}): string {
  const settings = { ...DEFAULTS, ...options };
  const participantOf = participantsBy(roles);
  // The worker is drawn only when its log says it handled something, so diagrams without it stay as they were.
  const workerService = roles.worker?.service;
  const worker = [...trace.correlations.flatMap((c) => c.events), ...trace.uncorrelated].some((e) => e.service === workerService && (e.event === 'event.processed' || e.event === 'event.dead-lettered'));
  // Participant ids by role; the log's `service` field decides who sent what.
  const participants: [string, string][] = [
    ['C', 'Client'],
    ['A', roles.consumer.label],
    ['B', roles.provider.label],
    ...(worker && roles.worker ? [['W', roles.worker.label] as [string, string]] : []),
    ['R', 'Redis'],
    ['P', 'Postgres'],
  ];
  const lines = ['sequenceDiagram', ...participants.map(([id, label]) => `  participant ${id} as ${label}`)];
  // Health probes (the runner waiting for a restarted process) are not traffic between the services.
  const traffic = trace.correlations.filter((c) => !c.events.every((e) => String(e.url ?? (e.event === 'client.call' ? e.path : '') ?? '').startsWith('/health')));
  const drawn = pickCorrelations(traffic, settings.maxCorrelations);
  if (traffic.length === 0) lines.push('  Note over C,P: no cross-service traffic was recorded');
  for (const correlation of drawn) {
    lines.push(`  Note over C,P: correlation ${escapeText(correlation.correlationId)}`);
    for (const step of stepsOf(correlation, settings.maxSqlLength, participantOf, roles.consumer.service, roles.worker?.writes ?? DEFAULT_WORKER_WRITES)) lines.push(`  ${step.line}`);
  }
  const omitted = traffic.filter((c) => !drawn.includes(c));
  if (omitted.length > 0) {
    const summary = summarizeOutcomes(omitted);
    lines.push(`  Note over C,P: ${omitted.length} more correlation ids not drawn (${escapeText(summary)})`);
  }
  for (const event of trace.uncorrelated.filter((e) => e.event === 'cache.degraded' || e.event === 'store.degraded')) {
    lines.push(`  Note over ${participantOf(event.service)},R: ${escapeText(`Redis unreachable, degraded (${String(event.error ?? event.msg ?? 'no detail')})`)}`);
  }
  // A poison message has no correlation id to group it under: its dead-lettering is drawn on its own.
  for (const event of trace.uncorrelated.filter((e) => e.event === 'event.dead-lettered')) {
    lines.push(`  W->>R: ${escapeText(`XADD ${String(event.deadLetterStream ?? 'dead-letter')}: entry ${String(event.streamId ?? '?')} dead-lettered (${String(event.reason ?? 'no reason')})`)}`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * The Markdown page for `docs/sequences/<scenario>.md`: a title, where it came from, and the
 * diagram, normalised (see {@link normaliseDiagram}) so that the same traffic gives the same
 * bytes and the committed pages change only when the traffic does.
 */
export function renderSequencePage(trace: Trace, title: string, roles: SequenceParticipants, options: SequenceDiagramOptions = {}): string {
  return sequencePage(title, trace.scenario, renderSequenceDiagram(trace, roles, options));
}

/** The page around a diagram (normalised here, so a page rewritten from an older one comes out the same). */
export function sequencePage(title: string, scenario: string, diagram: string): string {
  return [
    `# ${title}`,
    '',
    `Generated by \`accord scenarios --diagrams\` from the traffic recorded in \`reports/traces/${scenario}.json\``,
    "(the services' structured logs). Timings and generated ids are left out, so the same traffic gives the same page;",
    'the trace has them. Do not edit by hand: run the scenario again.',
    '',
    '```mermaid',
    normaliseDiagram(diagram).trimEnd(),
    '```',
    '',
  ].join('\n');
}

/**
 * Takes out what differs between two recordings of the same traffic: durations and backoff
 * delays (jittered), and generated ids (uuids, hex or digit runs of six or more, as in
 * `order-c847a326` or `HAPPY-675828`), each replaced by `id1`, `id2`… in order of first
 * appearance, so that one id still reads as the same id wherever it recurs.
 */
export function normaliseDiagram(diagram: string): string {
  const ids = new Map<string, string>();
  return diagram
    .replace(/ after \d+ ms backoff/g, ' after backoff')
    .replace(/ after \d+ ms/g, '')
    .replace(/ \(\d+ ms\)/g, '')
    .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b|\b(?=[0-9a-f]*\d)[0-9a-f]{6,}\b/gi, (token) => {
      const known = ids.get(token);
      if (known) return known;
      const placeholder = `id${ids.size + 1}`;
      ids.set(token, placeholder);
      return placeholder;
    });
}

/** Writes `<dir>/<scenario>.md` and returns its path. */
export async function writeSequencePage(trace: Trace, title: string, dir: string, roles: SequenceParticipants, options: SequenceDiagramOptions = {}): Promise<string> {
  await mkdir(dir, { recursive: true });
  const file = join(dir, `${trace.scenario}.md`);
  await writeFile(file, renderSequencePage(trace, title, roles, options));
  return file;
}

function stepsOf(correlation: TraceCorrelation, maxSqlLength: number, participantOf: (service: string) => string, consumer: string, workerWrites: string): Step[] {
  const events = correlation.events;
  const fromA = events.some((e) => e.service === consumer);
  const firstRequestAtA = events.find((e) => e.service === consumer && e.event === 'http.request')?.t ?? Number.NEGATIVE_INFINITY;
  // B work that starts after A answered its client is a request A gave up on (e.g. queued while B was frozen).
  const aAnsweredAt = events.filter((e) => e.service === consumer && e.event === 'http.response').at(-1)?.t ?? Number.POSITIVE_INFINITY;
  const steps: Step[] = [];
  for (const event of events) {
    const me = participantOf(event.service);
    switch (event.event) {
      case 'client.call':
        // The client's own record: drawn only when the service it called logged nothing of it.
        if (!events.some((e) => e.service === String(event.target ?? ''))) steps.push(...clientCall(event, participantOf(String(event.target ?? ''))));
        break;
      case 'http.request':
        // The provider's request is drawn by the consumer's upstream.call when the consumer made it; only a direct call comes from the client.
        if (me === 'A' || !fromA) steps.push({ t: event.t, rank: me === 'A' ? 0 : 2, line: `C->>${me}: ${escapeText(requestLabel(event))}` });
        else if (event.t > aAnsweredAt) steps.push({ t: event.t, rank: 2, line: `A-)B: ${escapeText(`${requestLabel(event)} handled only now, after A gave up`)}` });
        break;
      case 'http.response':
        if (me === 'A' || !fromA) steps.push({ t: event.t, rank: me === 'A' ? 8 : 4, line: `${me}-->>C: ${escapeText(statusLabel(event))}` });
        else if (event.t > aAnsweredAt) steps.push({ t: event.t, rank: 4, line: `B--)A: ${escapeText(`${statusLabel(event)}, nobody is waiting for it`)}` });
        break;
      case 'upstream.call': {
        const duration = numberField(event, 'durationMs') ?? 0;
        // upstream.call is logged when the attempt ends: the arrow out is drawn at its start.
        const start = Math.max(event.t - duration, firstRequestAtA);
        const attempt = numberField(event, 'attempt');
        const label = `${String(event.method ?? 'POST')} ${String(event.path ?? '')}${attempt === undefined ? '' : ` (attempt ${attempt})`}`;
        const status = numberField(event, 'statusCode');
        const ms = `${Math.round(duration)} ms`;
        if (status === undefined || event.error !== undefined) {
          // No answer came (refused, reset, timed out): one crossed arrow that never reached the provider's handler.
          steps.push({ t: start, rank: 1, line: `A-xB: ${escapeText(`${label}: ${String(event.error ?? 'no answer')} after ${ms}`)}` });
        } else {
          steps.push({ t: start, rank: 1, line: `A->>B: ${escapeText(label)}` });
          steps.push({ t: event.t, rank: 5, line: `B-->>A: ${escapeText(`${status} after ${ms}`)}` });
        }
        break;
      }
      case 'upstream.retry':
        steps.push({ t: event.t, rank: 6, line: `Note over A: ${escapeText(`retry ${numberField(event, 'attempt') ?? '?'} after ${Math.round(numberField(event, 'delayMs') ?? 0)} ms backoff`)}` });
        break;
      case 'upstream.exhausted':
        steps.push({ t: event.t, rank: 7, line: `Note over A: ${escapeText(`retries exhausted${event.error === undefined ? '' : `: ${String(event.error)}`}`)}` });
        break;
      case 'event.processed':
        steps.push(...streamHop(event, workerWrites));
        break;
      case 'event.dead-lettered':
        steps.push({ t: event.t, rank: 9, line: `W->>R: ${escapeText(`XADD ${String(event.deadLetterStream ?? 'dead-letter')} (${String(event.reason ?? 'no reason')})`)}` });
        break;
      case 'db.query':
        steps.push({ t: event.t, rank: 3, line: `${me}->>P: ${escapeText(sqlLabel(event, maxSqlLength))}` });
        break;
      case 'cache.hit':
      case 'cache.miss':
        steps.push({ t: event.t, rank: 3, line: `${me}->>R: ${escapeText(`GET ${String(event.key ?? '')}`.trim())}` });
        steps.push({ t: event.t, rank: 3, line: `R-->>${me}: ${event.event === 'cache.hit' ? 'hit' : 'miss'}` });
        break;
      case 'cache.invalidate':
        steps.push({ t: event.t, rank: 3, line: `${me}->>R: ${escapeText(`invalidate ${String(event.key ?? '')}`.trim())}` });
        break;
      case 'cache.degraded':
        steps.push({ t: event.t, rank: 3, line: `Note over ${me},R: ${escapeText('Redis unreachable: served from Postgres (degraded)')}` });
        break;
      case 'store.degraded':
        steps.push({ t: event.t, rank: 1, line: `Note over ${me},R: ${escapeText(`Redis unreachable: store skipped (${String(event.op ?? 'op')})`)}` });
        break;
      default:
        // A publish to a stream (the service's write and its event, one MULTI): the event enters the stream here.
        if (isStreamPublish(event)) steps.push({ t: event.t, rank: 7, line: `${me}->>R: ${escapeText(`XADD ${String(event.stream)} ${String(event.eventType)}`)}` });
        break;
    }
  }
  // Stable: steps with equal instant and rank keep their log order.
  return steps.map((step, index) => ({ step, index })).sort((x, y) => x.step.t - y.step.t || x.step.rank - y.step.rank || x.index - y.index).map(({ step }) => step);
}

/** A call the scenario's client recorded, to participant `to` (nothing when the service plays no drawn role). */
function clientCall(event: TraceEvent, to: string): Step[] {
  if (to === 'C') return [];
  const duration = numberField(event, 'durationMs') ?? 0;
  const label = `${String(event.method ?? '')} ${String(event.path ?? '')}`.trim() || 'request';
  const status = numberField(event, 'statusCode');
  if (status === undefined) return [{ t: event.t - duration, rank: 0, line: `C-x${to}: ${escapeText(`${label}: ${String(event.error ?? 'no answer')}`)}` }];
  return [
    { t: event.t - duration, rank: 0, line: `C->>${to}: ${escapeText(label)}` },
    { t: event.t, rank: 8, line: `${to}-->>C: ${escapeText(`${status} (${Math.round(duration)} ms)`)}` },
  ];
}

/** The worker's handling of one event, logged once it is acknowledged: read from the group, applied in Postgres, acknowledged. */
function streamHop(event: TraceEvent, writes: string): Step[] {
  const lag = numberField(event, 'lagMs');
  const applied = event.outcome === 'applied';
  return [
    { t: event.t, rank: 9, line: `R-)W: ${escapeText(`XREADGROUP ${String(event.eventType ?? 'event')}${lag === undefined ? '' : ` after ${Math.round(lag)} ms`}`)}` },
    { t: event.t, rank: 9, line: `W->>P: ${applied ? escapeText(writes) : 'event id already processed: nothing written'}` },
    { t: event.t, rank: 9, line: 'W->>R: XACK' },
  ];
}

/**
 * Up to `max` correlations, in time order: one of each outcome first (so 50 parallel requests show a
 * 200 and a 409), then the earliest of the rest.
 */
function pickCorrelations(correlations: readonly TraceCorrelation[], max: number): TraceCorrelation[] {
  const picked = new Set<TraceCorrelation>();
  const seen = new Set<string>();
  for (const correlation of correlations) {
    const outcome = outcomeOf(correlation);
    if (picked.size < max && !seen.has(outcome)) {
      seen.add(outcome);
      picked.add(correlation);
    }
  }
  for (const correlation of correlations) if (picked.size < max) picked.add(correlation);
  return correlations.filter((c) => picked.has(c));
}

/** The status of a correlation's last response ("no response" when none was logged). */
function outcomeOf(correlation: TraceCorrelation): string {
  const last = [...correlation.events].reverse().find((e) => e.event === 'http.response');
  return last ? String(last.statusCode ?? '?') : 'no response';
}

/** A service name's participant id: A, B or W by role, C (the client) for anything else. */
function participantsBy(roles: SequenceParticipants): (service: string) => string {
  return (service) => {
    if (service === roles.consumer.service) return 'A';
    if (service === roles.provider.service) return 'B';
    if (service === roles.worker?.service) return 'W';
    return 'C';
  };
}

function requestLabel(event: TraceEvent): string {
  const method = String(event.method ?? '');
  const path = String(event.path ?? event.url ?? '');
  return `${method} ${path}`.trim() || 'request';
}

function statusLabel(event: TraceEvent): string {
  const status = numberField(event, 'statusCode');
  const duration = numberField(event, 'durationMs');
  return `${status ?? '?'}${duration === undefined ? '' : ` (${Math.round(duration)} ms)`}`;
}

function sqlLabel(event: TraceEvent, max: number): string {
  const sql = String(event.sql ?? event.text ?? 'query').replace(/\s+/g, ' ').trim();
  return sql.length > max ? `${sql.slice(0, max - 1)}…` : sql;
}

function numberField(event: TraceEvent, key: string): number | undefined {
  const value = event[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** "12×200, 38×409": what the correlations that were not drawn answered, from their final response. */
function summarizeOutcomes(correlations: readonly TraceCorrelation[]): string {
  const counts = new Map<string, number>();
  for (const correlation of correlations) {
    const key = outcomeOf(correlation);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([key, n]) => `${n}×${key}`).join(', ');
}

/**
 * Makes free text safe inside a Mermaid message: `;` and `#` end or start statements and entity
 * codes, `<`/`>` would be read as HTML, a newline would end the message.
 */
export function escapeText(text: string): string {
  const codes: Record<string, string> = { '#': '#35;', ';': '#59;', '<': '#60;', '>': '#62;' };
  return text.replace(/[#;<>]/g, (char) => codes[char] ?? char).replace(/[\r\n]+/g, ' ');
}
