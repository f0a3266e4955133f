// End-to-end on Cloud Run: the committed canary-deploy and auto-rollback bundles against a fake of
// the Cloud Run Admin API v2 (test/fakes/cloud-run.mjs), with the canary and the stable revision
// played by two real fixture apps judged by the HTTP probe, and GitHub's API faked.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { runStep } from '../../scripts/lib/local-runner.mjs';
import { startFixtureApp } from '../../scripts/lib/services.mjs';
import { startFakeCloudRun } from '../fakes/cloud-run.mjs';
import { startFakeGitHub } from '../fakes/github.mjs';

type App = Awaited<ReturnType<typeof startFixtureApp>>;
let stableApp: App;
let canaryApp: App;
let api: Awaited<ReturnType<typeof startFakeCloudRun>>;
let github: Awaited<ReturnType<typeof startFakeGitHub>>;
let service: { name: string; revision: string };
let serviceName = '';
let counter = 0;

const V1 = 'europe-docker.pkg.dev/acme/shop/app@sha256:1111';
const V2 = 'europe-docker.pkg.dev/acme/shop/app@sha256:2222';

beforeAll(async () => {
  [stableApp, canaryApp, api, github] = await Promise.all([startFixtureApp({ version: 'v1' }), startFixtureApp({ version: 'v2' }), startFakeCloudRun(), startFakeGitHub()]);
}, 60_000);
afterAll(async () => {
  await Promise.all([stableApp?.stop(), canaryApp?.stop(), api?.stop(), github?.stop()]);
});
beforeEach(async () => {
  serviceName = `shop${++counter}`;
  service = api.addService({ service: serviceName, image: V1 });
  await canaryApp.setKnobs({ errorRate: 0 });
});

const inputs = (extra: Record<string, string> = {}) => ({
  environment: `production-${serviceName}`, target: 'cloud-run', 'cloud-run-service': serviceName, 'cloud-run-region': 'europe-west1',
  'cloud-run-project': 'acme-prod', 'cloud-run-api-url': api.url, 'gcp-access-token': api.token, 'health-timeout': '20s',
  ...extra,
});
const canaryInputs = (extra: Record<string, string> = {}) => ({
  ...inputs(), image: V2, version: 'v2', steps: '50,100', 'step-duration': '2s', interval: '500ms', 'min-requests': '20', 'metrics-grace': '2s',
  metrics: 'http-probe', 'probe-canary-url': `${canaryApp.url}/api/items`, 'probe-baseline-url': `${stableApp.url}/api/items`, 'probe-rate': '40',
  'progress-deadline': '60s', ...extra,
});
const canary = (extra: Record<string, string> = {}, options: Parameters<typeof runStep>[2] = {}) => runStep('canary-deploy', 'main', {
  inputs: canaryInputs(extra), env: { GITHUB_TOKEN: github.token, GITHUB_API_URL: github.url }, timeoutMs: 120_000, ...options,
});
const canaryRevision = () => api.revisionNames(service.name).find((r) => api.imageOf(service.name, r) === V2);
/** Everything a person or later step can read. */
const visible = (step: Awaited<ReturnType<typeof runStep>>) => [step.log, step.stderr, JSON.stringify(step.outputs), step.summary].join('\n');

describe('canary-deploy on Cloud Run', () => {
  test('a healthy canary: a tagged revision at 0 %, then 50 %, then promoted to 100 %; recorded', async () => {
    const step = await canary();
    expect(step.exitCode).toBe(0);
    expect(step.outputs.result).toBe('promoted');
    const revision = canaryRevision()!;
    expect(revision).toMatch(new RegExp(`^${serviceName}-v2-`));
    expect(api.traffic(service.name)).toEqual({ [revision]: 100 });
    const patches = api.calls.filter((c) => c.method === 'PATCH' && c.path === service.name && c.status === 200);
    expect(patches.length).toBe(3); // deploy (0 %), 50 %, 100 %
    const id = Number(step.outputs['deployment-id']);
    expect(github.statesOf(id).at(-1)).toBe('success');
    expect(github.deployments.find((d) => d.id === id)?.payload).toMatchObject({ image: V2, version: 'v2', target: 'cloud-run' });
    expect(visible(step)).not.toContain(api.token);
  }, 120_000);

  test('a canary that errs is aborted: all traffic back on the stable revision', async () => {
    await canaryApp.setKnobs({ errorRate: 0.5 });
    const step = await canary();
    expect(step.exitCode).toBe(1);
    expect(step.outputs.result).toBe('aborted');
    expect(step.outputs.reason).toMatch(/canary error/);
    expect(api.traffic(service.name)).toEqual({ [service.revision]: 100 });
  }, 120_000);

  test('a cancelled job puts traffic back itself; a killed one is restored by the post step', async () => {
    let cancelled = false;
    const step = await canary({ 'step-duration': '60s' }, {
      onLine: (line, control) => { if (!cancelled && /step 1\/2: 50%/.test(line)) { cancelled = true; setTimeout(control.cancel, 500); } },
    });
    expect(cancelled).toBe(true);
    expect(step.outputs.result).toBe('aborted');
    expect(api.traffic(service.name)).toEqual({ [service.revision]: 100 });

    let killed = false;
    const main = await canary({ 'step-duration': '60s' }, {
      onLine: (line, control) => { if (!killed && /step 1\/2: 50%/.test(line)) { killed = true; control.kill(); } },
    });
    expect(main.signal).toBe('SIGKILL');
    expect(Object.values(api.traffic(service.name)).sort()).toEqual([50, 50]);
    const post = await runStep('canary-deploy', 'post', { inputs: canaryInputs({ 'step-duration': '60s' }), state: main.state, env: { GITHUB_TOKEN: github.token, GITHUB_API_URL: github.url } });
    expect(post.exitCode).toBe(0);
    expect(post.log).toContain('all traffic is back on the stable version');
    expect(api.traffic(service.name)).toEqual({ [service.revision]: 100 });
  }, 180_000);

  test('a revision that never becomes ready fails with Cloud Run\'s reason; stable is untouched', async () => {
    const broken = 'europe-docker.pkg.dev/acme/shop/app@sha256:dead';
    api.neverReady(broken);
    const step = await canary({ image: broken, version: 'v3' });
    expect(step.exitCode).toBe(1);
    expect(step.annotations.filter((a) => a.level === 'error').map((a) => a.message).join('\n')).toMatch(/HealthCheckContainerError: The user-provided container failed to start/);
    expect(api.traffic(service.name)).toEqual({ [service.revision]: 100 });
  }, 120_000);

  test('429 and 503 from the API are retried and the rollout goes on', async () => {
    api.failNext(2, 429);
    api.failNext(2, 503);
    const step = await canary();
    expect(step.exitCode).toBe(0);
    expect(step.log).toMatch(/RESOURCE_EXHAUSTED.*retrying/);
    expect(step.log).toMatch(/UNAVAILABLE.*retrying/);
    expect(api.traffic(service.name)).toEqual({ [canaryRevision()!]: 100 });
  }, 120_000);

  test('an expired token is one clear error before anything moves or is recorded', async () => {
    const before = github.deployments.length;
    const step = await canary({ 'gcp-access-token': 'ya29.expired-token-0000' });
    expect(step.exitCode).toBe(1);
    const errors = step.annotations.filter((a) => a.level === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toMatch(/access token was rejected \(UNAUTHENTICATED.*gcp-access-token/);
    expect(api.calls.filter((c) => c.method === 'PATCH' && c.path === service.name)).toEqual([]);
    expect(github.deployments.length).toBe(before);
    expect(visible(step)).not.toContain('ya29.expired-token-0000');
  }, 60_000);

  test('bad input: a missing token names the input and the fix, nothing is called', async () => {
    const calls = api.calls.length;
    const step = await canary({ 'gcp-access-token': '' });
    expect(step.exitCode).toBe(1);
    expect(step.annotations.map((a) => a.message)).toEqual([expect.stringMatching(/^Input 'gcp-access-token': is required for target cloud-run\. Fix: add google-github-actions\/auth/)]);
    expect(api.calls.length).toBe(calls);
  });
});

describe('auto-rollback on Cloud Run', () => {
  test('after a bad release was promoted, the last good revision takes all traffic again (it is still warm)', async () => {
    const good = await canary();
    expect(good.outputs.result).toBe('promoted');
    const goodRevision = canaryRevision()!;
    const V3 = 'europe-docker.pkg.dev/acme/shop/app@sha256:3333';
    const bad = await canary({ image: V3, version: 'v3' });
    expect(bad.outputs.result).toBe('promoted');
    const badRevision = api.revisionNames(service.name).find((r) => api.imageOf(service.name, r) === V3)!;
    expect(api.traffic(service.name)).toEqual({ [badRevision]: 100 });

    const rollback = await runStep('auto-rollback', 'main', {
      inputs: { ...inputs(), trigger: 'failure', reason: 'error rate 12 % after promotion', 'verify-url': `${canaryApp.url}/health` },
      env: { GITHUB_TOKEN: github.token, GITHUB_API_URL: github.url },
    });
    expect(rollback.exitCode).toBe(0);
    expect(rollback.outputs).toMatchObject({ 'rolled-back': 'true', 'restored-version': 'v2', 'failed-version': 'v3' });
    expect(api.traffic(service.name)).toEqual({ [goodRevision]: 100 });
    // Warm: no new revision was made for the rollback.
    expect(api.revisionNames(service.name).filter((r) => api.imageOf(service.name, r) === V2)).toEqual([goodRevision]);
    expect(github.statesOf(Number(bad.outputs['deployment-id'])).at(-1)).toBe('failure');
    expect(visible(rollback)).not.toContain(api.token);
  }, 240_000);
});
