import { AccordError, ErrorCodes } from '../../errors/index.js';
import type { BrokerClient } from './broker-client.js';

/** One `--pacticipant` with what follows it on the command line. */
export interface PacticipantSelector {
  pacticipant: string;
  version?: string | undefined;
  /** `--latest [TAG]`: the latest version (with that tag when a string). */
  latest?: boolean | string | undefined;
  tag?: string | undefined;
  branch?: string | undefined;
  mainBranch?: boolean | undefined;
}

/** Options for {@link canIDeploy}. */
export interface CanIDeployOptions {
  selectors: readonly PacticipantSelector[];
  toEnvironment?: string | undefined;
  /** Legacy destination tag (`--to TAG`). */
  to?: string | undefined;
  ignore?: ReadonlyArray<{ pacticipant: string; version?: string | undefined }>;
  /** Gate steps whose evidence must pass for every version involved (Accord's broker only: `require=`). */
  require?: readonly string[] | undefined;
  /** Ask again this many times while the answer is unknown. @default 0 */
  retryWhileUnknown?: number;
  /** @default 10000 */
  retryIntervalMs?: number;
  /** Injected so tests need not wait. @default setTimeout */
  sleep?: (ms: number) => Promise<void>;
}

/** A matrix row as the broker sends it (only the fields Accord prints). */
export interface CanIDeployRow {
  consumer: { name: string; version: { number: string } | null };
  provider: { name: string; version: { number: string } | null };
  verificationResult: { success: boolean; _links?: { self?: { href: string } } } | null;
  verificationType?: string;
  ignored?: boolean;
}

/** One required step's evidence for one version, as Accord's broker sends it (`status: null`: none published). */
export interface CanIDeployEvidence {
  pacticipant: { name: string };
  version: { number: string };
  step: string;
  status: 'pass' | 'fail' | 'warn' | 'skip' | null;
  summary: string | null;
  reportUrl?: string;
}

/** The broker's matrix answer. */
export interface MatrixResponse {
  summary: {
    deployable: boolean | null;
    reason: string;
    success: number;
    failed: number;
    unknown: number;
    ignored?: number;
    evidence?: { required: string[]; passed: number; failed: number; missing: number };
  };
  notices?: Array<{ type: string; text: string }>;
  matrix: CanIDeployRow[];
  /** Only with `require`. */
  evidence?: CanIDeployEvidence[];
}

/** The gate's result: `ok` only when the broker says deployable (unknown counts as no, like the official CLI). */
export interface CanIDeployResult {
  ok: boolean;
  deployable: boolean | null;
  /** How many times the matrix was asked. */
  attempts: number;
  /** The query string sent, for reports. */
  query: string;
  response: MatrixResponse;
}

/**
 * Builds the `/matrix` query the Rust `pact broker can-i-deploy` sends:
 * `latestby=cvpv` with an environment or more than one selector, else `cvp`; `latest=true`
 * for a single selector without an environment.
 */
export function matrixQuery(options: Pick<CanIDeployOptions, 'selectors' | 'toEnvironment' | 'to' | 'ignore' | 'require'>): string {
  const params = new URLSearchParams();
  for (const s of options.selectors) {
    params.append('q[][pacticipant]', s.pacticipant);
    if (s.version) params.append('q[][version]', s.version);
    if (s.latest) {
      params.append('q[][latest]', 'true');
      if (typeof s.latest === 'string') params.append('q[][tag]', s.latest);
    }
    if (s.tag) params.append('q[][tag]', s.tag);
    if (s.branch) params.append('q[][branch]', s.branch);
    if (s.mainBranch) params.append('q[][mainBranch]', 'true');
  }
  for (const ignore of options.ignore ?? []) {
    params.append('ignore[][pacticipant]', ignore.pacticipant);
    if (ignore.version) params.append('ignore[][version]', ignore.version);
  }
  if (options.toEnvironment) {
    params.append('latestby', 'cvpv');
    params.append('environment', options.toEnvironment);
  } else if (options.to) {
    params.append('tag', options.to);
    params.append('latestby', options.selectors.length > 1 ? 'cvpv' : 'cvp');
    params.append('latest', 'true');
  } else if (options.selectors.length > 1) {
    params.append('latestby', 'cvpv');
  } else {
    params.append('latestby', 'cvp');
    params.append('latest', 'true');
  }
  if (options.require && options.require.length > 0) params.append('require', options.require.join(','));
  // Brackets stay literal, as the official clients send them.
  return params.toString().replaceAll('%5B', '[').replaceAll('%5D', ']');
}

/** Asks the broker's matrix whether the selected versions can be deployed; polls while the answer is unknown. */
export async function canIDeploy(client: BrokerClient, options: CanIDeployOptions): Promise<CanIDeployResult> {
  const query = matrixQuery(options);
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const retries = options.retryWhileUnknown ?? 0;
  let attempts = 0;
  for (;;) {
    attempts += 1;
    const response = await client.get<MatrixResponse>(`/matrix?${query}`);
    // A broker that ignores `require` (not Accord's) would answer about the pacts alone: never take that for yes.
    if (options.require && options.require.length > 0 && !response.summary?.evidence) {
      throw new AccordError(ErrorCodes.BROKER_REQUEST_FAILED, `the Pact Broker at ${client.baseUrl} did not weigh the required evidence (--require needs Accord's broker, which links accord:evidence)`);
    }
    const deployable = response.summary?.deployable ?? null;
    if (deployable !== null || attempts > retries) return { ok: deployable === true, deployable, attempts, query, response };
    await sleep(options.retryIntervalMs ?? 10_000);
  }
}
