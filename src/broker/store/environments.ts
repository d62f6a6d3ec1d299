import { randomUUID } from 'node:crypto';
import type { Queryable } from '../db.js';

/** An environment row. */
export interface Environment {
  id: number;
  uuid: string;
  name: string;
  displayName: string | null;
  production: boolean;
  contacts: unknown[] | null;
  createdAt: Date;
  updatedAt: Date;
}

/** A deployed or released version of a pacticipant in an environment. */
export interface EnvironmentVersion {
  uuid: string;
  versionId: number;
  applicationInstance: string | null;
  createdAt: Date;
  /** Deployed: when it was replaced or undeployed. Released: when support ended. */
  endedAt: Date | null;
}

const COLUMNS = 'id, uuid::text AS uuid, name, display_name AS "displayName", production, contacts, created_at AS "createdAt", updated_at AS "updatedAt"';

/** Every environment, by name. */
export async function listEnvironments(db: Queryable): Promise<Environment[]> {
  const { rows } = await db.query<Environment>(`SELECT ${COLUMNS} FROM environments ORDER BY name`);
  return rows;
}

/** The environment with this uuid, or undefined (a malformed uuid is simply not found). */
export async function findEnvironmentByUuid(db: Queryable, uuid: string): Promise<Environment | undefined> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(uuid)) return undefined;
  const { rows } = await db.query<Environment>(`SELECT ${COLUMNS} FROM environments WHERE uuid = $1`, [uuid]);
  return rows[0];
}

/** Creates an environment; returns undefined when the name is taken. */
export async function createEnvironment(
  db: Queryable,
  input: { name: string; displayName?: string | undefined; production: boolean; contacts?: unknown[] | undefined },
): Promise<Environment | undefined> {
  const { rows } = await db.query<Environment>(
    `INSERT INTO environments (uuid, name, display_name, production, contacts) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (name) DO NOTHING RETURNING ${COLUMNS}`,
    [randomUUID(), input.name, input.displayName ?? null, input.production, input.contacts ? JSON.stringify(input.contacts) : null],
  );
  return rows[0];
}

/**
 * Records a deployment; the previous deployment of the same pacticipant to the same
 * environment and application instance is marked undeployed, as the Pact Broker does.
 */
export async function recordDeployment(
  db: Queryable,
  input: { pacticipantId: number; versionId: number; environmentId: number; applicationInstance?: string | undefined },
): Promise<EnvironmentVersion> {
  const instance = input.applicationInstance ?? '';
  const current = await db.query<EnvironmentVersion>(
    `SELECT uuid::text AS uuid, version_id::int AS "versionId", NULLIF(application_instance, '') AS "applicationInstance", created_at AS "createdAt", undeployed_at AS "endedAt"
     FROM deployed_versions WHERE environment_id = $1 AND pacticipant_id = $2 AND application_instance = $3 AND undeployed_at IS NULL FOR UPDATE`,
    [input.environmentId, input.pacticipantId, instance],
  );
  const previous = current.rows[0];
  // Deploying the version that is already there again keeps that deployment (find_or_create).
  if (previous && previous.versionId === input.versionId) return previous;
  if (previous) await db.query('UPDATE deployed_versions SET undeployed_at = now() WHERE uuid = $1', [previous.uuid]);
  const { rows } = await db.query<EnvironmentVersion>(
    `INSERT INTO deployed_versions (uuid, pacticipant_id, version_id, environment_id, application_instance) VALUES ($1, $2, $3, $4, $5)
     RETURNING uuid::text AS uuid, version_id::int AS "versionId", NULLIF(application_instance, '') AS "applicationInstance", created_at AS "createdAt", undeployed_at AS "endedAt"`,
    [randomUUID(), input.pacticipantId, input.versionId, input.environmentId, instance],
  );
  return rows[0] as EnvironmentVersion;
}

/** Records a release; earlier releases stay supported (several versions can be live at once). */
export async function recordRelease(db: Queryable, input: { pacticipantId: number; versionId: number; environmentId: number }): Promise<EnvironmentVersion> {
  await db.query(
    `INSERT INTO released_versions (uuid, pacticipant_id, version_id, environment_id) VALUES ($1, $2, $3, $4)
     ON CONFLICT (version_id, environment_id) DO UPDATE SET support_ended_at = NULL`,
    [randomUUID(), input.pacticipantId, input.versionId, input.environmentId],
  );
  const { rows } = await db.query<EnvironmentVersion>(
    `SELECT uuid::text AS uuid, version_id::int AS "versionId", NULL AS "applicationInstance", created_at AS "createdAt", support_ended_at AS "endedAt"
     FROM released_versions WHERE version_id = $1 AND environment_id = $2`,
    [input.versionId, input.environmentId],
  );
  return rows[0] as EnvironmentVersion;
}
