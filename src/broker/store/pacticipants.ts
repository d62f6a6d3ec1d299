import type { Queryable } from '../db.js';

/** A pacticipant row. */
export interface Pacticipant {
  id: number;
  name: string;
  displayName: string | null;
  mainBranch: string | null;
  repositoryUrl: string | null;
  createdAt: Date;
  updatedAt: Date;
}

const COLUMNS = 'id, name, display_name AS "displayName", main_branch AS "mainBranch", repository_url AS "repositoryUrl", created_at AS "createdAt", updated_at AS "updatedAt"';

/** The pacticipant called `name`, or undefined. */
export async function findPacticipant(db: Queryable, name: string): Promise<Pacticipant | undefined> {
  const { rows } = await db.query<Pacticipant>(`SELECT ${COLUMNS} FROM pacticipants WHERE name = $1`, [name]);
  return rows[0];
}

/** Every pacticipant, by name. */
export async function listPacticipants(db: Queryable): Promise<Pacticipant[]> {
  const { rows } = await db.query<Pacticipant>(`SELECT ${COLUMNS} FROM pacticipants ORDER BY name`);
  return rows;
}

/** Finds or creates the pacticipant `name` (race-safe: ON CONFLICT). */
export async function ensurePacticipant(db: Queryable, name: string): Promise<Pacticipant> {
  // Read first: the common case (it exists) then writes nothing.
  const existing = await findPacticipant(db, name);
  if (existing) return existing;
  const { rows } = await db.query<Pacticipant>(
    `INSERT INTO pacticipants (name) VALUES ($1)
     ON CONFLICT (name) DO UPDATE SET name = EXCLUDED.name
     RETURNING ${COLUMNS}`,
    [name],
  );
  return rows[0] as Pacticipant;
}

/** The fields of a pacticipant a client may set. */
export interface PacticipantFields {
  displayName?: string | null | undefined;
  mainBranch?: string | null | undefined;
  repositoryUrl?: string | null | undefined;
}

/** Creates or updates `name`, setting only the fields given (merge-patch semantics). */
export async function upsertPacticipant(db: Queryable, name: string, fields: PacticipantFields): Promise<Pacticipant> {
  const existing = await ensurePacticipant(db, name);
  const { rows } = await db.query<Pacticipant>(
    `UPDATE pacticipants SET display_name = $2, main_branch = $3, repository_url = $4, updated_at = now()
     WHERE id = $1 RETURNING ${COLUMNS}`,
    [
      existing.id,
      fields.displayName !== undefined ? fields.displayName : existing.displayName,
      fields.mainBranch !== undefined ? fields.mainBranch : existing.mainBranch,
      fields.repositoryUrl !== undefined ? fields.repositoryUrl : existing.repositoryUrl,
    ],
  );
  return rows[0] as Pacticipant;
}
