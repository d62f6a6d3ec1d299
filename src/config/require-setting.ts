import { join, relative } from 'node:path';
import { AccordError, ErrorCodes } from '../errors/index.js';
import type { ResolvedConfig } from './types.js';

/** Where a setting a command needs is written: its section file and the key inside it. */
export interface SettingLocation {
  /** The section, i.e. the file name without `.yaml` (`contracts`, `pacts`). */
  readonly section: string;
  /** The dotted key inside that file (`path`, `verify.provider`). */
  readonly key: string;
  /** What the command needs it for, shown in the message. */
  readonly purpose: string;
}

/**
 * `value` when the config set it, else ACCORD_CONFIG_INVALID in one line naming the file and key:
 * `config/x/contracts.yaml: path: required key is missing (...)`. Commands call it before any
 * long work, so a config that leaves out what the system under test must say fails at once
 * rather than run with someone else's defaults.
 */
export function requireSetting<T>(config: Pick<ResolvedConfig, 'dir' | 'root'>, value: T | undefined, where: SettingLocation): T {
  if (value !== undefined) return value;
  throw new AccordError(ErrorCodes.CONFIG_INVALID, `${settingFile(config, where.section)}: ${where.key}: required key is missing (${where.purpose})`);
}

/** The config file a section is read from, relative to the working directory as every config message shows it. */
export function settingFile(config: Pick<ResolvedConfig, 'dir'>, section: string): string {
  const file = join(config.dir, `${section}.yaml`);
  return relative(process.cwd(), file) || file;
}

/** The configured expected schema, or the one-line error naming schema.yaml's `expected`. */
export function expectedSchemaOf(config: Pick<ResolvedConfig, 'dir' | 'root' | 'schema'>, purpose = 'the SQL file the migrated database is compared with'): string {
  return requireSetting(config, config.schema.expected, { section: 'schema', key: 'expected', purpose });
}

/** The configured OpenAPI contract, or the one-line error naming contracts.yaml's `path`. */
export function contractPathOf(config: ResolvedConfig, purpose = 'the OpenAPI contract this command checks'): string {
  return requireSetting(config, config.contracts.path, { section: 'contracts', key: 'path', purpose });
}
