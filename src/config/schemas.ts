import type { SchemaObject } from 'ajv';

// JSON Schemas of the sections this folder owns; `description` is the "expected …" text.

const relativePath = { type: 'string', minLength: 1, description: 'a path (relative to the repository root)' };
const envValue = { type: ['string', 'number', 'boolean'], description: 'a string, number or boolean' };
const envName = { pattern: '^[A-Za-z_][A-Za-z0-9_]*$', description: 'an environment variable name (letters, digits, _)' };
const timeoutMs = { type: 'integer', minimum: 1, description: 'a positive integer (milliseconds)' };

const serviceSchema: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  required: ['command'],
  properties: {
    command: { type: 'string', minLength: 1, description: 'a command line, e.g. "node --import tsx src/main.ts"' },
    cwd: relativePath,
    port: { type: 'integer', minimum: 0, maximum: 65535, description: 'a port from 0 (pick a free one) to 65535' },
    health: { type: 'string', pattern: '^/', description: 'a path starting with /' },
    env: { type: 'object', propertyNames: envName, additionalProperties: envValue },
    dependsOn: { type: 'array', items: { type: 'string', description: 'a service name' } },
    secrets: { type: 'array', items: { type: 'string', ...envName } },
    startTimeoutMs: timeoutMs,
    stopGraceMs: timeoutMs,
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
      type: 'object',
      additionalProperties: false,
      properties: {
        version: { type: 'integer', enum: [14], description: '14 (the embedded PostgreSQL is pinned to 14.x)' },
        database: { type: 'string', pattern: '^[a-z_][a-z0-9_]{0,39}$', description: 'a database name prefix (lowercase letters, digits, _; at most 40)' },
        migrations: relativePath,
        settings: { type: 'object', propertyNames: { pattern: '^[a-z_.]+$', description: 'a server setting name' }, additionalProperties: envValue },
      },
    },
    redis: {
      type: 'object',
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
    policy: { type: 'string', enum: ['semver', 'none'] },
    baseline: { type: 'string', minLength: 1, description: 'the released contract changes are listed against: a file or git:REF[:PATH]' },
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
        provider: { type: 'string', pattern: '^[a-z][a-z0-9-]*$', description: 'a service name (lowercase letters, digits, -)' },
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
