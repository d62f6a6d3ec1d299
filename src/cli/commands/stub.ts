import type { Command } from 'commander';
import { lintContract } from '../../contract/index.js';
import { AccordError, ErrorCodes, printable } from '../../errors/index.js';
import { FAULT_MODES, parseFault, startStub } from '../../stub/index.js';
import { defineAction } from '../define-action.js';
import { formatOption } from '../options.js';
import { checkOutputPath } from '../output-path.js';

interface ServeOptions {
  format: 'text' | 'json';
  port?: string;
  host?: string;
  record?: string;
  fault?: string;
}

/** `accord stub serve CONTRACT`: a validating, recording stub of a service that is not ours. */
export function register(program: Command): void {
  const stub = program.command('stub').description('stubs of services that are not ours, served from their OpenAPI document');
  stub
    .command('serve')
    .description(`serve an OpenAPI document: requests validated (400/422 problem+json), answers from its examples (Prefer: code=…, example=…), every exchange recorded, faults (${FAULT_MODES.join(', ')}) switched at run time with PUT /__stub/fault`)
    .argument('<contract>', 'the OpenAPI document to serve')
    .addOption(formatOption(['text', 'json']))
    .option('--port <port>', 'port to listen on, 0 = a free one (default: $PORT, else 4010)')
    .option('--host <host>', 'address to listen on (default: $HOST, else 127.0.0.1)')
    .option('--record <file>', 'append every exchange to this JSON-lines file (truncated at start)')
    .option('--fault <mode>', `a fault in force from the start: ${FAULT_MODES.join(', ')}, or a JSON object like {"mode":"latency","delayMs":2000}`)
    .action(defineAction(async (contract: string, options: ServeOptions) => serve(contract, options)));
}

async function serve(contract: string, options: ServeOptions): Promise<number> {
  const rawPort = options.port ?? process.env.PORT ?? '4010';
  const port = Number(rawPort);
  if (!/^\d+$/.test(rawPort) || port > 65535) throw new AccordError(ErrorCodes.USAGE, `--port must be an integer from 0 to 65535, got ${JSON.stringify(rawPort)}`);
  // Checked before the document is read: a typo in a fault mode is bad input, found at once.
  const fault = options.fault === undefined ? undefined : parseFault(options.fault.trim().startsWith('{') ? parseJson(options.fault) : options.fault);
  // Output paths before anything starts: `--record <a directory>` is bad input, not a crash once serving.
  if (options.record !== undefined) await checkOutputPath('--record', options.record, 'file');
  await assertLintClean(contract);
  const started = await startStub({
    contract,
    port,
    host: options.host ?? (process.env.HOST || '127.0.0.1'),
    ...(options.record === undefined ? {} : { record: options.record }),
    ...(fault === undefined ? {} : { fault }),
  });
  const paths = started.engine.contract.document.paths;
  const operations = paths !== null && typeof paths === 'object' ? Object.keys(paths).length : 0;
  if (options.format === 'json') {
    process.stdout.write(`${JSON.stringify({ status: 'listening', url: started.url, port: started.port, contract, paths: operations, record: options.record ?? null, pid: process.pid })}\n`);
  } else {
    process.stdout.write(`accord stub: serving ${contract} on ${started.url} (admin: ${started.url}/__stub/fault, /__stub/exchanges)${options.record ? `, recording to ${options.record}` : ''}; Ctrl-C to stop\n`);
  }
  // Runs until SIGINT/SIGTERM: main.ts then runs every cleanup step (the stub's included) and exits.
  return new Promise<number>(() => {
    setInterval(() => undefined, 1 << 30);
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new AccordError(ErrorCodes.USAGE, `--fault is not valid JSON: ${printable(text, 80)}`);
  }
}

/** A contract `accord contract lint` rejects is not served: the stub would answer what no provider can. */
async function assertLintClean(contract: string): Promise<void> {
  const result = await lintContract(contract);
  const errors = result.findings.filter((finding) => finding.level === 'error');
  const [first] = errors;
  if (result.ok || first === undefined) return;
  const where = first.line === null ? first.file : `${first.file}:${first.line}:${first.column ?? 1}`;
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more: \`accord contract lint ${contract}\` lists them)` : '';
  throw new AccordError(ErrorCodes.CONTRACT_INVALID, `${where}: not served, contract lint rejects it: [${first.rule}] ${printable(first.message, 200)}${more}`);
}
