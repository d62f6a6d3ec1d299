export { createDatabaseReset } from './database-reset.js';
export { loadMessageConformance } from './message-contract.js';
export type { MessageConformance } from './message-contract.js';
export { defineMessageProviders, isMessageProviders } from './message-providers.js';
export type { BuiltMessage, MessageBuilder, MessageProviders, MessageStateFunction } from './message-providers.js';
export type { DatabaseReset, DatabaseResetOptions } from './database-reset.js';
export { loadPactFiles, parsePact } from './pact-files.js';
export type { LoadPactFilesOptions, PactFileSummary, PactInteractionSummary, PactProviderState } from './pact-files.js';
export { defineProviderStates, isProviderStates } from './provider-states.js';
export type {
  DefineProviderStatesOptions,
  FilteredRequest,
  ProviderHook,
  ProviderRequestFilter,
  ProviderStateContext,
  ProviderStateFunction,
  ProviderStateHandler,
  ProviderStateParams,
  ProviderStatePostgres,
  ProviderStates,
} from './provider-states.js';
export { renderVerifyJunit, renderVerifyText } from './render-verify.js';
export { loadProviderStates, runVerificationLive } from './run-verify.js';
export type { RunVerificationLiveOptions } from './run-verify.js';
export { startRecordingProxy } from './recording-proxy.js';
export type { ProxyAnswer, RecordedExchange, RecordingProxyOptions, StartedRecordingProxy } from './recording-proxy.js';
export { loadResponseConformance } from './response-conformance.js';
export type { ResponseConformance } from './response-conformance.js';
export { parseVerifierReport } from './verifier-report.js';
export type { ReportedInteraction, VerifierReport } from './verifier-report.js';
export { assertStatesDefined, runVerification } from './verify-provider.js';
export type { PactSource, PublishOptions, RunVerificationOptions } from './verify-provider.js';
export { verifyProvider } from './verify-in-process.js';
export type { VerifyProviderBroker, VerifyProviderOptions } from './verify-in-process.js';
export { verifyMessages } from './verify-messages.js';
export type { VerifyMessagesOptions } from './verify-messages.js';
export { toVerifyJson } from './verify-result.js';
export type { VerifiedInteraction, VerifyMismatch, VerifyResult } from './verify-result.js';
export { toVerifyStep } from './to-step.js';
export type { VerifyStepOptions } from './to-step.js';
