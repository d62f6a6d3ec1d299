import type { OpenAPIV2, OpenAPIV3, OpenAPIV3_1 } from 'openapi-types';
import { isObject } from './json-pointer.js';

/** The sunset oasdiff reads on a deprecated operation or parameter. */
export interface SunsetExtension {
  /** RFC 3339 date after which the deprecated operation or parameter may be removed. */
  'x-sunset'?: unknown;
}

/** The vendor extensions the diff reads on an operation (oasdiff's). */
export interface OperationExtensions extends SunsetExtension {
  /** `draft`, `alpha`, `beta` or `stable`; draft and alpha operations may change freely. */
  'x-stability-level'?: unknown;
}

// Extension values are `unknown`: a loaded document is checked for its version field only, and
// the rules read whatever was written (a number where a date was meant) through String().
// `x-extensible-enum` sits on schemas, which the diff walks as plain JSON (diff-schema.ts).

/** An OpenAPI 3.0 or 3.1 document, with the vendor extensions the rules read. */
export type OpenApiDocument = OpenAPIV3.Document<OperationExtensions> | OpenAPIV3_1.Document<OperationExtensions>;

/** A Swagger 2.0 document (only the pact check reads one). */
export type SwaggerDocument = OpenAPIV2.Document;

/** `paths` of an OpenAPI document: path template → path item. */
export type Paths = OpenAPIV3.PathsObject<OperationExtensions> | OpenAPIV3_1.PathsObject<OperationExtensions>;

/** A path item: its operations by method and the parameters they share. */
export type PathItem = OpenAPIV3.PathItemObject<OperationExtensions> | OpenAPIV3_1.PathItemObject<OperationExtensions>;

/** One operation of a path item. */
export type Operation = OpenAPIV3.OperationObject<OperationExtensions> | OpenAPIV3_1.OperationObject<OperationExtensions>;

/** A `$ref` in place of the object it points to. */
export type Reference = OpenAPIV3.ReferenceObject | OpenAPIV3_1.ReferenceObject;

/** A parameter (path, query, header or cookie), with the vendor extensions the rules read. */
export type Parameter = OpenAPIV3.ParameterObject & SunsetExtension;

/** A response header. */
export type Header = OpenAPIV3.HeaderObject;

/** A response of one status. */
export type Response = OpenAPIV3.ResponseObject | OpenAPIV3_1.ResponseObject;

/** An operation's `responses`: status (`200`, `4XX`, `default`) → response. */
export type Responses = Record<string, Response | Reference>;

/** The schema and examples of one media type. */
export type MediaType = OpenAPIV3.MediaTypeObject | OpenAPIV3_1.MediaTypeObject;

/** A named example. */
export type Example = OpenAPIV3.ExampleObject;

/** A schema object (3.0's extended draft-04 subset, or 3.1's JSON Schema 2020-12). */
export type Schema = OpenAPIV3.SchemaObject | OpenAPIV3_1.SchemaObject;

/** A security scheme under `components.securitySchemes`. */
export type SecurityScheme = OpenAPIV3.SecuritySchemeObject;

/** One alternative of a `security` list: scheme name → scopes. */
export type SecurityRequirement = OpenAPIV3.SecurityRequirementObject;

/**
 * True when a node the types call an object is one. A loaded document is checked for its
 * version field only, so any node may still be a scalar or a list where the specification
 * wants an object; the rules skip those rather than crash.
 */
export function isNode<T>(value: T): value is Exclude<Extract<T, object>, readonly unknown[]> {
  return isObject(value);
}
