// Accord's public API: named exports only, one block per capability.

// config
export { DEFAULT_CONFIG, formatProblem, loadConfig, parseYamlWithLocations, redact, registerSecret, validateYaml } from './config/index.js';
export type { ConfigProblem, LoadConfigOptions, ParsedYaml, ResolvedConfig, ResolvedServiceConfig, UserConfig } from './config/index.js';

// env
export { migrate, onCleanup, runCleanups, startEnvironment, startPostgres, startRedis, startService } from './env/index.js';
export type { StartedEnvironment, StartedPostgres, StartedRedis, StartedService, StartEnvironmentOptions } from './env/index.js';

// errors
export { AccordError, ErrorCodes, ExitCodes, isAccordError } from './errors/index.js';
export type { ErrorCode } from './errors/index.js';
