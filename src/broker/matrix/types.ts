/** One `q[]` (or `ignore[]`) selector of a matrix query. */
export interface MatrixSelector {
  pacticipant: string;
  version?: string;
  latest?: boolean;
  tag?: string;
  branch?: string;
  environment?: string;
  mainBranch?: boolean;
}

/** `latestby`: keep the latest row per consumer version/provider version, or per consumer version/provider. */
export type LatestBy = 'cvpv' | 'cvp' | 'cp';

/** A parsed `GET /matrix` (or `/can-i-deploy`) query. */
export interface MatrixQuery {
  selectors: MatrixSelector[];
  ignore: MatrixSelector[];
  latestby?: LatestBy;
  /** Destination: the latest version of every other pacticipant (optionally with `tag`). */
  latest?: boolean;
  /** Destination: the latest version with this tag. */
  tag?: string;
  /** Destination: the versions currently in this environment. */
  environment?: string;
  /** Destination: the latest version of each other pacticipant's main branch. */
  mainBranch?: boolean;
  /** Maximum rows. @default 100 */
  limit: number;
}

/** A selector resolved to one concrete version (or to none). */
export interface ResolvedSelector {
  pacticipantId: number | undefined;
  pacticipantName: string;
  versionId: number | undefined;
  versionNumber: string | undefined;
  /** Specified by the caller, or inferred from the destination for an integrated pacticipant. */
  type: 'specified' | 'inferred';
  selector: MatrixSelector;
  /** Whether a version the selector names is missing (as opposed to "no version in that environment"). */
  versionDoesNotExist: boolean;
  /** For environment selectors: deployed (rather than released). */
  deployed?: boolean;
}

/** One consumer/provider pair the decision covers. */
export interface Integration {
  consumerId: number;
  consumerName: string;
  providerId: number;
  providerName: string;
  /** A consumer version that has a pact with the provider needs that provider present. */
  required: boolean;
}

/** One row of the matrix: a pact publication with (at most) one verification. */
export interface MatrixRow {
  consumerId: number;
  consumerName: string;
  consumerVersionId: number;
  consumerVersionNumber: string;
  providerId: number;
  providerName: string;
  pactVersionId: number;
  pactSha: string;
  pactCreatedAt: Date;
  providerVersionId: number | null;
  providerVersionNumber: string | null;
  verificationId: number | null;
  verificationNumber: number | null;
  success: boolean | null;
  verificationType: 'CDCT' | 'BDCT' | null;
  verifiedAt: Date | null;
  ignored: boolean;
}

/** A reason line of the decision, with the notice type the broker gives it. */
export interface MatrixReason {
  type: 'success' | 'error' | 'warning' | 'info';
  text: string;
}

/** The decision of a matrix query. */
export interface MatrixDecision {
  deployable: boolean | null;
  reasons: MatrixReason[];
  success: number;
  failed: number;
  unknown: number;
  ignored: number | undefined;
}

/** What the matrix service returns: rows, the selectors they came from, and the decision. */
export interface MatrixResult {
  rows: MatrixRow[];
  resolved: ResolvedSelector[];
  decision: MatrixDecision;
}
