// `accord init`: a starting config for an existing repository, guessed from what it holds.
export { initRepository } from './init-repository.js';
export type { InitOptions, InitResult } from './init-repository.js';
export { INIT_ROLES, planConfig, serviceKey } from './plan-config.js';
export type { InitPlan, InitRole } from './plan-config.js';
export { scanRepository } from './scan-repository.js';
export type { RepositoryScan } from './scan-repository.js';
