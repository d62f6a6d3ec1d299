import { parsePointer, toPointer } from './json-pointer.js';
import { isNode } from './openapi-document.js';
import type { Example, Header, MediaType, OpenApiDocument, Parameter, Reference, Schema } from './openapi-document.js';
import { listOperations, operationLabel, pathTemplateNames } from './operations.js';
import type { OpenApiContract } from './parse-contract.js';
import { createRefResolver, refOf } from './refs.js';
import type { RefResolver } from './refs.js';
import { createDocumentSchemaValidator } from './schema-validator.js';
import type { DocumentSchemaValidator } from './schema-validator.js';

/** A problem found by a semantic rule, before positions are attached. */
export interface RuleProblem {
  rule: string;
  pointer: string;
  message: string;
}

/**
 * The checks the OpenAPI meta-schema cannot express: unique operationIds, path
 * templates and path parameters that match, examples that satisfy their schemas and
 * (3.1) schemas that compile as JSON Schema 2020-12.
 */
export function runSemanticRules(contract: OpenApiContract): RuleProblem[] {
  const resolve = createRefResolver(contract.document);
  const validator = createDocumentSchemaValidator(contract.document, contract.kind);
  return [
    ...checkOperationIds(contract.document, resolve),
    ...checkPathParameters(contract.document, resolve),
    ...checkComponentSchemas(contract.document, validator),
    ...checkExamples(contract.document, resolve, validator),
  ];
}

function checkOperationIds(document: OpenApiDocument, resolve: RefResolver): RuleProblem[] {
  const seen = new Map<string, string>();
  const problems: RuleProblem[] = [];
  for (const entry of listOperations(document, resolve)) {
    const id = entry.operation.operationId;
    if (typeof id !== 'string') continue;
    const first = seen.get(id);
    if (first === undefined) {
      seen.set(id, operationLabel(entry));
      continue;
    }
    problems.push({
      rule: 'operation-id-unique',
      pointer: toPointer(['paths', entry.path, entry.method, 'operationId']),
      message: `operationId \`${id}\` of ${operationLabel(entry)} is already used by ${first}`,
    });
  }
  return problems;
}

function checkPathParameters(document: OpenApiDocument, resolve: RefResolver): RuleProblem[] {
  const problems: RuleProblem[] = [];
  for (const entry of listOperations(document, resolve)) {
    const names = pathTemplateNames(entry.path);
    const declared = new Map<string, { pointer: string; parameter: Parameter }>();
    const sources: [(Parameter | Reference)[] | undefined, (string | number)[]][] = [
      [entry.pathItem.parameters, ['paths', entry.path, 'parameters']],
      [entry.operation.parameters, ['paths', entry.path, entry.method, 'parameters']],
    ];
    for (const [list, base] of sources) {
      if (!Array.isArray(list)) continue;
      list.forEach((raw, index) => {
        const parameter = resolve(raw);
        if (isNode(parameter) && parameter.in === 'path' && typeof parameter.name === 'string') {
          declared.set(parameter.name, { pointer: toPointer([...base, index]), parameter });
        }
      });
    }
    for (const name of names) {
      if (!declared.has(name)) {
        problems.push({
          rule: 'path-parameter-declared',
          pointer: toPointer(['paths', entry.path, entry.method]),
          message: `${operationLabel(entry)}: path template variable \`{${name}}\` has no \`in: path\` parameter`,
        });
      }
    }
    for (const [name, { pointer, parameter }] of declared) {
      if (!names.includes(name)) {
        problems.push({
          rule: 'path-parameter-declared',
          pointer,
          message: `${operationLabel(entry)}: path parameter \`${name}\` does not appear in the path template`,
        });
      } else if (parameter.required !== true) {
        problems.push({
          rule: 'path-parameter-declared',
          pointer,
          message: `${operationLabel(entry)}: path parameter \`${name}\` must have \`required: true\``,
        });
      }
    }
  }
  // Operations are visited once each, but path-level parameters repeat per method.
  return dedupe(problems);
}

/**
 * What the example rule reads on a parameter, a header, a request body, a response or a media
 * type: each holds a schema with examples, or (bodies and responses) media types and headers that do.
 */
interface ExampleHolder {
  schema?: Schema | Reference;
  example?: unknown;
  examples?: Record<string, Example | Reference>;
  content?: Record<string, MediaType>;
  headers?: Record<string, Header | Reference>;
}

/** Where examples live next to a schema: media types, parameters and headers. */
function checkExamples(document: OpenApiDocument, resolve: RefResolver, validator: DocumentSchemaValidator): RuleProblem[] {
  const problems: RuleProblem[] = [];
  const checked = new Set<string>();
  // A shared component is checked once, at the place it is defined.
  const visit = (raw: ExampleHolder | Reference | undefined, tokens: string[]): void => {
    const at = targetTokens(raw, tokens);
    const holder = resolve(raw);
    const key = toPointer(at);
    if (!isNode(holder) || checked.has(key)) return;
    checked.add(key);
    if (holder.schema !== undefined) checkHolder(at, holder, resolve, validator, problems);
    if (isNode(holder.content)) {
      for (const [mediaType, media] of Object.entries(holder.content)) {
        const mediaTokens = targetTokens(media, [...at, 'content', mediaType]);
        const resolved = resolve(media);
        if (isNode(resolved)) checkHolder(mediaTokens, resolved, resolve, validator, problems);
      }
    }
    if (isNode(holder.headers)) {
      for (const [name, header] of Object.entries(holder.headers)) visit(header, [...at, 'headers', name]);
    }
  };
  for (const entry of listOperations(document, resolve)) {
    const base = ['paths', entry.path, entry.method];
    const lists: [(Parameter | Reference)[] | undefined, string[]][] = [
      [entry.pathItem.parameters, ['paths', entry.path, 'parameters']],
      [entry.operation.parameters, [...base, 'parameters']],
    ];
    for (const [list, tokens] of lists) {
      if (Array.isArray(list)) list.forEach((parameter, index) => visit(parameter, [...tokens, String(index)]));
    }
    if (entry.operation.requestBody !== undefined) visit(entry.operation.requestBody, [...base, 'requestBody']);
    const responses = isNode(entry.operation.responses) ? entry.operation.responses : {};
    for (const [status, response] of Object.entries(responses)) visit(response, [...base, 'responses', status]);
  }
  return dedupe(problems);
}

/** Where a node's content really lives: the target of its local `$ref`, else where it is. */
function targetTokens(node: unknown, tokens: string[]): string[] {
  const ref = refOf(node);
  return ref?.startsWith('#') ? parsePointer(ref) : tokens;
}

function checkHolder(tokens: string[], holder: ExampleHolder, resolve: RefResolver, validator: DocumentSchemaValidator, problems: RuleProblem[]): void {
  if (holder.schema === undefined) return;
  const schemaPointer = toPointer([...tokens, 'schema']);
  if (validator.compileError(schemaPointer) !== undefined) {
    // A broken component is reported once where it is defined (checkComponentSchemas).
    if (refOf(holder.schema) === undefined) problems.push(...metaProblems(schemaPointer, holder.schema, validator));
    return;
  }
  const samples: { pointer: string; value: unknown }[] = [];
  if (holder.example !== undefined) samples.push({ pointer: toPointer([...tokens, 'example']), value: holder.example });
  if (isNode(holder.examples)) {
    for (const [name, rawExample] of Object.entries(holder.examples)) {
      const example = resolve(rawExample);
      const exampleTokens = targetTokens(rawExample, [...tokens, 'examples', name]);
      if (isNode(example) && example.value !== undefined) {
        samples.push({ pointer: toPointer([...exampleTokens, 'value']), value: example.value });
      }
    }
  }
  for (const sample of samples) {
    const errors = validator.validate(schemaPointer, sample.value);
    if (errors.length > 0) {
      problems.push({
        rule: 'example-valid',
        pointer: sample.pointer,
        message: `example does not match the schema at #${schemaPointer}: ${errors.slice(0, 3).join('; ')}`,
      });
    }
  }
}

/** 3.1 component schemas against the JSON Schema 2020-12 meta-schema (3.0's are covered by the OpenAPI 3.0 one). */
function checkComponentSchemas(document: OpenApiDocument, validator: DocumentSchemaValidator): RuleProblem[] {
  const schemas: Record<string, Schema | Reference> = isNode(document.components) && isNode(document.components.schemas) ? document.components.schemas : {};
  const problems: RuleProblem[] = [];
  for (const [name, schema] of Object.entries(schemas)) {
    problems.push(...metaProblems(toPointer(['components', 'schemas', name]), schema, validator));
  }
  return problems;
}

function metaProblems(pointer: string, schema: unknown, validator: DocumentSchemaValidator): RuleProblem[] {
  return validator.metaSchemaErrors(schema).map((error) => ({
    rule: 'schema-valid',
    pointer: `${pointer}${error.pointer}`,
    message: `schema is not valid JSON Schema 2020-12: ${error.message}`,
  }));
}

function dedupe(problems: RuleProblem[]): RuleProblem[] {
  const seen = new Set<string>();
  return problems.filter((problem) => {
    const key = `${problem.rule}\u0000${problem.pointer}\u0000${problem.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
