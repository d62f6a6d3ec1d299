export { BROKER_DEFAULTS, brokerConfigSchema, loadBrokerConfig } from './broker-config.js';
export type { BrokerConfig } from './broker-config.js';
export type { ContractChecker, ContractCheckOutcome } from './bdct/contract-checker.js';
export { checkPactAgainstOpenApi } from './bdct/default-checker.js';
export {
  canIDeploy,
  createBrokerClient,
  createEnvironment,
  createOrUpdateVersion,
  expandHref,
  gitVersion,
  matrixQuery,
  publishEvidence,
  publishGateRun,
  publishPacts,
  publishProviderContract,
  recordDeployment,
  recordRelease,
  stepEvidence,
} from './client/index.js';
export type {
  BrokerClient,
  BrokerClientOptions,
  CanIDeployEvidence,
  CanIDeployOptions,
  CanIDeployResult,
  CanIDeployRow,
  CreateEnvironmentOptions,
  EvidenceInput,
  HalLink,
  HalResource,
  MatrixResponse,
  PacticipantSelector,
  PublishedEvidence,
  PublishedPact,
  PublishedProviderContract,
  PublishEvidenceOptions,
  PublishGateRunOptions,
  PublishGateRunResult,
  PublishPactsOptions,
  PublishPactsResult,
  PublishProviderContractOptions,
  RecordedVersion,
  RecordOptions,
} from './client/index.js';
export { EVIDENCE_STEPS, parseRequiredSteps } from './evidence/steps.js';
export { buildBrokerApp } from './http/build-app.js';
export type { BrokerAppOptions } from './http/build-app.js';
export type { BrokerAuth } from './http/auth.js';
export { BROKER_MIGRATIONS_DIR, BROKER_MIGRATIONS_TABLE, migrateBrokerDatabase } from './migrate.js';
export { startBroker } from './start-broker.js';
export type { BrokerOptions, StartedBroker } from './start-broker.js';
