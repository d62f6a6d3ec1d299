export { assertPact, pactProblems, parsePactJson, readPactFile, readPactFiles } from './read-pact-files.js';
export type { PactFile, PactJson, ReadPactFilesOptions } from './read-pact-files.js';
