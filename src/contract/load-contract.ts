import SwaggerParser from '@apidevtools/swagger-parser';
import { AccordError, ErrorCodes } from '../errors/index.js';
import type { JsonObject } from './json-pointer.js';
import { parseContract } from './parse-contract.js';
import type { LoadedContract, ParseContractOptions } from './parse-contract.js';
import { readContractSource } from './read-source.js';
import type { ReadSourceOptions } from './read-source.js';
import { collectRefs, findUnresolvedRefs, hasExternalRefs } from './refs.js';

/** Options for {@link loadContract}. */
export interface LoadContractOptions extends ReadSourceOptions, ParseContractOptions {}

/**
 * Reads, parses and reference-checks a contract so that the diff and the pact check can
 * walk it: external `$ref`s are bundled in (files only), and any `$ref` that still points
 * nowhere is bad input, reported with its file:line:col.
 */
export async function loadContract(spec: string, options: LoadContractOptions = {}): Promise<LoadedContract> {
  const source = await readContractSource(spec, options);
  const contract = parseContract(source, options);
  let refs = collectRefs(contract.document);
  if (hasExternalRefs(refs)) {
    if (contract.file === undefined) {
      throw new AccordError(ErrorCodes.REF_UNRESOLVED, `${contract.label}: external $ref values cannot be followed inside a git revision; bundle the document first`);
    }
    contract.document = await bundle(contract);
    refs = collectRefs(contract.document);
  }
  const [unresolved, ...others] = findUnresolvedRefs(contract.document, false, refs);
  if (unresolved !== undefined) {
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

async function bundle(contract: LoadedContract): Promise<JsonObject> {
  try {
    return (await SwaggerParser.bundle(contract.file as string, structuredClone(contract.document) as never, {})) as unknown as JsonObject;
  } catch (error) {
    const reason = ((error as Error).message ?? String(error)).split('\n')[0];
    throw new AccordError(ErrorCodes.REF_UNRESOLVED, `${contract.label}: unresolvable external $ref: ${reason}`, { cause: error });
  }
}
