import type { PactDocument } from '../pact-content.js';

/** The outcome of checking one consumer pact against a provider's OpenAPI document. */
export interface ContractCheckOutcome {
  ok: boolean;
  /** One line per mismatch (empty when ok). */
  findings: string[];
}

/** Checks one pact against an OpenAPI document (text, YAML or JSON). */
export type ContractChecker = (input: { openapi: string; pact: PactDocument }) => Promise<ContractCheckOutcome>;
