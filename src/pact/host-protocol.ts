/**
 * Messages between `runVerification` and the verifier host process (verifier-host.ts).
 * The pact verifier is native code that prints its report straight to file descriptor 1,
 * so it runs in a child process whose output Accord captures; the child asks the parent
 * (which owns the database, the environment and the recording proxy) to run every step.
 */

/** Where the host's verifier reads pacts from. */
export type HostPactSource =
  | { readonly kind: 'files'; readonly files: readonly string[] }
  | {
      readonly kind: 'broker';
      readonly url: string;
      readonly token: string | undefined;
      readonly consumerVersionSelectors: readonly Record<string, unknown>[];
      readonly enablePending: boolean;
      readonly includeWipPactsSince: string | undefined;
    };

/** Everything the host needs to run one verification. */
export interface HostConfig {
  readonly provider: string;
  /** The recording proxy in front of the provider. */
  readonly providerBaseUrl: string;
  readonly source: HostPactSource;
  /** Names the parent has handlers for; the host registers one forwarding handler each. */
  readonly stateNames: readonly string[];
  /** Bearer token the request filter adds to every provider request. */
  readonly token: string | undefined;
  readonly publish: { readonly providerVersion: string; readonly branch: string | undefined; readonly buildUrl: string | undefined } | undefined;
  /** Request timeout of the verifier, in ms. */
  readonly timeoutMs: number;
}

/** Parent → host. */
export type ParentMessage =
  | { readonly kind: 'start'; readonly config: HostConfig }
  | { readonly kind: 'reply'; readonly id: number; readonly ok: true; readonly values: Record<string, unknown> | undefined }
  | { readonly kind: 'reply'; readonly id: number; readonly ok: false; readonly error: string };

/** Host → parent. */
export type HostMessage =
  /** A new interaction starts (before its first state change): reset the data. */
  | { readonly kind: 'begin'; readonly id: number }
  /** The interaction is over: run the afterEach hook. */
  | { readonly kind: 'end'; readonly id: number }
  /** Run a provider state's setup or teardown. */
  | { readonly kind: 'state'; readonly id: number; readonly action: 'setup' | 'teardown'; readonly state: string; readonly params: Record<string, unknown> }
  /** The verifier finished: its JSON report, or why it could not run. */
  | { readonly kind: 'done'; readonly report: string | undefined; readonly failure: string | undefined };
