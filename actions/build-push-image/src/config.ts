import { existsSync, statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { InputError, type Inputs, type RunContext } from '@deploy-actions/core/runner';
import {
  checkTemplate,
  computeMetadata,
  DEFAULT_OUTPUT_FORMAT,
  ExpressionError,
  gitContextFromRun,
  inputList,
  parseAnnotationLevels,
  parseFlavor,
  parseImages,
  parseTagRules,
  refAndSha,
  repoInfoFromRun,
  type ImageEntry,
  type Metadata,
  type MetadataInput,
  type OutputFormat,
} from '@deploy-actions/registry/metadata';
import {
  DOCKER_HUB,
  ecrRegistry,
  type ImageName,
  parseImageName,
  ReferenceError,
} from '@deploy-actions/registry/reference';
import type { BuildPushConfig } from '@deploy-actions/registry';
import { checkName, checkOptionalName } from '@deploy-actions/action-shared/names';

const BUILDERS = ['buildx', 'buildah'] as const;
const CACHES = ['gha', 'registry', 'none'] as const;
const GHCR = 'ghcr.io';
// docker buildx bake's grammar for target names.
const BAKE_TARGET = /^[a-zA-Z0-9_-]+$/;

/** The tags, labels and outputs as docker/metadata-action makes them; all a `build: false` step needs. */
export interface MetadataConfig {
  input: MetadataInput;
  prHeadSha: boolean;
  /** One clock reading for the whole step: the created label, {{date}} and the preview agree. */
  now: Date;
  format: OutputFormat;
  /** DOCKER_METADATA_SET_OUTPUT_ENV: also export each output as DOCKER_METADATA_OUTPUT_<NAME>. */
  exportOutputs: boolean;
  githubToken?: string;
  needsCommitDate: boolean;
  needsDefaultBranch: boolean;
  /** The metadata from the event payload alone, computed while the inputs are read so a bad rule fails first. */
  preview: Metadata;
}

/** The registry package's build-and-push settings (types only: nothing heavy is loaded to parse inputs), plus the action's own. */
export interface BuildSettings extends Pick<
  BuildPushConfig,
  | 'images'
  | 'context'
  | 'file'
  | 'target'
  | 'platforms'
  | 'buildArgs'
  | 'secrets'
  | 'push'
  | 'reuse'
  | 'cacheRef'
  | 'credentials'
  | 'ecrRegistries'
  | 'createRepositories'
  | 'releaseVersion'
  | 'ca'
  | 'tokenHosts'
  | 'retryTimeoutMs'
> {
  builder: (typeof BUILDERS)[number];
  cache: (typeof CACHES)[number];
  buildTimeoutMs: number;
}

export interface ActionConfig {
  metadata: MetadataConfig;
  /** Undefined with `build: false`: metadata only, no login, build or push. */
  build: BuildSettings | undefined;
}

/** Expression errors become input errors naming the input they came from. */
function expression<T>(input: string, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof ExpressionError || error instanceof ReferenceError) {
      throw new InputError(
        input,
        error.message,
        'see docs/actions/build-push-image.md for the syntax (it follows docker/metadata-action)',
      );
    }
    throw error;
  }
}

function pathInput(
  inputs: Inputs,
  name: string,
  workspace: string,
  kind: 'file' | 'folder',
  fallback?: string,
): string | undefined {
  const value = inputs.string(name) ?? fallback;
  if (value === undefined) return undefined;
  const path = isAbsolute(value) ? value : join(workspace, value);
  if (!existsSync(path))
    throw new InputError(name, `'${value}' does not exist`, `give a path relative to the workspace (${workspace})`);
  if (statSync(path).isDirectory() !== (kind === 'folder'))
    throw new InputError(name, `'${value}' is not a ${kind}`, `give the ${kind}, relative to the workspace`);
  return path;
}

/** A metadata-action list input, one entry per line, parsed as it parses it (CSV first: quotes around a whole field go). */
function list(inputs: Inputs, name: string): string[] {
  return expression(name, () => inputList(inputs.raw(name)));
}

/** metadata-action's boolean environment variables (Util.parseBool: true/false, 1/0, t/f in any of its cases). */
function envBool(name: string, fallback: boolean): boolean {
  const value = process.env[name];
  if (!value) return fallback;
  if (/^(true|True|TRUE|1|t|T)$/.test(value)) return true;
  if (/^(false|False|FALSE|0|f|F)$/.test(value)) return false;
  throw new InputError(name, `'${value}' is not a boolean`, 'set the environment variable to true or false');
}

const usesCommitDate = (text: string | undefined): boolean => !!text && /\{\{\{?~?\s*commit_date\b/.test(text);

function parseMetadata(
  inputs: Inputs,
  run: RunContext,
  images: ImageEntry[],
  githubToken: string | undefined,
): MetadataConfig {
  const tags = expression('tags', () => parseTagRules(list(inputs, 'tags')));
  const flavor = expression('flavor', () => parseFlavor(list(inputs, 'flavor')));
  const labels = list(inputs, 'labels');
  const annotations = list(inputs, 'annotations');
  for (const line of labels) expression('labels', () => checkTemplate(line));
  for (const line of annotations) expression('annotations', () => checkTemplate(line));
  const shortShaEnv = process.env.DOCKER_METADATA_SHORT_SHA_LENGTH;
  const shortShaLength = shortShaEnv ? Number(shortShaEnv) : undefined;
  if (shortShaLength !== undefined && !(Number.isInteger(shortShaLength) && shortShaLength > 0)) {
    throw new InputError(
      'DOCKER_METADATA_SHORT_SHA_LENGTH',
      `'${shortShaEnv}' is not a positive whole number`,
      'set it to e.g. 7, or unset it',
    );
  }
  const annotationLevels = expression('DOCKER_METADATA_ANNOTATIONS_LEVELS', () =>
    parseAnnotationLevels(process.env.DOCKER_METADATA_ANNOTATIONS_LEVELS),
  );
  const bakeTarget = inputs.string('bake-target') ?? DEFAULT_OUTPUT_FORMAT.bakeTarget;
  if (!BAKE_TARGET.test(bakeTarget))
    throw new InputError(
      'bake-target',
      `'${bakeTarget}' is not a bake target name`,
      'use letters, digits, - and _ only (docker buildx bake rejects other names)',
    );
  // metadata-action's separators keep whitespace and default to a newline when empty.
  const separator = (name: string): string => inputs.verbatim(name) || '\n';
  const prHeadShaInput = inputs.raw('pr-head-sha');
  const prHeadSha = prHeadShaInput
    ? inputs.bool('pr-head-sha')
    : /true/i.test(process.env.DOCKER_METADATA_PR_HEAD_SHA ?? '');
  const input: MetadataInput = { images, tags, flavor, labels, annotations, shortShaLength };
  const now = new Date();
  const preview = expression('tags', () =>
    computeMetadata(input, gitContextFromRun(run, { prHeadSha, now }), repoInfoFromRun(run), now),
  );
  const templates = [
    ...tags.flatMap((rule) => Object.values(rule.attrs)),
    flavor.prefix,
    flavor.suffix,
    ...labels,
    ...annotations,
  ];
  return {
    input,
    prHeadSha,
    now,
    format: {
      sepTags: separator('sep-tags'),
      sepLabels: separator('sep-labels'),
      sepAnnotations: separator('sep-annotations'),
      bakeTarget,
      annotationLevels,
    },
    exportOutputs: envBool('DOCKER_METADATA_SET_OUTPUT_ENV', true),
    githubToken,
    needsCommitDate: templates.some(usesCommitDate),
    needsDefaultBranch: tags.some((rule) => rule.type === 'edge' && !rule.attrs.branch),
    preview,
  };
}

export function parse(inputs: Inputs, run: RunContext): ActionConfig {
  const password = inputs.secret('password');
  const githubToken = inputs.secret('github-token');
  const secrets = Object.entries(inputs.secretMap('secrets')).map(([id, value]) => ({ id, value }));
  const build = inputs.bool('build');
  const imageEntries = expression('images', () => parseImages(list(inputs, 'images')));
  const metadata = parseMetadata(inputs, run, imageEntries, githubToken);
  if (!build) return { metadata, build: undefined };

  const images = imageEntries.filter((i) => i.enable).map((i) => expression('images', () => parseImageName(i.name)));
  if (!images.length)
    throw new InputError(
      'images',
      'no image to build for',
      'list at least one image repository, e.g. ghcr.io/owner/app; bare tags (no images) need build: false',
    );
  const builder = inputs.oneOf('builder', BUILDERS) ?? 'buildx';
  const push = inputs.bool('push');
  const context = pathInput(inputs, 'context', run.workspace, 'folder', '.')!;
  const file =
    pathInput(inputs, 'file', run.workspace, 'file') ??
    ['Dockerfile', 'Containerfile'].map((f) => join(context, f)).find((f) => existsSync(f));
  if (!file)
    throw new InputError(
      'file',
      `no Dockerfile or Containerfile in ${context}`,
      'set `file:` to the Dockerfile, relative to the workspace',
    );

  const ecrRegistries = inputs.lines('ecr-registries').map((line) => {
    const host = ecrRegistry(line);
    if (host) return host;
    const m = /^(\d{12}):([a-z0-9-]+)$/.exec(line);
    if (!m)
      throw new InputError(
        'ecr-registries',
        `'${line}' is not ACCOUNT:REGION`,
        'write e.g. 123456789012:eu-west-1, one per line',
      );
    return { accountId: m[1]!, region: m[2]! };
  });
  const credentials = push
    ? registryCredentials(inputs, images, {
        password,
        githubToken,
        actor: run.actor,
        deferToEcr: ecrRegistries.length > 0,
      })
    : {};

  const ca = inputs.fileText('registry-ca-file', run.workspace);
  const { ref } = refAndSha(run, metadata.prHeadSha);
  const releaseVersion =
    /^refs\/tags\//.test(ref) && metadata.input.flavor.latest === 'auto' ? ref.replace(/^refs\/tags\//, '') : undefined;
  return {
    metadata,
    build: {
      images,
      context,
      file,
      target: checkOptionalName('target', inputs.string('target'), 'buildStage'),
      platforms: inputs.list('platforms').map((platform) => checkName('platforms', platform, 'platform')),
      buildArgs: inputs.map('build-args'),
      secrets,
      builder,
      push,
      reuse: inputs.bool('reuse'),
      cache: inputs.oneOf('cache', CACHES) ?? 'gha',
      cacheRef: inputs.string('cache-ref'),
      credentials,
      ecrRegistries,
      createRepositories: inputs.bool('ecr-create-repository')
        ? { immutableTags: inputs.bool('ecr-immutable-tags'), scanOnPush: inputs.bool('ecr-scan-on-push') }
        : undefined,
      releaseVersion,
      ca,
      tokenHosts: inputs
        .list('registry-token-hosts')
        .map((host) => checkName('registry-token-hosts', host, 'hostName').toLowerCase()),
      buildTimeoutMs: inputs.duration('build-timeout', { min: 1000 }) ?? 45 * 60_000,
      retryTimeoutMs: inputs.duration('retry-timeout', { min: 0 }) ?? 120_000,
    },
  };
}

/** Who logs in where, decided before anything runs: a registry without credentials fails here. */
function registryCredentials(
  inputs: Inputs,
  images: ImageName[],
  given: { password?: string; githubToken?: string; actor: string; deferToEcr: boolean },
): BuildSettings['credentials'] {
  const username = inputs.string('username');
  const target = checkOptionalName('registry', inputs.string('registry'), 'registryHost');
  const targetRegistry = target ? expression('registry', () => parseImageName(`${target}/x`).registry) : undefined;
  if ((username && !given.password) || (!username && given.password)) {
    throw new InputError(
      username ? 'password' : 'username',
      'is empty while the other is set',
      'set both username and password, or neither',
    );
  }
  const out: BuildSettings['credentials'] = {};
  for (const { registry } of images) {
    if (out[registry] || ecrRegistry(registry)) continue;
    const applies =
      username &&
      given.password &&
      (targetRegistry ? targetRegistry === registry : registry !== GHCR || !given.githubToken);
    if (applies) out[registry] = { username: username!, password: given.password! };
    else if (registry === GHCR && given.githubToken)
      out[registry] = { username: given.actor || 'github-actions', password: given.githubToken };
    else if (!given.deferToEcr) {
      throw new InputError(
        'password',
        `no credentials for registry ${registry === DOCKER_HUB ? 'docker.io (Docker Hub)' : registry}`,
        `set username and password (from secrets) for it${targetRegistry ? ` and registry: ${registry}` : ''}, list it in ecr-registries, or set push: false`,
      );
    }
  }
  return out;
}
