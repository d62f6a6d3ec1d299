import { AccordError, ErrorCodes } from '../../errors/index.js';
import type { BrokerClient, HalLink, HalResource } from './broker-client.js';

/** The version resource fields the client reads. */
interface VersionResource extends HalResource {
  number?: string;
}

/** A recorded deployment or release. */
export interface RecordedVersion {
  ok: true;
  kind: 'deployment' | 'release';
  pacticipant: string;
  version: string;
  environment: string;
  applicationInstance: string | undefined;
  uuid: string | undefined;
}

/** Options for {@link recordDeployment} and {@link recordRelease}. */
export interface RecordOptions {
  pacticipant: string;
  version: string;
  environment: string;
  /** Deployments only: one of several concurrent instances. */
  applicationInstance?: string | undefined;
}

async function record(client: BrokerClient, kind: 'deployment' | 'release', options: RecordOptions): Promise<RecordedVersion> {
  // The same requests as `pact broker record-deployment`: the version's pb:record-* link named after the environment.
  const version = await client.get<VersionResource>(`/pacticipants/${encodeURIComponent(options.pacticipant)}/versions/${encodeURIComponent(options.version)}`);
  const links = version._links?.[`pb:record-${kind}`];
  const list: HalLink[] = Array.isArray(links) ? links : links ? [links] : [];
  const target = list.find((link) => link.name === options.environment);
  if (!target) {
    const known = list.map((link) => link.name).filter(Boolean).join(', ');
    throw new AccordError(ErrorCodes.USAGE, `environment ${JSON.stringify(options.environment)} does not exist in the Pact Broker (known: ${known || 'none'}); create it with accord create-environment`);
  }
  const body = kind === 'deployment' && options.applicationInstance ? { applicationInstance: options.applicationInstance, target: options.applicationInstance } : {};
  const created = await client.post<{ uuid?: string }>(target.href, body);
  return { ok: true, kind, pacticipant: options.pacticipant, version: options.version, environment: options.environment, applicationInstance: options.applicationInstance, uuid: created.uuid };
}

/** Records that a version is deployed to an environment (the previous one of that instance is then undeployed). */
export async function recordDeployment(client: BrokerClient, options: RecordOptions): Promise<RecordedVersion> {
  return record(client, 'deployment', options);
}

/** Records that a version is released to an environment (earlier releases stay supported). */
export async function recordRelease(client: BrokerClient, options: Omit<RecordOptions, 'applicationInstance'>): Promise<RecordedVersion> {
  return record(client, 'release', options);
}

/** Options for {@link createEnvironment}. */
export interface CreateEnvironmentOptions {
  name: string;
  displayName?: string | undefined;
  production?: boolean;
  contacts?: Array<{ name: string; details?: Record<string, string> }>;
}

/** Creates an environment through the index's `pb:environments` relation. */
export async function createEnvironment(client: BrokerClient, options: CreateEnvironmentOptions): Promise<{ ok: true; name: string; uuid: string }> {
  const href = await client.relation('pb:environments');
  const created = await client.post<{ uuid?: string; name?: string }>(href, {
    name: options.name,
    ...(options.displayName ? { displayName: options.displayName } : {}),
    production: options.production ?? false,
    ...(options.contacts && options.contacts.length > 0 ? { contacts: options.contacts } : {}),
  });
  return { ok: true, name: created.name ?? options.name, uuid: created.uuid ?? '' };
}

/** Creates (or updates) a pacticipant version, optionally on a branch and with tags (`create-or-update-version`). */
export async function createOrUpdateVersion(client: BrokerClient, options: { pacticipant: string; version: string; branch?: string | undefined; tags?: readonly string[] | undefined }): Promise<{ ok: true }> {
  const p = encodeURIComponent(options.pacticipant);
  const v = encodeURIComponent(options.version);
  if (options.branch) await client.put(`/pacticipants/${p}/branches/${encodeURIComponent(options.branch)}/versions/${v}`, { name: options.branch });
  for (const tag of options.tags ?? []) await client.put(`/pacticipants/${p}/versions/${v}/tags/${encodeURIComponent(tag)}`, { name: tag });
  if (!options.branch && (options.tags ?? []).length === 0) await client.put(`/pacticipants/${p}/versions/${v}`, {});
  return { ok: true };
}
