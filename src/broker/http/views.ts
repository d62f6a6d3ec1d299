import type { Environment, EnvironmentVersion } from '../store/environments.js';
import type { Pacticipant } from '../store/pacticipants.js';
import type { VersionDetails } from '../store/versions.js';
import type { Links } from './hal.js';
import { link } from './hal.js';

/** `GET /pacticipants/{p}`, with the templated links the Verifier follows (pb:branch-version, pb:version-tag). */
export function pacticipantView(links: Links, p: Pacticipant) {
  const self = links.url('pacticipants', p.name);
  return {
    name: p.name,
    displayName: p.displayName ?? p.name,
    mainBranch: p.mainBranch,
    repositoryUrl: p.repositoryUrl,
    createdAt: p.createdAt,
    updatedAt: p.updatedAt,
    _links: {
      self: link(self),
      'pb:versions': link(`${self}/versions`),
      'pb:version': link(`${self}/versions/{version}`, { templated: true }),
      'pb:version-tag': link(`${self}/versions/{version}/tags/{tag}`, { templated: true }),
      'pb:branch-version': link(`${self}/branches/{branch}/versions/{version}`, { templated: true }),
      'pb:latest-version': link(`${self}/latest-version`),
      'pb:latest-tagged-version': link(`${self}/latest-version/{tag}`, { templated: true }),
    },
  };
}

/** `GET /pacticipants/{p}/versions/{v}`: `pb:record-deployment` / `pb:record-release` hold one entry per environment. */
export function versionView(links: Links, v: VersionDetails, environments: readonly Environment[]) {
  const self = links.url('pacticipants', v.pacticipantName, 'versions', v.number);
  return {
    number: v.number,
    buildUrl: v.buildUrl,
    createdAt: v.createdAt,
    _embedded: {
      branchVersions: v.branches.map((name) => ({ name, _links: { self: link(links.url('pacticipants', v.pacticipantName, 'branches', name, 'versions', v.number)) } })),
      tags: v.tags.map((name) => ({ name, _links: { self: link(links.url('pacticipants', v.pacticipantName, 'versions', v.number, 'tags', name)) } })),
    },
    _links: {
      self: link(self, { title: 'Version', name: v.number }),
      'pb:pacticipant': link(links.url('pacticipants', v.pacticipantName), { title: 'Pacticipant', name: v.pacticipantName }),
      'pb:tag': link(`${self}/tags/{tag}`, { templated: true }),
      'pb:record-deployment': environments.map((e) =>
        link(links.url('pacticipants', v.pacticipantName, 'versions', v.number, 'deployed-versions', 'environment', e.uuid), { title: `Record deployment to ${e.displayName ?? e.name}`, name: e.name }),
      ),
      'pb:record-release': environments.map((e) =>
        link(links.url('pacticipants', v.pacticipantName, 'versions', v.number, 'released-versions', 'environment', e.uuid), { title: `Record release to ${e.displayName ?? e.name}`, name: e.name }),
      ),
    },
  };
}

/** A version as embedded in matrix rows. */
export function matrixVersionView(links: Links, v: VersionDetails) {
  return {
    number: v.number,
    branch: v.branches.at(-1) ?? null,
    branches: v.branches.map((name) => ({ name })),
    branchVersions: v.branches.map((name) => ({ name })),
    environments: v.environments.map((e) => ({ uuid: e.uuid, name: e.name, displayName: e.displayName ?? e.name, production: e.production })),
    tags: v.tags.map((name) => ({ name })),
    _links: { self: link(links.url('pacticipants', v.pacticipantName, 'versions', v.number)) },
  };
}

/** `GET /environments/{uuid}`. */
export function environmentView(links: Links, e: Environment) {
  return {
    uuid: e.uuid,
    name: e.name,
    displayName: e.displayName ?? e.name,
    production: e.production,
    contacts: e.contacts ?? [],
    createdAt: e.createdAt,
    updatedAt: e.updatedAt,
    _links: { self: link(links.url('environments', e.uuid), { title: 'Environment', name: e.name }), 'pb:environments': link(links.url('environments')) },
  };
}

/** A deployed or released version resource. */
export function environmentVersionView(links: Links, kind: 'deployed' | 'released', ev: EnvironmentVersion, version: VersionDetails, environment: Environment) {
  const embedded = { version: { number: version.number, _links: { self: link(links.url('pacticipants', version.pacticipantName, 'versions', version.number)) } }, environment: environmentView(links, environment) };
  if (kind === 'deployed') {
    return {
      uuid: ev.uuid,
      currentlyDeployed: ev.endedAt === null,
      applicationInstance: ev.applicationInstance,
      target: ev.applicationInstance,
      undeployedAt: ev.endedAt,
      createdAt: ev.createdAt,
      _embedded: embedded,
      _links: { self: link(links.url('deployed-versions', ev.uuid)) },
    };
  }
  return {
    uuid: ev.uuid,
    currentlySupported: ev.endedAt === null,
    supportEndedAt: ev.endedAt,
    createdAt: ev.createdAt,
    _embedded: embedded,
    _links: { self: link(links.url('released-versions', ev.uuid)) },
  };
}
