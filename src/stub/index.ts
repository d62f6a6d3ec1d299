// The stub capability: services that are not ours, served and mocked from their OpenAPI.
export { checkExchanges, checkRecorded, readRecording } from './check-recorded.js';
export type { CheckRecordedOptions } from './check-recorded.js';
export { loadContractEngine } from './contract-engine.js';
export type { ContractEngine, EngineRequest, ExampleAnswer, Violation } from './contract-engine.js';
export { contractNock } from './contract-nock.js';
export type { ContractInterceptor, ContractNockOptions, ContractScope, MockedReply, MockedRequest } from './contract-nock.js';
export { createExchangeLog, RECORDING_FLUSH_MS } from './exchange-log.js';
export type { Exchange, ExchangeLog, ExchangeOutcome } from './exchange-log.js';
export { FAULT_MODES, NO_FAULT, parseFault } from './faults.js';
export type { Fault, FaultMode } from './faults.js';
export { parsePrefer } from './prefer.js';
export type { Preference } from './prefer.js';
export { ADMIN_PREFIX, startStub } from './start-stub.js';
export type { StartedStub, StubOptions } from './start-stub.js';
