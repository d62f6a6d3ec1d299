/** Connection URLs of Accord's PostgreSQL servers, and how to print one. */

export const EMBEDDED_USER = 'accord';
// A loopback-only, throwaway cluster: a fixed password keeps the cached template reusable.
export const EMBEDDED_PASSWORD = 'accord-local';
export const EMBEDDED_HOST = '127.0.0.1';

/**
 * The URL database `name` will have once the server is up: on `databaseUrl` when given (external),
 * else on the embedded server at `port`. Known before the server starts, so services can be
 * launched while it starts (their health checks wait for it).
 */
export function databaseUrlFor(server: { databaseUrl: string | undefined; port: number }, name: string): string {
  if (server.databaseUrl) {
    const url = new URL(server.databaseUrl);
    url.pathname = `/${encodeURIComponent(name)}`;
    return url.toString();
  }
  return `postgres://${EMBEDDED_USER}:${EMBEDDED_PASSWORD}@${EMBEDDED_HOST}:${server.port}/${encodeURIComponent(name)}`;
}

/** `postgres://user:***@host:port/db`: a URL fit to print. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '<unparseable url>';
  }
}
