import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryLogger, SecretRegistry } from '@deploy-actions/core';
import { startRegistry } from '../../../scripts/lib/services.mjs';
import { createBuildahEnv } from '../../../scripts/lib/buildah.mjs';
import { writeAppContext, type BuildahEnv } from '../../../test/support/buildah';
import {
  AuthFile,
  BuildahBuilder,
  BuildxBuilder,
  CONTENT_KEY_LABEL,
  RegistryClient,
  buildPushImage,
  contentKey,
  contextFiles,
  inspectImage,
  parseImageName,
  removeAuthDir,
  type BuildPushConfig,
} from '../src/index';
import { tagDigest } from './helpers';

type Registry = Awaited<ReturnType<typeof startRegistry>>;
const NPM_TOKEN = 'npm-secret-token-4242';

describe('build, push and reuse with buildah and a real registry (htpasswd + TLS)', () => {
  let registry: Registry;
  let buildah: BuildahEnv;
  let work: string;
  const savedEnv = { ...process.env };

  beforeAll(async () => {
    buildah = createBuildahEnv();
    Object.assign(process.env, buildah.env);
    registry = await startRegistry();
    work = mkdtempSync(join(tmpdir(), 'build-push-'));
  }, 120_000);
  afterAll(async () => {
    process.env = savedEnv;
    await registry?.stop();
    buildah?.cleanup();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  const setup = (context: string, overrides: Partial<BuildPushConfig> = {}) => {
    const image = parseImageName(`${registry.host}/Acme/Shop`);
    const config: BuildPushConfig = {
      images: [image],
      tags: ['sha-0123456', 'main'],
      labels: {
        'org.opencontainers.image.revision': '0123456789',
        'org.opencontainers.image.source': 'https://github.com/acme/shop',
      },
      annotations: {},
      context,
      file: join(context, 'Containerfile'),
      platforms: [],
      buildArgs: { GREETING: 'hi' },
      secrets: [{ id: 'npm_token', value: NPM_TOKEN }],
      push: true,
      reuse: true,
      cache: 'none',
      credentials: { [registry.host]: { username: registry.username, password: registry.password } },
      ecrRegistries: [],
      ca: registry.ca,
      retryTimeoutMs: 20_000,
      ...overrides,
    };
    const secrets = new SecretRegistry();
    secrets.add(NPM_TOKEN);
    const log = new MemoryLogger();
    const authFile = AuthFile.create(work);
    const deps = {
      builder: new BuildahBuilder({ signaturePolicy: buildah.signaturePolicy }),
      authFile,
      secrets,
      log,
      tempDir: work,
      layerStore: buildah.graphRoot,
    };
    return { config, deps, log, image, authFile };
  };
  const client = () =>
    new RegistryClient({
      host: registry.host,
      credentials: { username: registry.username, password: registry.password },
      ca: registry.ca,
      secrets: new SecretRegistry(),
      log: new MemoryLogger(),
    });

  test('first run builds and pushes; the registry holds the digest, tags and labels', async () => {
    const context = writeAppContext(work, { base: buildah.baseImage });
    const { config, deps, log, authFile } = setup(context);
    const result = await buildPushImage(config, deps);
    expect(result.built).toBe(true);
    expect(result.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(result.image).toBe(`${registry.host}/acme/shop@${result.digest}`);
    expect(result.tags).toEqual([`${registry.host}/acme/shop:sha-0123456`, `${registry.host}/acme/shop:main`]);
    for (const tag of ['sha-0123456', 'main', result.contentTag])
      expect(await tagDigest(registry, 'acme/shop', tag)).toBe(result.digest);
    // Read back independently of the result: labels on the config, the content key among them.
    const details = await inspectImage(client(), 'acme/shop', result.digest!);
    expect(details.labels).toMatchObject({
      'org.opencontainers.image.revision': '0123456789',
      [CONTENT_KEY_LABEL]: result.contentKey,
    });
    expect(result.labels).toEqual(details.labels);
    expect(Object.keys(result.platformDigests)).toEqual(['linux/amd64']);
    expect(result.sizeBytes).toBeGreaterThan(500_000);
    // Credentials went to the auth file only; secrets never into the log.
    expect(JSON.parse(readFileSync(authFile.path, 'utf8')).auths[registry.host].auth).toBe(
      Buffer.from(`${registry.username}:${registry.password}`).toString('base64'),
    );
    const logText = log.messages().join('\n');
    expect(logText).not.toContain(NPM_TOKEN);
    expect(logText).not.toContain(registry.password);
    expect(logText).toMatch(/buildah build .*--secret id=npm_token,src=\S+secret-0/);
    removeAuthDir(authFile.dir);
    expect(existsSync(authFile.path)).toBe(false);
  }, 180_000);

  test('second run of the same source: no build, re-tagged by digest through the registry API', async () => {
    const context = writeAppContext(work, { version: 'reuse', base: buildah.baseImage });
    const first = await buildPushImage(setup(context).config, setup(context).deps);
    expect(first.built).toBe(true);
    // A new commit with the same files: other revision label, new tags.
    const { config, deps, log } = setup(context, {
      tags: ['sha-89abcde', 'v1.2.0', 'latest'],
      labels: {
        'org.opencontainers.image.revision': '89abcdef',
        'org.opencontainers.image.source': 'https://github.com/acme/shop',
      },
    });
    const second = await buildPushImage(config, deps);
    expect(second.built).toBe(false);
    expect(second.digest).toBe(first.digest);
    expect(log.messages().some((m) => m.startsWith('buildah build'))).toBe(false);
    for (const tag of ['sha-89abcde', 'v1.2.0', 'latest'])
      expect(await tagDigest(registry, 'acme/shop', tag)).toBe(first.digest);
    // The outputs tell the truth: the image's labels are those of the build that made it.
    expect(second.labels['org.opencontainers.image.revision']).toBe('0123456789');
    expect(second.notes.join('\n')).toMatch(/reused the image built earlier/);
  }, 180_000);

  test('a changed file builds anew; an ignored one does not change the key', async () => {
    const context = writeAppContext(work, { version: 'change', base: buildah.baseImage });
    const { config } = setup(context);
    const key = (): string =>
      contentKey({
        context,
        file: config.file,
        platforms: [],
        buildArgs: config.buildArgs,
        labels: config.labels,
        secretIds: ['npm_token'],
        builder: 'buildah',
      });
    const before = key();
    expect(contextFiles(context)).toEqual(['.dockerignore', 'Containerfile', 'app.txt']);
    writeFileSync(join(context, 'notes.md'), 'edited notes\n');
    expect(key()).toBe(before);
    writeFileSync(join(context, 'app.txt'), 'app version change-2\n');
    expect(key()).not.toBe(before);
    const { config: c2, deps } = setup(context);
    const result = await buildPushImage(c2, deps);
    expect(result.built).toBe(true);
  }, 180_000);

  test('latest only moves forward: an older release does not take it', async () => {
    const context = writeAppContext(work, { version: 'old-release', base: buildah.baseImage });
    const newer = await buildPushImage(
      setup(writeAppContext(work, { version: 'v2', base: buildah.baseImage }), {
        tags: ['2.0.0', 'latest'],
        releaseVersion: '2.0.0',
      }).config,
      setup(context).deps,
    );
    const { config, deps } = setup(context, { tags: ['1.5.1', '1.5', 'latest'], releaseVersion: '1.5.1' });
    const result = await buildPushImage(config, deps);
    expect(result.tags).toEqual([`${registry.host}/acme/shop:1.5.1`, `${registry.host}/acme/shop:1.5`]);
    expect(result.notes.join('\n')).toContain('latest not moved: ');
    expect(await tagDigest(registry, 'acme/shop', 'latest')).toBe(newer.digest);
    expect(await tagDigest(registry, 'acme/shop', '1.5.1')).toBe(result.digest);
  }, 240_000);

  test('cache type=gha without the cache service: a warning, and the image is pushed', async () => {
    const context = writeAppContext(work, { version: 'gha', base: buildah.baseImage });
    const { config, deps, log } = setup(context, { cache: 'gha' });
    const saved = { url: process.env.ACTIONS_CACHE_URL, results: process.env.ACTIONS_RESULTS_URL };
    delete process.env.ACTIONS_CACHE_URL;
    delete process.env.ACTIONS_RESULTS_URL;
    const result = await buildPushImage(config, deps);
    Object.assign(
      process.env,
      Object.fromEntries(
        Object.entries({ ACTIONS_CACHE_URL: saved.url, ACTIONS_RESULTS_URL: saved.results }).filter(([, v]) => v),
      ),
    );
    expect(result.digest).toMatch(/^sha256:/);
    expect(result.warnings).toEqual([
      'cache type=gha: the GitHub Actions cache service is not available to this job; built without a layer cache',
    ]);
    expect(log.records.filter((r) => r.level === 'warning').map((r) => r.message)).toEqual(result.warnings);
  }, 180_000);

  test('registry cache: layers exported to <image>-cache', async () => {
    const context = writeAppContext(work, { version: 'registry-cache', base: buildah.baseImage });
    const { config, deps, log } = setup(context, { cache: 'registry' });
    const result = await buildPushImage(config, deps);
    expect(result.built).toBe(true);
    expect(result.warnings).toEqual([]);
    expect(log.messages().find((m) => m.startsWith('buildah build'))).toContain(
      `--cache-to ${registry.host}/acme/shop-cache`,
    );
    expect((await client().listTags('acme/shop-cache')).length).toBeGreaterThan(0);
  }, 180_000);

  test("a checkout's .git and a cloud login's credentials file stay out of the build and its key: a second run of the same commit reuses the image", async () => {
    const context = writeAppContext(work, { version: 'checkout', base: buildah.baseImage });
    writeFileSync(
      join(context, 'Containerfile'),
      `FROM ${buildah.baseImage}\nCOPY . /src\nRUN test ! -e /src/.git && ! ls /src/gha-creds-*.json && test -f /src/app.txt\n`,
    );
    // What actions/checkout leaves: files that differ on every run of the same commit.
    const checkout = (run: number): void => {
      mkdirSync(join(context, '.git'), { recursive: true });
      writeFileSync(
        join(context, '.git', 'config'),
        `[http "https://github.com/"]\n\textraheader = AUTHORIZATION: basic token-of-run-${run}\n`,
      );
      writeFileSync(join(context, '.git', 'FETCH_HEAD'), `0123456789abcdef\t\tbranch 'main' fetched in run ${run}\n`);
      // google-github-actions/auth writes its credentials file into the workspace, a new name each run.
      rmSync(join(context, `gha-creds-${run - 1}.json`), { force: true });
      writeFileSync(join(context, `gha-creds-${run}.json`), `{"type":"external_account","run":${run}}\n`);
    };
    checkout(1);
    expect(contextFiles(context, join(context, 'Containerfile'))).toEqual([
      '.dockerignore',
      'Containerfile',
      'app.txt',
    ]);
    const first = await buildPushImage(setup(context).config, setup(context).deps);
    expect(first.built).toBe(true);
    checkout(2);
    const { config, deps } = setup(context);
    const second = await buildPushImage(config, deps);
    expect(second.contentKey).toBe(first.contentKey);
    expect(second.built).toBe(false);
    expect(second.digest).toBe(first.digest);
    // A .dockerignore that brings .git back is obeyed: then .git is part of the key.
    writeFileSync(join(context, '.dockerignore'), '*.md\n!.git\n');
    const withGit = (): string => contentKey({ ...config, secretIds: [], builder: 'buildah' });
    const before = withGit();
    checkout(3);
    expect(withGit()).not.toBe(before);
  }, 180_000);

  test('push: false builds, and says why there is no digest', async () => {
    const context = writeAppContext(work, { version: 'local', base: buildah.baseImage });
    const { config, deps } = setup(context, { push: false });
    const result = await buildPushImage(config, deps);
    expect(result.built).toBe(true);
    expect(result.digest).toBeUndefined();
    expect(result.emptyBecause.digest).toBe(
      'push is false: the image was built but not pushed, so it has no registry digest',
    );
  }, 180_000);
});

describe('docker buildx command line', () => {
  test('argument array: secrets by env name, cache errors ignored, push with a metadata file, .git left out', () => {
    const src = mkdtempSync(join(tmpdir(), 'buildx-src-'));
    const workDir = mkdtempSync(join(tmpdir(), 'buildx-work-'));
    writeFileSync(join(src, 'Dockerfile'), 'FROM scratch\nCOPY . /app\n');
    const cmd = new BuildxBuilder().command({
      context: src,
      file: join(src, 'Dockerfile'),
      target: 'prod',
      platforms: ['linux/amd64', 'linux/arm64'],
      buildArgs: { NODE_ENV: 'production' },
      secrets: [{ id: 'npm', value: 'top-secret' }],
      labels: { a: 'b' },
      annotations: { c: 'd' },
      destinations: ['ghcr.io/acme/shop:content-1'],
      cache: { kind: 'gha', scope: 'ghcr.io/acme/shop' },
      env: { DOCKER_CONFIG: '/tmp/auth' },
      workDir,
      contentKey: 'k',
      ignoreRules: ['.git', 'node_modules'],
    });
    expect(cmd.args).toEqual([
      'buildx',
      'build',
      '--file',
      join(workDir, 'Dockerfile'),
      '--metadata-file',
      join(workDir, 'buildx-metadata.json'),
      '--provenance=false',
      '--target',
      'prod',
      '--platform',
      'linux/amd64,linux/arm64',
      '--build-arg',
      'NODE_ENV=production',
      '--label',
      'a=b',
      '--annotation',
      'index,manifest:c=d',
      '--secret',
      'id=npm,env=BUILD_SECRET_0',
      '--cache-from',
      'type=gha,scope=ghcr.io/acme/shop',
      '--cache-to',
      'type=gha,scope=ghcr.io/acme/shop,mode=max,ignore-error=true',
      '--tag',
      'ghcr.io/acme/shop:content-1',
      '--push',
      src,
    ]);
    // buildx reads <Dockerfile>.dockerignore beside the Dockerfile it is given, before the context's.
    expect(readFileSync(join(workDir, 'Dockerfile'), 'utf8')).toBe('FROM scratch\nCOPY . /app\n');
    expect(readFileSync(join(workDir, 'Dockerfile.dockerignore'), 'utf8')).toBe('.git\nnode_modules\n');
    expect(cmd.args.join(' ')).not.toContain('top-secret');
    expect(cmd.env).toEqual({ DOCKER_CONFIG: '/tmp/auth', BUILD_SECRET_0: 'top-secret' });
    rmSync(src, { recursive: true, force: true });
    rmSync(workDir, { recursive: true, force: true });
  });
});
