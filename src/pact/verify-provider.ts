import { relative } from 'node:path';
import { createBrokerClient, publishVerificationResults } from '../broker/client/index.js';
import { redact } from '../config/index.js';
import { onCleanup } from '../env/cleanup.js';
import { AccordError, ErrorCodes } from '../errors/index.js';
import { createDatabaseReset } from './database-reset.js';
import type { HostConfig, HostMessage, ParentMessage } from './host-protocol.js';
import type { PactFileSummary } from './pact-files.js';
import { hostFinished, spawnPactHost } from './pact-host.js';
import type { PactHost } from './pact-host.js';
import type { FilteredRequest, ProviderStatePostgres, ProviderStates } from './provider-states.js';
import { startRecordingProxy } from './recording-proxy.js';
import { filterRequest } from './request-filter.js';
import { createStateContexts } from './state-context.js';
import type { StateContexts } from './state-context.js';
import type { RecordedExchange } from './recording-proxy.js';
import type { ResponseConformance } from './response-conformance.js';
import { parseVerifierReport } from './verifier-report.js';
import type { VerifiedInteraction, VerifyMismatch, VerifyResult } from './verify-result.js';

/** Where the pacts to verify come from. */
export type PactSource =
  | { readonly kind: 'files'; readonly pacts: readonly PactFileSummary[] }
  | {
      readonly kind: 'broker';
      readonly url: string;
      readonly token?: string | undefined;
      /** Which consumer versions' pacts to verify. @default Pact's recommended [{ mainBranch: true }, { deployedOrReleased: true }] */
      readonly consumerVersionSelectors?: readonly Record<string, unknown>[];
      /** Pending pacts do not fail the verification. @default false */
      readonly enablePending?: boolean;
      /** Also verify work-in-progress pacts published since this date. */
      readonly includeWipPactsSince?: string;
    };

/** Publishing of the results (needs a broker source: a pact read from a file has nowhere to publish to). */
export interface PublishOptions {
  readonly providerVersion: string;
  readonly branch?: string | undefined;
  readonly buildUrl?: string | undefined;
}

/** Options for {@link runVerification}. */
export interface RunVerificationOptions {
  /** The provider's name in the pacts. */
  provider: string;
  /** The running provider. */
  providerBaseUrl: string;
  source: PactSource;
  states: ProviderStates;
  /** The provider's database: emptied before every interaction, written by the states. None: a state that reads `db` ends the run with `missingDatabase`. */
  databaseUrl?: string | undefined;
  /** The one line (exit 2) when a state reads `db` and there is no `databaseUrl`. @default a line naming the state */
  missingDatabase?: string | undefined;
  /** The provider's Redis; the states' `cacheKeys` are deleted there before every interaction. */
  redisUrl?: string | undefined;
  /** The environment's PostgreSQL, for states that simulate an outage. */
  postgres?: ProviderStatePostgres | undefined;
  /** Bearer token the request filter adds to every provider request. */
  token?: string | undefined;
  /** Every actual response is also checked against this contract. */
  conformance?: ResponseConformance | undefined;
  publish?: PublishOptions | undefined;
  /** Per-request timeout of the verifier. @default 10000 */
  timeoutMs?: number;
  /** Paths in messages are relative to this. @default process.cwd() */
  cwd?: string;
}

interface InteractionRecord {
  readonly states: string[];
  readonly problems: VerifyMismatch[];
  readonly exchanges: RecordedExchange[];
  stateSetupMs: number;
}

// docs.pact.io/provider/recommended_configuration: the consumers' main branches and whatever is deployed or released.
const RECOMMENDED_SELECTORS: readonly Record<string, unknown>[] = [{ mainBranch: true }, { deployedOrReleased: true }];

/**
 * Verifies the pacts against a running provider with pact-js's Verifier. Before each
 * interaction the provider's data is reset; its provider states run here, with real rows;
 * a recording proxy between the verifier and the provider keeps every response, which is
 * then checked against the contract. Returns the result; a failed verification is
 * `ok: false`, never an exception.
 */
export async function runVerification(options: RunVerificationOptions): Promise<VerifyResult> {
  const cwd = options.cwd ?? process.cwd();
  checkInputs(options, cwd);
  const started = Date.now();
  const reset = options.databaseUrl === undefined ? undefined : await createDatabaseReset({ databaseUrl: options.databaseUrl, redisUrl: options.redisUrl, redisKeys: options.states.cacheKeys });
  let host: Host | undefined;
  const run: Run = {
    options,
    reset,
    records: [],
    fatal: undefined,
    contexts: createStateContexts({
      baseUrl: options.providerBaseUrl,
      pool: reset?.pool,
      redisUrl: options.redisUrl,
      postgres: options.postgres,
      missingDatabase: options.missingDatabase ?? 'a provider state uses the database (db), but this verification has none: give it the database URL',
      onMissingDatabase: (error) => {
        // Bad input, not a failed pact: stop the verifier now and answer with the one line.
        run.fatal ??= error;
        host?.kill('SIGKILL');
      },
    }),
  };
  let proxy: Awaited<ReturnType<typeof startRecordingProxy>> | undefined;
  const teardown = async () => {
    host?.kill('SIGKILL');
    await proxy?.stop();
    run.contexts.close();
    await reset?.close();
  };
  const unregister = onCleanup('pact verification', teardown);
  try {
    proxy = await startProxy(run);
    // Warm the pool and read the table list now, so the first interaction's reset is like any other.
    await reset?.reset().catch((error: unknown) => {
      throw new AccordError(ErrorCodes.DB_UNREACHABLE, `database ${redact(options.databaseUrl ?? '')}: cannot connect (${connectionFailure(error)})`, { cause: error });
    });
    host = spawnPactHost('verifier-host', cwd);
    const done = await converse(host, hostConfig(options, proxy.url), run);
    const output = await hostExit(host);
    if (run.fatal) throw run.fatal;
    if (!done || done.report === undefined) {
      const reason = done?.failure ?? `the verifier process ended (${output.exit}) without a report`;
      throw new AccordError(ErrorCodes.VERIFIER_FAILED, `the pact verifier could not run: ${reason.split('\n')[0]}`, { details: tail(output.text) });
    }
    const result = toResult(run, parseVerifierReport(done.report), Date.now() - started);
    await publishResults(options, result);
    return result;
  } finally {
    unregister();
    await teardown();
  }
}

/** Why a connection failed, in a few words (`ECONNREFUSED`, `password authentication failed ...`). */
function connectionFailure(error: unknown): string {
  const { code, message } = error as NodeJS.ErrnoException;
  const nested = (error as { errors?: NodeJS.ErrnoException[] }).errors?.[0]?.code;
  return code ?? nested ?? (message || String(error)).split('\n')[0] ?? 'unknown error';
}

/**
 * Publishes Accord's verdict, not the pact verifier's: the verifier itself publishes nothing, so a
 * response that breaks the contract makes the published verification a failure too.
 */
async function publishResults(options: RunVerificationOptions, result: VerifyResult): Promise<void> {
  if (!options.publish || options.source.kind !== 'broker') return;
  const { source, publish } = options;
  await publishVerificationResults(createBrokerClient({ baseUrl: source.url, token: source.token }), {
    provider: options.provider,
    providerVersion: publish.providerVersion,
    branch: publish.branch,
    buildUrl: publish.buildUrl,
    consumerVersionSelectors: source.consumerVersionSelectors ?? RECOMMENDED_SELECTORS,
    includePendingStatus: source.enablePending,
    includeWipPactsSince: source.includeWipPactsSince,
    results: result.interactions,
  });
}

/** One verification's shared state: what each interaction recorded, and the data reset. */
interface Run {
  readonly options: RunVerificationOptions;
  readonly reset: Awaited<ReturnType<typeof createDatabaseReset>> | undefined;
  readonly contexts: StateContexts;
  readonly records: InteractionRecord[];
  /** Bad input found mid-run (a state needs a database there is none of): thrown once the verifier stops. */
  fatal: AccordError | undefined;
}

type Host = PactHost;
type Done = Extract<HostMessage, { kind: 'done' }>;

function checkInputs(options: RunVerificationOptions, cwd: string): void {
  if (options.source.kind === 'files') assertStatesDefined(options.source.pacts, options.states, cwd);
  if (options.publish && options.source.kind !== 'broker') {
    throw new AccordError(ErrorCodes.USAGE, 'publishing verification results needs the pacts from a broker (set PACT_BROKER_BASE_URL): a pact read from a file has no broker to publish to');
  }
}

/** The proxy between the verifier and the provider: it records each exchange into the current interaction. */
function startProxy(run: Run): ReturnType<typeof startRecordingProxy> {
  return startRecordingProxy({
    target: run.options.providerBaseUrl,
    onExchange: (exchange) => run.records.at(-1)?.exchanges.push(exchange),
    ...(run.options.states.requestFilter ? { filter: recordingFailures(run, filterRequest(run.options.states.requestFilter)) } : {}),
    // A request whose provider state failed must not pass by luck: answer it with a failure.
    intercept: () => {
      const problems = run.records.at(-1)?.problems ?? [];
      if (problems.length === 0) return undefined;
      return { status: 500, contentType: 'text/plain', body: `accord: provider state failed: ${problems.map((p) => p.message).join('; ')}` };
    },
    timeoutMs: run.options.timeoutMs ?? 10_000,
  });
}

/** A request filter whose failure fails the interaction under its own name (not as a provider that did not answer). */
function recordingFailures(run: Run, filter: (request: FilteredRequest) => Promise<void>): (request: FilteredRequest) => Promise<void> {
  return (request) =>
    filter(request).catch((error: unknown) => {
      run.records.at(-1)?.problems.push({ attribute: 'error', location: '(requestFilter)', message: `the request filter failed: ${(error as Error).message}` });
      throw error;
    });
}

function hostConfig(options: RunVerificationOptions, providerBaseUrl: string): HostConfig {
  return {
    provider: options.provider,
    providerBaseUrl,
    source:
      options.source.kind === 'files'
        ? { kind: 'files', files: options.source.pacts.map((pact) => pact.file) }
        : {
            kind: 'broker',
            url: options.source.url,
            token: options.source.token,
            consumerVersionSelectors: options.source.consumerVersionSelectors ?? RECOMMENDED_SELECTORS,
            enablePending: options.source.enablePending ?? false,
            includeWipPactsSince: options.source.includeWipPactsSince,
          },
    stateNames: options.states.names,
    token: options.token,
    // Accord publishes its own verdict after the run (see publishResults).
    publish: undefined,
    timeoutMs: options.timeoutMs ?? 10_000,
  };
}

/** Starts the host's verification and answers its interaction and state messages until it reports. */
async function converse(host: Host, config: HostConfig, run: Run): Promise<Done | undefined> {
  await send(host, { kind: 'start', config });
  for await (const raw of host.getEachMessage()) {
    const message = raw as HostMessage;
    if (message.kind === 'done') return message;
    const reply = message.kind === 'begin' ? await beginInteraction(run) : message.kind === 'end' ? await endInteraction(run) : await changeState(message, run);
    // The host was stopped for bad input: nobody is left to answer.
    if (run.fatal) return undefined;
    await send(host, { kind: 'reply', id: message.id, ...reply });
  }
  return undefined;
}

/** The host's exit and its output, for the message when it reported nothing. */
async function hostExit(host: Host): Promise<{ exit: string | number; text: string }> {
  const finished = await hostFinished(host);
  return {
    exit: finished.exitCode ?? finished.signal ?? 'no exit code',
    text: [finished.stdout, finished.stderr].filter((text) => typeof text === 'string' && text !== '').join('\n'),
  };
}

type Reply = { ok: true; values: Record<string, unknown> | undefined } | { ok: false; error: string };

/** A new interaction: its record, and the provider's data reset. */
async function beginInteraction(run: Run): Promise<Reply> {
  const record: InteractionRecord = { states: [], problems: [], exchanges: [], stateSetupMs: 0 };
  run.records.push(record);
  const t0 = performance.now();
  try {
    await run.reset?.reset();
  } catch (error) {
    record.problems.push({ attribute: 'providerState', location: '(reset)', message: `resetting the provider's data failed: ${(error as Error).message}` });
  }
  await runHook(run, 'beforeEach', record);
  record.stateSetupMs += performance.now() - t0;
  return { ok: true, values: undefined };
}

/** The interaction is over: the states' `afterEach` hook. */
async function endInteraction(run: Run): Promise<Reply> {
  const record = run.records.at(-1);
  if (record) await runHook(run, 'afterEach', record);
  return { ok: true, values: undefined };
}

/** A `beforeEach` / `afterEach` hook; its failure fails the interaction. */
async function runHook(run: Run, name: 'beforeEach' | 'afterEach', record: InteractionRecord): Promise<void> {
  const hook = run.options.states[name];
  if (!hook) return;
  try {
    await hook(run.contexts.of({}));
  } catch (error) {
    if (run.fatal) return;
    record.problems.push({ attribute: 'providerState', location: `(${name})`, message: `the ${name} hook failed: ${(error as Error).message}` });
  }
}

/** A provider state's setup or teardown; a failure is recorded against the interaction, never thrown. */
async function changeState(message: Extract<HostMessage, { kind: 'state' }>, run: Run): Promise<Reply> {
  const record = run.records.at(-1);
  if (!record) return { ok: false, error: 'a provider state change came before any interaction began' };
  const { states } = run.options;
  const handler = states.get(message.state);
  if (message.action === 'setup') record.states.push(message.state);
  if (!handler) {
    record.problems.push({
      attribute: 'providerState',
      location: message.state,
      message: `no handler for provider state "${message.state}": define it with defineProviderStates (known: ${states.names.join(', ') || 'none'})`,
    });
    return { ok: true, values: undefined };
  }
  const step = message.action === 'setup' ? handler.setup : handler.teardown;
  if (!step) return { ok: true, values: undefined };
  const t0 = performance.now();
  try {
    const values = (await step(message.params, run.contexts.of(message.params))) ?? undefined;
    // A teardown may have restarted PostgreSQL: reconnect now, not in the next interaction's setup.
    if (message.action === 'teardown') await run.reset?.pool.query('SELECT 1');
    return { ok: true, values };
  } catch (error) {
    if (run.fatal) return { ok: true, values: undefined };
    record.problems.push({ attribute: 'providerState', location: message.state, message: `${message.action} of provider state "${message.state}" failed: ${(error as Error).message}` });
    return { ok: true, values: undefined };
  } finally {
    if (message.action === 'setup') record.stateSetupMs += performance.now() - t0;
  }
}

/** The verifier's report joined with what Accord recorded: state failures first, then contract conformance. */
function toResult(run: Run, report: ReturnType<typeof parseVerifierReport>, verifyMs: number): VerifyResult {
  const { options, records } = run;
  const interactions = report.interactions.map((reported, index): VerifiedInteraction => {
    const record = records[index];
    const conformance = options.conformance ? (record?.exchanges ?? []).flatMap((exchange) => options.conformance?.check(exchange) ?? []) : [];
    // A failed state is the cause; the verifier's own complaint about the answer is its echo.
    const mismatches = record && record.problems.length > 0 ? [...record.problems, ...conformance] : [...reported.mismatches, ...conformance];
    const consumer = options.source.kind === 'files' ? options.source.pacts.find((pact) => pact.interactions.some((i) => i.description === reported.description))?.consumer : undefined;
    return {
      description: reported.description,
      providerStates: record?.states ?? [],
      ok: reported.ok && mismatches.length === 0,
      mismatches,
      consumer,
      stateSetupMs: record?.stateSetupMs ?? 0,
    };
  });
  return {
    ok: report.ok && interactions.length > 0 && interactions.every((interaction) => interaction.ok),
    provider: options.provider,
    interactions,
    verifierOutput: report.output,
    published:
      options.publish && options.source.kind === 'broker'
        ? { brokerUrl: options.source.url, providerVersion: options.publish.providerVersion, branch: options.publish.branch }
        : undefined,
    timings: { verifyMs },
  };
}

/** Asks the broker of a broker source for its index: unreachable, or a refused token, is one line before anything starts. */
export async function checkBrokerSource(source: PactSource): Promise<void> {
  if (source.kind === 'broker') await createBrokerClient({ baseUrl: source.url, token: source.token, timeoutMs: 10_000 }).get('/');
}

/** Throws ACCORD_PROVIDER_STATE_MISSING naming every state a pact uses that has no handler. */
export function assertStatesDefined(pacts: readonly PactFileSummary[], states: ProviderStates, cwd = process.cwd()): void {
  const missing: string[] = [];
  for (const pact of pacts) {
    for (const interaction of pact.interactions) {
      for (const state of interaction.providerStates) {
        if (!states.get(state.name)) missing.push(`"${state.name}" (${relative(cwd, pact.file)}, interaction "${interaction.description}")`);
      }
    }
  }
  if (missing.length > 0) {
    throw new AccordError(
      ErrorCodes.PROVIDER_STATE_MISSING,
      `no handler for provider state ${missing.join('; ')}: define ${missing.length === 1 ? 'it' : 'them'} with defineProviderStates (known: ${states.names.map((name) => `"${name}"`).join(', ') || 'none'})`,
    );
  }
}

/** Sends a protocol message; its types are JSON by construction (readonly, so not `JsonMessage` to TS). */
async function send(host: Host, message: ParentMessage): Promise<void> {
  await host.sendMessage(message as unknown as Parameters<typeof host.sendMessage>[0]);
}

function tail(text: string, lines = 15): string {
  const kept = text.split('\n').filter((line) => line.trim() !== '');
  return kept.slice(-lines).map((line) => `  | ${line}`).join('\n');
}
