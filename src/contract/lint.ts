import SwaggerParser from '@apidevtools/swagger-parser';
import type { ErrorObject } from 'ajv';
import { validateAsyncApi } from './asyncapi-validate.js';
import { runSemanticRules } from './lint-rules.js';
import { precompiledMetaValidator } from './openapi-meta-schema.js';
import type { RuleProblem } from './lint-rules.js';
import { loadContract } from './load-contract.js';
import type { OpenApiContract } from './parse-contract.js';
import type { ReadSourceOptions } from './read-source.js';
import type { SourcePosition } from './source-positions.js';

/** One lint problem, located in the file. */
export interface LintFinding {
  /** `oas-schema`, `operation-id-unique`, `path-parameter-declared`, `example-valid`, `schema-valid`. */
  rule: string;
  level: 'error' | 'warning';
  file: string;
  line: number | null;
  column: number | null;
  /** JSON pointer of the offending value (`#/paths/~1users~1{id}/get`). */
  pointer: string;
  message: string;
}

/** What `accord contract lint` reports. */
export interface LintResult {
  ok: boolean;
  file: string;
  /** The document's `openapi` version (its `asyncapi` version for an AsyncAPI document). */
  openapi: string;
  /** Set for an AsyncAPI document only, so an OpenAPI result stays as it was. */
  specification?: 'AsyncAPI';
  findings: LintFinding[];
}

/**
 * Validates an OpenAPI 3.0/3.1 document (or an AsyncAPI 3.0 one, with @asyncapi/parser): swagger-parser's schema validation plus the
 * semantic checks it does not make. A file that cannot be read as an OpenAPI document
 * (missing, empty, YAML syntax error, Swagger 2.0, a `$ref` to nowhere) throws an
 * AccordError; problems inside a readable document come back as findings with file:line:col.
 */
export async function lintContract(file: string, options: ReadSourceOptions = {}): Promise<LintResult> {
  // Loading already proves every $ref resolves (an unresolvable one is bad input, with its line).
  const contract = await loadContract(file, { ...options, allowAsyncApi: true });
  if (contract.kind === 'asyncapi-3.0') {
    const findings = (await validateAsyncApi(contract)).map(({ rule, level, line, column, pointer, message }) => ({ rule, level, file: contract.label, line, column, pointer, message }));
    return { ok: findings.every((f) => f.level !== 'error'), file: contract.label, openapi: contract.specVersion, specification: 'AsyncAPI', findings };
  }
  const semantic = runSemanticRules(contract);
  // Last use of the parsed document: swagger-parser may dereference it in place (no second copy).
  const problems: RuleProblem[] = [...(await validateStructure(contract)), ...semantic];
  const positions = contract.positions.many(problems.map((problem) => problem.pointer));
  const findings = problems.map((problem, index) => locate(contract, problem, positions[index]));
  findings.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
  return { ok: findings.every((f) => f.level !== 'error'), file: contract.label, openapi: contract.specVersion, findings };
}

async function validateStructure(contract: OpenApiContract): Promise<RuleProblem[]> {
  try {
    const copy = contract.document;
    const meta = precompiledMetaValidator(contract.kind);
    if (meta === undefined) {
      if (contract.file === undefined) await SwaggerParser.validate(copy, { validate: { spec: false } });
      else await SwaggerParser.validate(contract.file, copy, { validate: { spec: false } });
      return [];
    }
    // What swagger-parser's validate does before its schema check: every $ref but a circular one
    // replaced by its target.
    const options = { dereference: { circular: 'ignore' as const } };
    const api = contract.file === undefined ? await SwaggerParser.dereference(copy, options) : await SwaggerParser.dereference(contract.file, copy, options);
    return meta(api) ? [] : summarizeSchemaErrors(meta.errors ?? []);
  } catch (error) {
    const details = (error as { details?: ErrorObject[] }).details;
    if (!Array.isArray(details)) {
      const message = ((error as Error).message ?? String(error)).split('\n')[0] ?? 'invalid document';
      return [{ rule: 'oas-schema', pointer: '', message }];
    }
    return summarizeSchemaErrors(details);
  }
}

// The OpenAPI meta-schema is built from if/then/else and oneOf branches, so one mistake
// yields several errors; keep the deepest, most specific ones.
const BRANCH_KEYWORDS = new Set(['if', 'then', 'else', 'oneOf', 'anyOf', 'not', '$ref', '$dynamicRef']);

function summarizeSchemaErrors(errors: ErrorObject[]): RuleProblem[] {
  const specific = errors.filter((error) => !BRANCH_KEYWORDS.has(error.keyword));
  const pool = specific.length > 0 ? specific : errors;
  const deepest = pool.filter((error) => !pool.some((other) => other !== error && other.instancePath.startsWith(`${error.instancePath}/`)));
  const seen = new Set<string>();
  const problems: RuleProblem[] = [];
  for (const error of deepest) {
    const detail = describeLintError(error);
    const key = `${error.instancePath} ${detail}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push({ rule: 'oas-schema', pointer: error.instancePath, message: `${lastToken(error.instancePath)} ${detail}` });
  }
  return problems;
}

function lastToken(pointer: string): string {
  const token = pointer.split('/').pop();
  return token === undefined || token === '' ? 'the document' : `\`${token.replaceAll('~1', '/').replaceAll('~0', '~')}\``;
}

function describeLintError(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'unevaluatedProperties') return `has unexpected property \`${String(params.unevaluatedProperty)}\``;
  if (error.keyword === 'additionalProperties') return `has unexpected property \`${String(params.additionalProperty)}\``;
  if (error.keyword === 'enum' && Array.isArray(params.allowedValues)) return `must be one of ${params.allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
  return error.message ?? 'is invalid';
}

function locate(contract: OpenApiContract, problem: RuleProblem, position: SourcePosition | undefined): LintFinding {
  return {
    rule: problem.rule,
    level: 'error',
    file: contract.label,
    line: position?.line ?? null,
    column: position?.column ?? null,
    pointer: `#${problem.pointer}`,
    message: problem.message,
  };
}
