import { AccordError, ErrorCodes } from '../errors/index.js';
import type { AsyncApiContract } from './parse-contract.js';

/** One problem @asyncapi/parser found, located in the file (1-based line and column). */
export interface AsyncApiProblem {
  /** The parser's rule code, e.g. `asyncapi3-schema`, `asyncapi-latest-version`. */
  rule: string;
  level: 'error' | 'warning';
  line: number | null;
  column: number | null;
  /** JSON pointer of the offending value. */
  pointer: string;
  message: string;
}

// The parser's DiagnosticSeverity: 0 error, 1 warning, 2 information, 3 hint.
const LEVELS: Record<number, AsyncApiProblem['level'] | undefined> = { 0: 'error', 1: 'warning' };

/**
 * Validates an AsyncAPI document with @asyncapi/parser (the AsyncAPI meta-schema and the
 * specification's rules). Loaded on first use: it brings Spectral and costs about a second to import.
 */
export async function validateAsyncApi(contract: AsyncApiContract): Promise<AsyncApiProblem[]> {
  const { Parser } = await import('@asyncapi/parser');
  const diagnostics = await new Parser().validate(contract.text, { source: contract.file ?? contract.label });
  const problems: AsyncApiProblem[] = [];
  for (const diagnostic of diagnostics) {
    const level = LEVELS[diagnostic.severity];
    if (level === undefined) continue;
    const pointer = diagnostic.path.map((token) => `/${String(token).replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');
    const at = contract.positions(pointer) ?? { line: diagnostic.range.start.line + 1, column: diagnostic.range.start.character + 1 };
    problems.push({ rule: String(diagnostic.code), level, line: at.line, column: at.column, pointer: `#${pointer}`, message: diagnostic.message });
  }
  return problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
}

/** Throws bad input (file:line: reason) when the AsyncAPI document has an error-level problem. */
export async function assertValidAsyncApi(contract: AsyncApiContract): Promise<void> {
  const errors = (await validateAsyncApi(contract)).filter((problem) => problem.level === 'error');
  const [first] = errors;
  if (first === undefined) return;
  const where = first.line === null ? contract.label : `${contract.label}:${first.line}:${first.column ?? 1}`;
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more; \`accord contract lint ${contract.label}\` lists them)` : '';
  throw new AccordError(ErrorCodes.CONTRACT_INVALID, `${where}: invalid AsyncAPI document: ${first.message} at ${first.pointer}${more}`);
}
