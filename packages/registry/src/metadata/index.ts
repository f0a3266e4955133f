export { ExpressionError } from './fields';
export {
  parseTagRule,
  parseTagRules,
  parseFlavor,
  parseImages,
  DEFAULT_TAG_RULES,
  TAG_TYPES,
  type TagRule,
  type Flavor,
  type ImageEntry,
} from './expressions';
export {
  computeMetadata,
  sanitizeTag,
  keyValueRecord,
  type Metadata,
  type MetadataInput,
  type GitContext,
  type RepoInfo,
  type Version,
} from './meta';
export { gitContextFromRun, repoInfoFromRun, type RunFacts } from './context';
export { render, isRawStatement } from './template';
