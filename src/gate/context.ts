import type { ResolvedConfig } from '../config/index.js';
import type { StartedEnvironment } from '../env/index.js';
import type { GateStep } from '../report/model.js';
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
  readonly root: string;
  /** Absolute report directory. */
  readonly reportDir: string;
  /** `git:REF[:PATH]` or a file (relative to root). */
  readonly baseline: string;
  /** A load profile name or file. */
  readonly profile: string;
  environment: StartedEnvironment | undefined;
  /** When the environment step began (epoch ms): what a service wrote before it is not this run's. */
  environmentStartedAt?: number;
  /** The services the selected steps need (all when undefined): `--only schema` starts none, `--only verify` the provider. */
  readonly services: readonly string[] | undefined;
  /** The team's scenario catalog (scenarios.yaml `catalog:`), loaded before anything starts; undefined when none is configured or the step is not selected. */
  scenarios?: ScenarioCatalog | undefined;
  /** Results so far, by id. */
  readonly steps: Map<GateStepId, GateStep>;
  readonly signal: AbortSignal;
  detail(text: string): void;
}
