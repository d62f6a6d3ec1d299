/**
 * The one result model every capability adapts its own result to: a gate step made of checks.
 * The gate, its report (JSON, Markdown, JUnit XML, HTML), the CLI tables and the broker's
 * evidence records all read this shape, so a capability is rendered the same way everywhere.
 */

/** How a step or a check ended. `warn` passes the gate but is shown; `skip` did not run. */
export type Status = 'pass' | 'fail' | 'warn' | 'skip';

/** Where a finding points: a file position and/or a JSON pointer into a document. */
export interface Location {
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
  /** RFC 6901 pointer into the document, e.g. `/paths/~1orders/post`. */
  readonly pointer?: string;
}

/** A measured value against its limit (a latency threshold, a resource budget). */
export interface Measured {
  readonly actual: number;
  readonly limit: number;
  /** `ms`, `req/s`, `%`, `MB`, … */
  readonly unit: string;
}

/** One verdict inside a step: a lint rule, a pact interaction, a scenario check, a threshold. */
export interface Check {
  /** Stable within its step (a rule id, an interaction description, `scenario/check`). */
  readonly id: string;
  readonly name: string;
  readonly status: Status;
  /** One line: what was observed, enough to understand a failure without the logs. */
  readonly message: string;
  readonly location?: Location;
  readonly measured?: Measured;
}

/** A file or URL that backs a step's verdict (a report, a trace, a diagram). */
export interface Evidence {
  readonly label: string;
  /** A path relative to the working directory, or an absolute URL. */
  readonly href: string;
}

/** The result of one step of the gate, or of one standalone command. */
export interface GateStep {
  /** Stable id: `contract-lint`, `contract-diff`, `consumer-tests`, `pacts-vs-contract`, `environment`, `schema`, `verify`, `scenarios`, `load`, `docs`. */
  readonly id: string;
  readonly title: string;
  readonly status: Status;
  readonly durationMs: number;
  readonly checks: readonly Check[];
  readonly evidence: readonly Evidence[];
  /** Step-specific data for the report (the capability's own JSON result, figures, …). */
  readonly details?: Readonly<Record<string, unknown>>;
}

/** A step's status from its checks: any fail fails, else any warn warns, else pass (no checks: skip). */
export function statusOf(checks: readonly Check[]): Status {
  if (checks.length === 0) return 'skip';
  if (checks.some((check) => check.status === 'fail')) return 'fail';
  if (checks.some((check) => check.status === 'warn')) return 'warn';
  return 'pass';
}

/**
 * A step that does not apply to this system (a provider-only repository has no consumer tests, a
 * system without PostgreSQL no schema): skipped, never failed, with the reason in
 * `details.notApplicable` — apart from a step skipped because another failed.
 */
export function notApplicableStep(id: string, title: string, reason: string): GateStep {
  return { id, title, status: 'skip', durationMs: 0, checks: [], evidence: [], details: { notApplicable: reason, reason: `not applicable: ${reason}` } };
}

/** Why `step` does not apply to this system, or undefined when it does (or was not given). */
export function notApplicableReason(step: GateStep | undefined): string | undefined {
  const reason = step?.status === 'skip' ? step.details?.notApplicable : undefined;
  return typeof reason === 'string' ? reason : undefined;
}

/** The four sections of the integration-test plan's acceptance checklist. */
export type ChecklistSection = 'Functional' | 'Performance' | 'Contracts' | 'Documentation';

/** One checklist item, ticked or crossed from evidence (no evidence means crossed, never ticked), or not applicable to this system. */
export interface ChecklistItem {
  readonly section: ChecklistSection;
  readonly item: string;
  /** Ticked; false for a crossed item and for one that does not apply. */
  readonly ok: boolean;
  /** True when the item does not apply to this system (the reason says why): neither ticked nor crossed. */
  readonly notApplicable?: boolean;
  /** Why it is ticked or crossed, in one line (names the step and check that decided it). */
  readonly reason: string;
  /** The step ids and files that back the verdict. */
  readonly evidence: readonly Evidence[];
}

/** A component of the system under test, as the report's Scope lists it. */
export interface Component {
  readonly name: string;
  /** `service`, `database`, `cache`, `stream`, `external`. */
  readonly kind: string;
  readonly version?: string;
  readonly port?: number;
  readonly url?: string;
  /** For an external vendor: the service of the environment that stands in for it (a stub). */
  readonly via?: string;
}

/** A connection between two components (`API endpoint`, `database connection`, `message queue`, `external service`). */
export interface IntegrationPoint {
  readonly from: string;
  readonly to: string;
  readonly kind: string;
  /** The contract that governs it, when there is one. */
  readonly contract?: string;
}

/** A Mermaid diagram the report renders (sequence diagrams, the architecture flowchart). */
export interface Diagram {
  readonly title: string;
  readonly mermaid: string;
}

/**
 * The whole `accord gate` run: the integration-test plan filled in with evidence.
 * Step-specific material for the report travels in `GateStep.details` under these keys:
 * `diagrams: Diagram[]` (rendered with Mermaid), `charts: { title, svg }[]` (inline SVG).
 */
export interface AcceptanceReport {
  readonly ok: boolean;
  readonly startedAt: string;
  readonly durationMs: number;
  readonly scope: { readonly components: readonly Component[]; readonly integrationPoints: readonly IntegrationPoint[] };
  /** Where it ran: database and Redis kinds, ports, node version, machine noise figures. */
  readonly environment: Readonly<Record<string, string | number>>;
  /** Accord's own dependencies that the run relied on (name → version). */
  readonly dependencies: Readonly<Record<string, string>>;
  readonly steps: readonly GateStep[];
  readonly checklist: readonly ChecklistItem[];
}
