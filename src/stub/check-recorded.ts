import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { CheckPactsResult, PactFinding } from '../contract/index.js';
import { AccordError, ErrorCodes } from '../errors/index.js';
import { loadContractEngine } from './contract-engine.js';
import type { Exchange } from './exchange-log.js';

/** Options for {@link checkRecorded}. */
export interface CheckRecordedOptions {
  /** The stub's JSON-lines recording. */
  recorded: string;
  /** The vendor's contract. @default the one the recording names */
  contract?: string;
  /** Where relative paths start. @default process.cwd() */
  cwd?: string;
}

/**
 * Checks a stub's recorded traffic against the vendor's contract, the way check-pacts checks
 * pact interactions: every request must be one the vendor accepts (route, headers, body), and
 * every answer that came from the document one it declares. Findings name the line of the
 * recording, the operation and the field.
 */
export async function checkRecorded(options: CheckRecordedOptions): Promise<CheckPactsResult> {
  const cwd = options.cwd ?? process.cwd();
  return checkExchanges(await readRecording(options.recorded, cwd), { ...options, cwd });
}

/** One recorded exchange and its line in the recording. */
export interface RecordedExchange {
  readonly line: number;
  readonly exchange: Exchange;
}

/** A stub's JSON-lines recording, each exchange with its line; a line that is not one is bad input naming file:line. */
export async function readRecording(file: string, cwd: string = process.cwd()): Promise<RecordedExchange[]> {
  let text: string;
  try {
    text = await readFile(path.resolve(cwd, file), 'utf8');
  } catch (error) {
    throw new AccordError(ErrorCodes.FILE_NOT_FOUND, `${file}: cannot read the recording: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const exchanges: RecordedExchange[] = [];
  text.split('\n').forEach((raw, index) => {
    if (raw.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      throw new AccordError(ErrorCodes.STUB_RECORDING_INVALID, `${file}:${index + 1}: not a JSON line of a stub recording`);
    }
    const exchange = value as Partial<Exchange>;
    if (typeof exchange.request?.method !== 'string' || typeof exchange.request.path !== 'string') {
      throw new AccordError(ErrorCodes.STUB_RECORDING_INVALID, `${file}:${index + 1}: not an exchange (expected request.method and request.path)`);
    }
    exchanges.push({ line: index + 1, exchange: exchange as Exchange });
  });
  return exchanges;
}

/** {@link checkRecorded} on a recording already read with {@link readRecording}. */
export async function checkExchanges(exchanges: readonly RecordedExchange[], options: CheckRecordedOptions): Promise<CheckPactsResult> {
  const cwd = options.cwd ?? process.cwd();
  const file = options.recorded;
  const contract = options.contract ?? exchanges.find((entry) => typeof entry.exchange.contract === 'string')?.exchange.contract;
  if (contract === undefined) {
    throw new AccordError(ErrorCodes.USAGE, `${file}: the recording names no contract and none was given: pass --contract FILE`);
  }
  if (exchanges.length === 0) {
    return { ok: true, findings: [{ code: 'recording.empty', level: 'warning', pact: file, interaction: '', location: file, message: `no exchanges in ${file}` }] };
  }
  const engine = await loadContractEngine(contract, { cwd });
  const findings: PactFinding[] = [];
  for (const { line, exchange } of exchanges) {
    const { request } = exchange;
    const location = `${file}:${line}`;
    const { operation, pathKnown } = engine.match(request.method, request.path);
    if (operation === undefined) {
      findings.push({ code: 'request.path-or-method.unknown', level: 'error', pact: file, interaction: `${request.method} ${request.path}`, location, message: `${request.method} ${request.path} is not an operation of ${contract}${pathKnown ? ' (the path exists with another method)' : ''}` });
      continue;
    }
    const interaction = engine.describe(operation);
    for (const violation of engine.checkRequest(operation, request)) {
      findings.push({ code: `request.${violation.location}.incompatible`, level: 'error', pact: file, interaction, location, message: `request ${violation.location} ${violation.message}` });
    }
    // Rejections and injected faults are the stub's own answers, not the vendor's.
    if (exchange.outcome === 'example' && exchange.response !== null) {
      for (const violation of engine.checkResponse(operation, exchange.response.status, exchange.response.body)) {
        findings.push({ code: violation.location === 'status' ? 'response.status.unknown' : 'response.body.incompatible', level: 'error', pact: file, interaction, location, message: violation.message });
      }
    }
  }
  return { ok: findings.every((finding) => finding.level !== 'error'), findings };
}
