import { lstat, readdir, readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { AccordError, ErrorCodes, printable } from '../errors/index.js';
import { assertDocumentSize, assertNestingDepth, isInside, jsonSyntaxError, parseBoundedJson, parseOffThread, projectBoundaries } from '../input/index.js';
import { kindOf, specProblems } from './pact-spec.js';

/** A parsed pact document (V1–V4, HTTP or message): the parts every reader relies on. */
export interface PactJson {
  consumer: { name: string };
  provider: { name: string };
  interactions?: unknown[];
  messages?: unknown[];
  metadata?: Record<string, unknown>;
  [key: string]: unknown;
}

/** One pact file as read: where it is, the name messages use for it, and its document. */
export interface PactFile {
  /** Absolute path. */
  file: string;
  /** The path relative to the working directory, as messages show it. */
  label: string;
  pact: PactJson;
}

/** Options for {@link readPactFiles}. */
export interface ReadPactFilesOptions {
  /** Relative locations start here, and labels are relative to it. @default process.cwd() */
  cwd?: string;
}

/**
 * Reads every `*.json` pact in each location (a directory, sorted) or the file it names.
 * A location that does not exist, or locations that hold no pact file at all, are bad input:
 * like Pact's own CLIs, publishing or verifying nothing is a mistake, not a pass.
 */
export async function readPactFiles(locations: string | readonly string[], options: ReadPactFilesOptions = {}): Promise<PactFile[]> {
  const cwd = options.cwd ?? process.cwd();
  const list = typeof locations === 'string' ? [locations] : locations;
  const files: string[] = [];
  for (const location of list) {
    const absolute = path.resolve(cwd, location);
    files.push(...(await pactFilesIn(absolute, labelOf(absolute, cwd), cwd)));
  }
  if (files.length === 0) {
    const shown = list.map((location) => labelOf(path.resolve(cwd, location), cwd)).join(', ');
    throw new AccordError(ErrorCodes.FILE_NOT_FOUND, `${shown}: no pact files (*.json) (consumer tests write them there)`);
  }
  return Promise.all(files.map(async (file) => readPactFile(file, labelOf(file, cwd))));
}

/** Reads and checks one pact file; `label` names it in messages. */
export async function readPactFile(file: string, label: string): Promise<PactFile> {
  const info = await stat(file).catch(() => undefined);
  if (info === undefined) throw new AccordError(ErrorCodes.FILE_NOT_FOUND, `${label}: no such pact file`);
  if (!info.isFile()) throw new AccordError(ErrorCodes.PACT_INVALID, `${label}: not a regular file`);
  assertDocumentSize(label, info.size, ErrorCodes.PACT_INVALID);
  const text = await readFile(file, 'utf8').catch(() => {
    throw new AccordError(ErrorCodes.FILE_NOT_FOUND, `${label}: no such pact file`);
  });
  // A large pact is parsed in a worker thread, so Ctrl-C is answered meanwhile.
  let value: unknown;
  try {
    value = ((await parseOffThread({ label, text, format: 'json', code: ErrorCodes.PACT_INVALID })) as { value: unknown }).value;
  } catch (error) {
    throw notJson(text, label, error);
  }
  return { file, label, pact: checkedPact(value, label) };
}

/** Parses and checks the text of one pact. */
export function parsePactJson(text: string, label: string): PactJson {
  let value: unknown;
  try {
    value = parseBoundedJson(label, text, ErrorCodes.PACT_INVALID);
  } catch (error) {
    throw notJson(text, label, error);
  }
  return checkedPact(value, label);
}

function notJson(text: string, label: string, error: unknown): AccordError {
  if (error instanceof AccordError) return error;
  return new AccordError(ErrorCodes.PACT_INVALID, `${label}: not JSON (${jsonSyntaxError(text, error as Error)}); a pact file must be JSON`);
}

function checkedPact(value: unknown, label: string): PactJson {
  assertNestingDepth(label, value, ErrorCodes.PACT_INVALID);
  assertPact(value, label);
  return value;
}

/** Throws, naming `label` and every problem, unless `value` is a pact. */
export function assertPact(value: unknown, label: string): asserts value is PactJson {
  const problems = pactProblems(value);
  if (problems.length === 0) return;
  const more = problems.length > 3 ? ` (and ${problems.length - 3} more)` : '';
  throw new AccordError(ErrorCodes.PACT_INVALID, `${label}: not a pact: ${problems.slice(0, 3).join('; ')}${more}`);
}

/**
 * Why `value` is not a pact (empty when it is one): a JSON object with `consumer.name` and
 * `provider.name`, an `interactions` list (or a V3 message pact's `messages`; an empty list is a
 * pact with none), and everything the specification version it claims asks of it
 * ({@link specProblems}): a known version (1–4), interactions of a known type, a request and a
 * response for HTTP ones, matching rules of that version's shape.
 */
export function pactProblems(value: unknown): string[] {
  if (!isRecord(value)) return [`expected a JSON object with \`consumer\`, \`provider\` and \`interactions\`, got ${kindOf(value)}`];
  const missing: string[] = [];
  if (nameOf(value.consumer) === undefined) missing.push('`consumer.name`');
  if (nameOf(value.provider) === undefined) missing.push('`provider.name`');
  const field = value.messages !== undefined && value.interactions === undefined ? 'messages' : 'interactions';
  if (value[field] !== undefined && !Array.isArray(value[field])) missing.push(`\`${field}\` as a list`);
  if (missing.length > 0) {
    const keys = printable(Object.keys(value).slice(0, 6).join(', '), 120) || 'none';
    return [`expected ${missing.join(' and ')}, found top-level keys ${keys}`];
  }
  return specProblems(value);
}

async function pactFilesIn(absolute: string, shown: string, cwd: string): Promise<string[]> {
  const info = await stat(absolute).catch(() => undefined);
  if (info === undefined) {
    throw new AccordError(ErrorCodes.FILE_NOT_FOUND, `${shown}: no such pact file or directory (expected pact JSON files, as written by the consumer tests)`);
  }
  if (!info.isDirectory()) return [absolute];
  const names = (await readdir(absolute)).filter((name) => name.endsWith('.json')).sort();
  const files = names.map((name) => path.join(absolute, name));
  // A pull request may put a link to a secret among the pacts: a link whose target leaves both
  // this directory and the project is refused by its own name, its target never read or shown.
  const allowed = projectBoundaries(cwd, [absolute]);
  for (const file of files) {
    const link = await lstat(file).catch(() => undefined);
    if (!link?.isSymbolicLink()) continue;
    const target = await realpath(file).catch(() => undefined);
    if (target === undefined || !allowed.some((root) => isInside(target, root))) {
      throw new AccordError(ErrorCodes.PACT_INVALID, `${labelOf(file, cwd)}: a symbolic link that leads outside the pacts directory and the project (or nowhere); refused`);
    }
  }
  return files;
}


/** Inside the working directory a path relative to it, outside it the absolute path. */
function labelOf(file: string, cwd: string): string {
  const relative = path.relative(cwd, file);
  return relative === '' || relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
}

function nameOf(value: unknown): string | undefined {
  return isRecord(value) && typeof value.name === 'string' && value.name.trim() !== '' ? value.name : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
