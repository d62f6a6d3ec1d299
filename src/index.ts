// Accord's public API: named exports only, one block per capability.

// config
export { DEFAULT_CONFIG, formatProblem, loadConfig, parseYamlWithLocations, redact, registerSecret, validateYaml } from './config/index.js';
export type { ConfigProblem, LoadConfigOptions, ParsedYaml, ResolvedConfig, ResolvedServiceConfig, UserConfig } from './config/index.js';

// env
export { getFreePort, migrate, onCleanup, runCleanups, startEnvironment, startPostgres, startRedis, startService } from './env/index.js';
export type { StartedEnvironment, StartedPostgres, StartedRedis, StartedService, StartEnvironmentOptions } from './env/index.js';

// errors
export { AccordError, ErrorCodes, ExitCodes, isAccordError } from './errors/index.js';
export type { ErrorCode } from './errors/index.js';

// contract
export { checkPact, checkPacts, diffContracts, diffDocuments, lintContract, loadContract } from './contract/index.js';
export type { CheckPactsResult, ContractChange, DiffOptions, DiffResult, LintResult, PactFinding } from './contract/index.js';

// pact
export { defineMessageProviders, defineProviderStates, runVerificationLive } from './pact/index.js';
export type { BuiltMessage, MessageBuilder, MessageProviders, MessageStateFunction, ProviderStateContext, ProviderStateParams, ProviderStates, RunVerificationLiveOptions, VerifyResult } from './pact/index.js';

// schema
export { diffMigratedSchema, diffSchemas, introspectDatabase } from './schema/index.js';
export type { SchemaDiffOptions, SchemaDiffResult, SchemaDifference, SchemaModel } from './schema/index.js';

// scenarios
export { defineScenario, runScenarios, runScenariosLive, SCENARIOS } from './scenarios/index.js';
export type { Scenario, ScenariosResult } from './scenarios/index.js';

// load
export { runLoad, runOpenModel } from './load/index.js';
export type { LoadProfile, LoadResult, RunLoadOptions } from './load/index.js';

// broker
export { canIDeploy, createBrokerClient, publishEvidence, publishGateRun, publishProviderContract, startBroker } from './broker/index.js';
export type { BrokerClient, CanIDeployResult, PublishGateRunOptions, PublishGateRunResult, StartedBroker } from './broker/index.js';

// gate
export { buildChecklist, GATE_STEPS, runGate } from './gate/index.js';
export type { GateResult, GateStepId, RunGateOptions } from './gate/index.js';

// docs
export { generateDocs, toDocsStep } from './docs/index.js';
export type { DocFile, DocsResult, GenerateDocsOptions } from './docs/index.js';

// stub (services that are not ours)
export { checkRecorded, contractNock, FAULT_MODES, loadContractEngine, parseFault, startStub } from './stub/index.js';
export type { ContractEngine, ContractInterceptor, ContractNockOptions, ContractScope, Exchange, Fault, StartedStub, StubOptions, Violation } from './stub/index.js';
