import { packageVersion } from './cli-output.js';

// The only place in Accord that calls process.exit.
//
// `accord --version` answers before anything else loads (not even commander): it is what a CI
// script or an editor runs to probe for Accord. Everything else is imported below it.

// A signal's teardown must end the run within seconds even if a step hangs. Declared before the
// top-level await below, which runs the whole command.
const TEARDOWN_LIMIT_MS = 4500;
const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  process.stdout.write(`${packageVersion()}\n`);
} else {
  await run();
}

/**
 * A signal that came while a synchronous step held the thread is still queued in the event loop:
 * a timer, then an immediate, put one poll phase before the exit, where its handler runs, so the
 * run ends as interrupted (143), not as passed.
 */
function queuedSignals(): Promise<void> {
  return new Promise((resolve) => setTimeout(() => setImmediate(resolve), 0));
}

async function run(): Promise<void> {
  const [{ Command, CommanderError }, { ErrorCodes, isAccordError, printable }, { ExitCodes }, { runCleanups }, { actionExitCode }, { registerCommands }, { jsonError, oneLineUsageErrors, wantsJson }, { projectRootOf }] =
    await Promise.all([
      import('commander'),
      import('../errors/index.js'),
      import('../errors/exit-codes.js'),
      import('../env/cleanup.js'),
      import('./define-action.js'),
      import('./commands.js'),
      import('./cli-output.js'),
      import('./project-root.js'),
    ]);

  /** The `code` of a `--format json` error that is a bug, not bad input. */
  const INTERNAL_ERROR_CODE = 'ACCORD_INTERNAL';

  const program = new Command('accord')
    .description('Contract-first consumer/provider testing: can I deploy this version there?')
    .version(packageVersion(), '-V, --version', 'print the version of accord')
    // `accord --version` prints Accord's; after a command, `--version V` is that command's (gate, can-i-deploy).
    .enablePositionalOptions()
    .exitOverride();

  let exiting = false;
  let interrupted: number | undefined; // the signal's exit code, once one came
  async function exit(code: number): Promise<never> {
    if (exiting) {
      // The first exit (a signal's, or the action's end) tears down and exits; later ones wait for it.
      return new Promise<never>(() => undefined);
    }
    exiting = true;
    if (interrupted) setTimeout(() => process.exit(code), TEARDOWN_LIMIT_MS).unref();
    const failures = await runCleanups();
    if (!interrupted) for (const failure of failures) process.stderr.write(`accord: ${failure.message}\n`);
    await queuedSignals();
    process.exit(interrupted ?? code);
  }

  // Ctrl-C or a supervisor's SIGTERM: tear down whatever was started, then exit like a shell would.
  // The one line said is this one: errors of the work torn down under it are its consequence.
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]] as const) {
    // bin/accord.js's handlers for a signal during loading, when nothing had started yet.
    process.removeAllListeners(signal);
    process.on(signal, () => {
      if (interrupted) return;
      interrupted = code;
      process.stderr.write(`${process.stderr.isTTY ? '\n' : ''}accord: ${signal} received, stopping everything that was started\n`);
      // What the interrupted work says from now on (progress, errors its teardown causes) is not news.
      process.stdout.write = (() => true) as typeof process.stdout.write;
      process.stderr.write = (() => true) as typeof process.stderr.write;
      void exit(code);
    });
  }

  const json = wantsJson(process.argv.slice(2));

  function reportError(error: unknown): number {
    // Once the run is on its way out, later errors are consequences of its teardown: the first reason stands.
    if (interrupted || exiting) return ExitCodes.INTERNAL;
    if (error instanceof CommanderError) {
      // commander already printed its message (usage errors, --help, --version)
      if (error.exitCode === 0) return ExitCodes.OK;
      if (json) process.stdout.write(jsonError(ErrorCodes.USAGE, error.message.replace(/^error: /, '')));
      return ExitCodes.USAGE;
    }
    if (isAccordError(error)) {
      // Messages quote what the user gave, which may hold control bytes: shown escaped, long ones cut.
      const message = printable(error.message, 2000);
      const details = error.details?.split('\n').map((line) => printable(line, 2000)).join('\n');
      process.stderr.write(`accord: ${message}\n`);
      if (details) process.stderr.write(`${details.replace(/\n?$/, '\n')}`);
      if (json) process.stdout.write(jsonError(error.code, details ? `${message}\n${details}` : message));
      return ExitCodes.USAGE;
    }
    // Input nested deeper than a parser's recursion: bad input, not a bug to report.
    if (error instanceof RangeError && /call stack/i.test(error.message)) {
      process.stderr.write('accord: the input nests too deeply to read\n');
      if (json) process.stdout.write(jsonError(ErrorCodes.USAGE, 'the input nests too deeply to read'));
      return ExitCodes.USAGE;
    }
    if (json) process.stdout.write(jsonError(INTERNAL_ERROR_CODE, `internal error (please report it): ${(error as Error)?.message ?? String(error)}`));
    process.stderr.write(`accord: internal error (please report it)\n${(error as Error)?.stack ?? String(error)}\n`);
    return ExitCodes.INTERNAL;
  }

  process.on('uncaughtException', (error) => void exit(reportError(error)));
  process.on('unhandledRejection', (error) => void exit(reportError(error)));

  try {
    const root = projectRootOf(process.cwd());
    if (root) process.chdir(root);
    await registerCommands(program, process.argv.slice(2));
    oneLineUsageErrors(program);
    await program.parseAsync(process.argv);
    await exit(actionExitCode());
  } catch (error) {
    await exit(reportError(error));
  }
}
