import type { Command } from 'commander';
import { register as registerUp } from './commands/up.js';
import { register as registerDown } from './commands/down.js';
import { register as registerContract } from './commands/contract.js';
import { register as registerVerify } from './commands/verify.js';
import { register as registerLoad } from './commands/load.js';
import { register as registerScenarios } from './commands/scenarios.js';
import { register as registerBroker } from './commands/broker.js';
import { register as registerPublish } from './commands/publish.js';
import { register as registerCanIDeploy } from './commands/can-i-deploy.js';
import { register as registerRecordDeployment } from './commands/record-deployment.js';
import { register as registerRecordRelease } from './commands/record-release.js';
import { register as registerCreateEnvironment } from './commands/create-environment.js';
import { register as registerSchema } from './commands/schema.js';

/**
 * Every `accord` subcommand, in the order `accord --help` lists them.
 * Each lives in its own module under ./commands/ and exports `register(program)`.
 */
export function registerCommands(program: Command): void {
  registerUp(program);
  registerDown(program);
  registerContract(program);
  registerVerify(program);
  registerLoad(program);
  registerScenarios(program);
  registerBroker(program);
  registerPublish(program);
  registerCanIDeploy(program);
  registerRecordDeployment(program);
  registerRecordRelease(program);
  registerCreateEnvironment(program);
  registerSchema(program);
}
