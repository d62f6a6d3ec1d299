import path from 'node:path';
import { execa } from 'execa';

/** The repository root: e2e tests run the CLI from here unless told otherwise. */
export const REPO_ROOT = path.resolve(import.meta.dirname, '../..');
const BIN = path.join(REPO_ROOT, 'bin/accord.js');

/** Options for {@link accord}. */
export interface AccordRunOptions {
  /** @default the repository root */
  cwd?: string;
  /** Added to (or, with `extendEnv: false`, instead of) the test runner's environment. */
  env?: Record<string, string>;
  /** @default true */
  extendEnv?: boolean;
  /** Kill the CLI after this long. @default no limit */
  timeoutMs?: number;
}

/**
 * Runs `accord ...args` to completion as a user would, never rejecting: tests assert the exit
 * code and the output. No broker is configured unless `env` names one, so a developer's
 * PACT_BROKER_* settings cannot change a result.
 */
export function accord(args: readonly string[], options: AccordRunOptions = {}) {
  return execa(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? REPO_ROOT,
    reject: false,
    all: true,
    extendEnv: options.extendEnv ?? true,
    env: { CI: 'true', NO_COLOR: '1', PACT_BROKER_BASE_URL: '', PACT_BROKER_TOKEN: '', ...options.env },
    timeout: options.timeoutMs ?? 0,
  });
}
