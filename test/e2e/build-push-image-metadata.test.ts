// build-push-image as a drop-in for docker/metadata-action: the bundle run as the runner runs it
// with `build: false`, on each event type with a payload that lacks the commit, against the fake
// GitHub REST API. Every metadata-action output, its DOCKER_METADATA_OUTPUT_* variables in
// GITHUB_ENV, the bake files, bare tags, and bad input caught on every event.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runAction, runStep } from '../../scripts/lib/local-runner.mjs';
import { startFakeGitHub } from '../fakes/github.mjs';

const SHA = '2c3f2a1b0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b';
const PR_HEAD = '9f8e7d6c5b4a39281706f5e4d3c2b1a098765432';
const COMMIT_DATE = '2026-10-30T21:15:42Z';
const payloadRepository = {
  name: 'shop',
  full_name: 'acme/shop',
  html_url: 'https://github.com/acme/shop',
  description: 'The shop service',
  default_branch: 'main',
  license: { spdx_id: 'Apache-2.0' },
};

let github: Awaited<ReturnType<typeof startFakeGitHub>>;
let work: string;
beforeAll(async () => {
  github = await startFakeGitHub();
  github.addCommit(SHA, COMMIT_DATE);
  github.addCommit(PR_HEAD, '2026-10-29T10:00:00Z');
  work = mkdtempSync(join(tmpdir(), 'e2e-metadata-'));
});
afterAll(async () => {
  await github?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

function eventFile(event: Record<string, unknown>): string {
  const file = join(mkdtempSync(join(work, 'event-')), 'event.json');
  writeFileSync(file, JSON.stringify(event));
  return file;
}

const TAGS = [
  'type=schedule',
  'type=edge',
  'type=ref,event=branch',
  'type=ref,event=pr',
  'type=semver,pattern={{version}}',
  'type=semver,pattern={{major}}.{{minor}}',
  "type=raw,value=build-{{commit_date 'YYYYMMDD-HHmmss'}}",
].join('\n');

type Step = Awaited<ReturnType<typeof runStep>>;

async function metadataStep(
  event: { name: string; ref: string; payload: Record<string, unknown> },
  inputs: Record<string, string> = {},
  env: Record<string, string | undefined> = {},
) {
  const before = github.requests.length;
  const { main, post } = await runAction('build-push-image', {
    inputs: { images: 'ghcr.io/Acme/Shop', tags: TAGS, build: 'false', ...inputs },
    env: {
      GITHUB_EVENT_NAME: event.name,
      GITHUB_REF: event.ref,
      GITHUB_SHA: SHA,
      GITHUB_EVENT_PATH: eventFile(event.payload),
      GITHUB_API_URL: github.url,
      GITHUB_TOKEN: github.token,
      // No checkout: metadata only needs neither a context nor a Dockerfile.
      GITHUB_WORKSPACE: mkdtempSync(join(work, 'empty-workspace-')),
      ...env,
    },
    cwd: work,
  });
  const calls = github.requests.slice(before).map((r) => `${r.method} ${r.path}`);
  return { main, post: post!, calls };
}

const label = (step: Step, key: string) =>
  step.outputs
    .labels!.split('\n')
    .find((l) => l.startsWith(`org.opencontainers.image.${key}=`))
    ?.split('=')[1];

describe('build: false on each event type, payload without the commit', () => {
  test('schedule: nightly, edge and branch tags; repository and commit date from the API; every output', async () => {
    const { main, post, calls } = await metadataStep({
      name: 'schedule',
      ref: 'refs/heads/main',
      payload: { schedule: '0 3 * * *' },
    });
    expect(main.exitCode).toBe(0);
    const tags = [
      'ghcr.io/acme/shop:nightly',
      'ghcr.io/acme/shop:edge',
      'ghcr.io/acme/shop:main',
      'ghcr.io/acme/shop:build-20261030-211542',
    ];
    const o = main.outputs;
    expect(o.tags!.split('\n')).toEqual(tags);
    expect(o['tag-names']).toBe('nightly\nedge\nmain\nbuild-20261030-211542');
    expect(o.version).toBe('nightly');
    expect(calls).toEqual(['GET /repos/acme/shop', `GET /repos/acme/shop/commits/${SHA}`]);
    expect(github.requests.at(-1)!.authorization).toBe(`Bearer ${github.token}`);
    const created = label(main, 'created')!;
    expect(o.labels!.split('\n')).toEqual([
      `org.opencontainers.image.created=${created}`,
      'org.opencontainers.image.description=The shop service',
      'org.opencontainers.image.licenses=Apache-2.0',
      `org.opencontainers.image.revision=${SHA}`,
      'org.opencontainers.image.source=https://github.com/acme/shop',
      'org.opencontainers.image.title=shop',
      'org.opencontainers.image.url=https://github.com/acme/shop',
      'org.opencontainers.image.version=nightly',
    ]);
    expect(o.annotations!.split('\n')).toEqual(o.labels!.split('\n').map((l) => `manifest:${l}`));
    const labels = Object.fromEntries(o.labels!.split('\n').map((l) => [l.split('=')[0], l.split('=')[1]]));
    expect(o.json).toBe(
      JSON.stringify({
        tags,
        'tag-names': tags.map((t) => t.split(':')[1]),
        labels,
        annotations: o.annotations!.split('\n'),
      }),
    );
    // The bake outputs are paths of files in RUNNER_TEMP, named as metadata-action names them.
    const bake = (name: string) => readFileSync(o[name]!, 'utf8');
    expect(o['bake-file']).toMatch(/\/docker-metadata-action-bake\.json$/);
    expect(o['bake-file-tags']).toMatch(/\/docker-metadata-action-bake-tags\.json$/);
    expect(o['bake-file-labels']).toMatch(/\/docker-metadata-action-bake-labels\.json$/);
    expect(o['bake-file-annotations']).toMatch(/\/docker-metadata-action-bake-annotations\.json$/);
    expect(dirname(o['bake-file']!).startsWith(main.files.dir)).toBe(true);
    const args = { DOCKER_META_IMAGES: 'ghcr.io/acme/shop', DOCKER_META_VERSION: 'nightly' };
    expect(bake('bake-file-tags')).toBe(
      JSON.stringify({ target: { 'docker-metadata-action': { tags, args } } }, null, 2),
    );
    expect(bake('bake-file-labels')).toBe(
      JSON.stringify({ target: { 'docker-metadata-action': { labels } } }, null, 2),
    );
    expect(bake('bake-file-annotations')).toBe(
      JSON.stringify({ target: { 'docker-metadata-action': { annotations: o.annotations!.split('\n') } } }, null, 2),
    );
    expect(bake('bake-file')).toBe(
      JSON.stringify({ target: { 'docker-metadata-action': { tags, labels, args } } }, null, 2),
    );
    // Each metadata-action output is also in GITHUB_ENV under its DOCKER_METADATA_OUTPUT_ name.
    expect(main.env).toEqual({
      DOCKER_METADATA_OUTPUT_VERSION: o.version,
      DOCKER_METADATA_OUTPUT_TAGS: o.tags,
      DOCKER_METADATA_OUTPUT_TAG_NAMES: o['tag-names'],
      DOCKER_METADATA_OUTPUT_LABELS: o.labels,
      DOCKER_METADATA_OUTPUT_ANNOTATIONS: o.annotations,
      DOCKER_METADATA_OUTPUT_JSON: o.json,
      DOCKER_METADATA_OUTPUT_BAKE_FILE_TAGS: o['bake-file-tags'],
      DOCKER_METADATA_OUTPUT_BAKE_FILE_LABELS: o['bake-file-labels'],
      DOCKER_METADATA_OUTPUT_BAKE_FILE_ANNOTATIONS: o['bake-file-annotations'],
      DOCKER_METADATA_OUTPUT_BAKE_FILE: o['bake-file'],
    });
    // Nothing built, pushed or logged in to; the build outputs say why they are empty.
    expect(o.digest).toBe('');
    expect(main.log).toContain('output digest is empty: build is false: only the metadata was computed');
    expect(main.state.authDir).toBeUndefined();
    expect(readdirSync(main.files.dir).filter((f) => f.startsWith('registry-auth-'))).toEqual([]);
    expect(main.summary).toContain('| `ghcr.io/acme/shop:nightly` |');
    expect(post.exitCode).toBe(0);
  });

  test.each([
    [
      'push without commits',
      {
        name: 'push',
        ref: 'refs/heads/main',
        payload: { repository: payloadRepository, commits: [], head_commit: null },
      },
      ['edge', 'main', 'build-20261030-211542'],
      [`GET /repos/acme/shop/commits/${SHA}`],
    ],
    [
      'tag push',
      {
        name: 'push',
        ref: 'refs/tags/v1.4.2',
        payload: { repository: payloadRepository, base_ref: null, commits: [] },
      },
      ['1.4.2', '1.4', 'build-20261030-211542', 'latest'],
      [`GET /repos/acme/shop/commits/${SHA}`],
    ],
    [
      'pull_request',
      {
        name: 'pull_request',
        ref: 'refs/pull/42/merge',
        payload: {
          number: 42,
          repository: payloadRepository,
          pull_request: { head: { sha: PR_HEAD }, base: { ref: 'main' } },
        },
      },
      ['pr-42', 'build-20261030-211542'],
      [`GET /repos/acme/shop/commits/${SHA}`],
    ],
    [
      'release with a repository record lacking the license',
      {
        name: 'release',
        ref: 'refs/tags/v2.0.0',
        payload: {
          action: 'published',
          release: { tag_name: 'v2.0.0' },
          repository: { name: 'shop', html_url: 'https://github.com/acme/shop', default_branch: 'main' },
        },
      },
      ['2.0.0', '2.0', 'build-20261030-211542', 'latest'],
      ['GET /repos/acme/shop', `GET /repos/acme/shop/commits/${SHA}`],
    ],
    [
      'workflow_dispatch',
      { name: 'workflow_dispatch', ref: 'refs/heads/main', payload: { repository: payloadRepository, inputs: {} } },
      ['edge', 'main', 'build-20261030-211542'],
      [`GET /repos/acme/shop/commits/${SHA}`],
    ],
  ])('%s', async (_name, event, tagNames, expectedCalls) => {
    const { main, calls } = await metadataStep(event);
    expect(main.exitCode).toBe(0);
    expect(main.outputs['tag-names']!.split('\n')).toEqual(tagNames);
    expect(main.outputs.tags!.split('\n')).toEqual(tagNames.map((t) => `ghcr.io/acme/shop:${t}`));
    expect(label(main, 'licenses')).toBe('Apache-2.0');
    expect(calls).toEqual(expectedCalls);
  });

  test('pr-head-sha empty follows DOCKER_METADATA_PR_HEAD_SHA, as metadata-action', async () => {
    const event = {
      name: 'pull_request',
      ref: 'refs/pull/42/merge',
      payload: { number: 42, repository: payloadRepository, pull_request: { head: { sha: PR_HEAD } } },
    };
    const { main } = await metadataStep(event, { tags: 'type=sha' }, { DOCKER_METADATA_PR_HEAD_SHA: 'true' });
    expect(main.outputs.tags).toBe('ghcr.io/acme/shop:sha-9f8e7d6');
    expect(label(main, 'revision')).toBe(PR_HEAD);
  });
});

describe('metadata-action inputs and variables', () => {
  const push = { name: 'push', ref: 'refs/tags/v1.4.2', payload: { repository: payloadRepository, commits: [] } };

  test('no images: bare tags; sep-tags, sep-labels, sep-annotations, bake-target and annotation levels', async () => {
    const { main, calls } = await metadataStep(
      push,
      {
        images: '',
        tags: 'type=semver,pattern={{version}}\ntype=semver,pattern={{major}}',
        'sep-tags': ',',
        'sep-labels': ' ',
        'sep-annotations': ';',
        'bake-target': 'meta',
        annotations: 'org.opencontainers.image.vendor=Acme',
      },
      { DOCKER_METADATA_ANNOTATIONS_LEVELS: 'manifest,index' },
    );
    expect(main.exitCode).toBe(0);
    expect(main.outputs.tags).toBe('1.4.2,1,latest');
    expect(main.outputs['tag-names']).toBe('1.4.2,1,latest');
    // A whitespace separator is kept as given (metadata-action reads it untrimmed).
    const labels = JSON.parse(main.outputs.json!).labels as Record<string, string>;
    expect(main.outputs.labels).toBe(
      Object.entries(labels)
        .map(([k, v]) => `${k}=${v}`)
        .join(' '),
    );
    expect(Object.keys(labels)).toHaveLength(8);
    const annotations = main.outputs.annotations!.split(';');
    expect(annotations).toHaveLength(18);
    expect(annotations.filter((a) => a.endsWith('.vendor=Acme'))).toEqual([
      'manifest:org.opencontainers.image.vendor=Acme',
      'index:org.opencontainers.image.vendor=Acme',
    ]);
    const bake = JSON.parse(readFileSync(main.outputs['bake-file']!, 'utf8'));
    expect(Object.keys(bake.target)).toEqual(['meta']);
    expect(bake.target.meta.args).toEqual({ DOCKER_META_IMAGES: '', DOCKER_META_VERSION: '1.4.2' });
    // {{commit_date}} is not used: no call for the commit, and the payload had the repository.
    expect(calls).toEqual([]);
  });

  test('DOCKER_METADATA_SET_OUTPUT_ENV=false: outputs only, GITHUB_ENV untouched', async () => {
    const { main } = await metadataStep(
      push,
      { tags: 'type=ref,event=tag' },
      { DOCKER_METADATA_SET_OUTPUT_ENV: 'false' },
    );
    expect(main.exitCode).toBe(0);
    expect(main.outputs.tags).toBe('ghcr.io/acme/shop:v1.4.2\nghcr.io/acme/shop:latest');
    expect(main.env).toEqual({});
  });

  test('two steps in one job: the second reads the first one`s API answers', async () => {
    const jobTemp = mkdtempSync(join(work, 'job-'));
    const schedule = { name: 'schedule', ref: 'refs/heads/main', payload: { schedule: '0 3 * * *' } };
    const first = await metadataStep(schedule, {}, { RUNNER_TEMP: jobTemp });
    const second = await metadataStep(schedule, { images: 'quay.io/acme/shop' }, { RUNNER_TEMP: jobTemp });
    expect(first.calls).toHaveLength(2);
    expect(second.calls).toEqual([]);
    expect(second.main.outputs.tags!.split('\n')).toEqual(
      first.main.outputs.tags!.split('\n').map((t) => t.replace('ghcr.io', 'quay.io')),
    );
    expect(existsSync(join(jobTemp, 'deploy-actions-github-facts.json'))).toBe(true);
  });

  test('no token: a warning naming github-token, labels from the run variables, the time of the run', async () => {
    const { main, calls } = await metadataStep(
      { name: 'schedule', ref: 'refs/heads/main', payload: { schedule: '0 3 * * *' } },
      { 'github-token': '' },
    );
    expect(main.exitCode).toBe(0);
    expect(calls).toEqual([]);
    const warnings = main.annotations.filter((a) => a.level === 'warning').map((a) => a.message);
    expect(warnings).toEqual([
      expect.stringMatching(
        /^the event payload has no repository record and no github-token was given .*: the description and licenses labels are empty; type=edge without branch= gives no tag/,
      ),
      expect.stringMatching(
        /^the event payload does not list commit 2c3f2a1.* \{\{commit_date\}\} gives the time of this run$/,
      ),
    ]);
    expect(main.outputs['tag-names']!.split('\n').slice(0, 2)).toEqual(['nightly', 'main']);
    expect(label(main, 'source')).toBe('https://github.com/acme/shop');
  });
});

describe('bad input, on any event: exit 1, one line naming the input, nothing touched', () => {
  const branchPush = { name: 'push', ref: 'refs/heads/feature', payload: { repository: payloadRepository } };
  test.each([
    [
      'a typo in a semver pattern, on a branch push',
      { tags: 'type=semver,pattern={{versio}}' },
      {},
      "Input 'tags': unknown expression '{{versio}}' in '{{versio}}'; use one of version, major, minor, patch, prerelease, build, raw. Fix: see docs/actions/build-push-image.md for the syntax (it follows docker/metadata-action)",
    ],
    [
      'a broken match regex',
      { tags: 'type=match,pattern=[' },
      {},
      "Input 'tags': pattern '[' in 'type=match,pattern=[' is not a valid regular expression: /[/: Unterminated character class. Fix: see docs/actions/build-push-image.md for the syntax (it follows docker/metadata-action)",
    ],
    [
      'an unknown expression in a label',
      { labels: 'version={{tga}}' },
      {},
      /^Input 'labels': unknown expression '\{\{tga\}\}' in 'version=\{\{tga\}\}'/,
    ],
    [
      'a bake target bake rejects',
      { 'bake-target': 'my target' },
      {},
      /^Input 'bake-target': 'my target' is not a bake target name\. Fix: /,
    ],
    [
      'an unknown annotation level',
      {},
      { DOCKER_METADATA_ANNOTATIONS_LEVELS: 'manifests' },
      /^Input 'DOCKER_METADATA_ANNOTATIONS_LEVELS': 'manifests' is not an annotation level; /,
    ],
    [
      'a bad DOCKER_METADATA_SET_OUTPUT_ENV',
      {},
      { DOCKER_METADATA_SET_OUTPUT_ENV: 'yes' },
      "Input 'DOCKER_METADATA_SET_OUTPUT_ENV': 'yes' is not a boolean. Fix: set the environment variable to true or false",
    ],
    [
      'no images while building',
      { images: '', build: 'true' },
      {},
      "Input 'images': no image to build for. Fix: list at least one image repository, e.g. ghcr.io/owner/app; bare tags (no images) need build: false",
    ],
  ])('%s', async (_name, inputs, env, message) => {
    const before = github.requests.length;
    const step = await runStep('build-push-image', 'main', {
      inputs: { images: 'ghcr.io/acme/shop', build: 'false', ...inputs },
      env: {
        GITHUB_EVENT_NAME: branchPush.name,
        GITHUB_REF: branchPush.ref,
        GITHUB_EVENT_PATH: eventFile(branchPush.payload),
        GITHUB_API_URL: github.url,
        GITHUB_TOKEN: github.token,
        ...env,
      },
      cwd: work,
    });
    expect(step.exitCode).toBe(1);
    const errors = step.annotations.filter((a) => a.level === 'error');
    expect(errors).toHaveLength(1);
    if (typeof message === 'string') expect(errors[0]!.message).toBe(message);
    else expect(errors[0]!.message).toMatch(message);
    expect(step.stderr).not.toMatch(/\n\s+at /);
    expect(step.outputs).toEqual({});
    expect(step.env).toEqual({});
    expect(github.requests.length).toBe(before);
  });
});
