import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import * as semver from 'semver';
import {
  leftovers,
  type Clock,
  type Logger,
  PermanentError,
  type SecretRegistry,
  oneLine,
  systemClock,
} from '@deploy-actions/core';
import type { AuthFile } from './auth/authfile';
import { type EcrApi, type EcrRegistry, type RepositorySettings, ecrLogin, ensureEcrRepositories } from './auth/ecr';
import type { Builder, BuildSource, BuildSpec, CacheSpec } from './builders/types';
import { withLayerCache } from './builders/gha-cache';
import { CONTENT_KEY_LABEL, contentKey, ignoreRules } from './contentkey';
import { type Credentials, RegistryClient } from './oci/client';
import { inspectImage } from './oci/inspect';
import { retagByDigest } from './oci/retag';
import { type ImageName, ecrRegistry } from './reference';

export type CacheMode = 'gha' | 'registry' | 'none';

export interface BuildPushConfig extends BuildSource {
  images: ImageName[];
  /** Tags to put on every image (metadata's tag names). */
  tags: string[];
  labels: Record<string, string>;
  annotations: Record<string, string>;
  push: boolean;
  /** Look for an image built from the same inputs and re-tag it instead of building. */
  reuse: boolean;
  cache: CacheMode;
  /** Registry cache repository:tag (buildx) / repository (buildah); default <first image>:buildcache / <first image>-cache. */
  cacheRef?: string;
  /** Credentials per registry host, from inputs (GHCR token, Docker Hub, any registry). */
  credentials: Record<string, Credentials>;
  /** ECR registries to log in to, besides those named by image hosts. */
  ecrRegistries: EcrRegistry[];
  /** Create missing ECR repositories with these settings; undefined: do not create. */
  createRepositories?: RepositorySettings;
  /** The version of a semver tag event: `latest` moves only when it is the highest in the repository. */
  releaseVersion?: string;
  /** Extra CA (PEM) for registries with a private CA. */
  ca?: string;
  /** Hosts besides each registry's own whose token service may receive its credentials. */
  tokenHosts?: string[];
  retryTimeoutMs: number;
  buildTimeoutMs?: number;
}

export interface BuildPushDeps {
  builder: Builder;
  authFile: AuthFile;
  ecr?: (region: string) => Promise<EcrApi>;
  secrets: SecretRegistry;
  log: Logger;
  clock?: Clock;
  signal?: AbortSignal;
  /** A private temp folder parent (the runner's temp). */
  tempDir: string;
  /** Where buildah keeps layers, for type=gha caching of them. */
  layerStore?: string;
}

export interface BuildPushResult {
  /** Digest of the first image; every image gets the same content, and usually the same digest. */
  digest?: string;
  /** repository@digest of the first image. */
  image?: string;
  /** Full references pushed (image:tag for every image and tag). */
  tags: string[];
  /** The labels the pushed image really carries (read back), or those asked for when nothing was pushed. */
  labels: Record<string, string>;
  platformDigests: Record<string, string>;
  /** image name -> digest, when there are several images. */
  digests: Record<string, string>;
  built: boolean;
  contentKey: string;
  contentTag: string;
  sizeBytes?: number;
  durationMs: number;
  /** Why an output is empty, keyed by output name. */
  emptyBecause: Record<string, string>;
  warnings: string[];
  /** Notes for the log and summary (latest held back, reuse found...). */
  notes: string[];
}

/** The tag under which each build is stored by its content key, so later runs can find it. */
export function contentTagFor(key: string): string {
  return `content-${key.slice(0, 32)}`;
}

/**
 * Build once, tag right, push anywhere: log in, look for an image built from the same inputs,
 * build and push it only when there is none, then point every tag at the digest through the
 * registry API and read the image back for the outputs.
 */
export async function buildPushImage(config: BuildPushConfig, deps: BuildPushDeps): Promise<BuildPushResult> {
  const clock = deps.clock ?? systemClock;
  const started = clock.now();
  const { log } = deps;
  const warnings: string[] = [];
  const notes: string[] = [];
  const emptyBecause: Record<string, string> = {};

  const key = contentKey({
    context: config.context,
    file: config.file,
    target: config.target,
    platforms: config.platforms,
    buildArgs: config.buildArgs,
    labels: config.labels,
    secretIds: config.secrets.map((s) => s.id),
    builder: deps.builder.name,
  });
  const contentTag = contentTagFor(key);
  log.info(`content key ${key}`);
  await deps.builder.version({ log, signal: deps.signal });

  const clients = new Map<string, RegistryClient>();
  if (config.push) {
    await logIn(config, deps);
    for (const image of config.images) {
      if (clients.has(image.registry)) continue;
      clients.set(
        image.registry,
        new RegistryClient({
          host: image.apiHost,
          credentials: deps.authFile.get(image.registry),
          ca: config.ca,
          tokenHosts: config.tokenHosts,
          secrets: deps.secrets,
          log,
          timeoutMs: config.retryTimeoutMs,
          clock: deps.clock,
          signal: deps.signal,
        }),
      );
    }
  }
  const clientFor = (image: ImageName): RegistryClient => clients.get(image.registry)!;

  // Reuse: an image already stored under this content key, whose label proves the same key.
  const digests: Record<string, string> = {};
  if (config.push && config.reuse) {
    for (const image of config.images) {
      const found = await clientFor(image).findManifest(image.repository, contentTag);
      if (!found) continue;
      const details = await inspectImage(clientFor(image), image.repository, found.digest);
      if (details.labels[CONTENT_KEY_LABEL] !== key) {
        notes.push(
          `${image.name}:${contentTag} exists but carries content key ${details.labels[CONTENT_KEY_LABEL] ?? '(none)'}; building anew`,
        );
        continue;
      }
      digests[image.name] = found.digest;
      log.info(`${image.name} already has an image for this content key: ${found.digest}`);
    }
  }
  const missing = config.images.filter((i) => !digests[i.name]);
  const built = !config.push || missing.length > 0;
  const labels = { ...config.labels, [CONTENT_KEY_LABEL]: key };
  if (built) {
    const destinations = config.push ? missing.map((i) => `${i.name}:${contentTag}`) : [];
    const outcome = await runBuild(config, deps, { key, labels, destinations });
    warnings.push(...outcome.warnings);
    if (config.push) {
      if (!outcome.digest) throw new PermanentError(`${deps.builder.name} pushed but reported no digest`);
      for (const image of missing) digests[image.name] = outcome.digest;
    }
  } else {
    notes.push(`reused the image built earlier from the same inputs (content key ${key.slice(0, 12)}); no build`);
  }

  if (!config.push) {
    const why = 'push is false: the image was built but not pushed, so it has no registry digest';
    for (const output of ['digest', 'image', 'platform-digests']) emptyBecause[output] = why;
    if (!config.tags.length) emptyBecause.tags = 'no tag rule produced a tag for this event';
    return {
      tags: config.images.flatMap((i) => config.tags.map((t) => `${i.name}:${t}`)),
      labels,
      platformDigests: {},
      digests,
      built,
      contentKey: key,
      contentTag,
      durationMs: clock.now() - started,
      emptyBecause,
      warnings,
      notes,
    };
  }

  let tags = [...config.tags];
  if (tags.includes('latest') && config.releaseVersion) {
    const first = config.images[0]!;
    const higher = await higherRelease(clientFor(first), first.repository, config.releaseVersion);
    if (higher) {
      tags = tags.filter((t) => t !== 'latest');
      notes.push(`latest not moved: ${first.name} already has ${higher}, higher than ${config.releaseVersion}`);
      log.info(notes[notes.length - 1]!);
    }
  }
  if (!tags.length)
    emptyBecause.tags = config.tags.length
      ? 'every tag was held back (see the log)'
      : 'no tag rule produced a tag for this event; the image is stored only under its content tag';
  for (const image of config.images) {
    await retagByDigest(clientFor(image), image.repository, digests[image.name]!, tags, log);
  }

  const first = config.images[0]!;
  const digest = digests[first.name]!;
  const details = await inspectImage(clientFor(first), first.repository, digest);
  return {
    digest,
    image: `${first.name}@${digest}`,
    tags: config.images.flatMap((i) => tags.map((t) => `${i.name}:${t}`)),
    labels: details.labels,
    platformDigests: details.platformDigests,
    digests,
    built,
    contentKey: key,
    contentTag,
    sizeBytes: details.sizeBytes,
    durationMs: clock.now() - started,
    emptyBecause,
    warnings,
    notes,
  };
}

async function logIn(config: BuildPushConfig, deps: BuildPushDeps): Promise<void> {
  for (const [registry, credentials] of Object.entries(config.credentials)) deps.authFile.set(registry, credentials);
  const ecr = [...config.ecrRegistries];
  for (const image of config.images) {
    const found = ecrRegistry(image.registry);
    if (found && !ecr.some((r) => r.accountId === found.accountId && r.region === found.region)) ecr.push(found);
  }
  if (ecr.length) {
    if (!deps.ecr) throw new PermanentError('ECR registries need the AWS SDK, which this caller did not provide');
    const logins = await ecrLogin(ecr, deps.ecr, deps.secrets, deps.log);
    for (const [host, credentials] of logins) deps.authFile.set(host, credentials);
    if (config.createRepositories) {
      const repos = config.images.flatMap((image) => {
        const registry = ecrRegistry(image.registry) ?? (logins.has(image.registry) ? ecr[0] : undefined);
        return registry ? [{ registry, name: image.repository }] : [];
      });
      await ensureEcrRepositories(repos, deps.ecr, config.createRepositories, deps.log);
    }
  }
  const without = config.images.filter((i) => !deps.authFile.get(i.registry));
  if (without.length) {
    throw new PermanentError(
      `no credentials for ${[...new Set(without.map((i) => i.registry))].join(', ')}: set username and password for it, or list it in ecr-registries`,
    );
  }
}

async function runBuild(
  config: BuildPushConfig,
  deps: BuildPushDeps,
  plan: { key: string; labels: Record<string, string>; destinations: string[] },
): Promise<{ digest?: string; warnings: string[] }> {
  const workDir = mkdtempSync(join(deps.tempDir, 'build-'));
  // It holds the build secrets' files: the post step removes it if this step dies before the finally.
  leftovers.addPath(workDir);
  try {
    let certDir: string | undefined;
    if (config.ca) {
      certDir = join(workDir, 'certs');
      mkdirSync(certDir);
      writeFileSync(join(certDir, 'ca.crt'), config.ca);
    }
    const first = config.images[0];
    const cache: CacheSpec =
      config.cache === 'registry' && first
        ? {
            kind: 'registry',
            ref:
              config.cacheRef ?? (deps.builder.name === 'buildx' ? `${first.name}:buildcache` : `${first.name}-cache`),
          }
        : config.cache === 'gha'
          ? { kind: 'gha', scope: first?.name ?? 'build' }
          : { kind: 'none' };
    const spec: BuildSpec = {
      context: config.context,
      file: config.file,
      target: config.target,
      platforms: config.platforms,
      buildArgs: config.buildArgs,
      secrets: config.secrets,
      labels: plan.labels,
      annotations: { ...config.annotations, [CONTENT_KEY_LABEL]: plan.key },
      destinations: plan.destinations,
      cache,
      env: deps.authFile.env(),
      workDir,
      certDir,
      contentKey: plan.key,
      ignoreRules: ignoreRules(config.context, config.file),
    };
    const io = { log: deps.log, signal: deps.signal, timeoutMs: config.buildTimeoutMs };
    if (cache.kind === 'gha' && deps.builder.name === 'buildah') {
      const store = deps.layerStore ?? '/var/lib/containers/storage';
      const prefix = `buildah-layers-${config.platforms.join('+') || 'default'}-`;
      const { result, warnings } = await withLayerCache([store], `${prefix}${plan.key}`, prefix, deps.log, () =>
        deps.builder.build({ ...spec, cache: { kind: 'none' } }, io),
      );
      return { digest: result.digest, warnings: [...warnings, ...result.warnings] };
    }
    return await deps.builder.build(spec, io);
  } finally {
    rmSync(workDir, { recursive: true, force: true });
    leftovers.removePath(workDir);
  }
}

/** The highest release tag in the repository above `version`, if any (prereleases do not count). */
async function higherRelease(client: RegistryClient, repository: string, version: string): Promise<string | undefined> {
  let tags: string[];
  try {
    tags = await client.listTags(repository);
  } catch (error) {
    throw new PermanentError(
      `cannot list tags of ${repository} to check that latest only moves forward: ${oneLine(error)}`,
      { cause: error },
    );
  }
  const current = semver.parse(version, { loose: true });
  if (!current) return undefined;
  let highest: semver.SemVer | undefined;
  let highestTag: string | undefined;
  for (const tag of tags) {
    const v = semver.parse(tag, { loose: true });
    if (!v || v.prerelease.length || semver.lte(v, current)) continue;
    if (!highest || semver.gt(v, highest)) {
      highest = v;
      highestTag = tag;
    }
  }
  return highestTag;
}
