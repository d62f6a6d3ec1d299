import { Ajv } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { isObject } from './json-pointer.js';
import type { JsonObject } from './json-pointer.js';
import type { OpenApiDocument } from './openapi-document.js';
import type { SpecKind } from './parse-contract.js';

/** Validates a value against the schema found at a JSON pointer inside one OpenAPI document. */
export interface DocumentSchemaValidator {
  /** Errors of `value` against the schema at `schemaPointer`; an empty list when it is valid. */
  validate(schemaPointer: string, value: unknown): string[];
  /** Compile problems of the schema at `schemaPointer` (not valid JSON Schema), or `undefined`. */
  compileError(schemaPointer: string): string | undefined;
  /** 3.1 only: where `schema` breaks the JSON Schema 2020-12 meta-schema (pointers relative to it). */
  metaSchemaErrors(schema: unknown): { pointer: string; message: string }[];
}

const DOCUMENT_ID = 'urn:accord:contract';

// ajv-formats is CommonJS with a default export; under nodenext it arrives as the namespace.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

/**
 * Builds an ajv validator over a whole OpenAPI document (or an AsyncAPI one, plain JSON: the
 * message check reads its payload schemas), so that `$ref`s between
 * components resolve as they do in the document. OpenAPI 3.1 schemas are JSON Schema
 * 2020-12 (Ajv2020); 3.0 schemas are an extended draft-04 subset, which draft-07 Ajv
 * reads once boolean `exclusiveMinimum/Maximum` are turned into numbers.
 */
export function createDocumentSchemaValidator(document: OpenApiDocument | JsonObject, kind: SpecKind): DocumentSchemaValidator {
  // inlineRefs off: each referenced component compiles once instead of being copied into every
  // schema that uses it (large APIs reuse a few big components thousands of times). The first
  // error per example is enough to report it, and much smaller code to generate.
  const options = { strict: false, allErrors: false, logger: false, validateFormats: true, inlineRefs: false, validateSchema: false, code: { optimize: false } } as const;
  const ajv: Ajv = kind === 'openapi-3.1' ? (new Ajv2020(options) as unknown as Ajv) : new Ajv(options);
  addFormats(ajv);
  // OpenAPI's own formats: checked where they carry meaning, accepted otherwise.
  ajv.addFormat('int32', { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 });
  ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isInteger(n) });
  for (const name of ['float', 'double']) ajv.addFormat(name, { type: 'number', validate: () => true });
  for (const name of ['byte', 'binary', 'password']) ajv.addFormat(name, () => true);
  ajv.addSchema(kind === 'openapi-3.1' ? document : toDraft07(document), DOCUMENT_ID);

  const compiled = new Map<string, ValidateFunction | string>();
  const compile = (pointer: string): ValidateFunction | string => {
    let entry = compiled.get(pointer);
    if (entry === undefined) {
      try {
        entry = ajv.compile({ $ref: `${DOCUMENT_ID}#${encodeURI(pointer)}` });
      } catch (error) {
        entry = (error as Error).message.split('\n')[0] ?? 'invalid schema';
      }
      compiled.set(pointer, entry);
    }
    return entry;
  };

  return {
    validate(schemaPointer, value) {
      const validate = compile(schemaPointer);
      if (typeof validate === 'string') return [];
      return validate(value) ? [] : (validate.errors ?? []).map(describeError);
    },
    compileError(schemaPointer) {
      const validate = compile(schemaPointer);
      return typeof validate === 'string' ? validate : undefined;
    },
    metaSchemaErrors(schema) {
      // 3.0 schema objects are already covered by the OpenAPI 3.0 meta-schema.
      if (kind !== 'openapi-3.1' || typeof schema !== 'object' || schema === null) return [];
      if (ajv.validateSchema(schema as object)) return [];
      // anyOf branches report one mistake several times; keep one error per place, an enum first.
      const byPointer = new Map<string, ErrorObject>();
      for (const error of ajv.errors ?? []) {
        if (['anyOf', 'oneOf', '$ref', '$dynamicRef'].includes(error.keyword)) continue;
        const kept = byPointer.get(error.instancePath);
        if (kept === undefined || (error.keyword === 'enum' && kept.keyword !== 'enum')) byPointer.set(error.instancePath, error);
      }
      return [...byPointer.values()].map((error) => ({ pointer: error.instancePath, message: describeError(error) }));
    },
  };
}

function describeError(error: ErrorObject): string {
  const last = error.instancePath.split('/').pop() ?? '';
  const at = last === '' ? 'the value' : `\`${last.replaceAll('~1', '/').replaceAll('~0', '~')}\``;
  if (error.keyword === 'enum' && Array.isArray(error.params.allowedValues)) {
    return `${at} must be one of ${error.params.allowedValues.map((value: unknown) => JSON.stringify(value)).join(', ')}`;
  }
  const extra = error.keyword === 'additionalProperties' ? ` (\`${String(error.params.additionalProperty)}\`)` : '';
  return `${at} ${error.message ?? 'is invalid'}${extra}`;
}

/** A copy of a 3.0 document whose boolean exclusive bounds are draft-06+ numbers (walked as plain JSON: schemas sit at any depth). */
function toDraft07<T extends object>(document: T): T {
  const copy = structuredClone(document);
  const stack: unknown[] = [copy];
  while (stack.length > 0) {
    const node = stack.pop();
    if (Array.isArray(node)) stack.push(...node);
    else if (isObject(node)) {
      // `nullable` without `type` is legal 3.0 but means nothing; Ajv refuses to compile it.
      if (node.nullable !== undefined && node.type === undefined) delete node.nullable;
      convertBound(node, 'exclusiveMinimum', 'minimum');
      convertBound(node, 'exclusiveMaximum', 'maximum');
      for (const value of Object.values(node)) if (typeof value === 'object' && value !== null) stack.push(value);
    }
  }
  return copy;
}

function convertBound(node: JsonObject, exclusive: 'exclusiveMinimum' | 'exclusiveMaximum', bound: 'minimum' | 'maximum'): void {
  if (typeof node[exclusive] !== 'boolean') return;
  if (node[exclusive] === true && typeof node[bound] === 'number') {
    node[exclusive] = node[bound];
    delete node[bound];
  } else {
    delete node[exclusive];
  }
}
