import SwaggerParser from '@apidevtools/swagger-parser';
import { AccordError, ErrorCodes } from '../errors/index.js';
import type { JsonObject } from './json-pointer.js';
import { parseContract } from './parse-contract.js';
import type { LoadedContract, ParseContractOptions } from './parse-contract.js';
import { readContractSource } from './read-source.js';
import type { ReadSourceOptions } from './read-source.js';
import { findUnresolvedRefs, hasExternalRefs } from './refs.js';

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
  if (hasExternalRefs(contract.document)) {
    if (contract.file === undefined) {
      throw new AccordError(ErrorCodes.REF_UNRESOLVED, `${contract.label}: external $ref values cannot be followed inside a git revision; bundle the document first`);
    }
    contract.document = await bundle(contract);
  }
  const [unresolved] = findUnresolvedRefs(contract.document, false);
  if (unresolved !== undefined) {
    const at = contract.positions(`${unresolved.pointer}/$ref`);
    const where = at === undefined ? contract.label : `${contract.label}:${at.line}:${at.column}`;
    throw new AccordError(
      ErrorCodes.REF_UNRESOLVED,
      `${where}: unresolvable $ref \`${unresolved.ref}\` at #${unresolved.pointer} (${unresolved.reason})`,
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
