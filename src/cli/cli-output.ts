import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';

/** True when the command line asks for `--format json`: errors are then JSON on stdout too. */
export function wantsJson(args: readonly string[]): boolean {
  return args.some((arg, index) => arg === '--format=json' || (arg === '--format' && args[index + 1] === 'json'));
}

/** The one-line JSON a machine reader gets on stdout when a `--format json` run fails. */
export function jsonError(code: string, message: string): string {
  return `${JSON.stringify({ error: { code, message } })}\n`;
}

/**
 * Makes every (sub)command answer a usage error with one line and a pointer to its help,
 * instead of commander's whole help text.
 */
export function oneLineUsageErrors(command: Command, path = ''): void {
  const name = path ? `${path} ${command.name()}` : command.name();
  command.showHelpAfterError(false).configureOutput({
    outputError: (text, write) => write(`${name}: ${text.trim().replace(/^error: /, '')} (see \`${name} --help\`)\n`),
  });
  for (const sub of command.commands) oneLineUsageErrors(sub, name);
}

/** Accord's version from its package.json (found upwards from here: src/ and dist/ sit at the same depth, but a bundler may move it). */
export function packageVersion(from = dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = dirname(dir)) {
    try {
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (manifest.name === 'accord' && manifest.version) return manifest.version;
    } catch {
      // not here: look one level up
    }
    if (dirname(dir) === dir) return 'unknown';
  }
}
