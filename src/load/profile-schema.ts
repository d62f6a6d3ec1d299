import type { SchemaObject } from 'ajv';

// JSON Schemas of `config/integration/load.yaml` and of a profile file; `description` is the
// "expected …" text of validation messages (src/config/validate-yaml.ts).

const DURATION = '^\\s*(\\d+(\\.\\d+)?(ms|s|m|h))+\\s*$';
const SIZE = '^\\s*\\d+(\\.\\d+)?\\s*([kKmMgG]i?[bB]|[bB])?\\s*(/s)?\\s*$';

const duration = { type: 'string', pattern: DURATION, description: 'a duration like 250ms, 30s, 5m or 1m30s' };
const latencyLimit = {
  type: ['number', 'string'],
  pattern: DURATION,
  exclusiveMinimum: 0,
  description: 'a latency like 100ms or 1s (a plain number is milliseconds)',
};
/** A git revision as a config from a PR may name it: never an option (no leading `-`), no spaces or shell characters. */
export const GIT_REF = { type: 'string', pattern: '^[A-Za-z0-9_./@^~{}][A-Za-z0-9_./@^~{}-]{0,199}$', description: 'a git revision (a branch, tag or commit; letters, digits, _ . / @ ^ ~ - and no leading -)' };
const size = { type: ['number', 'string'], pattern: SIZE, minimum: 0, description: 'a size like 2GB, 512MiB or 50MB/s (a plain number is bytes)' };

/** The most requests per second a profile may ask for (one machine's load generator). */
export const MAX_RATE = 100_000;
/** The most connections a profile may open. */
export const MAX_CONNECTIONS = 10_000;
/** The most requests a profile may keep in flight. */
export const MAX_IN_FLIGHT = 100_000;
/** The longest stage (and the longest run), in milliseconds: 24 h. */
export const MAX_STAGE_MS = 24 * 60 * 60 * 1000;
const rate = (min: 'minimum' | 'exclusiveMinimum', what: string) => ({ type: 'number', [min]: 0, maximum: MAX_RATE, description: `${what} (${min === 'minimum' ? '>= 0' : '> 0'}, at most ${MAX_RATE})` });
const name = { type: 'string', pattern: '^[A-Za-z0-9][\\w .-]*$', description: 'a name (letters, digits, space, _ . -)' };

const stageSchema: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  required: ['duration', 'target'],
  properties: {
    name,
    duration,
    target: rate('minimum', 'an arrival rate in requests per second'),
  },
};

const requestSchema: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  required: ['method', 'path'],
  properties: {
    name: { type: 'string', minLength: 1, description: 'an endpoint name, e.g. "POST /users"' },
    weight: { type: 'number', exclusiveMinimum: 0, description: 'a positive weight' },
    method: { type: 'string', enum: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'] },
    path: { type: 'string', pattern: '^/', description: 'a path starting with /' },
    headers: { type: 'object', additionalProperties: { type: 'string', description: 'a header value (string)' } },
    body: { description: 'a JSON body (any value)' },
    expect: {
      type: 'array',
      minItems: 1,
      items: { type: 'integer', minimum: 100, maximum: 599, description: 'an HTTP status code' },
    },
    capture: {
      type: 'object',
      propertyNames: { pattern: '^[a-zA-Z][\\w-]*$', description: 'a pool name (letters, digits, _ -)' },
      additionalProperties: { type: 'string', minLength: 1, description: 'a response field, e.g. id or user.id' },
    },
  },
};

const thresholdsSchema: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  properties: {
    stage: { type: 'string', minLength: 1, description: 'the name of a stage' },
    p50: latencyLimit,
    p95: latencyLimit,
    p99: latencyLimit,
    minRate: rate('minimum', 'a rate in requests per second'),
    targetRate: rate('exclusiveMinimum', 'a rate in requests per second'),
    maxErrorRate: { type: 'number', minimum: 0, maximum: 1, description: 'a ratio from 0 to 1 (0.001 = 0.1%)' },
    abortOnFail: { type: 'boolean' },
    abortGrace: duration,
  },
};

const limitsSchema: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  properties: {
    cpuPercent: { type: 'number', exclusiveMinimum: 0, description: 'a percentage (> 0)' },
    cpuOf: { type: 'string', enum: ['machine', 'core'] },
    memory: size,
    diskIo: size,
  },
};

const baselineSchema: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  properties: {
    tolerance: { type: 'number', minimum: 0, maximum: 10, description: 'a ratio (0.25 = 25%)' },
    minDelta: latencyLimit,
    medianTolerance: { type: 'number', minimum: 0, maximum: 10, description: 'a ratio (0.15 = 15%)' },
    medianMinDelta: latencyLimit,
    cpuShareTolerance: { type: 'number', minimum: 0, maximum: 10, description: 'a ratio (0.15 = 15%)' },
    ref: GIT_REF,
    rounds: { type: 'integer', minimum: 2, maximum: 50, description: 'a whole number of A/B pairs from 2 to 50' },
    minRounds: { type: 'integer', minimum: 2, maximum: 50, description: 'a whole number of A/B pairs from 2 to 50' },
    round: duration,
    pairedTolerance: { type: 'number', exclusiveMinimum: 0, maximum: 10, description: 'a ratio (0.15 = 15%)' },
    pairedTailTolerance: { type: 'number', exclusiveMinimum: 0, maximum: 10, description: 'a ratio (0.5 = 50%)' },
  },
};

const dataSchema: SchemaObject = {
  type: 'object',
  propertyNames: { pattern: '^[a-zA-Z][\\w-]*$', description: 'a data list name (letters, digits, _ -)' },
  additionalProperties: {
    type: 'array',
    minItems: 1,
    items: { type: ['string', 'number'], description: 'a string or number' },
  },
};

/** The settings a profile (or `defaults`) may hold. */
export const profileBodyProperties: Record<string, SchemaObject> = {
  description: { type: 'string' },
  service: { type: 'string', minLength: 1, description: 'an environment service name' },
  startRate: rate('minimum', 'an arrival rate in requests per second'),
  stages: { type: 'array', minItems: 1, items: stageSchema },
  mix: { type: 'array', minItems: 1, items: requestSchema },
  data: dataSchema,
  seed: { type: 'string', minLength: 1, description: 'SQL run against the environment database before the run' },
  warmup: { type: 'integer', minimum: 0, maximum: 10_000_000, description: 'a number of requests (0 to 10000000)' },
  connections: { type: 'integer', minimum: 1, maximum: MAX_CONNECTIONS, description: `a whole number of connections from 1 to ${MAX_CONNECTIONS}` },
  maxInFlight: { type: 'integer', minimum: 1, maximum: MAX_IN_FLIGHT, description: `a whole number of requests from 1 to ${MAX_IN_FLIGHT}` },
  requestTimeout: duration,
  lateAfter: duration,
  sampleInterval: duration,
  thresholds: thresholdsSchema,
  limits: limitsSchema,
  baseline: baselineSchema,
  eventLag: {
    type: 'object',
    additionalProperties: false,
    required: ['table'],
    properties: {
      table: { type: 'string', pattern: '^[a-z_][a-z0-9_]*$', description: "the consumer's table of processed events" },
      p99: latencyLimit,
      drain: duration,
    },
  },
};

/** `config/integration/load.yaml`: shared defaults and named profiles. */
export const loadFileSchema: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  required: ['profiles'],
  properties: {
    defaults: { type: 'object', additionalProperties: false, properties: profileBodyProperties },
    profiles: {
      type: 'object',
      minProperties: 1,
      propertyNames: { pattern: '^[a-z][a-z0-9-]*$', description: 'a profile name (lowercase letters, digits, -)' },
      additionalProperties: { type: 'object', additionalProperties: false, properties: profileBodyProperties },
    },
  },
};

/**
 * A profile file given as `--profile FILE`: one profile's settings at the top level. Like a
 * profile in load.yaml it may leave `stages` and `mix` to load.yaml's `defaults`; whether they
 * exist after that is checked once inherited.
 */
export const profileFileSchema: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  properties: profileBodyProperties,
};
