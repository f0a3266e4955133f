import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
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
import {
  BAKE_FILE_NAMES,
  computeMetadata,
  keyValueRecord,
  type Metadata,
  metadataOutputs,
  outputVariable,
} from '@deploy-actions/registry/metadata';
import { resolveFacts } from '@deploy-actions/registry/metadata/github';
import type { ActionConfig, BuildSettings, MetadataConfig } from './config';

const AUTH_DIR_STATE = 'authDir';
/** Deadline for one GitHub API call, retries included. */
const API_TIMEOUT_MS = 60_000;

export async function run(ctx: ActionContext, config: ActionConfig): Promise<void> {
  const meta = await metadata(ctx, config.metadata);
  if (!config.build) {
    const why = 'build is false: only the metadata was computed';
    for (const name of ['digest', 'image', 'platform-digests', 'built', 'content-key', 'pushed-tags']) {
      ctx.outputs.set(name, '');
      ctx.log.info(`output ${name} is empty: ${why}`);
    }
    ctx.summary.append(metadataSummary(meta));
    return;
  }
  const result = await build(ctx, config.build, meta);
  setBuildOutputs(ctx, result);
  ctx.summary.append(summary(config.build, result));
}

/**
 * The tags and labels with the facts the payload lacked (from the GitHub API), then every output
 * docker/metadata-action sets, in its order, also exported as DOCKER_METADATA_OUTPUT_* variables.
 */
async function metadata(ctx: ActionContext, config: MetadataConfig): Promise<Metadata> {
  const { log } = ctx;
  const facts = await resolveFacts(ctx.run, {
    prHeadSha: config.prHeadSha,
    now: config.now,
    needsCommitDate: config.needsCommitDate,
    needsDefaultBranch: config.needsDefaultBranch,
    api: {
      apiUrl: ctx.run.apiUrl,
      token: config.githubToken,
      cacheDir: ctx.run.runnerTemp,
      log,
      timeoutMs: API_TIMEOUT_MS,
      signal: ctx.signal,
    },
  });
  for (const warning of facts.warnings) log.warning(warning);
  log.info(`facts: ${facts.sources.join(', ')}; commit date ${facts.git.commitDate.toISOString()}`);
  const meta = computeMetadata(config.input, facts.git, facts.repo, config.now);
  for (const note of meta.notes) log.info(note);
  for (const warning of meta.warnings) log.warning(warning);
  // metadata-action's two warnings, word for word, for logs and alerts that look for them.
  if (!meta.version.main) log.warning('No Docker image version has been generated. Check tags input.');
  if (!meta.tags.length) log.warning('No Docker tag has been generated. Check tags input.');

  const outputs = metadataOutputs(meta, config.format);
  // Like metadata-action, the bake definitions are files in the runner's temp folder; the outputs are their paths.
  const bakeDir = mkdtempSync(join(ctx.run.runnerTemp, 'docker-metadata-action-'));
  const bakePaths = Object.fromEntries(
    Object.entries(outputs.bakeFiles).map(([name, content]) => {
      const path = join(bakeDir, BAKE_FILE_NAMES[name as keyof typeof BAKE_FILE_NAMES]);
      writeFileSync(path, content);
      return [name, path];
    }),
  );
  const values: Record<string, string> = {
    ...outputs.values,
    'bake-file-tags': bakePaths['bake-file-tags']!,
    'bake-file-labels': bakePaths['bake-file-labels']!,
    'bake-file-annotations': bakePaths['bake-file-annotations']!,
    'bake-file': bakePaths['bake-file']!,
  };
  for (const [name, value] of Object.entries(values)) {
    ctx.outputs.set(name, value);
    if (config.exportOutputs) ctx.variables.export(outputVariable(name), value);
  }
  log.info(`version: ${values.version || '(none)'}`);
  log.info(`tags: ${meta.tags.join(', ') || '(none)'}`);
  return meta;
}

async function build(ctx: ActionContext, config: BuildSettings, meta: Metadata): Promise<BuildPushResult> {
  const authFile = AuthFile.create(ctx.run.runnerTemp);
  // Saved first, so the post step removes the file even if everything below fails.
  ctx.state.save(AUTH_DIR_STATE, authFile.dir);
  const builder = config.builder === 'buildah' ? new BuildahBuilder() : new BuildxBuilder();
  const result = await buildPushImage(
    {
      images: config.images,
      tags: meta.tagNames,
      labels: keyValueRecord(meta.labels),
      annotations: keyValueRecord(meta.annotations),
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
      log: ctx.log,
      signal: ctx.signal,
      tempDir: ctx.run.runnerTemp,
      // The AWS SDK is loaded only when an ECR registry is in play.
      ecr: async (region) => (await import('@deploy-actions/registry/ecr-sdk')).sdkEcrApi(region),
    },
  );
  for (const note of result.notes) ctx.log.info(note);
  return result;
}

function setBuildOutputs(ctx: ActionContext, result: BuildPushResult): void {
  const outputs: Record<string, string> = {
    digest: result.digest ?? '',
    image: result.image ?? '',
    'pushed-tags': result.digest ? result.tags.join('\n') : '',
    'platform-digests': result.digest ? JSON.stringify(result.platformDigests) : '',
    built: String(result.built),
    'content-key': result.contentKey,
  };
  const emptyBecause: Record<string, string> = {
    ...result.emptyBecause,
    'pushed-tags': result.emptyBecause.tags ?? result.emptyBecause.digest ?? 'nothing was pushed',
  };
  for (const [name, value] of Object.entries(outputs)) {
    ctx.outputs.set(name, value);
    if (!value) ctx.log.info(`output ${name} is empty: ${emptyBecause[name] ?? 'nothing to report'}`);
  }
}

function metadataSummary(meta: Metadata): string {
  return [
    `### build-push-image: metadata only (version ${meta.version.main ? `\`${meta.version.main}\`` : 'none'})\n`,
    markdown.table(
      ['Tag'],
      meta.tags.map((t) => [`\`${t}\``]),
    ),
    markdown.table(
      ['Label', 'Value'],
      meta.labels.map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    ),
  ].join('\n');
}

function summary(config: BuildSettings, result: BuildPushResult): string {
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
