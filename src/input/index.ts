export {
  MAX_CONFIG_BYTES,
  MAX_DOCUMENT_BYTES,
  MAX_INTERACTIONS,
  MAX_NESTING_DEPTH,
  MAX_OPERATIONS,
  MAX_PATHS,
  MAX_YAML_ALIASES,
  MAX_YAML_BYTES,
  assertDocumentSize,
  assertNestingDepth,
  isStackOverflow,
  jsonSyntaxError,
  nestingDepth,
  parseBoundedJson,
  parseBoundedYaml,
  shown,
  textNestingDepth,
  tooDeep,
} from './limits.js';
export type { BoundedYaml } from './limits.js';
export { DUPLICATE_KEY_REASON, firstDuplicateKeyOffset } from './duplicate-keys.js';
export { OFF_THREAD_BYTES, parseOffThread } from './parse-off-thread.js';
export { parseBoundedText } from './parse-text.js';
export type { ParseTextRequest, ParsedText, TextFormat } from './parse-text.js';
export { isInside, isWithin, projectBoundaries, realOrResolved, repositoryRootOf } from './boundary.js';
