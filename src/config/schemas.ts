import type { SchemaObject } from 'ajv';

// JSON Schemas of the sections this folder owns; `description` is the "expected …" text.

const relativePath = { type: 'string', minLength: 1, description: 'a path (relative to the repository root)' };
const envValue = { type: ['string', 'number', 'boolean'], description: 'a string, number or boolean' };
const envName = { pattern: '^[A-Za-z_][A-Za-z0-9_]*$', description: 'an environment variable name (letters, digits, _)' };
const timeoutMs = { type: 'integer', minimum: 1, description: 'a positive integer (milliseconds)' };

const useName = { type: 'string', minLength: 1, description: 'a name' };
const USE_KINDS = ['database', 'cache', 'produces', 'consumes', 'http', 'external'];
/**
 * One `uses` entry: exactly one kind key (`external` may add `via`, the service standing in for
 * the vendor). Written with `propertyNames` and `not` rather than `oneOf`, so a wrong entry is
 * one problem, not one per kind.
 */
const serviceUseSchema: SchemaObject = {
  type: 'object',
  description: 'one of {database: NAME}, {cache: NAME}, {produces: STREAM}, {consumes: STREAM}, {http: SERVICE}, {external: VENDOR, via?: SERVICE}',
  minProperties: 1,
  propertyNames: { enum: [...USE_KINDS, 'via'], description: `${USE_KINDS.join(', ')} (via only with external)` },
  properties: Object.fromEntries([...USE_KINDS, 'via'].map((kind) => [kind, useName])),
  dependencies: { via: ['external'] },
  not: { anyOf: USE_KINDS.flatMap((a, i) => USE_KINDS.slice(i + 1).map((b) => ({ properties: { [a]: useName, [b]: useName }, required: [a, b] }))) },
};

// Any name Pact accepts (mixed case, spaces, dots), e.g. "MoviesAPI"; a service's key stays lowercase for files and variables.
const pacticipantName = { type: 'string', minLength: 1, maxLength: 200, pattern: '^\\S(.*\\S)?$', description: 'a pacticipant name as the pacts spell it, e.g. "ProductService"' };

const serviceSchema: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  required: ['command'],
  properties: {
    command: { type: 'string', minLength: 1, description: 'a command line, e.g. "node --import tsx src/main.ts"' },
    pacticipant: pacticipantName,
    cwd: relativePath,
    port: { type: 'integer', minimum: 0, maximum: 65535, description: 'a port from 0 (pick a free one) to 65535' },
    health: { type: 'string', pattern: '^/', description: 'a path starting with /' },
    env: { type: 'object', propertyNames: envName, additionalProperties: envValue },
    dependsOn: { type: 'array', items: { type: 'string', description: 'a service name' } },
    secrets: { type: 'array', items: { type: 'string', ...envName } },
    startTimeoutMs: timeoutMs,
    stopGraceMs: timeoutMs,
    uses: { type: 'array', items: serviceUseSchema },
  },
};

/** `environment.yaml`. */
export const environmentSchema: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  properties: {
    services: {
      type: 'object',
      propertyNames: { pattern: '^[a-z][a-z0-9-]*$', description: 'a service name (lowercase letters, digits, -)' },
      additionalProperties: serviceSchema,
    },
    postgres: {
      // `false`: the system has no database.
      type: ['object', 'boolean'],
      not: { const: true },
      description: 'a map, or false (the system has no database)',
      additionalProperties: false,
      properties: {
        version: { type: 'integer', enum: [14], description: '14 (the embedded PostgreSQL is pinned to 14.x)' },
        database: { type: 'string', pattern: '^[a-z_][a-z0-9_]{0,39}$', description: 'a database name prefix (lowercase letters, digits, _; at most 40)' },
        migrations: {
          type: ['string', 'object'],
          minLength: 1,
          description: 'a migrations folder, or a map with dir, command, timeoutMs, table',
          additionalProperties: false,
          properties: {
            dir: relativePath,
            command: { type: 'string', minLength: 1, description: 'a command line, e.g. "npx prisma migrate deploy"' },
            timeoutMs,
            table: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$', description: 'a table name' },
          },
        },
        settings: { type: 'object', propertyNames: { pattern: '^[a-z_.]+$', description: 'a server setting name' }, additionalProperties: envValue },
      },
    },
    redis: {
      // `false`: the system has no cache.
      type: ['object', 'boolean'],
      not: { const: true },
      description: 'a map, or false (the system has no Redis)',
      additionalProperties: false,
      properties: {
        version: { type: 'integer', minimum: 7, description: 'a Redis major version >= 7' },
        binary: { type: 'string', minLength: 1, description: 'a program name or path' },
      },
    },
    logs: { type: 'object', additionalProperties: false, properties: { dir: relativePath } },
    envFile: relativePath,
    seed: relativePath,
    compose: {
      type: 'object',
      additionalProperties: false,
      required: ['file'],
      properties: {
        file: relativePath,
        network: { type: 'string', minLength: 1, description: 'a compose network name' },
        volumes: {
          type: 'object',
          additionalProperties: false,
          properties: { postgres: { type: 'string', minLength: 1, description: 'a compose volume name' }, redis: { type: 'string', minLength: 1, description: 'a compose volume name' } },
        },
      },
    },
  },
};

/** `contracts.yaml`. */
export const contractsSchema: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  properties: {
    path: relativePath,
    policy: { type: 'string', enum: ['semver', 'none', 'consumers'] },
    baseline: { type: 'string', minLength: 1, description: 'the released contract changes are listed against: a file or git:REF[:PATH]' },
    refs: {
      type: 'object',
      additionalProperties: false,
      properties: {
        allowHosts: { type: 'array', items: { type: 'string', pattern: '^[A-Za-z0-9.-]+$', maxLength: 253, description: 'a host name, e.g. "schemas.example.com"' }, description: 'the hosts whose http(s) URLs a $ref may name' },
      },
    },
    consumers: { type: 'string', minLength: 1, description: 'whose pacts judge a change: a pacts directory, broker, broker:ENVIRONMENT or broker:branch=NAME' },
  },
};

/** `pacts.yaml`. */
export const pactsSchema: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  properties: {
    dir: relativePath,
    verify: {
      type: 'object',
      additionalProperties: false,
      properties: {
        provider: { ...pacticipantName, description: 'a service name of environment.yaml or its pacticipant name, e.g. "ProductService"' },
        states: relativePath,
        messages: relativePath,
        asyncApi: relativePath,
        tokenSecret: { type: 'string', ...envName },
      },
    },
  },
};

/** `schema.yaml`. */
export const schemaSectionSchema: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  properties: { expected: relativePath, migrations: relativePath },
};

/** The sections this folder owns, by file name without `.yaml`. */
export const SECTION_SCHEMAS: Readonly<Record<string, SchemaObject>> = Object.freeze({
  environment: environmentSchema,
  contracts: contractsSchema,
  pacts: pactsSchema,
  schema: schemaSectionSchema,
});
