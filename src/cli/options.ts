import { Option } from 'commander';
import { DEFAULT_CONFIG_DIR } from '../config/index.js';

/** `--config DIR`, shared by every command. @default config/integration */
export function configOption(): Option {
  return new Option('--config <dir>', 'configuration directory').default(DEFAULT_CONFIG_DIR);
}

/** `--format`, restricted to what the command can render. @default text */
export function formatOption(formats: readonly string[]): Option {
  return new Option('--format <format>', 'output format').choices(formats).default('text');
}
