/**
 * Large YAML documents are parsed in a worker thread. A 2 MB YAML contract takes seconds to parse,
 * and a parse on the main thread holds off Ctrl-C and SIGTERM until it ends; in a worker the main
 * thread stays free to answer a signal, and process.exit ends the worker with it. JSON is parsed
 * on the calling thread at any size: V8's JSON parser is not recursive and reads 32 MB in a few
 * hundred milliseconds, and the worker's value had to be parsed again here from JSON text anyway
 * (a structured clone is slower), so a worker only added its start-up and a second parse.
 */
import { Worker } from 'node:worker_threads';
import { AccordError, ErrorCodes } from '../errors/index.js';
import type { ErrorCode } from '../errors/index.js';
import { assertDocumentSize, assertNestingDepth } from './limits.js';
import type { BoundedYaml } from './limits.js';
import { parseBoundedText } from './parse-text.js';
import type { ParseTextRequest } from './parse-text.js';

/** YAML up to this size (256 kB) is parsed on the calling thread: a worker costs more than the parse. */
export const OFF_THREAD_BYTES = 256 * 1024;

/** What the worker answers: the value travels as JSON text, which the main thread reads fastest. */
export type ParseReply =
  | { kind: 'json'; json: string }
  | { kind: 'value'; value: unknown }
  | { kind: 'syntax-error'; line: number; column: number; reason: string }
  | { kind: 'accord-error'; code: ErrorCode; message: string }
  | { kind: 'json-syntax-error'; message: string }
  | { kind: 'failed'; message: string };

// YAML's infinities and NaN, which JSON text cannot carry: such a value is sent as it is.
const NON_FINITE = /(?:^|[\s:,[{-])[-+]?\.(?:inf|Inf|INF|nan|NaN|NAN)\b/;

/** Parses `request` and says how it went, as the worker posts it. */
export function replyFor(request: ParseTextRequest): ParseReply {
  try {
    const parsed = parseBoundedText(request);
    if (!parsed.ok) return { kind: 'syntax-error', line: parsed.line, column: parsed.column, reason: parsed.reason };
    if (NON_FINITE.test(request.text)) return { kind: 'value', value: parsed.value };
    return { kind: 'json', json: JSON.stringify(parsed.value) };
  } catch (error) {
    if (error instanceof AccordError) return { kind: 'accord-error', code: error.code, message: error.message };
    if (error instanceof SyntaxError) return { kind: 'json-syntax-error', message: error.message };
    return { kind: 'failed', message: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * {@link parseBoundedText} that leaves the main thread free while YAML over
 * {@link OFF_THREAD_BYTES} is parsed: the same limits, results and errors, only asynchronous.
 */
export async function parseOffThread(request: ParseTextRequest): Promise<BoundedYaml> {
  const code = request.code ?? ErrorCodes.PARSE_ERROR;
  const bytes = Buffer.byteLength(request.text);
  if (bytes <= OFF_THREAD_BYTES) {
    const parsed = parseBoundedText(request);
    return parsed.ok ? { ok: true, value: parsed.value } : parsed;
  }
  // Too large to read at all: said at once, without a worker.
  assertDocumentSize(request.label, bytes, code);
  const json = parseJsonHere(request, code);
  if (json !== undefined) return json;
  // Text that only starts like JSON is YAML's to decide, as parseBoundedText does: not tried as JSON twice.
  const reply = await inWorker(request.format === 'json-or-yaml' ? { ...request, format: 'yaml' } : request);
  switch (reply.kind) {
    case 'json':
      return { ok: true, value: JSON.parse(reply.json) as unknown };
    case 'value':
      return { ok: true, value: reply.value };
    case 'syntax-error':
      return { ok: false, line: reply.line, column: reply.column, reason: reply.reason };
    case 'accord-error':
      throw new AccordError(reply.code, reply.message);
    case 'json-syntax-error':
      throw new SyntaxError(reply.message);
    case 'failed':
      throw new Error(reply.message);
  }
}

/**
 * JSON (and `json-or-yaml` text that starts like JSON) parsed here, with parseBoundedText's limits,
 * value and errors; undefined when YAML is to decide. The nesting is measured on the parsed value
 * rather than on the text beforehand: JSON.parse does not recurse however deep the text, and
 * walking the value costs a fifth of scanning the text.
 */
function parseJsonHere(request: ParseTextRequest, code: ErrorCode): BoundedYaml | undefined {
  if (request.format === 'yaml' || (request.format === 'json-or-yaml' && !/^\s*[{[]/.test(request.text))) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(request.text);
  } catch (error) {
    if (request.format === 'json-or-yaml' && error instanceof SyntaxError) return undefined;
    throw error;
  }
  assertNestingDepth(request.label, value, code);
  return { ok: true, value };
}

/** The worker: the built .js beside this file or, run from source (tests, tsx), the .ts loaded through tsx. */
function startWorker(request: ParseTextRequest): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./parse-worker.js', import.meta.url), { workerData: request });
  const source = new URL('./parse-worker.ts', import.meta.url).href;
  const code = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(source)}); });`;
  return new Worker(code, { eval: true, workerData: request });
}

function inWorker(request: ParseTextRequest): Promise<ParseReply> {
  return new Promise((resolve, reject) => {
    const worker = startWorker(request);
    let settled = false;
    worker.once('message', (reply: ParseReply) => {
      settled = true;
      resolve(reply);
      void worker.terminate();
    });
    worker.once('error', (error: Error & { code?: string }) => {
      settled = true;
      if (error.code === 'ERR_WORKER_OUT_OF_MEMORY') reject(new AccordError(request.code ?? ErrorCodes.PARSE_ERROR, `${request.label}: ran out of memory while parsing`));
      else reject(error);
    });
    worker.once('exit', (exitCode) => {
      if (!settled) reject(new Error(`the parser's worker thread stopped (exit code ${exitCode}) before it answered`));
    });
  });
}
