import { isNode } from './openapi-document.js';
import type { OpenApiDocument, Operation, PathItem, Paths } from './openapi-document.js';
import type { RefResolver } from './refs.js';

/** The HTTP methods an OpenAPI path item can hold. */
export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/** One operation of a document with where it lives. */
export interface OperationEntry {
  path: string;
  method: (typeof HTTP_METHODS)[number];
  pathItem: PathItem;
  operation: Operation;
}

/** Every operation under `paths` (Path Item Objects resolved through `$ref`). */
export function listOperations(document: OpenApiDocument, resolve: RefResolver): OperationEntry[] {
  const entries: OperationEntry[] = [];
  const paths: Paths = isNode(document.paths) ? document.paths : {};
  for (const [path, rawItem] of Object.entries(paths)) {
    const pathItem = resolve(rawItem);
    if (!isNode(pathItem)) continue;
    for (const method of HTTP_METHODS) {
      const operation = pathItem[method];
      if (isNode(operation)) entries.push({ path, method, pathItem, operation });
    }
  }
  return entries;
}

/** The operation's label in messages: `GET /users/{id}`. */
export function operationLabel(entry: { method: string; path: string }): string {
  return `${entry.method.toUpperCase()} ${entry.path}`;
}

/** The `{name}` placeholders of a path template. */
export function pathTemplateNames(path: string): string[] {
  return [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1] as string);
}
