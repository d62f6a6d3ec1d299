/**
 * Secret values known to this process (the env file's values, database passwords).
 * Everything Accord prints or writes to a log goes through {@link redact}.
 */
const secrets = new Set<string>();

// Shorter values would mangle ordinary text ("on", "1") without protecting anything.
const MIN_SECRET_LENGTH = 4;

/** Remembers `value` as a secret so {@link redact} hides it from then on. */
export function registerSecret(value: string | undefined): void {
  if (value && value.length >= MIN_SECRET_LENGTH) secrets.add(value);
}

/** `text` with every registered secret replaced by `***`, and passwords in URLs hidden. */
export function redact(text: string): string {
  let result = text.replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]*:)[^\s@/]+@/gi, '$1***@');
  for (const secret of secrets) {
    if (result.includes(secret)) result = result.replaceAll(secret, '***');
  }
  return result;
}
