import type { ResolvedConfig } from '../config/index.js';
import type { StartedEnvironment } from '../env/index.js';
import type { GateStep } from '../report/model.js';
import type { NotApplicable } from './applicability.js';
import type { GateConfig } from './gate-config.js';
import type { GateStepId } from './steps.js';
import type { ScenarioCatalog } from '../scenarios/index.js';

/** What a step learns while it runs, for progress output (the load pass's live rate, a scenario done). */
export type GateProgress =
  | { readonly type: 'start'; readonly id: GateStepId; readonly title: string }
  | { readonly type: 'detail'; readonly id: GateStepId; readonly text: string }
  | { readonly type: 'done'; readonly step: GateStep };

/** Everything a step may use; `environment` is set once the environment step has started it. */
export interface GateContext {
  readonly config: ResolvedConfig;
  readonly gate: GateConfig;
  /** Why each step that does not apply to this system does not (absent: it applies). */
  readonly notApplicable: NotApplicable;
  /** The broker the verify step reads the pacts from when gate.yaml says `verify.fromBroker` (unset: the environment's PACT_BROKER_*). */
  readonly broker: { readonly url?: string | undefined; readonly token?: string | undefined };
  /** Publish the broker pacts' verification results as this provider version (`--publish` with `verify.fromBroker`). */
  readonly publishVerification?: { readonly providerVersion: string; readonly branch?: string | undefined } | undefined;
  readonly root: string;
  /** Absolute report directory. */
  readonly reportDir: string;
  /** `git:REF[:PATH]` or a file (relative to root). */
  readonly baseline: string;
  /** A load profile name or file. */
  readonly profile: string;
  /** The git revision whose build the load step measures beside the candidate (`none`: the recorded file). @default load.yaml's baseline.ref, else the merge base with the main branch */
  readonly baselineRef?: string | undefined;
  environment: StartedEnvironment | undefined;
  /** When the environment step began (epoch ms): what a service wrote before it is not this run's. */
  environmentStartedAt?: number;
  /** The services the selected steps need (all when undefined): `--only schema` starts none, `--only verify` the provider. */
  readonly services: readonly string[] | undefined;
  /** Start the services on free ports, not their configured ones. */
  readonly freePorts: boolean;
  /** The team's scenario catalog (scenarios.yaml `catalog:`), loaded before anything starts; undefined when none is configured or the step is not selected. */
  scenarios?: ScenarioCatalog | undefined;
  /** Results so far, by id. */
  readonly steps: Map<GateStepId, GateStep>;
  readonly signal: AbortSignal;
  detail(text: string): void;
}
