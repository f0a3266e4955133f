// build-push-image end to end: the committed bundle, run as the runner runs it, building with
// buildah and pushing to a real registry (htpasswd + TLS); ECR through a fake of its JSON API.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { runAction, runStep } from '../../scripts/lib/local-runner.mjs';
import { startRegistry } from '../../scripts/lib/services.mjs';
import { repoRoot } from '../../scripts/lib/actions.mjs';
import { startFakeEcr } from '../fakes/ecr.mjs';
import { startFaultProxy } from '../fakes/registry-proxy.mjs';
import { createBuildahEnv } from '../../scripts/lib/buildah.mjs';
import { writeAppContext, type BuildahEnv } from '../support/buildah';
import { tagDigest } from '../../packages/registry/test/helpers';

type Registry = Awaited<ReturnType<typeof startRegistry>>;
const NPM_TOKEN = 'npm-e2e-secret-7731';
const SHA = '0123456789abcdef0123456789abcdef01234567';

let buildah: BuildahEnv;
let work: string;
beforeAll(() => {
  buildah = createBuildahEnv();
  work = mkdtempSync(join(tmpdir(), 'e2e-build-push-'));
}, 120_000);
afterAll(() => {
  buildah?.cleanup();
  if (work) rmSync(work, { recursive: true, force: true });
});

const dist = join(repoRoot, 'dist', 'build-push-image');
/** Bundle chunks holding a module, found by a string only that module has. */
const chunksWith = (marker: string): string[] =>
  readdirSync(dist).filter((f) => f.endsWith('.js') && readFileSync(join(dist, f), 'utf8').includes(marker));
/** Environment that makes the step record the bundle chunks it loads into the returned file. */
function recordImports(): { env: Record<string, string>; loaded: () => string[] } {
  const file = join(mkdtempSync(join(work, 'imports-')), 'imports.txt');
  writeFileSync(file, '');
  return {
    env: { NODE_OPTIONS: `--import=${join(repoRoot, 'test', 'support', 'record-imports.mjs')}`, RECORD_IMPORTS: file },
    loaded: () => [
      ...new Set(
        readFileSync(file, 'utf8')
          .split('\n')
          .filter((u) => u.includes('/dist/build-push-image/'))
          .map((u) => basename(u)),
      ),
    ],
  };
}

function eventFile(event: Record<string, unknown>): string {
  const file = join(mkdtempSync(join(work, 'event-')), 'event.json');
  writeFileSync(file, JSON.stringify(event));
  return file;
}

const repository = {
  name: 'shop',
  description: 'The shop',
  html_url: 'https://github.com/acme/shop',
  default_branch: 'main',
  license: { spdx_id: 'Apache-2.0' },
};

/** Everything a step left behind that a person or a later step could read. */
function visible(step: Awaited<ReturnType<typeof runStep>>): string {
  const files = [step.files.output, step.files.state, step.files.summary, step.files.env].map((f) =>
    existsSync(f) ? readFileSync(f, 'utf8') : '',
  );
  // log is stdout as the runner shows it: ::add-mask:: lines are swallowed, never displayed.
  return [step.log, step.stderr, ...files].join('\n');
}

describe('build-push-image with buildah and a registry with a password', () => {
  let registry: Registry;
  beforeAll(async () => {
    registry = await startRegistry();
  });
  afterAll(async () => {
    await registry?.stop();
  });

  const inputs = (context: string, extra: Record<string, string> = {}) => ({
    images: `${registry.host}/Acme/Shop`,
    tags: 'type=sha\ntype=ref,event=branch\ntype=raw,value=latest,enable={{is_default_branch}}',
    context: basename(context),
    'build-args': 'GREETING=hello e2e',
    secrets: `npm_token=${NPM_TOKEN}`,
    builder: 'buildah',
    cache: 'none',
    username: registry.username,
    password: registry.password,
    'registry-ca-file': join(registry.dir, 'cert.pem'),
    ...extra,
  });
  const env = (
    event: Record<string, unknown> = { repository, head_commit: { id: SHA, timestamp: '2026-01-02T03:04:05Z' } },
  ) => ({
    ...buildah.env,
    GITHUB_EVENT_PATH: eventFile(event),
    GITHUB_SHA: SHA,
    GITHUB_REF: 'refs/heads/main',
    GITHUB_EVENT_NAME: 'push',
  });

  test('builds, pushes, outputs the digest the registry has; the second run reuses it; post logs out', async () => {
    const context = writeAppContext(work, { version: 'e2e', base: buildah.baseImage });
    const first = await runAction('build-push-image', {
      inputs: inputs(context),
      env: env(),
      cwd: work,
      timeoutMs: 300_000,
    });
    expect(first.main.exitCode).toBe(0);
    const { outputs } = first.main;
    const digest = await tagDigest(registry, 'acme/shop', 'sha-0123456');
    expect(outputs.digest).toBe(digest);
    expect(outputs.image).toBe(`${registry.host}/acme/shop@${digest}`);
    expect(outputs.tags!.split('\n')).toEqual([
      `${registry.host}/acme/shop:main`,
      `${registry.host}/acme/shop:latest`,
      `${registry.host}/acme/shop:sha-0123456`,
    ]);
    expect(await tagDigest(registry, 'acme/shop', 'latest')).toBe(digest);
    expect(outputs.built).toBe('true');
    expect(JSON.parse(outputs['platform-digests']!)).toEqual({ 'linux/amd64': digest });
    expect(outputs.labels!.split('\n')).toEqual(
      expect.arrayContaining([
        `org.opencontainers.image.revision=${SHA}`,
        'org.opencontainers.image.source=https://github.com/acme/shop',
        'org.opencontainers.image.licenses=Apache-2.0',
      ]),
    );
    // The outputs are metadata-action's: what it would give, also in GITHUB_ENV, beside the build's own.
    expect(outputs['pushed-tags']).toBe(outputs.tags);
    expect(JSON.parse(outputs.json!).tags).toEqual(outputs.tags!.split('\n'));
    expect(first.main.env.DOCKER_METADATA_OUTPUT_TAGS).toBe(outputs.tags);
    expect(outputs.annotations!.split('\n')).toEqual(outputs.labels!.split('\n').map((l) => `manifest:${l}`));
    expect(outputs['content-key']).toMatch(/^[0-9a-f]{64}$/);
    expect(first.main.summary).toMatch(/\| Image \| Digest \| Tags \| Size \| Built or reused \| Time \|/);
    expect(first.main.summary).toContain(
      `| ${registry.host}/acme/shop | \`${digest}\` | \`main\` \`latest\` \`sha-0123456\` |`,
    );
    expect(first.main.summary).toMatch(/\| \d+\.\d MiB \| built \| [\d.]+m?s \|/);
    // The post step removed the job's credentials.
    expect(first.post!.exitCode).toBe(0);
    expect(first.post!.log).toContain("logged out: removed the job's registry credentials");
    const authDir = first.main.state.authDir;
    expect(authDir).toBeTruthy();
    expect(existsSync(authDir!)).toBe(false);

    // Same source, next commit: nothing built, the same digest under the new tags.
    const next = '89abcdef0123456789abcdef0123456789abcdef';
    const second = await runAction('build-push-image', {
      inputs: inputs(context),
      env: { ...env({ repository }), GITHUB_SHA: next },
      cwd: work,
      timeoutMs: 300_000,
    });
    expect(second.main.exitCode).toBe(0);
    expect(second.main.outputs.built).toBe('false');
    expect(second.main.outputs.digest).toBe(digest);
    expect(await tagDigest(registry, 'acme/shop', 'sha-89abcde')).toBe(digest);
    expect(second.main.log).not.toContain('buildah build');
    expect(second.main.summary).toContain('| reused |');

    // Leaks: the registry password and the build secret appear nowhere a person or step can read.
    for (const step of [first.main, first.post!, second.main, second.post!]) {
      const text = visible(step);
      expect(text).not.toContain(registry.password);
      expect(text).not.toContain(Buffer.from(`${registry.username}:${registry.password}`).toString('base64'));
      expect(text).not.toContain(NPM_TOKEN);
    }
    expect(first.main.masks).toEqual(expect.arrayContaining([registry.password, NPM_TOKEN]));
    expect(readdirSync(first.main.files.dir).filter((f) => f.startsWith('registry-auth-'))).toEqual([]);
  }, 600_000);

  test('push: false builds and says why digest and image are empty', async () => {
    const context = writeAppContext(work, { version: 'no-push', base: buildah.baseImage });
    const { main } = await runAction('build-push-image', {
      inputs: inputs(context, { push: 'false', username: '', password: '' }),
      env: env(),
      cwd: work,
      timeoutMs: 300_000,
    });
    expect(main.exitCode).toBe(0);
    expect(main.outputs.digest).toBe('');
    expect(main.log).toContain(
      'output digest is empty: push is false: the image was built but not pushed, so it has no registry digest',
    );
  }, 300_000);

  describe('registry faults', () => {
    let proxy: Awaited<ReturnType<typeof startFaultProxy>>;
    beforeAll(async () => {
      proxy = await startFaultProxy({ target: registry.url, key: registry.key, cert: registry.ca, ca: registry.ca });
    });
    afterAll(async () => {
      await proxy?.close();
    });

    test('503 twice on a tag, then success: retried, tagged', async () => {
      const context = writeAppContext(work, { version: 'flaky', base: buildah.baseImage });
      proxy.setRules([{ method: 'PUT', path: /\/acme\/flaky\/manifests\/main$/, status: 503, times: 2 }]);
      const imports = recordImports();
      const { main } = await runAction('build-push-image', {
        inputs: inputs(context, { images: `${proxy.host}/acme/flaky` }),
        env: { ...env(), ...imports.env },
        cwd: work,
        timeoutMs: 300_000,
      });
      expect(main.exitCode).toBe(0);
      // No ECR and no type=gha cache here: neither the AWS SDK nor @actions/cache was loaded.
      const loaded = imports.loaded();
      expect(loaded).toContain('index.js');
      expect(
        loaded.filter(
          (f) =>
            chunksWith('GetAuthorizationTokenCommand').includes(f) || chunksWith('@azure/storage-blob').includes(f),
        ),
      ).toEqual([]);
      expect(main.log).toMatch(/put manifest acme\/flaky:main: HTTP 503 .*; retry 1 in \d+ms/);
      expect(main.log).toMatch(/put manifest acme\/flaky:main: HTTP 503 .*; retry 2 in \d+ms/);
      expect(await tagDigest(registry, 'acme/flaky', 'main')).toBe(main.outputs.digest);
    }, 300_000);

    test('connection dropped on every tag write: retried, fails in one line, no tag moved', async () => {
      const context = writeAppContext(work, { version: 'dropped', base: buildah.baseImage });
      proxy.setRules([{ method: 'PUT', path: /\/acme\/dropped\/manifests\/(main|latest|sha-0123456)$/, drop: true }]);
      const { main, post } = await runAction('build-push-image', {
        inputs: inputs(context, { images: `${proxy.host}/acme/dropped`, 'retry-timeout': '2s' }),
        env: env(),
        cwd: work,
        timeoutMs: 300_000,
      });
      expect(main.exitCode).toBe(1);
      const errors = main.annotations.filter((a) => a.level === 'error');
      expect(errors).toHaveLength(1);
      expect(errors[0]!.message).toMatch(
        /^tagging 127\.0\.0\.1:\d+\/acme\/dropped with main failed: put manifest acme\/dropped:main still failing after \d+ attempt\(s\) in \d+ms: PUT https:\/\/127\.0\.0\.1:\d+\/v2\/acme\/dropped\/manifests\/main: ECONNRESET: socket hang up\. No tag was changed\.$/,
      );
      for (const tag of ['main', 'latest', 'sha-0123456'])
        expect(await tagDigest(registry, 'acme/dropped', tag)).toBeUndefined();
      expect(main.outputs.digest).toBeUndefined();
      // The post step still logs out.
      expect(existsSync(main.state.authDir!)).toBe(false);
      expect(post!.exitCode).toBe(0);
    }, 300_000);

    test('401 from the registry: fails at once, naming it', async () => {
      const context = writeAppContext(work, { version: 'denied', base: buildah.baseImage });
      proxy.setRules([
        { path: /\/acme\/denied\//, status: 401, headers: { 'www-authenticate': 'Basic realm="test-registry"' } },
      ]);
      const { main } = await runAction('build-push-image', {
        inputs: inputs(context, { images: `${proxy.host}/acme/denied` }),
        env: env(),
        cwd: work,
        timeoutMs: 300_000,
      });
      expect(main.exitCode).toBe(1);
      expect(main.annotations.filter((a) => a.level === 'error').map((a) => a.message)).toEqual([
        `get manifest acme/denied:content-${main.log.match(/content key ([0-9a-f]{32})/)![1]}: ${proxy.host} refused the credentials (HTTP 401); check the username and password or token and its scopes`,
      ]);
      expect(main.log).not.toMatch(/retry \d/);
      expect(main.log).not.toContain('buildah build');
    }, 300_000);
  });

  describe('bad input: exit 1, one line naming the input, nothing touched', () => {
    test.each([
      [
        'an invalid tag expression',
        { tags: 'type=semvr,pattern={{version}}' },
        "Input 'tags': unknown tag type 'semvr' in 'type=semvr,pattern={{version}}'; use one of schedule, semver, pep440, match, edge, ref, raw, sha. Fix: see docs/actions/build-push-image.md for the syntax (it follows docker/metadata-action)",
      ],
      [
        'an unknown expression',
        { tags: 'type=raw,value={{brnach}}' },
        /^Input 'tags': unknown expression '\{\{brnach\}\}'/,
      ],
      [
        'an unknown builder',
        { builder: 'kaniko' },
        "Input 'builder': 'kaniko' is not one of buildx, buildah. Fix: use one of buildx, buildah",
      ],
      [
        'missing credentials',
        { username: '', password: '' },
        /^Input 'password': no credentials for registry 127\.0\.0\.1:\d+\. Fix: set username and password \(from secrets\) for it, list it in ecr-registries, or set push: false$/,
      ],
      [
        'GHCR without a token',
        { images: 'ghcr.io/acme/shop', username: '', password: '', 'github-token': '' },
        /^Input 'password': no credentials for registry ghcr\.io\. /,
      ],
      [
        'Docker Hub without credentials',
        { images: 'acme/shop', username: '', password: '' },
        /^Input 'password': no credentials for registry docker\.io \(Docker Hub\)\. /,
      ],
      [
        'a password without a user name',
        { username: '' },
        "Input 'username': is empty while the other is set. Fix: set both username and password, or neither",
      ],
      [
        'a tag in the image name',
        { images: 'ghcr.io/acme/shop:v1' },
        /^Input 'images': 'ghcr\.io\/acme\/shop:v1' has a tag or digest/,
      ],
    ])('%s', async (_name, extra, message) => {
      const context = writeAppContext(work, { version: 'bad', base: buildah.baseImage });
      const step = await runStep('build-push-image', 'main', { inputs: inputs(context, extra), env: env(), cwd: work });
      expect(step.exitCode).toBe(1);
      const errors = step.annotations.filter((a) => a.level === 'error');
      expect(errors).toHaveLength(1);
      if (typeof message === 'string') expect(errors[0]!.message).toBe(message);
      else expect(errors[0]!.message).toMatch(message);
      expect(step.outputs).toEqual({});
      // Only the phase marker, written before parsing so the post step knows to do nothing.
      expect(step.state).toEqual({ isPost: 'true' });
      expect(readdirSync(step.files.dir).filter((f) => f.startsWith('registry-auth-'))).toEqual([]);
    });
  });
});

describe('build-push-image to ECR (fake control plane, real registry behind the token)', () => {
  const ECR_PASSWORD = 'ecr-e2e-token-password-5e2f';
  let registry: Registry;
  let ecr: Awaited<ReturnType<typeof startFakeEcr>>;
  beforeAll(async () => {
    registry = await startRegistry({ username: 'AWS', password: ECR_PASSWORD });
    ecr = await startFakeEcr({ accessKeyId: 'AKIDE2E', password: ECR_PASSWORD, proxyEndpoint: registry.url });
  });
  afterAll(async () => {
    await ecr?.close();
    await registry?.stop();
  });

  test('a semver tag: logs in with GetAuthorizationToken, creates the repository, token masked everywhere', async () => {
    const context = writeAppContext(work, { version: 'ecr', base: buildah.baseImage });
    const imports = recordImports();
    const { main, post } = await runAction('build-push-image', {
      inputs: {
        images: `${registry.host}/shop`,
        tags: 'type=semver,pattern={{version}}\ntype=semver,pattern={{major}}.{{minor}}\ntype=sha',
        context: basename(context),
        secrets: `npm_token=${NPM_TOKEN}`,
        builder: 'buildah',
        cache: 'none',
        'ecr-registries': '123456789012:us-east-1',
        'ecr-create-repository': 'true',
        'ecr-immutable-tags': 'true',
        'registry-ca-file': join(registry.dir, 'cert.pem'),
      },
      env: {
        ...buildah.env,
        GITHUB_EVENT_PATH: eventFile({ repository }),
        GITHUB_REF: 'refs/tags/v1.4.2',
        GITHUB_REF_NAME: 'v1.4.2',
        GITHUB_SHA: SHA,
        AWS_ACCESS_KEY_ID: 'AKIDE2E',
        AWS_SECRET_ACCESS_KEY: 'e2e-secret-access-key',
        AWS_REGION: 'us-east-1',
        AWS_ENDPOINT_URL_ECR: ecr.url,
        ...imports.env,
      },
      cwd: work,
      timeoutMs: 300_000,
    });
    expect(main.exitCode).toBe(0);
    expect(chunksWith('GetAuthorizationTokenCommand').length).toBeGreaterThan(0);
    expect(imports.loaded()).toEqual(expect.arrayContaining(chunksWith('GetAuthorizationTokenCommand')));
    expect(main.outputs.tags!.split('\n')).toEqual([
      `${registry.host}/shop:1.4.2`,
      `${registry.host}/shop:1.4`,
      `${registry.host}/shop:sha-0123456`,
      `${registry.host}/shop:latest`,
    ]);
    expect(main.outputs.version).toBe('1.4.2');
    expect(await tagDigest({ ...registry }, 'shop', '1.4.2')).toBe(main.outputs.digest);
    expect(ecr.requests.map((r) => r.operation)).toEqual([
      'GetAuthorizationToken',
      'DescribeRepositories',
      'CreateRepository',
    ]);
    expect(ecr.requests[0]!.body).toEqual({ registryIds: ['123456789012'] });
    expect(ecr.repositories.get('shop')).toMatchObject({
      imageTagMutability: 'IMMUTABLE',
      imageScanningConfiguration: { scanOnPush: true },
    });
    const token = Buffer.from(`AWS:${ECR_PASSWORD}`).toString('base64');
    expect(main.masks).toEqual(expect.arrayContaining([token, ECR_PASSWORD]));
    for (const step of [main, post!]) {
      const text = visible(step);
      expect(text).not.toContain(ECR_PASSWORD);
      expect(text).not.toContain(token);
    }
    expect(existsSync(main.state.authDir!)).toBe(false);
  }, 300_000);
});
