import { relative } from 'node:path';
import { AccordError, ErrorCodes, printable } from '../errors/index.js';
import type { ErrorCode } from '../errors/index.js';

/** One thing wrong with a config file, located to its line (and column for syntax errors). */
export interface ConfigProblem {
  /** The file, absolute. */
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  /** 1-based; set for YAML syntax errors. */
  readonly column?: number;
  /** Dotted path inside the file (`services.api.port`); empty for syntax errors. */
  readonly path: string;
  readonly message: string;
}

/** `file:line: path: message` (file relative to `cwd`; `file:line:column: message` for syntax errors). */
export function formatProblem(problem: ConfigProblem, cwd = process.cwd()): string {
  const file = relative(cwd, problem.file) || problem.file;
  const where = problem.column === undefined ? `${file}:${problem.line}` : `${file}:${problem.line}:${problem.column}`;
  // Keys and values come from the file: control characters escaped, long ones cut.
  const message = printable(problem.message, 400);
  return problem.path ? `${where}: ${printable(problem.path, 120)}: ${message}` : `${where}: ${message}`;
}

/**
 * Throws one AccordError (ACCORD_CONFIG_INVALID unless `code` says otherwise) listing every
 * problem; nothing when `problems` is empty.
 * A single problem is the message itself; several get a count line and one line each.
 */
export function throwIfProblems(problems: readonly ConfigProblem[], what: string, code: ErrorCode = ErrorCodes.CONFIG_INVALID): void {
  if (problems.length === 0) return;
  const lines = problems.map((problem) => formatProblem(problem));
  if (lines.length === 1) throw new AccordError(code, lines[0] ?? '');
  throw new AccordError(code, `${what} has ${lines.length} problems:`, { details: lines.map((line) => `  ${line}`).join('\n') });
}
