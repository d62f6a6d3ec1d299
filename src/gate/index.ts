// The acceptance pipeline: every gate in order on one environment, one report.
export { buildChecklist } from './checklist.js';
export type { ChecklistInput, ChecklistScenario } from './checklist.js';
export type { GateContext, GateProgress } from './context.js';
export { loadGateConfig } from './gate-config.js';
export type { GateConfig } from './gate-config.js';
export { plainProgress, ttyProgress } from './progress.js';
export type { GateProgressView } from './progress.js';
export { renderGateJunit, renderGateText, writeGateReport } from './render.js';
export { publishAndAsk } from './after-publish.js';
export { preparePublish, publishRun } from './publish-run.js';
export type { PublishOptions, PublishTarget } from './publish-run.js';
export { resetEnvironmentData } from './reset-data.js';
export { runGate, selectSteps } from './run-gate.js';
export type { GateResult, RunGateOptions } from './run-gate.js';
export { architectureDiagram, scopeOf } from './scope.js';
export type { GateScope } from './scope.js';
export { GATE_STEP_IDS, GATE_STEPS, isGateStepId } from './steps.js';
export type { GateStepId, GateStepInfo } from './steps.js';
