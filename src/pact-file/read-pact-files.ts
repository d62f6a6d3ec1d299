import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { AccordError, ErrorCodes } from '../errors/index.js';

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
    files.push(...(await pactFilesIn(absolute, labelOf(absolute, cwd))));
  }
  if (files.length === 0) {
    const shown = list.map((location) => labelOf(path.resolve(cwd, location), cwd)).join(', ');
    throw new AccordError(ErrorCodes.FILE_NOT_FOUND, `${shown}: no pact files (*.json) (consumer tests write them there)`);
  }
  return Promise.all(files.map(async (file) => readPactFile(file, labelOf(file, cwd))));
}

/** Reads and checks one pact file; `label` names it in messages. */
export async function readPactFile(file: string, label: string): Promise<PactFile> {
  const text = await readFile(file, 'utf8').catch(() => {
    throw new AccordError(ErrorCodes.FILE_NOT_FOUND, `${label}: no such pact file`);
  });
  return { file, label, pact: parsePactJson(text, label) };
}

/** Parses and checks the text of one pact. */
export function parsePactJson(text: string, label: string): PactJson {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new AccordError(ErrorCodes.PACT_INVALID, `${label}: not JSON (${jsonErrorWhere(text, error as Error)}); a pact file must be JSON`);
  }
  assertPact(value, label);
  return value;
}

/** Throws, naming `label` and every problem, unless `value` is a pact. */
export function assertPact(value: unknown, label: string): asserts value is PactJson {
  const problems = pactProblems(value);
  if (problems.length > 0) throw new AccordError(ErrorCodes.PACT_INVALID, `${label}: not a pact: ${problems.join('; ')}`);
}

/**
 * Why `value` is not a pact (empty when it is one): a JSON object with `consumer.name` and
 * `provider.name`; `interactions` (or a V3 message pact's `messages`), when present, a list of
 * objects whose provider states are well formed. A pact without interactions is a pact with
 * none, as PactFlow's comparator reads it; V4 non-HTTP interactions need no description.
 */
export function pactProblems(value: unknown): string[] {
  if (!isRecord(value)) return [`expected a JSON object with \`consumer\`, \`provider\` and \`interactions\`, got ${kindOf(value)}`];
  const missing: string[] = [];
  if (nameOf(value.consumer) === undefined) missing.push('`consumer.name`');
  if (nameOf(value.provider) === undefined) missing.push('`provider.name`');
  const field = value.messages !== undefined && value.interactions === undefined ? 'messages' : 'interactions';
  const entries = value[field] ?? [];
  if (!Array.isArray(entries)) missing.push(`\`${field}\` as a list`);
  if (missing.length > 0) {
    const keys = Object.keys(value).slice(0, 6).join(', ') || 'none';
    return [`expected ${missing.join(' and ')}, found top-level keys ${keys}`];
  }
  return (entries as unknown[]).flatMap((entry, index) => entryProblems(entry, `${field}[${index}]`));
}

function entryProblems(entry: unknown, where: string): string[] {
  if (!isRecord(entry)) return [`${where}: expected an object, got ${kindOf(entry)}`];
  if (entry.description !== undefined && typeof entry.description !== 'string') {
    return [`${where}: expected \`description\` to be a string, got ${kindOf(entry.description)}`];
  }
  // Pact V2 names one `providerState`; V3 and V4 list `providerStates` with params.
  if (entry.providerStates === undefined) return [];
  if (!Array.isArray(entry.providerStates)) return [`${where}: expected \`providerStates\` to be a list, got ${kindOf(entry.providerStates)}`];
  return entry.providerStates.flatMap((state: unknown, index) =>
    isRecord(state) && typeof state.name === 'string' ? [] : [`${where}: expected \`providerStates[${index}].name\` to be a string, got ${kindOf(isRecord(state) ? state.name : state)}`],
  );
}

async function pactFilesIn(absolute: string, shown: string): Promise<string[]> {
  const info = await stat(absolute).catch(() => undefined);
  if (info === undefined) {
    throw new AccordError(ErrorCodes.FILE_NOT_FOUND, `${shown}: no such pact file or directory (expected pact JSON files, as written by the consumer tests)`);
  }
  if (!info.isDirectory()) return [absolute];
  const names = (await readdir(absolute)).filter((name) => name.endsWith('.json')).sort();
  return names.map((name) => path.join(absolute, name));
}

/** Inside the working directory a path relative to it, outside it the absolute path. */
function labelOf(file: string, cwd: string): string {
  const relative = path.relative(cwd, file);
  return relative === '' || relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
}

/** `line 3, column 7` for a JSON.parse error, from the offset Node puts in its message. */
function jsonErrorWhere(text: string, error: Error): string {
  const offset = /position (\d+)/.exec(error.message)?.[1];
  if (offset === undefined) return error.message;
  const before = text.slice(0, Number(offset));
  const line = before.split('\n').length;
  const column = Number(offset) - before.lastIndexOf('\n');
  return `${error.message.replace(/ in JSON at position \d+.*$/, '')} at line ${line}, column ${column}`;
}

function nameOf(value: unknown): string | undefined {
  return isRecord(value) && typeof value.name === 'string' && value.name.trim() !== '' ? value.name : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function kindOf(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return `\`${value.length > 40 ? `${value.slice(0, 40)}…` : value}\` (string)`;
  return typeof value === 'object' ? 'an object' : `\`${String(value)}\` (${typeof value})`;
}
