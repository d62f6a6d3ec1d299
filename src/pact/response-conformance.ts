import { relative } from 'node:path';
import SwaggerParser from '@apidevtools/swagger-parser';
import { loadContract } from '../contract/load-contract.js';
import { isJsonMediaType, matchMediaType, mediaTypeEssence } from '../contract/media-type.js';
import { Ajv } from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { AccordError, ErrorCodes } from '../errors/index.js';
import type { RecordedExchange } from './recording-proxy.js';
import type { VerifyMismatch } from './verify-result.js';

/** Checks actual provider responses against an OpenAPI contract. */
export interface ResponseConformance {
  /** The contract, as shown in messages. */
  readonly label: string;
  /** Every way `exchange`'s response breaks the contract (empty when it conforms). */
  check(exchange: RecordedExchange): VerifyMismatch[];
}

type Json = Record<string, unknown>;

interface Operation {
  readonly method: string;
  readonly template: string;
  readonly pattern: RegExp;
  /** Literal characters in the template: the most specific match wins (`/users/new` over `/users/{id}`). */
  readonly literalLength: number;
  readonly responses: Json;
}

// ajv-formats is CommonJS with a default export; under nodenext it arrives as the namespace.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/**
 * Loads `contractPath` (all `$ref`s resolved by swagger-parser) and returns a checker that
 * validates a response's status, media type and JSON body against the matching operation.
 * The response body is held to the whole schema, not only the fields a pact mentions.
 */
export async function loadResponseConformance(contractPath: string, cwd = process.cwd()): Promise<ResponseConformance> {
  const label = relative(cwd, contractPath) || contractPath;
  let document: Json;
  // Loaded as every contract is (size, depth and $ref limits, references kept inside the project),
  // then its local references dereferenced.
  const contract = await loadContract(contractPath, { cwd });
  try {
    document = (await SwaggerParser.dereference(structuredClone(contract.document) as never)) as unknown as Json;
  } catch (error) {
    throw new AccordError(ErrorCodes.CONTRACT_INVALID, `cannot read the contract ${label}: ${((error as Error).message ?? String(error)).split('\n')[0]}`, { cause: error });
  }
  const version = typeof document.openapi === 'string' ? document.openapi : '';
  if (!version.startsWith('3.')) {
    throw new AccordError(ErrorCodes.CONTRACT_INVALID, `${label}: expected an OpenAPI 3.x document, got \`openapi: ${version || '(missing)'}\``);
  }
  const ajvOptions = { strict: false, allErrors: true, logger: false } as const;
  // OpenAPI 3.1 schemas are JSON Schema 2020-12; 3.0's subset is closest to draft-07.
  const ajv: Ajv = version.startsWith('3.1') ? (new Ajv2020(ajvOptions) as unknown as Ajv) : new Ajv(ajvOptions);
  addFormats(ajv);
  for (const name of ['int32', 'int64', 'float', 'double', 'byte', 'binary', 'password']) ajv.addFormat(name, () => true);
  const compiled = new WeakMap<object, ValidateFunction>();
  const validatorOf = (schema: Json) => {
    let validate = compiled.get(schema);
    if (!validate) {
      validate = ajv.compile(schema);
      compiled.set(schema, validate);
    }
    return validate;
  };

  const operations = operationsOf(document);
  return {
    label,
    check(exchange) {
      const where = `${exchange.method} ${exchange.path} → ${exchange.status}`;
      const operation = operations
        .filter((op) => op.method === exchange.method.toLowerCase() && op.pattern.test(exchange.path))
        .sort((a, b) => b.literalLength - a.literalLength)[0];
      if (!operation) {
        return [{ attribute: 'contract', location: 'path', message: `${exchange.method} ${exchange.path} is not an operation of ${label}` }];
      }
      const opLabel = `${operation.method.toUpperCase()} ${operation.template}`;
      const response = responseFor(operation.responses, exchange.status);
      if (!response) {
        return [{ attribute: 'contract', location: 'status', message: `${where}: status ${exchange.status} is not a documented response of ${opLabel} in ${label}` }];
      }
      const content = isJson(response.content) ? response.content : undefined;
      if (!content || Object.keys(content).length === 0) return [];
      // Compared as media types: `application/json; charset=utf-8` is `application/json`.
      const contentType = mediaTypeEssence(exchange.headers['content-type'] ?? '');
      const key = matchMediaType(Object.keys(content), exchange.headers['content-type'] ?? '');
      const media = key === undefined ? undefined : content[key];
      if (!isJson(media)) {
        const declared = Object.keys(content).join(', ');
        return [{ attribute: 'contract', location: 'Content-Type', message: `${where}: Content-Type \`${contentType || '(none)'}\` is not one of ${declared} declared by ${opLabel} ${exchange.status} in ${label}` }];
      }
      const schema = isJson(media.schema) ? media.schema : undefined;
      if (!schema || !isJsonMediaType(contentType)) return [];
      let body: unknown;
      try {
        body = JSON.parse(exchange.body);
      } catch {
        return [{ attribute: 'contract', location: '$', message: `${where}: the body is not JSON although Content-Type is ${contentType}` }];
      }
      const validate = validatorOf(schema);
      if (validate(body)) return [];
      return (validate.errors ?? []).map((error) => ({
        attribute: 'contract',
        location: jsonPath(error),
        message: `${where}: ${describeSchemaError(error)} (schema of ${opLabel} ${exchange.status} in ${label})`,
      }));
    },
  };
}

function operationsOf(document: Json): Operation[] {
  const result: Operation[] = [];
  const paths = isJson(document.paths) ? document.paths : {};
  for (const [template, item] of Object.entries(paths)) {
    if (!isJson(item)) continue;
    const pattern = new RegExp(`^${template.split(/\{[^}]+\}/).map(escapeRegExp).join('[^/]+')}/?$`);
    const literalLength = template.replace(/\{[^}]+\}/g, '').length;
    for (const method of METHODS) {
      const operation = item[method];
      if (isJson(operation) && isJson(operation.responses)) result.push({ method, template, pattern, literalLength, responses: operation.responses });
    }
  }
  return result;
}

function responseFor(responses: Json, status: number): Json | undefined {
  const exact = responses[String(status)];
  if (isJson(exact)) return exact;
  const range = responses[`${String(status)[0]}XX`] ?? responses[`${String(status)[0]}xx`];
  if (isJson(range)) return range;
  return isJson(responses.default) ? responses.default : undefined;
}

function jsonPath(error: ErrorObject): string {
  const segments = error.instancePath.split('/').slice(1).map((segment) => segment.replaceAll('~1', '/').replaceAll('~0', '~'));
  if (error.keyword === 'required') segments.push(String(error.params.missingProperty));
  if (error.keyword === 'additionalProperties') segments.push(String(error.params.additionalProperty));
  return `$${segments.map((segment) => (/^\d+$/.test(segment) ? `[${segment}]` : `.${segment}`)).join('')}`;
}

function describeSchemaError(error: ErrorObject): string {
  const at = jsonPath(error);
  if (error.keyword === 'required') return `${at} is required but missing`;
  if (error.keyword === 'additionalProperties') return `${at} is not allowed (additionalProperties)`;
  return `${at} ${error.message ?? 'is invalid'}`;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function isJson(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
