import { emit } from './diff-context.js';
import type { ChangeSite, DiffRun } from './diff-context.js';
import { isNode } from './openapi-document.js';
import type { OpenApiDocument, Reference, SecurityRequirement, SecurityScheme } from './openapi-document.js';

/** One OAuth2 flow, as the comparison reads it (each kind of flow has some of these). */
type OAuthFlow = { authorizationUrl?: string; tokenUrl?: string; scopes?: Record<string, string> };

/** A security requirement list as `scheme+scheme` alternatives, each with its scopes per scheme. */
function requirements(security: SecurityRequirement[] | undefined): Map<string, Map<string, string[]>> {
  const result = new Map<string, Map<string, string[]>>();
  if (!Array.isArray(security)) return result;
  for (const requirement of security) {
    if (!isNode(requirement)) continue;
    const schemes = new Map<string, string[]>();
    for (const [name, scopes] of Object.entries(requirement)) schemes.set(name, Array.isArray(scopes) ? scopes.map(String) : []);
    result.set([...schemes.keys()].sort().join('+') || '(none)', schemes);
  }
  return result;
}

function compareRequirements(
  run: DiffRun,
  prefix: 'api-security' | 'api-global-security',
  base: SecurityRequirement[] | undefined,
  revision: SecurityRequirement[] | undefined,
  site: ChangeSite, label: string): void {
  const before = requirements(base);
  const after = requirements(revision);
  for (const key of before.keys()) if (!after.has(key)) emit(run, `${prefix}-removed`, site, `${label}: security requirement \`${key}\` was removed`);
  for (const key of after.keys()) if (!before.has(key)) emit(run, `${prefix}-added`, site, `${label}: security requirement \`${key}\` was added`);
  for (const [key, schemes] of after) {
    const old = before.get(key);
    if (old === undefined) continue;
    for (const [scheme, scopes] of schemes) {
      const oldScopes = old.get(scheme) ?? [];
      for (const scope of oldScopes) if (!scopes.includes(scope)) emit(run, `${prefix}-scope-removed`, site, `${label}: scope \`${scope}\` of \`${scheme}\` was removed`);
      for (const scope of scopes) if (!oldScopes.includes(scope)) emit(run, `${prefix}-scope-added`, site, `${label}: scope \`${scope}\` of \`${scheme}\` was added`);
    }
  }
}

/** Operation-level `security` (not the inherited global one, which has its own rules). */
export function compareOperationSecurity(run: DiffRun, base: SecurityRequirement[] | undefined, revision: SecurityRequirement[] | undefined, site: ChangeSite): void {
  compareRequirements(run, 'api-security', base, revision, site, site.operation ?? 'operation');
}

/** Top-level `security` and `components.securitySchemes`. */
export function compareDocumentSecurity(run: DiffRun, base: OpenApiDocument, revision: OpenApiDocument): void {
  compareRequirements(run, 'api-global-security', base.security, revision.security, { operation: null, tokens: ['security'] }, 'global security');
  const schemesOf = (document: OpenApiDocument): Record<string, SecurityScheme | Reference> =>
    isNode(document.components) && isNode(document.components.securitySchemes) ? document.components.securitySchemes : {};
  // `flows` is an OAuth2 scheme's; one written on another type is compared all the same.
  const flowsOf = (scheme: SecurityScheme): Record<string, OAuthFlow> => ('flows' in scheme && isNode(scheme.flows) ? scheme.flows : {});
  const before = schemesOf(base);
  const after = schemesOf(revision);
  const site = (name: string): ChangeSite => ({ operation: null, tokens: ['components', 'securitySchemes', name] });
  for (const name of Object.keys(before)) if (!(name in after)) emit(run, 'api-security-component-removed', site(name), `security scheme \`${name}\` was removed`);
  for (const name of Object.keys(after)) if (!(name in before)) emit(run, 'api-security-component-added', site(name), `security scheme \`${name}\` was added`);
  for (const [name, rawScheme] of Object.entries(after)) {
    const old = run.resolveBase(before[name]);
    const scheme = run.resolveRevision(rawScheme);
    if (!isNode(old) || !isNode(scheme)) continue;
    if (old.type !== scheme.type) emit(run, 'api-security-component-type-changed', site(name), `security scheme \`${name}\` changed type from ${String(old.type)} to ${String(scheme.type)}`);
    const oldFlows = flowsOf(old);
    const flows = flowsOf(scheme);
    for (const [flowName, flow] of Object.entries(flows)) {
      const oldFlow = oldFlows[flowName];
      if (!isNode(flow) || !isNode(oldFlow)) continue;
      if (oldFlow.authorizationUrl !== flow.authorizationUrl) emit(run, 'api-security-component-oauth-url-changed', site(name), `security scheme \`${name}\`: ${flowName} authorizationUrl changed`);
      if (oldFlow.tokenUrl !== flow.tokenUrl) emit(run, 'api-security-component-oauth-token-url-changed', site(name), `security scheme \`${name}\`: ${flowName} tokenUrl changed`);
      const oldScopes = isNode(oldFlow.scopes) ? oldFlow.scopes : {};
      const scopes = isNode(flow.scopes) ? flow.scopes : {};
      for (const scope of Object.keys(oldScopes)) if (!(scope in scopes)) emit(run, 'api-security-component-oauth-scope-removed', site(name), `security scheme \`${name}\`: scope \`${scope}\` was removed`);
      for (const scope of Object.keys(scopes)) if (!(scope in oldScopes)) emit(run, 'api-security-component-oauth-scope-added', site(name), `security scheme \`${name}\`: scope \`${scope}\` was added`);
    }
  }
}
