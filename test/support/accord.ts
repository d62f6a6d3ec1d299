import path from 'node:path';
import { execa } from 'execa';

/**
 * The repository root: e2e tests run the CLI from here unless told otherwise. Its package.json
 * names the example as Accord's root (`accord.root`), so the CLI works in {@link EXAMPLE_ROOT}.
 */
export const REPO_ROOT = path.resolve(import.meta.dirname, '../..');
/** The example system's folder: where its config, contracts, pacts and reports are. */
export const EXAMPLE_ROOT = path.join(REPO_ROOT, 'examples/orders');
const BIN = path.join(REPO_ROOT, 'bin/accord.js');

/** A path under the example's folder. */
export function example(...segments: string[]): string {
  return path.join(EXAMPLE_ROOT, ...segments);
}

// Run from the repository root, the CLI works in the example's folder; the tests' own fixtures
// (test/fixtures/…) are named from the repository root, so they are made absolute.
function fixturePaths(args: readonly string[], cwd: string | undefined): string[] {
  if (cwd !== undefined && path.resolve(cwd) !== REPO_ROOT) return [...args];
  return args.map((arg) => arg.replace(/(^|=)(test\/fixtures\/)/, (_match, before: string, fixtures: string) => `${before}${path.join(REPO_ROOT, fixtures)}`));
}

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
  return execa(process.execPath, [BIN, ...fixturePaths(args, options.cwd)], {
    cwd: options.cwd ?? REPO_ROOT,
    reject: false,
    all: true,
    extendEnv: options.extendEnv ?? true,
    env: { CI: 'true', NO_COLOR: '1', PACT_BROKER_BASE_URL: '', PACT_BROKER_TOKEN: '', ...options.env },
    timeout: options.timeoutMs ?? 0,
  });
}
