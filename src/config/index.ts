export { DEFAULT_CONFIG, DEFAULT_CONFIG_DIR, SERVICE_DEFAULTS } from './defaults.js';
export { readEnvFile } from './env-file.js';
export { loadConfig } from './load-config.js';
export type { LoadConfigOptions } from './load-config.js';
export { formatProblem, throwIfProblems } from './problem.js';
export type { ConfigProblem } from './problem.js';
export { pacticipantOf, serviceNamed } from './pacticipant.js';
export { redact, registerSecret } from './redact.js';
export { contractPathOf, expectedSchemaOf, requireSetting, settingFile } from './require-setting.js';
export type { SettingLocation } from './require-setting.js';
export { resolveConfig } from './resolve-config.js';
export type { ResolveContext } from './resolve-config.js';
export { contractsSchema, environmentSchema, pactsSchema, schemaSectionSchema } from './schemas.js';
export type {
  ContractPolicy,
  ForeignSection,
  ResolvedComposeConfig,
  ResolvedConfig,
  ResolvedEnvironmentConfig,
  ResolvedMigrationCommand,
  ResolvedServiceConfig,
  ResolvedServiceUse,
  ServiceUseKind,
  UserComposeConfig,
  UserConfig,
  UserContractsConfig,
  UserEnvironmentConfig,
  UserMigrationsConfig,
  ResolvedVerifyConfig,
  UserPactsConfig,
  UserSchemaConfig,
  UserServiceConfig,
  UserServiceUse,
  UserVerifyConfig,
} from './types.js';
export { dottedPath, showValue, validateYaml } from './validate-yaml.js';
export { parseYamlText, parseYamlWithLocations } from './yaml-file.js';
export type { ParsedYaml } from './yaml-file.js';
