import { readFile } from 'node:fs/promises';
import { LineCounter, isMap, isSeq, parseDocument } from 'yaml';
import type { Node } from 'yaml';
import { AccordError, ErrorCodes } from '../errors/index.js';
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
  const document = parseDocument(text, { lineCounter, uniqueKeys: true });
  const problems: ConfigProblem[] = document.errors.map((error) => ({
    file,
    line: error.linePos?.[0].line ?? 1,
    column: error.linePos?.[0].col ?? 1,
    path: '',
    // yaml appends " at line L, column C:" and a snippet; the location is printed separately.
    message: `invalid YAML: ${error.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '')}`,
  }));
  const lineAt = (offset: number | undefined) => (offset === undefined ? 1 : lineCounter.linePos(offset).line);

  return {
    file,
    value: problems.length === 0 ? (document.toJS() as unknown) : undefined,
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
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new AccordError(ErrorCodes.FILE_NOT_FOUND, `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, { cause: error });
  }
  return parseYamlText(text, file);
}
