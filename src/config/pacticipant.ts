import type { ResolvedConfig, ResolvedServiceConfig } from './types.js';

/** The service a name stands for, given as its key in environment.yaml or as its `pacticipant` name. */
export function serviceNamed(config: Pick<ResolvedConfig, 'environment'>, name: string): ResolvedServiceConfig | undefined {
  return config.environment.services.get(name) ?? [...config.environment.services.values()].find((service) => service.pacticipant === name);
}

/** The name pacts and the broker use for a provider given by service key or pacticipant name. */
export function pacticipantOf(config: Pick<ResolvedConfig, 'environment'>, name: string): string;
export function pacticipantOf(config: Pick<ResolvedConfig, 'environment'>, name: string | undefined): string | undefined;
export function pacticipantOf(config: Pick<ResolvedConfig, 'environment'>, name: string | undefined): string | undefined {
  return name === undefined ? undefined : (serviceNamed(config, name)?.pacticipant ?? name);
}
