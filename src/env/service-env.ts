import type { ResolvedServiceConfig } from '../config/index.js';

/** Where a service's collaborators are, once the environment knows its ports. */
export interface ServiceEndpoints {
  readonly host: string;
  readonly port: number;
  /** Undefined for a system without PostgreSQL: no DATABASE_URL is given. */
  readonly databaseUrl: string | undefined;
  /** Undefined for a system without Redis: no REDIS_URL is given. */
  readonly redisUrl: string | undefined;
  /** URL of each service, by name. */
  readonly urls: ReadonlyMap<string, string>;
  /** Values of the env file. */
  readonly secrets: Readonly<Record<string, string>>;
}

/** `billing-api` → `BILLING_API_URL`: how a service finds a dependency. */
export function urlVariable(service: string): string {
  return `${service.toUpperCase().replaceAll('-', '_')}_URL`;
}

/**
 * The variables Accord injects into a service: every env-file value, the service's own `env`
 * from config, then PORT, HOST, DATABASE_URL, REDIS_URL and `<DEPENDENCY>_URL` of each
 * dependency, which always win (the environment owns ports and URLs).
 */
export function serviceEnvironment(service: ResolvedServiceConfig, endpoints: ServiceEndpoints): Record<string, string> {
  const env: Record<string, string> = { LOG_LEVEL: 'info', ...endpoints.secrets, ...service.env };
  env.PORT = String(endpoints.port);
  env.HOST = endpoints.host;
  if (endpoints.databaseUrl !== undefined) env.DATABASE_URL = endpoints.databaseUrl;
  if (endpoints.redisUrl !== undefined) env.REDIS_URL = endpoints.redisUrl;
  for (const dependency of service.dependsOn) {
    const url = endpoints.urls.get(dependency);
    if (url) env[urlVariable(dependency)] = url;
  }
  return env;
}
