/**
 * The progress printer of long commands: `accord: <line>` on stderr, redacted, so stdout stays
 * the report (`--format json` and `junit` parse it). `redact` is passed in because commands load
 * the config module lazily.
 */
export function progressLine(redact: (text: string) => string, enabled = true): (line: string) => void {
  return (line) => {
    if (enabled) process.stderr.write(`accord: ${redact(line)}\n`);
  };
}
