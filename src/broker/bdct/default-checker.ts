import { ErrorCodes, isAccordError } from '../../errors/index.js';
import { parseOffThread } from '../../input/index.js';
import { checkPact } from '../../contract/index.js';
import type { ContractChecker } from './contract-checker.js';

/**
 * The contract capability's pact ↔ OpenAPI check (`checkPact`), adapted to the broker: the
 * provider contract arrives as text (YAML or JSON, both parsed by the YAML parser), findings
 * become one line each.
 */
export const checkPactAgainstOpenApi: ContractChecker = async ({ openapi, pact }) => {
  // Bounded as every contract is (size, nesting, aliases): a hostile one is a finding, not a 500.
  let document: unknown;
  try {
    // A large contract is parsed in a worker thread: the broker keeps answering meanwhile.
    const parsed = await parseOffThread({ label: 'the provider contract', text: openapi, format: 'json-or-yaml', code: ErrorCodes.CONTRACT_INVALID, uniqueKeys: false });
    if (!parsed.ok) return { ok: false, findings: [`the provider contract is not YAML or JSON: line ${parsed.line}, column ${parsed.column}: ${parsed.reason}`] };
    document = parsed.value;
  } catch (error) {
    if (isAccordError(error)) return { ok: false, findings: [error.message] };
    throw error;
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    return { ok: false, findings: ['the provider contract is not an OpenAPI document (not a YAML/JSON object)'] };
  }
  // Taken as a document as it stands: checkPact itself refuses one without a version, info, paths or with a $ref to nowhere.
  const result = await checkPact(pact, document as Parameters<typeof checkPact>[1]);
  return {
    ok: result.ok,
    findings: result.findings.map((finding) => `${finding.level} ${finding.code} (${finding.interaction || finding.location}): ${finding.message}`),
  };
};
