import type { Command } from 'commander';
import { redact } from '../../config/index.js';
import { loadBrokerConfig, startBroker } from '../../broker/index.js';
import { redactUrl } from '../../env/index.js';
import { AccordError, ErrorCodes } from '../../errors/index.js';
import { defineAction } from '../define-action.js';
import { configOption, formatOption } from '../options.js';
import { checkOutputPath } from '../output-path.js';
import { parseNumberOption } from '../parse-number.js';
import { untilSignal } from '../until-signal.js';

interface ServeOptions {
  config: string;
  format: 'text' | 'json';
  port?: string;
  host?: string;
  databaseUrl?: string;
  dataDir?: string;
}

/** `accord broker serve`: the Pact-Broker-compatible registry. */
export function register(program: Command): void {
  const broker = program.command('broker').description('the Pact-Broker-compatible registry');
  broker
    .command('serve')
    .description('serve the Pact Broker API (HAL) on PostgreSQL; state persists under .accord/ unless --database-url is given')
    .addOption(configOption())
    .addOption(formatOption(['text', 'json']))
    .option('--port <port>', 'port to listen on (0 = a free one) (default: broker.yaml port, 9292)')
    .option('--host <host>', 'address to listen on (default: broker.yaml host, 127.0.0.1)')
    .option('--database-url <url>', 'store into this PostgreSQL database instead of the embedded one')
    .option('--data-dir <dir>', 'data directory of the embedded PostgreSQL (default: broker.yaml dataDir)')
    .action(defineAction(async (options: ServeOptions) => serve(options)));
}

async function serve(options: ServeOptions): Promise<number> {
  if (options.dataDir && !options.databaseUrl) await checkOutputPath('--data-dir', options.dataDir, 'directory');
  const config = await loadBrokerConfig(options.config);
  const port = options.port === undefined ? config.port : parseNumberOption('--port', options.port, { integer: true, min: 0, max: 65535 });
  if (config.auth.readWriteTokens.length === 0) {
    throw new AccordError(
      ErrorCodes.CONFIG_INVALID,
      `the broker needs a read-write token: set ${config.tokenEnv.readWrite} (and optionally ${config.tokenEnv.readOnly}) in the environment or in .env.integration-test; broker.yaml auth.readWriteTokenEnv names the variable`,
    );
  }
  const started = Date.now();
  const broker = await startBroker({
    port,
    host: options.host ?? config.host,
    databaseUrl: options.databaseUrl,
    dataDir: options.dataDir ?? config.dataDir,
    auth: config.auth,
    bodyLimitBytes: config.bodyLimitBytes,
    baseUrl: config.baseUrl,
    webhooks: config.webhooks,
  });
  const storage = options.databaseUrl ? redactUrl(options.databaseUrl) : `embedded PostgreSQL 14 (${options.dataDir ?? config.dataDir})`;
  if (options.format === 'json') {
    process.stdout.write(`${redact(JSON.stringify({ status: 'listening', url: broker.url, port: broker.port, storage, pid: process.pid, startupMs: Date.now() - started }))}\n`);
  } else {
    process.stdout.write(`accord broker: listening on ${broker.url} (storage: ${redact(storage)}, ready in ${Date.now() - started} ms); Ctrl-C to stop\n`);
  }
  return untilSignal();
}
