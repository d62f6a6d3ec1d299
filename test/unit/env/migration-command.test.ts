import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { parseCommandString } from 'execa';
import type { ResolvedMigrationCommand } from '../../../src/config/index.js';
import { runMigrationCommand } from '../../../src/env/migration-command.js';
import { ErrorCodes } from '../../../src/errors/index.js';
import { rejection } from '../../support/rejection.js';

// The team's own migration command (`npx prisma migrate deploy`), played by small node scripts.

const command = (line: string, timeoutMs = 30_000): ResolvedMigrationCommand => ({ line, argv: parseCommandString(line), timeoutMs, table: undefined });

describe('runMigrationCommand', () => {
  let dir: string;
  let logFile: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'accord-migration-command-'));
    logFile = join(dir, 'logs/migrations.log');
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const script = async (name: string, body: string) => writeFile(join(dir, name), body);

  it('runs in the project with DATABASE_URL set, its output kept in the run log', async () => {
    await script('migrate.mjs', "console.log(`migrating ${process.env.DATABASE_URL}`); console.error('2 migrations applied');\n");
    await runMigrationCommand(command('node migrate.mjs'), { databaseUrl: 'postgres://u@127.0.0.1:5/db_1', cwd: dir, logFile });
    const log = await readFile(logFile, 'utf8');
    expect(log).to.include('$ node migrate.mjs\n');
    expect(log).to.include('migrating postgres://u@127.0.0.1:5/db_1');
    expect(log).to.include('2 migrations applied');
    expect(log).to.include('[exit 0]');
  });

  it('a failure is one line: the command, its exit code and its last stderr line', async () => {
    await script('broken.mjs', "console.log('Applying 20240401000000_add_stock');\nconsole.error('Error: P3018\\n\\nMigration name: 20240401000000_add_stock\\n\\nDatabase error: relation \"stock\" does not exist\\n');\nprocess.exit(1);\n");
    const error = await rejection(runMigrationCommand(command('node broken.mjs'), { databaseUrl: 'postgres://x', cwd: dir, logFile }));
    expect(error.code).to.equal(ErrorCodes.MIGRATION_FAILED);
    expect(error.message).to.equal(`migration command "node broken.mjs" exited with code 1: Database error: relation "stock" does not exist (its output: ${logFile})`);
    expect(await readFile(logFile, 'utf8')).to.include('[exit 1]');
  });

  it('a command that runs too long is stopped and named', async () => {
    await script('hang.mjs', 'setInterval(() => undefined, 1000);\n');
    const error = await rejection(runMigrationCommand(command('node hang.mjs', 300), { databaseUrl: 'postgres://x', cwd: dir, logFile }));
    expect(error.code).to.equal(ErrorCodes.MIGRATION_FAILED);
    expect(error.message).to.equal(`migration command "node hang.mjs" did not finish within 300 ms (its output: ${logFile})`);
  });

  it('a program that does not exist is named', async () => {
    const error = await rejection(runMigrationCommand(command('no-such-migrate-tool deploy'), { databaseUrl: 'postgres://x', cwd: dir, logFile }));
    expect(error.code).to.equal(ErrorCodes.MIGRATION_FAILED);
    expect(error.message).to.match(/^migration command "no-such-migrate-tool deploy" could not start \(no-such-migrate-tool not found\)/);
  });
});
