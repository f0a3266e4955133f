export * from './metadata/index';
export { parseImageName, isValidTag, ecrRegistry, ReferenceError, DOCKER_HUB, type ImageName } from './reference';
export { RegistryClient, sha256Digest, MANIFEST_TYPES, type Credentials, type Manifest } from './oci/client';
export { retagByDigest } from './oci/retag';
export { inspectImage, type ImageDetails } from './oci/inspect';
export { AuthFile, removeAuthDir } from './auth/authfile';
export { ecrLogin, ensureEcrRepositories, type EcrApi, type EcrRegistry, type RepositorySettings } from './auth/ecr';
export { BuildxBuilder } from './builders/buildx';
export { BuildahBuilder, type BuildahOptions } from './builders/buildah';
export {
  BUILDERS,
  type Builder,
  type BuilderName,
  type BuildSource,
  type BuildSpec,
  type CacheSpec,
} from './builders/types';
export { contentKey, contextFiles, CONTENT_KEY_LABEL, VOLATILE_LABELS } from './contentkey';
export {
  buildPushImage,
  contentTagFor,
  type BuildPushConfig,
  type BuildPushDeps,
  type BuildPushResult,
  type CacheMode,
} from './build-push';
