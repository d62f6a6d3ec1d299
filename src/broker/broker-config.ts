import { access } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { SchemaObject } from 'ajv';
import { DEFAULT_CONFIG_DIR, parseYamlWithLocations, readEnvFile, registerSecret, throwIfProblems, validateYaml } from '../config/index.js';
import type { BrokerAuth } from './http/auth.js';
import { WEBHOOK_DELIVERY_DEFAULTS } from './webhooks/delivery-worker.js';
import type { WebhookDeliverySettings } from './webhooks/delivery-worker.js';
import { DEFAULT_TARGET_POLICY } from './webhooks/target-policy.js';

/** `config/integration/broker.yaml` with every default applied. */
export interface BrokerConfig {
  port: number;
  host: string;
  /** Where `accord broker serve` keeps its embedded PostgreSQL cluster. */
  dataDir: string;
  bodyLimitBytes: number;
  /** Public URL for links, when the broker sits behind a proxy. */
  baseUrl: string | undefined;
  auth: BrokerAuth;
  /** The variables the tokens were read from, for messages. */
  tokenEnv: { readOnly: string; readWrite: string };
  /** Where webhooks may call, how often a failed delivery is retried, how long a receiver has. */
  webhooks: WebhookDeliverySettings;
}

/** The defaults of `broker.yaml` (frozen). */
export const BROKER_DEFAULTS = Object.freeze({
  port: 9292,
  host: '127.0.0.1',
  dataDir: '.accord/broker/pgdata',
  bodyLimitBytes: 5 * 1024 * 1024,
  readOnlyTokenEnv: 'ACCORD_BROKER_READ_ONLY_TOKEN',
  readWriteTokenEnv: 'ACCORD_BROKER_READ_WRITE_TOKEN',
  allowPublicRead: false,
});

const envName = { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$', description: 'an environment variable name (letters, digits, _)' };

/** JSON Schema of `broker.yaml`. */
export const brokerConfigSchema: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  properties: {
    port: { type: 'integer', minimum: 0, maximum: 65535, description: 'a port from 0 (pick a free one) to 65535' },
    host: { type: 'string', minLength: 1, description: 'a host name or IP address to listen on' },
    dataDir: { type: 'string', minLength: 1, description: 'a directory (relative to the repository root) for the embedded PostgreSQL' },
    bodyLimitBytes: { type: 'integer', minimum: 1024, description: 'a byte count of at least 1024' },
    baseUrl: { type: 'string', pattern: '^https?://', description: 'an http(s) URL' },
    auth: {
      type: 'object',
      additionalProperties: false,
      properties: {
        readOnlyTokenEnv: envName,
        readWriteTokenEnv: envName,
        allowPublicRead: { type: 'boolean', description: 'true or false' },
      },
    },
    webhooks: {
      type: 'object',
      additionalProperties: false,
      properties: {
        schemeWhitelist: { type: 'array', maxItems: 10, items: { type: 'string', enum: ['http', 'https'] }, description: 'a list of URL schemes (http, https)' },
        hostWhitelist: { type: 'array', maxItems: 200, items: { type: 'string', minLength: 1, maxLength: 255 }, description: 'a list of host names, *.wildcards, addresses, network ranges (10.0.0.0/8) or /regular expressions/' },
        retries: { type: 'integer', minimum: 0, maximum: 20, description: 'a number of retries from 0 to 20' },
        retryBackoffMs: { type: 'integer', minimum: 0, maximum: 3_600_000, description: 'milliseconds before the first retry (0 to 3600000), doubled for each later one' },
        timeoutMs: { type: 'integer', minimum: 100, maximum: 120_000, description: 'milliseconds a receiver has to answer (100 to 120000)' },
      },
    },
  },
};

interface BrokerYaml {
  port?: number;
  host?: string;
  dataDir?: string;
  bodyLimitBytes?: number;
  baseUrl?: string;
  auth?: { readOnlyTokenEnv?: string; readWriteTokenEnv?: string; allowPublicRead?: boolean };
  webhooks?: { schemeWhitelist?: string[]; hostWhitelist?: string[]; retries?: number; retryBackoffMs?: number; timeoutMs?: number };
}

/** A space-separated list from the environment (the Pact Broker's PACT_BROKER_WEBHOOK_*_WHITELIST), when set. */
const envList = (value: string | undefined) => (value === undefined ? undefined : value.split(/\s+/).filter(Boolean));

/**
 * Reads `<dir>/broker.yaml` (optional: defaults otherwise), validates it (every problem with its
 * line) and resolves the tokens from the environment, then from the env file.
 */
export async function loadBrokerConfig(
  dir = DEFAULT_CONFIG_DIR,
  options: { root?: string; env?: Readonly<Record<string, string | undefined>>; envFile?: string } = {},
): Promise<BrokerConfig> {
  const root = resolve(options.root ?? process.cwd());
  const file = resolve(root, dir, 'broker.yaml');
  let user: BrokerYaml = {};
  if (await exists(file)) {
    const parsed = await parseYamlWithLocations(file);
    throwIfProblems(validateYaml(parsed, brokerConfigSchema), file);
    user = (parsed.value ?? {}) as BrokerYaml;
  }
  const env = options.env ?? process.env;
  const fileValues = await readEnvFile(resolve(root, options.envFile ?? '.env.integration-test'));
  const readOnly = user.auth?.readOnlyTokenEnv ?? BROKER_DEFAULTS.readOnlyTokenEnv;
  const readWrite = user.auth?.readWriteTokenEnv ?? BROKER_DEFAULTS.readWriteTokenEnv;
  const token = (name: string) => {
    const value = env[name] ?? fileValues[name];
    if (value) registerSecret(value);
    return value ? [value] : [];
  };
  return {
    port: user.port ?? BROKER_DEFAULTS.port,
    host: user.host ?? BROKER_DEFAULTS.host,
    dataDir: resolve(root, user.dataDir ?? BROKER_DEFAULTS.dataDir),
    bodyLimitBytes: user.bodyLimitBytes ?? BROKER_DEFAULTS.bodyLimitBytes,
    baseUrl: user.baseUrl,
    auth: { readOnlyTokens: token(readOnly), readWriteTokens: token(readWrite), allowPublicRead: user.auth?.allowPublicRead ?? BROKER_DEFAULTS.allowPublicRead },
    tokenEnv: { readOnly, readWrite },
    webhooks: {
      policy: {
        schemeWhitelist: envList(env.PACT_BROKER_WEBHOOK_SCHEME_WHITELIST) ?? user.webhooks?.schemeWhitelist ?? DEFAULT_TARGET_POLICY.schemeWhitelist,
        hostWhitelist: envList(env.PACT_BROKER_WEBHOOK_HOST_WHITELIST) ?? user.webhooks?.hostWhitelist ?? DEFAULT_TARGET_POLICY.hostWhitelist,
      },
      retries: user.webhooks?.retries ?? WEBHOOK_DELIVERY_DEFAULTS.retries,
      retryBackoffMs: user.webhooks?.retryBackoffMs ?? WEBHOOK_DELIVERY_DEFAULTS.retryBackoffMs,
      timeoutMs: user.webhooks?.timeoutMs ?? WEBHOOK_DELIVERY_DEFAULTS.timeoutMs,
    },
  };
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

