import { existsSync, statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { InputError, type Inputs, type RunContext } from '@deploy-actions/core/runner';
import {
  computeMetadata,
  ExpressionError,
  keyValueRecord,
  gitContextFromRun,
  parseFlavor,
  parseImages,
  parseTagRules,
  repoInfoFromRun,
  type Metadata,
} from '@deploy-actions/registry/metadata';
import {
  DOCKER_HUB,
  ecrRegistry,
  type ImageName,
  parseImageName,
  ReferenceError,
} from '@deploy-actions/registry/reference';
import type { BuildPushConfig } from '@deploy-actions/registry';

const BUILDERS = ['buildx', 'buildah'] as const;
const CACHES = ['gha', 'registry', 'none'] as const;
const GHCR = 'ghcr.io';

/** The registry package's build-and-push settings (types only: nothing heavy is loaded to parse inputs), plus the action's own. */
export interface ActionConfig extends Pick<
  BuildPushConfig,
  | 'images'
  | 'annotations'
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
  metadata: Metadata;
  builder: (typeof BUILDERS)[number];
  cache: (typeof CACHES)[number];
  buildTimeoutMs: number;
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

/** A Dockerfile stage name (FROM ... AS name), as BuildKit accepts it. */
const BUILD_STAGE = {
  pattern: /^[A-Za-z][A-Za-z0-9_.-]{0,127}$/,
  rule: "a stage name: a letter, then letters, digits, '_', '.' and '-'",
};
/** A registry host with an optional port, as in an image reference. */
const REGISTRY_HOST = {
  pattern: /^(?=.{1,255}$)[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:\d{1,5})?$/,
  rule: 'a registry host such as ghcr.io or registry.example.com:5000',
};

function grammarInput(inputs: Inputs, name: string, grammar: { pattern: RegExp; rule: string }): string | undefined {
  const value = inputs.string(name);
  if (value !== undefined && !grammar.pattern.test(value))
    throw new InputError(name, `'${value}' is not valid here`, `use ${grammar.rule}`);
  return value;
}

/** A bare host name, as compared against a token realm's host. */
function hostInput(name: string, host: string): string {
  if (
    !/^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$/.test(host) ||
    host.length > 253
  )
    throw new InputError(name, `'${host}' is not a host name`, 'list bare host names such as auth.example.com');
  return host.toLowerCase();
}

export function parse(inputs: Inputs, run: RunContext): ActionConfig {
  const password = inputs.secret('password');
  const githubToken = inputs.secret('github-token');
  const secrets = Object.entries(inputs.secretMap('secrets')).map(([id, value]) => ({ id, value }));
  inputs.required('images');
  const images = expression('images', () => parseImages(inputs.lines('images')))
    .filter((i) => i.enable)
    .map((i) => expression('images', () => parseImageName(i.name)));
  if (!images.length)
    throw new InputError('images', 'no image to push', 'list at least one image repository, e.g. ghcr.io/owner/app');
  const builder = inputs.oneOf('builder', BUILDERS) ?? 'buildx';
  const push = inputs.bool('push');
  const tagRules = expression('tags', () => parseTagRules(inputs.lines('tags')));
  const flavor = expression('flavor', () => parseFlavor(inputs.lines('flavor')));
  const now = new Date();
  const git = gitContextFromRun(run, { prHeadSha: inputs.bool('pr-head-sha'), now });
  const shortShaEnv = process.env.DOCKER_METADATA_SHORT_SHA_LENGTH;
  const shortShaLength = shortShaEnv ? Number(shortShaEnv) : undefined;
  if (shortShaLength !== undefined && !(Number.isInteger(shortShaLength) && shortShaLength > 0)) {
    throw new InputError(
      'DOCKER_METADATA_SHORT_SHA_LENGTH',
      `'${shortShaEnv}' is not a positive whole number`,
      'set it to e.g. 7, or unset it',
    );
  }
  const metadata = expression('tags', () =>
    computeMetadata(
      {
        images: images.map((i) => ({ name: i.name, enable: true })),
        tags: tagRules,
        flavor,
        labels: inputs.lines('labels'),
        annotations: inputs.lines('annotations'),
        shortShaLength,
      },
      git,
      repoInfoFromRun(run),
      now,
    ),
  );

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
  const releaseVersion =
    /^refs\/tags\//.test(git.ref) && flavor.latest === 'auto' ? git.ref.replace(/^refs\/tags\//, '') : undefined;
  return {
    images,
    metadata,
    annotations: keyValueRecord(metadata.annotations),
    context,
    file,
    target: grammarInput(inputs, 'target', BUILD_STAGE),
    platforms: inputs.list('platforms').map((platform) => {
      if (!/^[a-z0-9_]+\/[a-z0-9_]+(\/[a-z0-9_.]+)?$/.test(platform))
        throw new InputError(
          'platforms',
          `'${platform}' is not a platform`,
          'use os/arch[/variant], e.g. linux/amd64,linux/arm64',
        );
      return platform;
    }),
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
    tokenHosts: inputs.list('registry-token-hosts').map((host) => hostInput('registry-token-hosts', host)),
    buildTimeoutMs: inputs.duration('build-timeout', { min: 1000 }) ?? 45 * 60_000,
    retryTimeoutMs: inputs.duration('retry-timeout', { min: 0 }) ?? 120_000,
  };
}

/** Who logs in where, decided before anything runs: a registry without credentials fails here. */
function registryCredentials(
  inputs: Inputs,
  images: ImageName[],
  given: { password?: string; githubToken?: string; actor: string; deferToEcr: boolean },
): ActionConfig['credentials'] {
  const username = inputs.string('username');
  const target = grammarInput(inputs, 'registry', REGISTRY_HOST);
  const targetRegistry = target ? expression('registry', () => parseImageName(`${target}/x`).registry) : undefined;
  if ((username && !given.password) || (!username && given.password)) {
    throw new InputError(
      username ? 'password' : 'username',
      'is empty while the other is set',
      'set both username and password, or neither',
    );
  }
  const out: ActionConfig['credentials'] = {};
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
