import { DEFAULT_CONFIG } from '../config/index.js';
import { AccordError, ErrorCodes } from '../errors/index.js';
import { assertPact, readPactFiles } from '../pact-file/index.js';
import { isObject } from './json-pointer.js';
import { loadContract } from './load-contract.js';
import { isNode } from './openapi-document.js';
import type { OpenApiDocument, SwaggerDocument } from './openapi-document.js';
import { collectRefs, findUnresolvedRefs } from './refs.js';

// The package's .d.ts re-exports without file extensions, which `nodenext` cannot follow,
// so the one class used here is described locally.
interface ComparatorResult {
  code: string;
  message: string;
  type: 'error' | 'warning' | 'info';
  mockDetails?: { interactionDescription?: string | null; location: string };
}
type ComparatorClass = new (options: { oas: unknown }) => { compare(pact: unknown): AsyncIterable<ComparatorResult> };
// Loaded on first use: the comparator is a large CommonJS bundle (~0.4 s of CPU to load), and
// every command that reaches this module through the contract barrel would otherwise pay it.
let comparatorClass: Promise<ComparatorClass> | undefined;
function loadComparator(): Promise<ComparatorClass> {
  comparatorClass ??= import('@pactflow/openapi-pact-comparator').then((module) => (module as unknown as { Comparator: ComparatorClass }).Comparator);
  return comparatorClass;
}

/** One way a pact interaction disagrees with the contract (swagger-mock-validator's codes). */
export interface PactFinding {
  /** `request.path-or-method.unknown`, `response.body.incompatible`, ... */
  code: string;
  level: 'error' | 'warning';
  /** The pact file (or the label given to {@link checkPact}). */
  pact: string;
  /** The interaction's description (`#N` when it has none). */
  interaction: string;
  /** Where in the pact: `[root].interactions[0].response.body.name`. */
  location: string;
  message: string;
}

/** What `accord contract check-pacts` reports; `--format json` prints exactly these fields. */
export interface CheckPactsResult {
  ok: boolean;
  findings: PactFinding[];
}

/** Options for {@link checkPacts}. */
export interface CheckPactsOptions {
  /** A pact file or a directory of them. @default the config's `pacts.dir` default */
  pacts?: string;
  /** The OpenAPI contract (the CLI reads the config's `contracts.path`). */
  contract: string;
  /** Directory relative paths start from. @default process.cwd() */
  cwd?: string;
  /** Hosts whose http(s) URLs a `$ref` may name. @default none */
  allowRefHosts?: readonly string[];
}

/** Options for {@link checkPact}. */
export interface CheckPactOptions {
  /** How findings name the pact. @default the pact's `consumer-provider` names */
  label?: string;
}

/**
 * Checks every interaction of every pact against the contract: path and method, parameters
 * and headers, security, request and response bodies (Pact matchers' example values taken
 * as the values), statuses and content types. The engine is PactFlow's
 * openapi-pact-comparator, so the finding codes are swagger-mock-validator's.
 */
export async function checkPacts(options: CheckPactsOptions): Promise<CheckPactsResult> {
  const cwd = options.cwd ?? process.cwd();
  const pactsLocation = options.pacts ?? DEFAULT_CONFIG.pacts.dir;
  const contract = await loadContract(options.contract, { cwd, allowSwagger2: true, ...(options.allowRefHosts === undefined ? {} : { allowRefHosts: options.allowRefHosts }) });
  const pacts = await readPactFiles(pactsLocation, { cwd });
  const findings: PactFinding[] = [];
  for (const { label, pact } of pacts) {
    findings.push(...(await checkPact(pact, contract.document, { label })).findings);
  }
  return { ok: findings.every((finding) => finding.level !== 'error'), findings };
}

const validatedDocuments = new WeakMap<object, Promise<void>>();

/**
 * Checks one parsed pact against one parsed OpenAPI 3.x (or Swagger 2.0) document; the
 * building block of {@link checkPacts}, and of bi-directional contract checks in a broker.
 * Throws an AccordError when the pact is not a pact or the document is not a valid one.
 */
export async function checkPact(pact: unknown, document: OpenApiDocument | SwaggerDocument, options: CheckPactOptions = {}): Promise<CheckPactsResult> {
  const label = options.label ?? defaultLabel(pact);
  assertPact(pact, label);
  let validation = validatedDocuments.get(document);
  if (validation === undefined) {
    validation = validateDocument(document);
    validatedDocuments.set(document, validation);
  }
  await validation;
  const interactions = Array.isArray(pact.interactions) ? pact.interactions : [];
  const findings: PactFinding[] = [];
  const Comparator = await loadComparator();
  // The comparator reads but never writes; a copy keeps callers' objects safe all the same.
  const comparator = new Comparator({ oas: structuredClone(document) });
  for await (const result of comparator.compare(structuredClone(pact))) {
    if (result.type === 'info') continue;
    findings.push(toFinding(result, label, interactions));
  }
  return { ok: findings.every((finding) => finding.level !== 'error'), findings };
}

function defaultLabel(pact: unknown): string {
  if (isObject(pact) && isObject(pact.consumer) && isObject(pact.provider)) {
    return `${String(pact.consumer.name)}-${String(pact.provider.name)}`;
  }
  return 'pact';
}

function toFinding(result: ComparatorResult, pact: string, interactions: unknown[]): PactFinding {
  const location = result.mockDetails?.location ?? '[root]';
  const index = /interactions\[(\d+)\]/.exec(location)?.[1];
  const interaction = index === undefined ? undefined : interactions[Number(index)];
  const description = result.mockDetails?.interactionDescription
    ?? (isObject(interaction) && typeof interaction.description === 'string' ? interaction.description : undefined);
  return {
    code: result.code,
    level: result.type === 'error' ? 'error' : 'warning',
    pact,
    interaction: description ?? (index === undefined ? '' : `#${index}`),
    location,
    message: result.message,
  };
}

/**
 * The comparator trusts its input, and accepts anything where a `$ref` points nowhere; a
 * contract that is not a whole OpenAPI document is bad input instead. Deeper schema problems
 * are `accord contract lint`'s job.
 */
async function validateDocument(document: OpenApiDocument | SwaggerDocument): Promise<void> {
  if (!('openapi' in document && typeof document.openapi === 'string') && !('swagger' in document && typeof document.swagger === 'string')) {
    throw new AccordError(ErrorCodes.CONTRACT_INVALID, 'the contract is not an OpenAPI document: expected an `openapi: 3.x` or `swagger: "2.0"` field');
  }
  const info = isNode(document.info) ? document.info : undefined;
  const missing = [
    ...(typeof info?.title === 'string' ? [] : ['info.title']),
    ...(info?.version === undefined ? ['info.version'] : []),
    ...(isNode(document.paths) || ('webhooks' in document && isNode(document.webhooks)) ? [] : ['paths']),
  ];
  if (missing.length > 0) {
    throw new AccordError(ErrorCodes.CONTRACT_INVALID, `the contract is not a complete OpenAPI document: it has no ${missing.join(', ')}`);
  }
  // The pointer for the message is worked out only when there is one to give (as loadContract does).
  if (findUnresolvedRefs(document, false, collectRefs(document, false)).length === 0) return;
  const [unresolved] = findUnresolvedRefs(document, false);
  if (unresolved !== undefined) {
    throw new AccordError(ErrorCodes.REF_UNRESOLVED, `the contract has an unresolvable $ref \`${unresolved.ref}\` at #${unresolved.pointer}: ${unresolved.reason}`);
  }
}
