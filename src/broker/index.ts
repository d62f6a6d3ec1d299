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
  matrixQuery,
  publishPacts,
  recordDeployment,
  recordRelease,
} from './client/index.js';
export type {
  BrokerClient,
  BrokerClientOptions,
  CanIDeployOptions,
  CanIDeployResult,
  CanIDeployRow,
  CreateEnvironmentOptions,
  HalLink,
  HalResource,
  MatrixResponse,
  PacticipantSelector,
  PublishedPact,
  PublishPactsOptions,
  PublishPactsResult,
  RecordedVersion,
  RecordOptions,
} from './client/index.js';
export { buildBrokerApp } from './http/build-app.js';
export type { BrokerAppOptions } from './http/build-app.js';
export type { BrokerAuth } from './http/auth.js';
export { BROKER_MIGRATIONS_DIR, BROKER_MIGRATIONS_TABLE, migrateBrokerDatabase } from './migrate.js';
export { startBroker } from './start-broker.js';
export type { BrokerOptions, StartedBroker } from './start-broker.js';
