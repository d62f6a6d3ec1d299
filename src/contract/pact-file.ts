import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { AccordError, ErrorCodes } from '../errors/index.js';
import { isObject } from './json-pointer.js';
import type { JsonObject } from './json-pointer.js';

/** A parsed pact file and the name messages use for it. */
export interface LoadedPact {
  label: string;
  pact: JsonObject;
}

/** Throws unless `value` looks like a Pact (V1-V4): consumer and provider names, interactions or messages as lists. */
export function assertPact(value: unknown, label: string): asserts value is JsonObject {
  if (!isObject(value)) {
    const got = Array.isArray(value) ? 'a list' : value === null ? 'null' : `a ${typeof value}`;
    throw new AccordError(ErrorCodes.PACT_INVALID, `${label}: not a pact: expected a JSON object with \`consumer\`, \`provider\` and \`interactions\`, got ${got}`);
  }
  const named = (party: unknown): boolean => isObject(party) && typeof party.name === 'string';
  const problems: string[] = [];
  if (!named(value.consumer)) problems.push('`consumer.name`');
  if (!named(value.provider)) problems.push('`provider.name`');
  if (value.interactions !== undefined && !Array.isArray(value.interactions)) problems.push('`interactions` as a list');
  if (value.messages !== undefined && !Array.isArray(value.messages)) problems.push('`messages` as a list');
  if (problems.length > 0) {
    const keys = Object.keys(value).slice(0, 6).join(', ') || 'none';
    throw new AccordError(ErrorCodes.PACT_INVALID, `${label}: not a pact: expected ${problems.join(' and ')}, found top-level keys ${keys}`);
  }
}

/** Reads and checks one pact file. */
export async function loadPactFile(file: string, label = file): Promise<LoadedPact> {
  const text = await readFile(file, 'utf8').catch(() => {
    throw new AccordError(ErrorCodes.FILE_NOT_FOUND, `${label}: no such pact file`);
  });
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new AccordError(ErrorCodes.PACT_INVALID, `${label}: not JSON (${jsonErrorWhere(text, error as Error)}); a pact file must be JSON`);
  }
  assertPact(value, label);
  return { label, pact: value };
}

/** Every `*.json` pact in a directory (sorted), or the one file it names. */
export async function loadPacts(location: string, cwd: string = process.cwd()): Promise<LoadedPact[]> {
  const absolute = path.resolve(cwd, location);
  const info = await stat(absolute).catch(() => undefined);
  if (info === undefined) {
    throw new AccordError(ErrorCodes.FILE_NOT_FOUND, `${location}: no such pact file or directory (expected pact JSON files, as written by the consumer tests)`);
  }
  if (info.isFile()) return [await loadPactFile(absolute, location)];
  const names = (await readdir(absolute)).filter((name) => name.endsWith('.json')).sort();
  return Promise.all(names.map((name) => loadPactFile(path.join(absolute, name), path.join(location, name))));
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
