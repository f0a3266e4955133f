import type { Logger } from '@deploy-actions/core';

export type CacheSpec =
  | { kind: 'none' }
  /** Layers stored in a registry repository (ref is a full repository:tag for buildx, a repository for buildah). */
  | { kind: 'registry'; ref: string }
  /** The GitHub Actions cache: buildx's native type=gha, buildah's layer store through @actions/cache. */
  | { kind: 'gha'; scope: string };

export interface BuildSpec {
  context: string;
  file: string;
  target?: string;
  platforms: string[];
  buildArgs: Record<string, string>;
  /** Build secrets: ids and values; the values reach the builder through files or its environment, never argv. */
  secrets: Array<{ id: string; value: string }>;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** Full references (registry/repository:tag) to push the result to; empty: build only. */
  destinations: string[];
  cache: CacheSpec;
  /** Added to the builder's environment: DOCKER_CONFIG / REGISTRY_AUTH_FILE and the like. */
  env: Record<string, string>;
  /** A private folder for secret files and digest files; removed by the caller. */
  workDir: string;
  /** A folder with ca.crt for registries signed by a private CA. */
  certDir?: string;
  /** Cache key parts for type=gha (the content key keeps saved caches apart). */
  contentKey: string;
  /** The .dockerignore rules to apply (contentkey.ts ignoreRules: .git left out unless re-included). */
  ignoreRules: string[];
}

/** What to build: the part of a build the user describes (the action's inputs carry exactly these). */
export type BuildSource = Pick<BuildSpec, 'context' | 'file' | 'target' | 'platforms' | 'buildArgs' | 'secrets'>;

export interface BuildOutcome {
  /** Digest of what was pushed (the manifest, or the index for several platforms); undefined when nothing was pushed. */
  digest?: string;
  /** Cache problems that did not fail the build. */
  warnings: string[];
}

export interface BuildIo {
  log: Logger;
  signal?: AbortSignal;
  timeoutMs?: number;
}

/** One interface over docker buildx and buildah: the action picks one, the rest does not care. */
export interface Builder {
  readonly name: 'buildx' | 'buildah';
  /** The builder's version line, which also proves it is installed. */
  version(io: BuildIo): Promise<string>;
  build(spec: BuildSpec, io: BuildIo): Promise<BuildOutcome>;
}

export const BUILDERS = ['buildx', 'buildah'] as const;
export type BuilderName = (typeof BUILDERS)[number];

export function keyValueArgs(flag: string, values: Record<string, string>): string[] {
  return Object.entries(values).flatMap(([k, v]) => [flag, `${k}=${v}`]);
}
