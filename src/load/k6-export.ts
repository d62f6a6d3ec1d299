import type { LoadProfile } from './profile.js';
import { targetRateOf } from './profile.js';
import { formatDuration } from './units.js';

/** The `options` object of the exported k6 script (JSON, so tests and tools can read it back). */
export interface K6Options {
  readonly scenarios: {
    readonly load: {
      readonly executor: 'ramping-arrival-rate';
      readonly startRate: number;
      readonly timeUnit: '1s';
      readonly preAllocatedVUs: number;
      readonly maxVUs: number;
      readonly stages: readonly { duration: string; target: number }[];
    };
  };
  readonly thresholds: Readonly<Record<string, readonly (string | { threshold: string; abortOnFail: boolean; delayAbortEval: string })[]>>;
  readonly summaryTrendStats: readonly string[];
}

/** Marker lines around the options literal, so `readK6Options` can find it without running k6. */
const OPTIONS_BEGIN = '// accord:options:begin';
const OPTIONS_END = '// accord:options:end';

/** k6's options for a profile: one ramping-arrival-rate scenario and the same thresholds, tagged by stage. */
export function k6Options(profile: LoadProfile): K6Options {
  const t = profile.thresholds;
  const stageTag = `{stage:${t.stage}}`;
  const gate = (expression: string) =>
    t.abortOnFail ? { threshold: expression, abortOnFail: true, delayAbortEval: formatDuration(t.abortGraceMs) } : expression;
  return {
    scenarios: {
      load: {
        executor: 'ramping-arrival-rate',
        startRate: profile.startRate,
        timeUnit: '1s',
        // k6 needs VUs sized up front; ours has an in-flight cap, which plays the same role.
        preAllocatedVUs: Math.min(profile.maxInFlight, Math.max(10, Math.ceil(targetRateOf(profile) / 10))),
        maxVUs: profile.maxInFlight,
        stages: profile.stages.map((stage) => ({ duration: formatDuration(stage.durationMs), target: stage.target })),
      },
    },
    thresholds: {
      [`http_req_duration${stageTag}`]: [gate(`p(50)<${t.p50Ms}`), gate(`p(95)<${t.p95Ms}`), gate(`p(99)<${t.p99Ms}`)],
      [`http_req_failed${stageTag}`]: [gate(`rate<=${t.maxErrorRate}`)],
      // k6 divides a tagged counter by the whole test's duration, so this under-states the
      // stage's own rate: a pass here is at least as strict as ours.
      [`http_reqs${stageTag}`]: [`rate>=${t.minRate}`],
    },
    // k6's default summary has no p(99) (k6#408); the thresholds need it visible.
    summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)'],
  };
}

/** What the exported script is told besides the profile. */
export interface K6ExportExtras {
  /** The seed SQL file written beside the script (its name is quoted in the script's instructions). */
  readonly seedFile?: string;
  /** The variable `accord env` prints for the profile's service (`<SERVICE>_URL`), read after BASE_URL and before the default URL. */
  readonly urlVariable?: string;
}

/**
 * A k6 script equivalent to the profile: the same arrival-rate stages, thresholds (scoped to the
 * threshold stage with a `stage` tag, since k6 otherwise counts the ramp-up too) and weighted
 * request mix with its placeholders. Captured pools are per VU in k6 (VUs share no memory).
 */
// eslint-disable-next-line max-lines-per-function -- most of it is the k6 script's own text, kept in one template so it reads as k6 code
export function exportK6Script(profile: LoadProfile, baseUrl?: string, extras: K6ExportExtras = {}): string {
  const options = k6Options(profile);
  const stageEnds: { name: string; endMs: number }[] = [];
  let end = 0;
  for (const stage of profile.stages) {
    end += stage.durationMs;
    stageEnds.push({ name: stage.name, endMs: end });
  }
  const mix = profile.mix.map((request) => ({
    name: request.name,
    weight: request.weight,
    method: request.method,
    path: request.path,
    headers: request.headers,
    body: request.body ?? null,
    expect: request.expect,
    capture: request.capture,
  }));
  const urlVariable = extras.urlVariable;
  // Without a default URL (the service has no fixed port) the script asks for one rather than guess.
  const urlSources = [`__ENV.BASE_URL`, ...(urlVariable ? [`__ENV.${urlVariable}`] : []), ...(baseUrl ? [JSON.stringify(baseUrl)] : [])].join(' || ');
  const urlNeeded = `set BASE_URL${urlVariable ? ` or ${urlVariable}` : ''} to the service's URL (-e BASE_URL=http://127.0.0.1:PORT)`;
  const seedSteps = extras.seedFile
    ? `//   2. load the rows the request mix refers to (accord load seeds them itself; k6 cannot):
//        psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -f ${extras.seedFile}
`
    : `//   2. (this profile has no seed rows to load)
`;
  return `// k6 script exported by \`accord load --export k6\` from profile "${profile.name}" (${profile.source}).
// To run it as accord load would, against an environment \`accord up\` started:
//   1. set -a; . <(accord env); set +a      # DATABASE_URL, ${urlVariable ?? 'the service URLs'}, … of the running accord up
${seedSteps}//   3. k6 run this-file.js                    # or -e BASE_URL=http://… for another target
// setup() sends the ${profile.warmupRequests} warm-up requests first (tagged stage=warmup, outside the thresholds).
import http from 'k6/http';
import exec from 'k6/execution';
import { check, fail } from 'k6';

const BASE_URL = ${urlSources};
${baseUrl ? '' : `if (!BASE_URL) throw new Error(${JSON.stringify(`this script has no default URL: ${urlNeeded}`)});\n`}const WARMUP_REQUESTS = ${profile.warmupRequests};

${OPTIONS_BEGIN}
export const options = ${JSON.stringify(options, null, 2)};
${OPTIONS_END}

const STAGE_ENDS_MS = ${JSON.stringify(stageEnds)};
const MIX = ${JSON.stringify(mix, null, 2)};
const DATA = ${JSON.stringify(profile.data, null, 2)};
const TOTAL_WEIGHT = MIX.reduce((sum, request) => sum + request.weight, 0);
const pools = {};
let seq = 0;

function stageNow() {
  const elapsed = Date.now() - exec.scenario.startTime;
  const found = STAGE_ENDS_MS.find((stage) => elapsed < stage.endMs);
  return found ? found.name : STAGE_ENDS_MS[STAGE_ENDS_MS.length - 1].name;
}

function uuid() {
  return 'xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx'.replace(/[xy]/g, (c) => {
    const r = (Math.random() * 16) | 0;
    return (c === 'x' ? r : (r & 0x3) | 0x8).toString(16);
  });
}

function fill(text) {
  return text.replace(/\\{\\{\\s*([a-zA-Z][\\w-]*)(?::([a-zA-Z][\\w-]*))?\\s*\\}\\}/g, (whole, name, pool) => {
    if (name === 'uuid') return uuid();
    if (name === 'seq') return String(seq);
    if ((name === 'pick' || name === 'take') && pool) {
      const values = pools[pool] || [];
      if (values.length === 0) return whole;
      const at = Math.floor(Math.random() * values.length);
      const value = values[at];
      if (name === 'take') values.splice(at, 1);
      return String(value);
    }
    const list = DATA[name];
    return list ? String(list[Math.floor(Math.random() * list.length)]) : whole;
  });
}

function fillValue(value) {
  if (typeof value === 'string') return fill(value);
  if (Array.isArray(value)) return value.map(fillValue);
  if (value && typeof value === 'object') {
    const out = {};
    for (const key of Object.keys(value)) out[key] = fillValue(value[key]);
    return out;
  }
  return value;
}

function ready(request) {
  const needs = [...JSON.stringify([request.path, request.headers, request.body]).matchAll(/\\{\\{\\s*(?:pick|take):([\\w-]+)/g)].map((m) => m[1]);
  return needs.every((pool) => (pools[pool] || []).length > 0);
}

function choose() {
  let roll = Math.random() * TOTAL_WEIGHT;
  let chosen = MIX[MIX.length - 1];
  for (const request of MIX) {
    roll -= request.weight;
    if (roll < 0) { chosen = request; break; }
  }
  if (ready(chosen)) return chosen;
  return MIX.filter(ready).sort((a, b) => b.weight - a.weight)[0];
}

// Warm-up, as accord load does: connections opened and hot paths compiled before the stages.
// Most warm-up requests failing means the target or its data is wrong: stop before the stages.
export function setup() {
  let failed = 0;
  for (let i = 0; i < WARMUP_REQUESTS; i++) if (!send(true)) failed += 1;
  if (WARMUP_REQUESTS > 0 && failed > WARMUP_REQUESTS / 2) {
    fail(failed + ' of ' + WARMUP_REQUESTS + ' warm-up requests to ' + BASE_URL + ' failed: is it the running service, and is the seed loaded?');
  }
}

export default function () {
  send(false);
}

function send(warmup) {
  seq += 1;
  const request = choose();
  const headers = {};
  for (const key of Object.keys(request.headers)) headers[key] = fill(request.headers[key]);
  let body = null;
  if (request.body !== null) {
    body = JSON.stringify(fillValue(request.body));
    headers['content-type'] = headers['content-type'] || 'application/json';
  }
  const expected = request.expect.length > 0 ? request.expect : null;
  const params = {
    headers,
    tags: { stage: warmup ? 'warmup' : stageNow(), name: request.name },
    responseCallback: expected ? http.expectedStatuses(...expected) : http.expectedStatuses({ min: 100, max: 399 }),
  };
  const response = http.request(request.method, BASE_URL + fill(request.path), body, params);
  const ok = expected ? expected.includes(response.status) : response.status < 400;
  check(response, { [request.name + ' status ok']: () => ok });
  if (ok) {
    for (const pool of Object.keys(request.capture)) {
      const value = response.json(request.capture[pool]);
      if (value !== undefined && value !== null) (pools[pool] = pools[pool] || []).push(value);
    }
  }
  return ok;
}
`;
}

/** Reads the options back out of an exported script (between the marker lines). */
export function readK6Options(script: string): K6Options {
  const start = script.indexOf(OPTIONS_BEGIN);
  const stop = script.indexOf(OPTIONS_END);
  if (start < 0 || stop < start) throw new Error('not a script exported by accord: options markers missing');
  const literal = script
    .slice(start + OPTIONS_BEGIN.length, stop)
    .trim()
    .replace(/^export const options = /, '')
    .replace(/;$/, '');
  return JSON.parse(literal) as K6Options;
}
