import { readFile, stat } from 'node:fs/promises';
import { LineCounter, isMap, isSeq, parseDocument } from 'yaml';
import type { Node } from 'yaml';
import { AccordError, ErrorCodes, printable } from '../errors/index.js';
import { DUPLICATE_KEY_REASON, MAX_CONFIG_BYTES, MAX_NESTING_DEPTH, MAX_YAML_ALIASES, firstDuplicateKeyOffset, isStackOverflow, nestingDepth, textNestingDepth } from '../input/index.js';
import type { ConfigProblem } from './problem.js';

/** A parsed YAML file that can say where each value came from. */
export interface ParsedYaml {
  /** The file, absolute. */
  readonly file: string;
  /** The plain JS value (undefined for an empty file or one with syntax errors). */
  readonly value: unknown;
  /** Syntax errors, with line and column; empty when the file parsed. */
  readonly problems: readonly ConfigProblem[];
  /**
   * Line of the value at `path` (of its key when `key` is set), falling back to the
   * nearest ancestor that exists, so a missing key points at the map that lacks it.
   */
  lineOf(path: readonly (string | number)[], options?: { key?: boolean }): number;
}

/** Parses YAML text, keeping positions; never throws on bad YAML (see `problems`). */
export function parseYamlText(text: string, file: string): ParsedYaml {
  const lineCounter = new LineCounter();
  // Limits first: a config or profile from a pull request may be built to exhaust memory or the stack.
  const limit = limitProblem(text);
  if (limit !== undefined) return { file, value: undefined, problems: [{ file, line: 1, path: '', message: limit }], lineOf: () => 1 };
  // Key uniqueness is checked in one pass below: the yaml package's own check is quadratic.
  const document = parseDocument(text, { lineCounter, uniqueKeys: false });
  const problems: ConfigProblem[] = document.errors.map((error) => ({
    file,
    line: error.linePos?.[0].line ?? 1,
    column: error.linePos?.[0].col ?? 1,
    path: '',
    // yaml appends " at line L, column C:" and a snippet; the location is printed separately.
    message: `invalid YAML: ${printable(error.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? '', 160)}`,
  }));
  const duplicate = problems.length === 0 ? firstDuplicateKeyOffset(document.contents) : undefined;
  if (duplicate !== undefined) {
    const { line, col } = lineCounter.linePos(duplicate);
    problems.push({ file, line, column: col, path: '', message: `invalid YAML: ${DUPLICATE_KEY_REASON}` });
  }
  let value: unknown;
  if (problems.length === 0) {
    try {
      value = document.toJS({ maxAliasCount: MAX_YAML_ALIASES });
      if (nestingDepth(value) > MAX_NESTING_DEPTH) problems.push({ file, line: 1, path: '', message: `objects and lists are nested more than ${MAX_NESTING_DEPTH} deep` });
    } catch (error) {
      if (!isStackOverflow(error) && !(error instanceof ReferenceError)) throw error;
      problems.push({ file, line: 1, path: '', message: isStackOverflow(error) ? `objects and lists are nested more than ${MAX_NESTING_DEPTH} deep` : `YAML aliases expand beyond the limit of ${MAX_YAML_ALIASES} (an alias bomb?)` });
    }
    if (problems.length > 0) value = undefined;
  }
  const lineAt = (offset: number | undefined) => (offset === undefined ? 1 : lineCounter.linePos(offset).line);

  return {
    file,
    value,
    problems,
    lineOf(path, options = {}) {
      let node: unknown = document.contents;
      // The line of the key that leads to `node`: where a missing child is reported.
      let keyLine = lineAt((node as Node | null)?.range?.[0]);
      let valueLine = keyLine;
      for (const segment of path) {
        if (isMap(node)) {
          const pair = node.items.find((item) => String((item.key as { value?: unknown } | null)?.value ?? item.key) === String(segment));
          if (!pair) return keyLine;
          const keyNode = pair.key as Node | null;
          const valueNode = pair.value as Node | null;
          keyLine = lineAt(keyNode?.range?.[0]);
          valueLine = valueNode?.range ? lineAt(valueNode.range[0]) : keyLine;
          node = valueNode;
        } else if (isSeq(node) && typeof segment === 'number') {
          const item = node.items[segment] as Node | undefined;
          if (!item) return keyLine;
          keyLine = lineAt(item.range?.[0]);
          valueLine = keyLine;
          node = item;
        } else {
          return keyLine;
        }
      }
      return options.key ? keyLine : valueLine;
    },
  };
}

/**
 * Reads and parses a YAML file with locations (for config sections and capability-owned
 * files like `load.yaml`). A missing file is an ACCORD_FILE_NOT_FOUND error; bad YAML is not
 * thrown but returned in `problems`.
 */
export async function parseYamlWithLocations(file: string): Promise<ParsedYaml> {
  let text: string;
  try {
    // Not a regular file (a link to /dev/zero, a FIFO) or too big: refused before reading it.
    const info = await stat(file);
    if (!info.isFile()) return { file, value: undefined, problems: [{ file, line: 1, path: '', message: 'not a regular file' }], lineOf: () => 1 };
    if (info.size > MAX_CONFIG_BYTES) return { file, value: undefined, problems: [{ file, line: 1, path: '', message: `larger than the ${MAX_CONFIG_BYTES / 1024} kB a file may be` }], lineOf: () => 1 };
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new AccordError(ErrorCodes.FILE_NOT_FOUND, `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, { cause: error });
  }
  return parseYamlText(text, file);
}

function limitProblem(text: string): string | undefined {
  const bytes = Buffer.byteLength(text);
  if (bytes > MAX_CONFIG_BYTES) return `${Math.ceil(bytes / 1024)} kB is larger than the ${MAX_CONFIG_BYTES / 1024} kB a file may be`;
  if (textNestingDepth(text) > MAX_NESTING_DEPTH) return `objects and lists are nested more than ${MAX_NESTING_DEPTH} deep`;
  return undefined;
}
