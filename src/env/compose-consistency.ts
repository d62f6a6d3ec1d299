import { readFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { parse } from 'yaml';
import { settingFile } from '../config/index.js';
import type { ResolvedConfig } from '../config/index.js';
import { AccordError, ErrorCodes } from '../errors/index.js';
import { serviceEnvironment } from './service-env.js';

/** Whether a compose file describes the same topology as the config; `problems` says where not. */
export interface ComposeConsistency {
  readonly ok: boolean;
  readonly problems: readonly string[];
}

interface ComposeService {
  image?: string;
  build?: { context?: string; dockerfile?: string };
  environment?: Record<string, unknown>;
  env_file?: string[] | string;
  ports?: string[];
  networks?: string[] | Record<string, unknown>;
  volumes?: string[];
  healthcheck?: { test?: string[] | string };
  depends_on?: string[] | Record<string, unknown>;
}

interface ComposeFile {
  services?: Record<string, ComposeService>;
  networks?: Record<string, unknown>;
  volumes?: Record<string, unknown>;
}

const keysOf = (value: string[] | Record<string, unknown> | undefined) => (Array.isArray(value) ? value : Object.keys(value ?? {}));

/**
 * Compares a compose file (by default environment.yaml's `compose.file`) with the resolved config:
 * images match the pinned major versions, each service publishes its configured port, gets
 * exactly the variables Accord injects (plus the env file), waits for its dependencies, has a
 * healthcheck on its health path, and its Dockerfile runs the configured command; the network and
 * volumes that `compose:` names exist and are used.
 */
export async function checkComposeFile(file: string | undefined, config: ResolvedConfig): Promise<ComposeConsistency> {
  const declared = config.environment.compose;
  const path = file ?? declared?.file;
  if (path === undefined) throw new AccordError(ErrorCodes.CONFIG_INVALID, `${settingFile(config, 'environment')}: compose.file: required key is missing (the compose file to check)`);
  const compose = (parse(await readFile(path, 'utf8')) ?? {}) as ComposeFile;
  const network = declared?.network;
  const volumes: Readonly<Record<string, string | undefined>> = declared?.volumes ?? {};
  const problems: string[] = [];
  const services = compose.services ?? {};
  const need = (condition: boolean, problem: string) => {
    if (!condition) problems.push(problem);
  };

  const postgres = services.postgres;
  need(postgres?.image === `postgres:${config.environment.postgres.version}`, `postgres: image should be postgres:${config.environment.postgres.version}, got ${postgres?.image}`);
  need(postgres?.environment?.POSTGRES_DB === config.environment.postgres.database, `postgres: POSTGRES_DB should be ${config.environment.postgres.database}, got ${String(postgres?.environment?.POSTGRES_DB)}`);
  const redis = services.redis;
  need(redis?.image === `redis:${config.environment.redis.version}`, `redis: image should be redis:${config.environment.redis.version}, got ${redis?.image}`);
  for (const [name, volume] of Object.entries(volumes)) {
    if (volume === undefined) continue;
    need((services[name]?.volumes ?? []).some((entry) => entry.startsWith(`${volume}:`)), `${name}: should mount the volume ${volume}`);
    need(volume in (compose.volumes ?? {}), `volumes: ${volume} is not declared`);
  }
  if (network !== undefined) need(network in (compose.networks ?? {}), `networks: ${network} is not declared`);

  const envFileName = basename(config.environment.envFile);
  const placeholderUrls = new Map([...config.environment.services.keys()].map((name) => [name, `http://${name}`]));
  for (const name of ['postgres', 'redis', ...config.environment.services.keys()]) {
    const service = services[name];
    if (!service) {
      problems.push(`${name}: missing from the compose file`);
      continue;
    }
    if (network !== undefined) need(keysOf(service.networks).includes(network), `${name}: should be on the network ${network}`);
    need(service.healthcheck?.test !== undefined, `${name}: has no healthcheck`);
  }

  for (const service of config.environment.services.values()) {
    const entry = services[service.name];
    if (!entry) continue;
    const where = service.name;
    const port = service.port;
    need((entry.ports ?? []).includes(`${port}:${port}`), `${where}: should publish "${port}:${port}" (environment.yaml port), got ${JSON.stringify(entry.ports ?? [])}`);
    const envFiles = Array.isArray(entry.env_file) ? entry.env_file : entry.env_file ? [entry.env_file] : [];
    need(envFiles.includes(envFileName), `${where}: env_file should include ${envFileName}`);
    const injected = serviceEnvironment(service, { host: '', port, databaseUrl: '', redisUrl: '', urls: placeholderUrls, secrets: {} });
    const expected = Object.keys(injected).sort();
    const actual = Object.keys(entry.environment ?? {}).sort();
    for (const missing of expected.filter((key) => !actual.includes(key))) problems.push(`${where}: environment lacks ${missing}, which Accord injects`);
    for (const extra of actual.filter((key) => !expected.includes(key))) problems.push(`${where}: environment sets ${extra}, which Accord does not inject`);
    need(String(entry.environment?.PORT) === String(port), `${where}: PORT should be ${port}, got ${String(entry.environment?.PORT)}`);
    for (const [key, value] of Object.entries(service.env)) {
      need(String(entry.environment?.[key]) === value, `${where}: ${key} should be ${value} (environment.yaml), got ${String(entry.environment?.[key])}`);
    }
    for (const dependency of service.dependsOn) {
      need(keysOf(entry.depends_on).includes(dependency), `${where}: depends_on should include ${dependency}`);
    }
    const test = [entry.healthcheck?.test ?? []].flat().join(' ');
    need(test.includes(`:${port}${service.health}`), `${where}: healthcheck should poll :${port}${service.health}`);
    if (entry.build?.dockerfile) problems.push(...(await checkDockerfile(resolve(config.root, entry.build.context ?? '.', entry.build.dockerfile), service.command, where)));
    else problems.push(`${where}: has no build.dockerfile`);
  }
  return { ok: problems.length === 0, problems };
}

/** The Dockerfile's exec-form CMD must be the configured command. */
async function checkDockerfile(file: string, command: readonly string[], where: string): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return [`${where}: Dockerfile ${file} not found`];
  }
  const cmd = /^CMD\s+(\[.*\])\s*$/m.exec(text)?.[1];
  const parsed = cmd ? (JSON.parse(cmd) as string[]) : [];
  return JSON.stringify(parsed) === JSON.stringify(command) ? [] : [`${where}: Dockerfile CMD ${JSON.stringify(parsed)} differs from the configured command ${JSON.stringify(command)}`];
}
