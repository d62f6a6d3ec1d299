import { Option } from 'commander';

/** `--config DIR`, shared by every command. @default config/integration */
export function configOption(): Option {
  return new Option('--config <dir>', 'configuration directory').default('config/integration');
}

/** `--format`, restricted to what the command can render. @default text */
export function formatOption(formats: readonly string[]): Option {
  return new Option('--format <format>', 'output format').choices(formats).default('text');
}
