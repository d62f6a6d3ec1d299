/** What a redacted value reads as (the Pact Broker's mask). */
export const REDACTED = '**********';

// Names that usually carry credentials: authorization, tokens, keys, secrets, passwords, cookies, signatures.
const SECRET_NAME = /authorization|token|secret|password|passwd|api[-_]?key|access[-_]?key|cookie|signature|credential|session/i;
// Values that look like credentials whatever the header is called.
const SECRET_VALUE = /^(bearer|basic|token|digest)\s+\S+|^(gh[pousr]_|github_pat_|xox[abprs]-|sk-|AKIA)[A-Za-z0-9_-]{8,}/i;

/** Whether a header's value should never be shown. */
export function isSecretHeader(name: string, value: string): boolean {
  return SECRET_NAME.test(name) || SECRET_VALUE.test(value.trim());
}

/** The headers with every secret-looking value replaced by {@link REDACTED}. */
export function redactHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, isSecretHeader(name, value) ? REDACTED : value]));
}
