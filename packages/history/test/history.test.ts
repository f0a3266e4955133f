// DeploymentHistory through a real Octokit (@actions/github) against the fake GitHub REST API.
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { getOctokit } from '@actions/github';
import { MemoryLogger } from '@deploy-actions/core';
import { startFakeGitHub } from '../../../test/fakes/github.mjs';
import { DeploymentHistory, type DeploymentPayload } from '../src/index';

let github: Awaited<ReturnType<typeof startFakeGitHub>>;
beforeEach(async () => {
  github = await startFakeGitHub();
});
afterEach(() => github.stop());

const history = (token = github.token) => {
  const octokit = getOctokit(token, { baseUrl: github.url });
  return new DeploymentHistory({
    request: octokit.request as never,
    owner: 'acme',
    repo: 'shop',
    log: new MemoryLogger(),
    timeoutMs: 20_000,
  });
};
const payload = (version: string, runId = `run-${version}`): DeploymentPayload => ({
  image: `ghcr.io/acme/shop@sha256:${version}`,
  version,
  target: 'haproxy',
  targetState: { slot: 'green' },
  runId,
});

describe('DeploymentHistory', () => {
  test('a rollout creates a deployment with its payload and moves its statuses', async () => {
    const h = history();
    const id = await h.start({
      environment: 'staging',
      ref: 'main',
      sha: 'a1b2c3',
      payload: payload('v2'),
      description: 'canary v2',
      logUrl: 'https://github.com/acme/shop/actions/runs/7',
      environmentUrl: 'https://staging.example.com',
    });
    await h.setState(id, 'in_progress', 'step 10%');
    await h.setState(id, 'success', 'promoted', {
      environmentUrl: 'https://staging.example.com',
      logUrl: 'https://github.com/acme/shop/actions/runs/7',
    });
    expect(github.statesOf(id)).toEqual(['in_progress', 'in_progress', 'success']);
    const created = github.requests.find((r) => r.method === 'POST' && r.path === '/repos/acme/shop/deployments')!;
    expect(created.body).toMatchObject({
      ref: 'a1b2c3',
      environment: 'staging',
      auto_merge: false,
      required_contexts: [],
      payload: { ...payload('v2'), format: 'deploy-actions/1' },
      production_environment: false,
    });
    expect(created.authorization).toBe(`token ${github.token}`);
    expect((await h.get(id)).payload.image).toBe('ghcr.io/acme/shop@sha256:v2');
  });

  test('re-running the same job continues its deployment instead of creating another', async () => {
    const h = history();
    const first = await h.start({
      environment: 'prod',
      ref: 'main',
      sha: 'abc',
      payload: payload('v3', 'run-42'),
      description: 'canary',
      logUrl: 'x',
    });
    const second = await h.start({
      environment: 'prod',
      ref: 'main',
      sha: 'abc',
      payload: payload('v3', 'run-42'),
      description: 'canary',
      logUrl: 'x',
    });
    expect(second).toBe(first);
    expect(github.deployments).toHaveLength(1);
  });

  test('the last good version is the newest success older than the failed one, across pages', async () => {
    const h = history();
    const ids: number[] = [];
    for (let i = 1; i <= 40; i++) {
      const id = await h.start({
        environment: 'production',
        ref: 'main',
        sha: `s${i}`,
        payload: payload(`v${i}`),
        description: `v${i}`,
        logUrl: 'x',
      });
      await h.setState(id, i === 38 ? 'failure' : 'success', 'done');
      ids.push(id);
    }
    const failing = await h.start({
      environment: 'production',
      ref: 'main',
      sha: 's41',
      payload: payload('v41'),
      description: 'v41',
      logUrl: 'x',
    });
    // v40 is latest-success; but asking for older than v40 must skip the failed v38 and find v37 eventually through pages.
    expect((await h.lastGood('production', { olderThan: failing }))?.payload.version).toBe('v40');
    expect((await h.lastGood('production', { olderThan: ids[38]! }))?.payload.version).toBe('v37');
    expect(await h.lastGood('production', { olderThan: ids[0]! })).toBeUndefined();
    expect(github.requests.some((r) => r.path === '/repos/acme/shop/deployments' && r.query.page === '2')).toBe(true);
    expect(await h.lastGood('staging')).toBeUndefined();
  });

  test("GitHub's own deployments (jobs with environment:) are never taken for a version to restore", async () => {
    const h = history();
    const ours = await h.start({
      environment: 'production',
      ref: 'main',
      sha: 'ours',
      payload: payload('v1'),
      description: 'v1',
      logUrl: 'x',
    });
    await h.setState(ours, 'success', 'done');
    const headers = { authorization: `token ${github.token}`, 'content-type': 'application/json' };
    const theirs = (await (
      await fetch(`${github.url}/repos/acme/shop/deployments`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ ref: 'main', environment: 'production' }),
      })
    ).json()) as { id: number };
    await fetch(`${github.url}/repos/acme/shop/deployments/${theirs.id}/statuses`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ state: 'success' }),
    });
    expect((await h.lastGood('production'))?.id).toBe(ours);
    expect((await h.list('production')).map((d) => d.id)).toEqual([ours]);
  });

  test('5xx and the secondary rate limit are retried; a bad token fails at once with the fix', async () => {
    const h = history();
    github.fail(502, 'secondary-rate-limit', 503);
    const id = await h.start({
      environment: 'staging',
      ref: 'main',
      sha: 'x1',
      payload: payload('v1'),
      description: 'd',
      logUrl: 'x',
    });
    expect(github.statesOf(id)).toEqual(['in_progress']);
    await expect(history('wrong-token').lastGood('staging')).rejects.toThrow(
      'GitHub rejected the token (401 Bad credentials) while trying to list deployments of staging; pass a valid `github-token`',
    );
  }, 30_000);
});
