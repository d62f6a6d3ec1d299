import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { execa } from 'execa';
import type { ResolvedMigrationCommand } from '../config/index.js';
import { redact } from '../config/index.js';
import { AccordError, ErrorCodes, printable } from '../errors/index.js';
import { onCleanup } from './cleanup.js';

/** Options for {@link runMigrationCommand}. */
export interface MigrationCommandOptions {
  /** The database the command migrates (its `DATABASE_URL`). */
  readonly databaseUrl: string;
  /** Where it runs: the repository root. */
  readonly cwd: string;
  /** The run log its output is appended to. */
  readonly logFile: string;
  /** The process environment it inherits besides DATABASE_URL. @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** What a command may print before the rest is dropped: the log keeps the start and the end matters most for errors. */
const MAX_OUTPUT_BYTES = 8 * 1024 * 1024;

/**
 * Runs the team's own migration command (`npx prisma migrate deploy`, `npx knex migrate:latest`)
 * with DATABASE_URL set, its output appended to `logFile`. A non-zero exit or the timeout is
 * ACCORD_MIGRATION_FAILED: one line naming the command, its exit code and its last stderr line.
 */
export async function runMigrationCommand(command: ResolvedMigrationCommand, options: MigrationCommandOptions): Promise<void> {
  const [program = '', ...args] = command.argv;
  await mkdir(dirname(options.logFile), { recursive: true });
  await appendFile(options.logFile, `$ ${command.line}\n`);
  // `node` is this Node, whatever PATH holds (as for service commands).
  const child = execa(program === 'node' ? process.execPath : program, args, {
    cwd: options.cwd,
    env: { ...(options.env ?? process.env), DATABASE_URL: options.databaseUrl },
    extendEnv: false,
    stdin: 'ignore',
    all: true,
    reject: false,
    timeout: command.timeoutMs,
    maxBuffer: MAX_OUTPUT_BYTES,
    cleanup: true,
    forceKillAfterDelay: 2_000,
  });
  // Ctrl-C while it runs: it is stopped with everything else.
  const unregister = onCleanup(`migration command ${command.line}`, async () => {
    child.kill('SIGTERM');
    await child.catch(() => undefined);
  });
  const result = await child.finally(unregister);
  await appendFile(options.logFile, `${redact(String(result.all ?? ''))}\n[exit ${result.exitCode ?? result.signal ?? 'unknown'}]\n`);
  if (!result.failed) return;
  const lastLine = (text: unknown) => String(text ?? '').split('\n').map((line) => line.trim()).filter(Boolean).at(-1);
  const last = lastLine(result.stderr) ?? lastLine(result.stdout);
  const how = result.timedOut
    ? `did not finish within ${command.timeoutMs} ms`
    : result.exitCode === undefined
      ? result.code === 'ENOENT'
        ? `could not start (${program} not found)`
        : `was stopped by ${result.signal ?? 'a signal'}`
      : `exited with code ${result.exitCode}`;
  const tail = last === undefined ? '' : `: ${printable(redact(last), 200)}`;
  throw new AccordError(ErrorCodes.MIGRATION_FAILED, `migration command "${command.line}" ${how}${tail} (its output: ${options.logFile})`);
}
