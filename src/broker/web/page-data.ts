import type { Queryable } from '../db.js';
import { evidenceFor } from '../store/evidence.js';
import type { VersionEvidence } from '../store/evidence.js';

/** A pacticipant as the page lists it. */
export interface PagePacticipant {
  name: string;
  mainBranch: string | null;
  latestVersion: string | null;
  latestAt: Date | null;
  /** Each branch with its latest version. */
  branches: Array<{ branch: string; version: string }>;
  /** Versions currently deployed or released, per environment. */
  environments: Array<{ environment: string; version: string; kind: 'deployed' | 'released' }>;
}

/** An integration with its latest pact and that pact's latest verification. */
export interface PageIntegration {
  consumer: string;
  provider: string;
  consumerVersion: string | null;
  pactSha: string | null;
  publishedAt: Date | null;
  providerVersion: string | null;
  success: boolean | null;
  verificationType: string | null;
  verifiedAt: Date | null;
}

/** A matrix row (a publication and its latest verification) with both versions' ids for evidence. */
export interface PageMatrixRow {
  consumer: string;
  consumerVersion: string;
  consumerVersionId: number;
  provider: string;
  providerVersion: string | null;
  providerVersionId: number | null;
  success: boolean | null;
  verificationType: string | null;
}

/** Everything the page shows, read in a handful of statements. */
export interface PageData {
  pacticipants: PagePacticipant[];
  environments: string[];
  integrations: PageIntegration[];
  matrix: PageMatrixRow[];
  /** Version id → step → record, for the matrix's versions. */
  evidence: Map<number, Map<string, VersionEvidence>>;
  /** The steps that have any evidence on the page, in the given order. */
  steps: string[];
}

/** How many of each pacticipant's newest versions the branch list looks at. */
export const BRANCH_WINDOW = 100;

/** How many matrix rows the page shows (the newest publications). @default 30 */
export const MATRIX_ROWS = 30;

/** The evidence records keyed by version id, then by step. */
function evidenceByVersion(records: readonly VersionEvidence[]): Map<number, Map<string, VersionEvidence>> {
  const evidence = new Map<number, Map<string, VersionEvidence>>();
  for (const record of records) {
    const steps = evidence.get(record.versionId) ?? new Map<string, VersionEvidence>();
    steps.set(record.step, record);
    evidence.set(record.versionId, steps);
  }
  return evidence;
}

/** Rows grouped by their pacticipant, in their order. */
function byPacticipant<T extends { pacticipantId: number }>(rows: T[]): Map<number, T[]> {
  const map = new Map<number, T[]>();
  for (const row of rows) map.set(row.pacticipantId, [...(map.get(row.pacticipantId) ?? []), row]);
  return map;
}

/** Reads the page's data; independent statements go out together. */
export async function readPageData(db: Queryable, stepOrder: readonly string[], matrixRows = MATRIX_ROWS): Promise<PageData> {
  const [pacticipants, branches, live, environments, integrations, matrix] = await Promise.all([
    db.query<{ id: number; name: string; mainBranch: string | null; latestVersion: string | null; latestAt: Date | null }>(
      `SELECT p.id, p.name, p.main_branch AS "mainBranch", lv.number AS "latestVersion", lv.created_at AS "latestAt"
       FROM pacticipants p LEFT JOIN LATERAL (SELECT number, created_at FROM versions v WHERE v.pacticipant_id = p.id ORDER BY v.id DESC LIMIT 1) lv ON true
       ORDER BY p.name`,
    ),
    // Branches of each pacticipant's newest versions only: a full DISTINCT over every branch
    // version is a scan of the whole table, and a branch untouched for that long is not news.
    db.query<{ pacticipantId: number; branch: string; version: string }>(
      `SELECT DISTINCT ON (r.pacticipant_id, b.branch) r.pacticipant_id AS "pacticipantId", b.branch, r.number AS version
       FROM pacticipants p
       CROSS JOIN LATERAL (SELECT v.id, v.number, v.pacticipant_id FROM versions v WHERE v.pacticipant_id = p.id ORDER BY v.id DESC LIMIT $1) r
       JOIN branch_versions b ON b.version_id = r.id
       ORDER BY r.pacticipant_id, b.branch, r.id DESC`,
      [BRANCH_WINDOW],
    ),
    db.query<{ pacticipantId: number; environment: string; version: string; kind: 'deployed' | 'released' }>(
      `SELECT x.pacticipant_id AS "pacticipantId", e.name AS environment, v.number AS version, x.kind FROM (
         SELECT pacticipant_id, version_id, environment_id, 'deployed' AS kind FROM deployed_versions WHERE undeployed_at IS NULL
         UNION ALL
         SELECT pacticipant_id, version_id, environment_id, 'released' FROM released_versions WHERE support_ended_at IS NULL
       ) x JOIN environments e ON e.id = x.environment_id JOIN versions v ON v.id = x.version_id ORDER BY e.name, v.id`,
    ),
    db.query<{ name: string }>('SELECT name FROM environments ORDER BY name'),
    db.query<PageIntegration>(
      `SELECT c.name AS consumer, p.name AS provider, lp.number AS "consumerVersion", lp.sha AS "pactSha", lp.created_at AS "publishedAt",
              lv.number AS "providerVersion", lv.success, lv.verification_type AS "verificationType", lv.created_at AS "verifiedAt"
       FROM integrations i JOIN pacticipants c ON c.id = i.consumer_id JOIN pacticipants p ON p.id = i.provider_id
       LEFT JOIN LATERAL (
         SELECT pp.pact_version_id, cv.number, pv.sha, pp.created_at FROM pact_publications pp
         JOIN versions cv ON cv.id = pp.consumer_version_id JOIN pact_versions pv ON pv.id = pp.pact_version_id
         WHERE pp.provider_id = i.provider_id AND pp.consumer_id = i.consumer_id ORDER BY pp.consumer_version_id DESC LIMIT 1
       ) lp ON true
       LEFT JOIN LATERAL (
         SELECT ver.success, ver.verification_type, ver.created_at, pvv.number FROM verifications ver JOIN versions pvv ON pvv.id = ver.provider_version_id
         WHERE ver.pact_version_id = lp.pact_version_id ORDER BY ver.id DESC LIMIT 1
       ) lv ON true
       ORDER BY c.name, p.name`,
    ),
    db.query<PageMatrixRow>(
      `SELECT c.name AS consumer, cv.number AS "consumerVersion", pp.consumer_version_id::int AS "consumerVersionId", p.name AS provider,
              lv.number AS "providerVersion", lv.provider_version_id::int AS "providerVersionId", lv.success, lv.verification_type AS "verificationType"
       FROM (SELECT * FROM pact_publications ORDER BY id DESC LIMIT $1) pp
       JOIN pacticipants c ON c.id = pp.consumer_id JOIN pacticipants p ON p.id = pp.provider_id JOIN versions cv ON cv.id = pp.consumer_version_id
       LEFT JOIN LATERAL (
         SELECT ver.success, ver.verification_type, ver.provider_version_id, pvv.number FROM verifications ver JOIN versions pvv ON pvv.id = ver.provider_version_id
         WHERE ver.pact_version_id = pp.pact_version_id ORDER BY ver.id DESC LIMIT 1
       ) lv ON true
       ORDER BY pp.id DESC`,
      [matrixRows],
    ),
  ]);
  const versionIds = matrix.rows.flatMap((row) => (row.providerVersionId === null ? [row.consumerVersionId] : [row.consumerVersionId, row.providerVersionId]));
  const records = await evidenceFor(db, versionIds, stepOrder);
  const evidence = evidenceByVersion(records);
  const present = new Set(records.map((r) => r.step));
  const branchesOf = byPacticipant(branches.rows);
  const liveOf = byPacticipant(live.rows);
  return {
    pacticipants: pacticipants.rows.map((p) => ({
      name: p.name,
      mainBranch: p.mainBranch,
      latestVersion: p.latestVersion,
      latestAt: p.latestAt,
      branches: (branchesOf.get(p.id) ?? []).map(({ branch, version }) => ({ branch, version })),
      environments: (liveOf.get(p.id) ?? []).map(({ environment, version, kind }) => ({ environment, version, kind })),
    })),
    environments: environments.rows.map((e) => e.name),
    integrations: integrations.rows,
    matrix: matrix.rows,
    evidence,
    steps: stepOrder.filter((step) => present.has(step)),
  };
}
