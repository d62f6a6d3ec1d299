// The contract capability: OpenAPI load and lint, the breaking-change diff with its semver
// policy, and the pact ↔ OpenAPI check.
export { checkPact, checkPacts } from './check-pacts.js';
export type { CheckPactOptions, CheckPactsOptions, CheckPactsResult, PactFinding } from './check-pacts.js';
export { isKnownRule, ruleLevel } from './diff-context.js';
export type { ChangeLevel, ConsumerRef, ConsumerSummary, ConsumerTouch, ContractChange } from './diff-context.js';
export { diffContracts, diffDocuments, loadDiffPair } from './diff-contracts.js';
export type { DiffOptions, DiffResult, DiffSide } from './diff-contracts.js';
export { lintContract } from './lint.js';
export type { LintFinding, LintResult } from './lint.js';
export { loadContract } from './load-contract.js';
export type { OpenApiDocument, SwaggerDocument } from './openapi-document.js';
export type { LoadContractOptions } from './load-contract.js';
export { parseContract } from './parse-contract.js';
export type { AsyncApiContract, LoadedContract, OpenApiContract, ParseContractOptions, SpecKind, SwaggerContract } from './parse-contract.js';
export { isGitSpec, readContractSource } from './read-source.js';
export type { ContractSource, ReadSourceOptions } from './read-source.js';
export { formatConsumer, renderDiffGithub, renderDiffMarkdown, renderDiffText, renderLintText, renderPactsText } from './render.js';
export { actualBump, DIFF_POLICIES, parseSemver, requiredBump } from './semver-policy.js';
export type { Bump, DiffPolicy } from './semver-policy.js';
export { createPositionLookup } from './source-positions.js';
export type { PositionLookup, SourcePosition } from './source-positions.js';
export { toCheckPactsStep, toDiffStep, toLintStep } from './to-step.js';
export type { CheckPactsStepOptions, DiffStepOptions, StepTiming } from './to-step.js';
