import { formatDuration, markdown } from '@deploy-actions/core';
import type { ActionContext } from '@deploy-actions/core/runner';
import {
  AuthFile,
  BuildahBuilder,
  BuildxBuilder,
  buildPushImage,
  removeAuthDir,
  type BuildPushResult,
} from '@deploy-actions/registry';
import { keyValueRecord } from '@deploy-actions/registry/metadata';
import type { ActionConfig } from './config';

const AUTH_DIR_STATE = 'authDir';

export async function run(ctx: ActionContext, config: ActionConfig): Promise<void> {
  const { log } = ctx;
  const meta = config.metadata;
  for (const note of meta.notes) log.info(note);
  log.info(`tags from the rules: ${meta.tagNames.join(', ') || '(none)'}`);

  const authFile = AuthFile.create(ctx.run.runnerTemp);
  // Saved first, so the post step removes the file even if everything below fails.
  ctx.state.save(AUTH_DIR_STATE, authFile.dir);
  const builder = config.builder === 'buildah' ? new BuildahBuilder() : new BuildxBuilder();
  const result = await buildPushImage(
    {
      images: config.images,
      tags: meta.tagNames,
      labels: keyValueRecord(meta.labels),
      annotations: config.annotations,
      context: config.context,
      file: config.file,
      target: config.target,
      platforms: config.platforms,
      buildArgs: config.buildArgs,
      secrets: config.secrets,
      push: config.push,
      reuse: config.reuse,
      cache: config.cache,
      cacheRef: config.cacheRef,
      credentials: config.credentials,
      ecrRegistries: config.ecrRegistries,
      createRepositories: config.createRepositories,
      releaseVersion: config.releaseVersion,
      ca: config.ca,
      retryTimeoutMs: config.retryTimeoutMs,
      buildTimeoutMs: config.buildTimeoutMs,
    },
    {
      builder,
      authFile,
      secrets: ctx.secrets,
      log,
      signal: ctx.signal,
      tempDir: ctx.run.runnerTemp,
      // The AWS SDK is loaded only when an ECR registry is in play.
      ecr: async (region) => (await import('@deploy-actions/registry/ecr-sdk')).sdkEcrApi(region),
    },
  );

  for (const note of result.notes) log.info(note);
  setOutputs(ctx, config, result);
  ctx.summary.append(summary(config, result));
}

function setOutputs(ctx: ActionContext, config: ActionConfig, result: BuildPushResult): void {
  const outputs: Record<string, string> = {
    digest: result.digest ?? '',
    image: result.image ?? '',
    tags: result.tags.join('\n'),
    labels: Object.entries(result.labels)
      .map(([k, v]) => `${k}=${v}`)
      .join('\n'),
    annotations: config.metadata.annotations.join('\n'),
    'platform-digests': result.digest ? JSON.stringify(result.platformDigests) : '',
    built: String(result.built),
    'content-key': result.contentKey,
    version: config.metadata.version.main ?? '',
  };
  const emptyBecause: Record<string, string> = {
    ...result.emptyBecause,
    version: 'no tag rule produced a version for this event',
  };
  for (const [name, value] of Object.entries(outputs)) {
    ctx.outputs.set(name, value);
    if (!value) ctx.log.info(`output ${name} is empty: ${emptyBecause[name] ?? 'nothing to report'}`);
  }
}

function summary(config: ActionConfig, result: BuildPushResult): string {
  const size = result.sizeBytes === undefined ? '' : `${(result.sizeBytes / 1024 / 1024).toFixed(1)} MiB`;
  const rows = config.images.map((image) => [
    image.name,
    result.digests[image.name] ? `\`${result.digests[image.name]}\`` : (result.emptyBecause.digest ?? ''),
    result.tags
      .filter((t) => t.startsWith(`${image.name}:`))
      .map((t) => `\`${t.slice(image.name.length + 1)}\``)
      .join(' ') || '(none)',
    size,
    result.built ? 'built' : 'reused',
    formatDuration(result.durationMs),
  ]);
  const parts = [
    `### build-push-image: ${result.built ? 'built' : 'reused'} ${result.image ?? config.images[0]!.name}\n`,
    markdown.table(['Image', 'Digest', 'Tags', 'Size', 'Built or reused', 'Time'], rows),
  ];
  if (Object.keys(result.platformDigests).length > 1) {
    parts.push(
      markdown.table(
        ['Platform', 'Digest'],
        Object.entries(result.platformDigests).map(([p, d]) => [p, `\`${d}\``]),
      ),
    );
  }
  const notes = [...result.notes, ...result.warnings.map((w) => `⚠️ ${w}`)];
  if (notes.length) parts.push(notes.map((n) => `- ${n}`).join('\n') + '\n');
  return parts.join('\n');
}

/** The post step: the per-job credentials go with the job. */
export function logout(ctx: ActionContext): void {
  const dir = ctx.state.get(AUTH_DIR_STATE);
  if (removeAuthDir(dir)) ctx.log.info("logged out: removed the job's registry credentials");
  else ctx.log.info('no registry credentials to remove');
}
