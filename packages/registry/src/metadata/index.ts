export { ExpressionError, inputList } from './fields';
export {
  parseTagRule,
  parseTagRules,
  parseFlavor,
  parseImages,
  checkTemplate,
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
export {
  gitContextFromRun,
  commitDateFromPayload,
  repoInfoFromPayload,
  repoInfoFromRun,
  refAndSha,
  type RunFacts,
} from './context';
export { render, isRawStatement } from './template';
export {
  metadataOutputs,
  parseAnnotationLevels,
  outputVariable,
  BAKE_FILE_NAMES,
  DEFAULT_OUTPUT_FORMAT,
  type OutputFormat,
  type MetadataOutputs,
  type BakeFiles,
} from './outputs';
