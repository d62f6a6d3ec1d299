export { createBrokerClient, expandHref } from './broker-client.js';
export type { BrokerClient, BrokerClientOptions, HalLink, HalResource } from './broker-client.js';
export { canIDeploy, matrixQuery } from './can-i-deploy.js';
export type { CanIDeployOptions, CanIDeployResult, CanIDeployRow, MatrixResponse, PacticipantSelector } from './can-i-deploy.js';
export { createEnvironment, createOrUpdateVersion, recordDeployment, recordRelease } from './environment-commands.js';
export type { CreateEnvironmentOptions, RecordedVersion, RecordOptions } from './environment-commands.js';
export { publishPacts } from './publish-pacts.js';
export type { PublishedPact, PublishPactsOptions, PublishPactsResult } from './publish-pacts.js';
