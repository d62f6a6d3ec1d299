// The usage capability: who reads what. Consumer pacts (from a directory or the broker) held
// against a contract: each change of a diff annotated with the consumers it touches (and the
// `consumers` policy), and the per-operation, per-field usage report.
export { annotateDiff, diffWithConsumers } from './consumer-diff.js';
export type { ConsumerDiffOptions, ConsumerDiffResult } from './consumer-diff.js';
export { describeConsumerSource, loadConsumerPacts, parseConsumerSource } from './consumer-source.js';
export type { ConsumerSource, LoadConsumerPactsOptions } from './consumer-source.js';
export { contractUsage, usageOf } from './contract-usage.js';
export type { ContractUsageOptions, FieldUsage, OperationUsage, UsageReport, UsedBy } from './contract-usage.js';
export { fieldPaths } from './field-paths.js';
export { pactInteractions } from './pact-interactions.js';
export type { ConsumerPact, HttpInteraction, MessageInteraction, PactInteraction } from './pact-interactions.js';
export { renderUsageHtml, renderUsageMarkdown, renderUsageText, writeUsagePage } from './render-usage.js';
