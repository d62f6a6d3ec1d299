/** One way an actual response differed from what a pact (or the contract) expects. */
export interface VerifyMismatch {
  /** What differed: status, header, body, query, path, method, metadata, providerState, contract or error. */
  readonly attribute: string;
  /** Where: a JSON path into the body (`$.email`), a header name, `status`, a state name. */
  readonly location: string;
  readonly message: string;
}

/** The outcome of one interaction. */
export interface VerifiedInteraction {
  readonly description: string;
  readonly providerStates: readonly string[];
  readonly ok: boolean;
  readonly mismatches: readonly VerifyMismatch[];
  /** The consumer whose pact it came from, when known. */
  readonly consumer: string | undefined;
  /** How long the data reset plus the state setups took, in ms. */
  readonly stateSetupMs: number;
  /** The provider verified, when the run verified more than one (a message provider beside the HTTP one). */
  readonly provider?: string | undefined;
}

/** The outcome of `accord verify`. */
export interface VerifyResult {
  readonly ok: boolean;
  readonly provider: string;
  readonly interactions: readonly VerifiedInteraction[];
  /** The pact verifier's own report (plain text). */
  readonly verifierOutput: string;
  /** Set when results were published to a broker. */
  readonly published: { readonly brokerUrl: string; readonly providerVersion: string; readonly branch: string | undefined } | undefined;
  /** Wall-clock phases in ms (environment start, verification, stop). */
  readonly timings: Readonly<Record<string, number>>;
}

/** The `--format json` document: these fields and no others (scripts and CI parse it). */
export function toVerifyJson(result: VerifyResult): {
  ok: boolean;
  interactions: { description: string; providerStates: string[]; ok: boolean; mismatches: { attribute: string; location: string; message: string }[] }[];
} {
  return {
    ok: result.ok,
    interactions: result.interactions.map((interaction) => ({
      description: interaction.description,
      providerStates: [...interaction.providerStates],
      ok: interaction.ok,
      mismatches: interaction.mismatches.map((mismatch) => ({ attribute: mismatch.attribute, location: mismatch.location, message: mismatch.message })),
    })),
  };
}
