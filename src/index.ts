// Accord's public API: what a team writes (provider states, message providers, scenarios, stubs
// of services that are not theirs), what it runs from code (the run* functions, each with typed
// options and result) and the report model those results share. Everything else is internal.

// What a team writes
/** Declares provider-state handlers for `accord verify` (each gets the state's params and a context). */
export { defineProviderStates } from './pact/index.js';
/** Declares message providers: the functions that build each message a message pact expects. */
export { defineMessageProviders } from './pact/index.js';
export type {
  /** A built message: its contents and metadata. */
  BuiltMessage,
  /** One message provider function. */
  MessageBuilder,
  /** What {@link defineMessageProviders} returns. */
  MessageProviders,
  /** A message pact's provider-state function. */
  MessageStateFunction,
  /** What a provider-state handler is given: the database pool and friends. */
  ProviderStateContext,
  /** A provider state's parameters, as the pact gives them. */
  ProviderStateParams,
  /** What {@link defineProviderStates} returns. */
  ProviderStates,
} from './pact/index.js';
/** nock interceptors for a service that is not yours, every one checked against that service's OpenAPI document. */
export { contractNock } from './stub/index.js';
export type {
  /** One interceptor made by {@link contractNock}. */
  ContractInterceptor,
  /** Options of {@link contractNock}. */
  ContractNockOptions,
  /** The scope {@link contractNock} returns. */
  ContractScope,
} from './stub/index.js';
/** Serves a validating, recording stub of a service that is not yours, from its OpenAPI document. */
export { startStub } from './stub/index.js';
/** Checks recorded exchanges (a stub's `--record` file) against the contract they were served from. */
export { checkRecorded } from './stub/index.js';
export type {
  /** One recorded request and answer. */
  Exchange,
  /** A fault a stub can be switched to (latency, error, timeout, reset). */
  Fault,
  /** A running stub: its URL, faults, recording and `stop()`. */
  StartedStub,
  /** Options of {@link startStub}. */
  StubOptions,
  /** A request or answer the contract does not allow. */
  Violation,
} from './stub/index.js';

// scenarios
/** Declares one scenario of a team's catalog: setup, actions (faults included) and the checks that judge them. */
export { defineScenario } from './scenarios/index.js';
/** Check outcomes: `pass(detail)`, `fail(detail)`, `verdict(condition, detail)`, `expectEqual(what, actual, expected)`. */
export { expectEqual, fail, pass, verdict } from './scenarios/index.js';
/** One HTTP request that never throws for a network failure, and `field(body, key)` to read a JSON body. */
export { field, httpCall } from './scenarios/index.js';
/** Per-table checksums of the database (`checksumTables(pool)`) and the tables whose sums differ (`changedTables`). */
export { changedTables, checksumTables } from './scenarios/index.js';
/** Imports a catalog module (or the one scenarios.yaml names) and checks what it exports. */
export { loadCatalog, loadConfiguredCatalog } from './scenarios/index.js';
/** Runs scenarios against a started system (`runScenarios`) or a fresh environment it starts and stops (`runScenariosLive`). */
export { runScenarios, runScenariosLive, scenarioTargets } from './scenarios/index.js';
export type {
  /** What a check's verify function returns. */
  CheckOutcome,
  /** The verdict of one named check, as reports show it. */
  CheckResult,
  /** An HTTP answer as scenarios see it (`status` 0 with `error` when none came). */
  HttpResult,
  /** Options of one HTTP call (headers, json body, timeout, correlation id). */
  HttpCallOptions,
  /** Options of {@link runScenariosLive}. */
  LiveRunOptions,
  /** A live run's result with the environment's start and stop times. */
  LiveRunResult,
  /** One structured log line of a service. */
  LogLine,
  /** What `ctx.waitForLog` looks for. */
  LogMatch,
  /** Options of {@link runScenarios}. */
  RunScenariosOptions,
  /** A scenario with its types erased, as a catalog holds it. */
  Scenario,
  /** A catalog loaded from its module. */
  ScenarioCatalog,
  /** One named check of a scenario. */
  ScenarioCheck,
  /** Everything a scenario can use: services by name, the recorded HTTP client, PostgreSQL, Redis, stubs, logs, waits. */
  ScenarioContext,
  /** What {@link defineScenario} takes. */
  ScenarioDefinition,
  /** The scenario's HTTP client. */
  ScenarioHttp,
  /** The system's PostgreSQL as a scenario drives it (pool, halt, resume). */
  ScenarioPostgres,
  /** What a scenario's checks are evidence of for the gate's checklist. */
  ScenarioProof,
  /** The system's Redis as a scenario drives it (client, pause, halt, resume). */
  ScenarioRedis,
  /** The result of one scenario. */
  ScenarioResult,
  /** The result of a run. */
  ScenariosResult,
  /** One service as a scenario drives it (url, env, stop, kill, restart, pause, resume). */
  ScenarioService,
  /** A stub as a scenario drives it (faults, recorded exchanges). */
  ScenarioStub,
  /** The live system {@link runScenarios} runs against. */
  ScenarioTargets,
} from './scenarios/index.js';

// Configuration
/** Reads and validates a config directory (every `*.yaml` and the env file); throws listing every problem. */
export { loadConfig } from './config/index.js';
export type {
  /** Options of {@link loadConfig}. */
  LoadConfigOptions,
  /** The filled, validated configuration every run* function takes. */
  ResolvedConfig,
  /** One configured service, resolved. */
  ResolvedServiceConfig,
  /** The configuration as written in the YAML files. */
  UserConfig,
} from './config/index.js';

// The environment: real PostgreSQL, Redis and service processes
/** Starts what the config declares (PostgreSQL, Redis, the services in dependency order); `stop()` tears it all down. */
export { startEnvironment } from './env/index.js';
/** Starts an embedded PostgreSQL 14 (or uses `DATABASE_URL`) with a fresh database. */
export { startPostgres } from './env/index.js';
/** Starts `redis-server` on a free port (or uses `REDIS_URL`). */
export { startRedis } from './env/index.js';
/** The started environment's PostgreSQL and Redis, both present (a system may have neither). */
export { backingServices } from './env/index.js';
/** Applies a migrations folder to a database: node-pg-migrate files, or one folder per migration (Prisma's layout). */
export { migrate } from './env/index.js';
/** A free TCP port on 127.0.0.1. */
export { getFreePort } from './env/index.js';
export type {
  /** A running environment: its database, cache, services and `stop()`. */
  StartedEnvironment,
  /** Options of {@link startEnvironment}. */
  StartEnvironmentOptions,
  /** A running PostgreSQL: its URL and `stop()`. */
  StartedPostgres,
  /** A running Redis: its URL and `stop()`. */
  StartedRedis,
  /** A running service process: its URL, signals and `stop()`. */
  StartedService,
} from './env/index.js';

// Errors
/** Accord's error class: a stable `code` and a one-line message. */
export { AccordError } from './errors/index.js';
/** Every stable error code. */
export { ErrorCodes } from './errors/index.js';
/** The CLI's exit codes: 0 passed, 1 a gate said no, 2 bad input, 70 internal error. */
export { ExitCodes } from './errors/index.js';
/** Whether a value is an {@link AccordError} (optionally with one code). */
export { isAccordError } from './errors/index.js';
/** One of {@link ErrorCodes}. */
export type { ErrorCode } from './errors/index.js';

// Contracts
/** Lints an OpenAPI or AsyncAPI document; findings at file:line:col. */
export { lintContract } from './contract/index.js';
/** Diffs two contract sources (files or `git:REF[:PATH]`) with oasdiff's rules and the semver policy. */
export { diffContracts } from './contract/index.js';
/** Checks every interaction of every pact in a folder against an OpenAPI contract. */
export { checkPacts } from './contract/index.js';
export type {
  /** The result of {@link checkPacts}. */
  CheckPactsResult,
  /** One classified contract change. */
  ContractChange,
  /** Options of {@link diffContracts}. */
  DiffOptions,
  /** The result of {@link diffContracts}. */
  DiffResult,
  /** The result of {@link lintContract}. */
  LintResult,
  /** One pact interaction the contract does not allow. */
  PactFinding,
} from './contract/index.js';
/** Diffs two contract versions with each change annotated by the consumers (pacts from a directory or the broker) it touches; `policy: consumers` judges by them. */
export { diffWithConsumers } from './usage/index.js';
/** For every operation and response field of a contract, the consumers (and interactions) that use it; the unused ones apart. */
export { contractUsage } from './usage/index.js';
export type {
  /** Options of {@link diffWithConsumers}. */
  ConsumerDiffOptions,
  /** The result of {@link diffWithConsumers}. */
  ConsumerDiffResult,
  /** Options of {@link contractUsage}. */
  ContractUsageOptions,
  /** The result of {@link contractUsage}. */
  UsageReport,
} from './usage/index.js';

// Provider verification
/** Verifies the pacts against a live provider (started from the config, or at a base URL), responses checked against the contract. */
export { runVerificationLive } from './pact/index.js';
/** Verifies the pacts against a provider your own test started (in-process), pact-js style: state handlers, hooks, request filter; plus contract conformance and one verdict. */
export { verifyProvider } from './pact/index.js';
export type {
  /** Options of {@link runVerificationLive}. */
  RunVerificationLiveOptions,
  /** Options of {@link verifyProvider}. */
  VerifyProviderOptions,
  /** The broker {@link verifyProvider} reads pacts from. */
  VerifyProviderBroker,
  /** A `beforeEach` / `afterEach` hook of provider verification. */
  ProviderHook,
  /** Changes each replayed request's headers (a fresh token). */
  ProviderRequestFilter,
  /** A replayed request as a request filter sees it. */
  FilteredRequest,
  /** A provider state's setup or teardown function. */
  ProviderStateFunction,
  /** A provider state with a teardown. */
  ProviderStateHandler,
  /** Publishing of verification results: the provider version, branch and build. */
  PublishOptions,
  /** The result of a verification: every interaction and the verdict. */
  VerifyResult,
} from './pact/index.js';

// Database schema
/** Diffs two schemas (a live database, SQL files or a migrations folder). */
export { diffSchemas } from './schema/index.js';
/** Migrates a fresh database from the config and diffs it with the expected schema. */
export { diffMigratedSchema } from './schema/index.js';
export type {
  /** Options of {@link diffSchemas}. */
  SchemaDiffOptions,
  /** The result of a schema diff. */
  SchemaDiffResult,
  /** One difference between two schemas. */
  SchemaDifference,
} from './schema/index.js';

// Load
/** Runs a load profile against a running target (open model, stages, thresholds, baseline). */
export { runLoad } from './load/index.js';
/** Starts the environment, runs a load profile against it and stops it. */
export { runLoadLive } from './load/index.js';
export type {
  /** A load profile: stages, request mix, thresholds, limits. */
  LoadProfile,
  /** The result of a load pass. */
  LoadResult,
  /** Options of {@link runLoad}. */
  RunLoadOptions,
  /** Options of {@link runLoadLive}. */
  RunLoadLiveOptions,
} from './load/index.js';

// The gate
/** Runs every gate that applies, in order, on one environment, and returns the acceptance report. */
export { runGate } from './gate/index.js';
export type {
  /** The result of {@link runGate}. */
  GateResult,
  /** A gate step's id. */
  GateStepId,
  /** Options of {@link runGate}. */
  RunGateOptions,
} from './gate/index.js';

// Setting up an existing repository
/** Writes a starting config for a provider, consumer or both from what the repository holds (`accord init`); never overwrites a file. */
export { initRepository } from './init/index.js';
export type {
  /** Options of {@link initRepository}. */
  InitOptions,
  /** What {@link initRepository} guessed, wrote and left to fill in. */
  InitResult,
  /** provider, consumer or both. */
  InitRole,
} from './init/index.js';

// The broker and its clients
/** Starts the Pact-Broker-compatible registry. */
export { startBroker } from './broker/index.js';
/** A client for any Pact Broker API (Accord's or a real one). */
export { createBrokerClient } from './broker/index.js';
/** Asks a broker whether a version can be deployed to an environment. */
export { canIDeploy } from './broker/index.js';
/** Publishes a gate run (pacts, verification results, provider contract, evidence) to a broker. */
export { publishGateRun } from './broker/index.js';
/** Publishes a provider's OpenAPI contract and its self-verification (bi-directional). */
export { publishProviderContract } from './broker/index.js';
export type {
  /** A broker client. */
  BrokerClient,
  /** The result of {@link canIDeploy}. */
  CanIDeployResult,
  /** Options of {@link publishGateRun}. */
  PublishGateRunOptions,
  /** The result of {@link publishGateRun}. */
  PublishGateRunResult,
  /** A running broker: its URL and `stop()`. */
  StartedBroker,
} from './broker/index.js';

// Generated documentation
/** Generates (or checks) the docs: architecture, contract, sequences, baseline. */
export { generateDocs } from './docs/index.js';
export type {
  /** One generated document. */
  DocFile,
  /** The result of {@link generateDocs}. */
  DocsResult,
  /** Options of {@link generateDocs}. */
  GenerateDocsOptions,
} from './docs/index.js';

// The report model every run* result renders into
export type {
  /** The acceptance report a gate writes. */
  AcceptanceReport,
  /** One check: an id, a status and a message, with what was measured. */
  Check,
  /** One item of the acceptance checklist. */
  ChecklistItem,
  /** Evidence a step links to. */
  Evidence,
  /** One step of a report. */
  GateStep,
  /** pass, fail, skip. */
  Status,
} from './report/index.js';
