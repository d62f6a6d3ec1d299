import SwaggerParser from '@apidevtools/swagger-parser';
import { AccordError, ErrorCodes, printable } from '../errors/index.js';
import { assertNestingDepth, isStackOverflow, tooDeep } from '../input/index.js';
import type { JsonObject } from './json-pointer.js';
import { parseContractOffThread, withDocument } from './parse-contract.js';
import type { AsyncApiContract, LoadedContract, OpenApiContract, OpenApiOnly, ParseContractOptions, SwaggerContract } from './parse-contract.js';
import { readContractSource } from './read-source.js';
import type { ReadSourceOptions } from './read-source.js';
import { refParserOptions, refPolicyFor, refusedRef, throwIfRefused } from './ref-policy.js';
import type { RefPolicy } from './ref-policy.js';
import { collectRefs, findUnresolvedRefs, hasExternalRefs } from './refs.js';
import type { UnresolvedRef } from './refs.js';

/** Options for {@link loadContract}. */
export interface LoadContractOptions extends ReadSourceOptions, ParseContractOptions {}

/**
 * Reads, parses and reference-checks a contract so that the diff and the pact check can
 * walk it: external `$ref`s are bundled in (files only), and any `$ref` that still points
 * nowhere is bad input, reported with its file:line:col. The result's type admits only the
 * kinds the options allow.
 */
export function loadContract(spec: string, options?: LoadContractOptions & OpenApiOnly): Promise<OpenApiContract>;
export function loadContract(spec: string, options: LoadContractOptions & { allowSwagger2?: false }): Promise<OpenApiContract | AsyncApiContract>;
export function loadContract(spec: string, options: LoadContractOptions & { allowAsyncApi?: false }): Promise<OpenApiContract | SwaggerContract>;
export function loadContract(spec: string, options?: LoadContractOptions): Promise<LoadedContract>;
export async function loadContract(spec: string, options: LoadContractOptions = {}): Promise<LoadedContract> {
  const source = await readContractSource(spec, options);
  let contract: LoadedContract = await parseContractOffThread(source, options);
  // Pointers (for file:line in messages) are worked out only when there is something to report:
  // a large API holds hundreds of thousands of references.
  let refs = collectRefs(contract.document, false);
  if (hasExternalRefs(refs)) {
    refs = collectRefs(contract.document);
    if (contract.file === undefined) {
      throw new AccordError(ErrorCodes.REF_UNRESOLVED, `${contract.label}: external $ref values cannot be followed inside a git revision; bundle the document first`);
    }
    const policy = refPolicyFor(contract.file, options.cwd ?? process.cwd(), options.allowRefHosts);
    for (const { pointer, ref } of refs) {
      if (ref.startsWith('#')) continue;
      const reason = refusedRef(ref, contract.file, policy);
      if (reason === undefined) continue;
      const at = contract.positions(`${pointer}/$ref`);
      throw new AccordError(ErrorCodes.REF_UNRESOLVED, `${at === undefined ? contract.label : `${contract.label}:${at.line}:${at.column}`}: $ref refused: ${reason}`);
    }
    contract = withDocument(contract, contract.kind, await bundle(contract, policy));
    refs = collectRefs(contract.document, false);
  }
  if (findUnresolvedRefs(contract.document, false, refs).length > 0) {
    const [unresolved, ...others] = findUnresolvedRefs(contract.document, false, collectRefs(contract.document)) as [UnresolvedRef, ...UnresolvedRef[]];
    const at = contract.positions(`${unresolved.pointer}/$ref`);
    const where = at === undefined ? contract.label : `${contract.label}:${at.line}:${at.column}`;
    const more = others.length === 0 ? '' : ` (and ${others.length} more)`;
    throw new AccordError(
      ErrorCodes.REF_UNRESOLVED,
      `${where}: unresolvable $ref \`${unresolved.ref}\` at #${unresolved.pointer}: ${unresolved.reason}${more}`,
    );
  }
  return contract;
}

async function bundle(contract: LoadedContract, policy: RefPolicy): Promise<JsonObject> {
  // Every file or URL the parser follows, nested references included, passes the policy first.
  const { options, refused } = refParserOptions(policy);
  let bundled: JsonObject;
  try {
    // swagger-parser takes and returns its own document types; the result is parsed JSON again
    // (an AsyncAPI document is bundled the same way), typed by withDocument like the original.
    bundled = (await SwaggerParser.bundle(contract.file as string, structuredClone(contract.document) as never, options as SwaggerParser.Options)) as unknown as JsonObject;
  } catch (error) {
    throwIfRefused(refused(), `${contract.label}: $ref refused`, error);
    if (isStackOverflow(error)) throw tooDeep(contract.label, ErrorCodes.REF_UNRESOLVED);
    // The parser's message may quote what it read: only its first line, printable and cut.
    const reason = printable(((error as Error).message ?? String(error)).split('\n')[0] ?? '', 200);
    throw new AccordError(ErrorCodes.REF_UNRESOLVED, `${contract.label}: unresolvable external $ref: ${reason}`, { cause: error });
  }
  assertNestingDepth(contract.label, bundled, ErrorCodes.CONTRACT_INVALID);
  return bundled;
}
