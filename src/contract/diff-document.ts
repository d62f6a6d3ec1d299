import { emit } from './diff-context.js';
import type { DiffRun } from './diff-context.js';
import { compareOperation } from './diff-operation.js';
import { compareDocumentSecurity } from './diff-security.js';
import { isNode } from './openapi-document.js';
import type { OpenApiDocument, Operation, PathItem, Paths, Reference, Schema } from './openapi-document.js';
import { HTTP_METHODS } from './operations.js';
import type { RefResolver } from './refs.js';
import { sunsetOf } from './sunset.js';

const STABILITY_LEVELS = ['draft', 'alpha', 'beta', 'stable'];

/** Paths match whatever their parameters are called: `/users/{userId}` is `/users/{id}`. */
function normalizePath(path: string): string {
  return path.replace(/\{[^}]+\}/g, '{}');
}

function pathItems(document: OpenApiDocument, resolve: RefResolver): Map<string, { path: string; item: PathItem }> {
  const result = new Map<string, { path: string; item: PathItem }>();
  const paths: Paths = isNode(document.paths) ? document.paths : {};
  for (const [path, raw] of Object.entries(paths)) {
    const item = resolve(raw);
    if (isNode(item)) result.set(normalizePath(path), { path, item });
  }
  return result;
}

/** Draft and alpha operations may change freely (oasdiff's default `--stability-level beta`). */
function isUnstable(operation: Operation): boolean {
  return operation['x-stability-level'] === 'draft' || operation['x-stability-level'] === 'alpha';
}

/** Compares two whole documents: paths and operations, webhooks, security, components. */
export function compareDocuments(run: DiffRun, base: OpenApiDocument, revision: OpenApiDocument): void {
  const before = pathItems(base, run.resolveBase);
  const after = pathItems(revision, run.resolveRevision);
  for (const [key, { path, item }] of before) {
    const other = after.get(key);
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      if (!isNode(operation)) continue;
      const label = `${method.toUpperCase()} ${path}`;
      const revisionOperation = other?.item[method];
      checkStabilityValue(run, operation, label, ['paths', path, method]);
      if (isNode(revisionOperation)) {
        const revisionPath = other?.path ?? path;
        checkStabilityValue(run, revisionOperation, label, ['paths', revisionPath, method]);
        if (isUnstable(operation)) continue;
        compareOperation(run, {
          label: `${method.toUpperCase()} ${revisionPath}`,
          tokens: ['paths', revisionPath, method],
          basePathItem: item,
          revisionPathItem: other?.item ?? {},
          base: operation,
          revision: revisionOperation,
        });
      } else if (!isUnstable(operation)) {
        reportRemoval(run, operation, label, ['paths', path, method], other === undefined);
      }
    }
  }
  for (const [key, { path, item }] of after) {
    const other = before.get(key);
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      if (!isNode(operation) || isNode(other?.item[method])) continue;
      const label = `${method.toUpperCase()} ${path}`;
      checkStabilityValue(run, operation, label, ['paths', path, method]);
      emit(run, 'endpoint-added', { operation: label, tokens: ['paths', path, method] }, `${label} was added`);
    }
  }
  compareWebhooks(run, base, revision);
  compareDocumentSecurity(run, base, revision);
  const schemasOf = (document: OpenApiDocument): Record<string, Schema | Reference> =>
    isNode(document.components) && isNode(document.components.schemas) ? document.components.schemas : {};
  const afterSchemas = schemasOf(revision);
  for (const name of Object.keys(schemasOf(base))) {
    if (!(name in afterSchemas)) emit(run, 'api-schema-removed', { operation: null, tokens: ['components', 'schemas', name] }, `component schema \`${name}\` was removed`);
  }
}

function checkStabilityValue(run: DiffRun, operation: Operation, label: string, tokens: string[]): void {
  const level = operation['x-stability-level'];
  if (level !== undefined && !STABILITY_LEVELS.includes(String(level))) {
    emit(run, 'api-invalid-stability-level', { operation: label, tokens: [...tokens, 'x-stability-level'] }, `${label}: x-stability-level \`${String(level)}\` is not one of ${STABILITY_LEVELS.join(', ')}`);
  }
}

/** An operation (or its whole path) is gone: fine only once it was deprecated and its sunset passed. */
function reportRemoval(run: DiffRun, operation: Operation, label: string, tokens: string[], wholePath: boolean): void {
  const site = { operation: label, tokens };
  const prefix = wholePath ? 'api-path-removed' : 'api-removed';
  if (operation.deprecated !== true) {
    emit(run, `${prefix}-without-deprecation`, site, `${label} was removed without being deprecated first`);
    return;
  }
  const sunset = sunsetOf(operation);
  if (sunset.kind === 'invalid') emit(run, 'api-path-sunset-parse', site, `${label}: x-sunset \`${sunset.text}\` is not a date`);
  else if (sunset.kind === 'date' && sunset.date > run.today) emit(run, `${prefix}-before-sunset`, site, `${label} was removed before its sunset date ${sunset.text}`);
  else emit(run, `${prefix}-with-deprecation`, site, `deprecated ${label} was removed`);
}

function compareWebhooks(run: DiffRun, base: OpenApiDocument, revision: OpenApiDocument): void {
  // `webhooks` is 3.1's; a 3.0 document that has one anyway is compared all the same.
  const before = 'webhooks' in base && isNode(base.webhooks) ? base.webhooks : {};
  const after = 'webhooks' in revision && isNode(revision.webhooks) ? revision.webhooks : {};
  for (const name of Object.keys(before)) if (!(name in after)) emit(run, 'webhook-removed', { operation: null, tokens: ['webhooks', name] }, `webhook \`${name}\` was removed`);
  for (const name of Object.keys(after)) if (!(name in before)) emit(run, 'webhook-added', { operation: null, tokens: ['webhooks', name] }, `webhook \`${name}\` was added`);
}
