// The facts metadata-action asks the GitHub API for (repository record, commit date), through the
// fake GitHub REST API: asked only when the payload lacks them, cached for the job, retried, and a
// warning with a fallback when there is no token. One case per event type, each payload without
// the commit.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryLogger } from '@deploy-actions/core';
import {
  computeMetadata,
  parseFlavor,
  parseImages,
  parseTagRules,
  type RunFacts,
} from '@deploy-actions/registry/metadata';
import { resolveFacts } from '@deploy-actions/registry/metadata/github';
import { startFakeGitHub } from '../../../test/fakes/github.mjs';

const SHA = '2c3f2a1b0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b';
const PR_HEAD = '9f8e7d6c5b4a39281706f5e4d3c2b1a098765432';
const COMMIT_DATE = '2026-10-30T21:15:42Z';
const NOW = new Date('2026-11-02T08:00:00.000Z');
// The repository record as push, pull_request and workflow_dispatch payloads carry it.
const payloadRepository = {
  name: 'shop',
  full_name: 'acme/shop',
  html_url: 'https://github.com/acme/shop',
  description: 'The shop service',
  default_branch: 'main',
  license: { spdx_id: 'Apache-2.0' },
  topics: [],
};

let github: Awaited<ReturnType<typeof startFakeGitHub>>;
let work: string;
beforeAll(async () => {
  github = await startFakeGitHub();
  github.addCommit(SHA, COMMIT_DATE);
  github.addCommit(PR_HEAD, '2026-10-29T10:00:00Z');
  work = mkdtempSync(join(tmpdir(), 'metadata-github-'));
});
afterAll(async () => {
  await github?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

const run = (eventName: string, ref: string, event: Record<string, unknown>, sha = SHA): RunFacts => ({
  eventName,
  ref,
  sha,
  event,
  repository: 'acme/shop',
  serverUrl: 'https://github.com',
});

const TAGS = [
  'type=schedule',
  'type=edge',
  'type=ref,event=branch',
  'type=ref,event=pr',
  'type=semver,pattern={{version}}',
  "type=raw,value=build-{{commit_date 'YYYYMMDD-HHmmss'}}",
];

async function metadataFor(facts: RunFacts, options: { token?: string; prHeadSha?: boolean; cacheDir?: string } = {}) {
  const log = new MemoryLogger();
  const cacheDir = options.cacheDir ?? mkdtempSync(join(work, 'job-'));
  const before = github.requests.length;
  const resolved = await resolveFacts(facts, {
    prHeadSha: options.prHeadSha ?? false,
    now: NOW,
    needsCommitDate: true,
    needsDefaultBranch: true,
    api: {
      apiUrl: github.url,
      token: 'token' in options ? options.token : github.token,
      cacheDir,
      log,
      timeoutMs: 20_000,
    },
  });
  const meta = computeMetadata(
    {
      images: parseImages(['ghcr.io/acme/shop']),
      tags: parseTagRules(TAGS),
      flavor: parseFlavor([]),
      labels: [],
      annotations: [],
    },
    resolved.git,
    resolved.repo,
    NOW,
  );
  const calls = github.requests.slice(before).map((r) => `${r.method} ${r.path}`);
  return { meta, resolved, calls, log, cacheDir };
}

const label = (labels: string[], key: string) =>
  labels
    .find((l) => l.startsWith(`org.opencontainers.image.${key}=`))
    ?.split('=')
    .slice(1)
    .join('=');

describe('each event type, payload without the commit, with a token', () => {
  test('push: the commit date from the API, the repository from the payload (no call for it)', async () => {
    const { meta, calls } = await metadataFor(
      run('push', 'refs/heads/main', { repository: payloadRepository, commits: [], head_commit: null }),
    );
    expect(meta.tags).toEqual([
      'ghcr.io/acme/shop:edge',
      'ghcr.io/acme/shop:main',
      'ghcr.io/acme/shop:build-20261030-211542',
    ]);
    expect(calls).toEqual([`GET /repos/acme/shop/commits/${SHA}`]);
  });

  test('push with the commit listed: no API call at all', async () => {
    const { meta, calls } = await metadataFor(
      run('push', 'refs/heads/main', {
        repository: payloadRepository,
        head_commit: { id: SHA, timestamp: '2026-10-31T01:02:03+01:00' },
      }),
    );
    expect(meta.tags).toContain('ghcr.io/acme/shop:build-20261031-000203');
    expect(calls).toEqual([]);
  });

  test('tag: semver and latest, the commit date from the API', async () => {
    const { meta, calls } = await metadataFor(
      run('push', 'refs/tags/v1.4.0', { repository: payloadRepository, base_ref: null, commits: [] }),
    );
    expect(meta.tags).toEqual([
      'ghcr.io/acme/shop:1.4.0',
      'ghcr.io/acme/shop:build-20261030-211542',
      'ghcr.io/acme/shop:latest',
    ]);
    expect(calls).toEqual([`GET /repos/acme/shop/commits/${SHA}`]);
  });

  test('pull_request: the merge commit by default, the head commit with pr-head-sha', async () => {
    const payload = {
      number: 42,
      repository: payloadRepository,
      pull_request: { number: 42, head: { sha: PR_HEAD, ref: 'feature' }, base: { ref: 'main' } },
    };
    const merge = await metadataFor(run('pull_request', 'refs/pull/42/merge', payload));
    expect(merge.meta.tags).toEqual(['ghcr.io/acme/shop:pr-42', 'ghcr.io/acme/shop:build-20261030-211542']);
    expect(merge.calls).toEqual([`GET /repos/acme/shop/commits/${SHA}`]);
    const head = await metadataFor(run('pull_request', 'refs/pull/42/merge', payload), { prHeadSha: true });
    expect(head.meta.tags).toEqual(['ghcr.io/acme/shop:pr-42', 'ghcr.io/acme/shop:build-20261029-100000']);
    expect(label(head.meta.labels, 'revision')).toBe(PR_HEAD);
  });

  test('schedule: no repository in the payload; default branch (edge), description and license from the API', async () => {
    const { meta, calls } = await metadataFor(run('schedule', 'refs/heads/main', { schedule: '0 3 * * *' }));
    expect(meta.tags).toEqual([
      'ghcr.io/acme/shop:nightly',
      'ghcr.io/acme/shop:edge',
      'ghcr.io/acme/shop:main',
      'ghcr.io/acme/shop:build-20261030-211542',
    ]);
    expect(label(meta.labels, 'description')).toBe('The shop service');
    expect(label(meta.labels, 'licenses')).toBe('Apache-2.0');
    expect(label(meta.labels, 'title')).toBe('shop');
    expect(label(meta.labels, 'url')).toBe('https://github.com/acme/shop');
    expect(calls).toEqual(['GET /repos/acme/shop', `GET /repos/acme/shop/commits/${SHA}`]);
  });

  test('release: a repository record without the license asks the API for it', async () => {
    const partial: Record<string, unknown> = { ...payloadRepository };
    delete partial.description;
    delete partial.license;
    const { meta, calls } = await metadataFor(
      run('release', 'refs/tags/v2.0.0', { action: 'published', release: { tag_name: 'v2.0.0' }, repository: partial }),
    );
    expect(meta.tags).toEqual([
      'ghcr.io/acme/shop:2.0.0',
      'ghcr.io/acme/shop:build-20261030-211542',
      'ghcr.io/acme/shop:latest',
    ]);
    expect(label(meta.labels, 'licenses')).toBe('Apache-2.0');
    expect(label(meta.labels, 'description')).toBe('The shop service');
    expect(calls).toEqual(['GET /repos/acme/shop', `GET /repos/acme/shop/commits/${SHA}`]);
  });

  test('workflow_dispatch: branch and edge like a push, the commit date from the API', async () => {
    const { meta, calls } = await metadataFor(
      run('workflow_dispatch', 'refs/heads/main', {
        repository: payloadRepository,
        inputs: {},
        ref: 'refs/heads/main',
      }),
    );
    expect(meta.tags).toEqual([
      'ghcr.io/acme/shop:edge',
      'ghcr.io/acme/shop:main',
      'ghcr.io/acme/shop:build-20261030-211542',
    ]);
    expect(calls).toEqual([`GET /repos/acme/shop/commits/${SHA}`]);
  });
});

describe('one call per job, retried, or a warning and the fallback', () => {
  test('a second step of the same job reads the answers cached in RUNNER_TEMP', async () => {
    const schedule = run('schedule', 'refs/heads/main', { schedule: '0 3 * * *' });
    const first = await metadataFor(schedule);
    expect(first.calls).toHaveLength(2);
    const second = await metadataFor(schedule, { cacheDir: first.cacheDir });
    expect(second.calls).toEqual([]);
    expect(second.meta.tags).toEqual(first.meta.tags);
    expect(second.meta.labels).toEqual(first.meta.labels);
    expect(second.log.messages('info')).toContain("GitHub API: repos/acme/shop from this job's earlier answer");
  });

  test('5xx and the secondary rate limit are retried and logged', async () => {
    github.fail(502, 'secondary-rate-limit');
    const { meta, log, calls } = await metadataFor(run('schedule', 'refs/heads/main', { schedule: '0 3 * * *' }));
    expect(label(meta.labels, 'licenses')).toBe('Apache-2.0');
    expect(calls.slice(0, 3)).toEqual(['GET /repos/acme/shop', 'GET /repos/acme/shop', 'GET /repos/acme/shop']);
    const retries = log.messages('info').filter((m) => /; retry \d in \d+ms$/.test(m));
    expect(retries).toEqual([
      expect.stringMatching(/^GitHub API GET \/repos\/acme\/shop: HTTP 502 Server Error; retry 1 in/),
      expect.stringMatching(/^GitHub API GET \/repos\/acme\/shop: HTTP 403 You have exceeded a secondary rate limit/),
    ]);
  }, 30_000);

  test('a commit the API does not know: a warning and the time of the run, as metadata-action falls back', async () => {
    const unknown = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
    const { meta, resolved } = await metadataFor(
      run('push', 'refs/heads/main', { repository: payloadRepository, commits: [] }, unknown),
    );
    expect(meta.tags).toContain('ghcr.io/acme/shop:build-20261102-080000');
    expect(resolved.warnings).toEqual([
      `the commit date of ${unknown} could not be read: GitHub API GET /repos/acme/shop/commits/${unknown}: HTTP 422 No commit found for SHA: ${unknown}; {{commit_date}} gives the time of this run`,
    ]);
  });

  test('a head sha from the payload that is not a commit id never reaches the API path', async () => {
    const payload = { number: 7, repository: payloadRepository, pull_request: { head: { sha: '../../x?y' } } };
    const { resolved, calls } = await metadataFor(run('pull_request', 'refs/pull/7/merge', payload), {
      prHeadSha: true,
    });
    expect(calls).toEqual([]);
    expect(resolved.warnings).toEqual([
      "'../../x?y' is not a commit id, so its date cannot be asked for; {{commit_date}} gives the time of this run",
    ]);
  });

  test('a GITHUB_REPOSITORY that is not owner/name fails before any call', async () => {
    await expect(
      resolveFacts(
        { ...run('schedule', 'refs/heads/main', {}), repository: 'acme/shop/../other' },
        {
          prHeadSha: false,
          now: NOW,
          needsCommitDate: false,
          needsDefaultBranch: false,
          api: { apiUrl: github.url, token: github.token, cacheDir: work, log: new MemoryLogger(), timeoutMs: 1000 },
        },
      ),
    ).rejects.toThrow("GITHUB_REPOSITORY 'acme/shop/../other' is not owner/name");
  });

  test('a refused token fails at once, naming github-token', async () => {
    await expect(
      metadataFor(run('schedule', 'refs/heads/main', { schedule: '0 3 * * *' }), { token: 'ghs_wrong' }),
    ).rejects.toThrow('GitHub API GET /repos/acme/shop: HTTP 401 Bad credentials; check github-token');
  });

  test('no token: the run variables and the time of the run, each with a warning that says what is lost', async () => {
    const { meta, resolved, calls } = await metadataFor(run('schedule', 'refs/heads/main', { schedule: '0 3 * * *' }), {
      token: undefined,
    });
    expect(calls).toEqual([]);
    expect(meta.tags).toEqual([
      'ghcr.io/acme/shop:nightly',
      'ghcr.io/acme/shop:main',
      'ghcr.io/acme/shop:build-20261102-080000',
    ]);
    expect(label(meta.labels, 'url')).toBe('https://github.com/acme/shop');
    expect(label(meta.labels, 'licenses')).toBe('');
    expect(resolved.warnings).toEqual([
      'the event payload has no repository record and no github-token was given (the default is the job token, ${{ github.token }}): the description and licenses labels are empty; type=edge without branch= gives no tag (the default branch is unknown)',
      `the event payload does not list commit ${SHA} and no github-token was given (the default is the job token, \${{ github.token }}): {{commit_date}} gives the time of this run`,
    ]);
  });
});
