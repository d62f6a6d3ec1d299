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
export { isInside, isWithin, projectBoundaries, realOrResolved, repositoryRootOf } from './boundary.js';
