// Cloud Run's second credential source end to end: the committed canary-deploy bundle with no
// gcp-access-token, reading the credentials file google-github-actions/auth exports as
// GOOGLE_APPLICATION_CREDENTIALS, against fakes of the token endpoints (test/fakes/gcp-auth.mjs: GitHub
// OIDC, STS, IAM Credentials, OAuth2) and of the Cloud Run Admin API. The scenarios every platform
// shares (promote, abort, cancel, never ready, throttling, expired token, rollback) are in platforms.test.ts.
import { afterAll, beforeAll, beforeEach, expect, test } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runStep } from '../../scripts/lib/local-runner.mjs';
import { startFixtureApp } from '../../scripts/lib/services.mjs';
import { startFakeCloudRun } from '../fakes/cloud-run.mjs';
import { startFakeGoogleAuth } from '../fakes/gcp-auth.mjs';
import { startFakeGitHub } from '../fakes/github.mjs';

const V1 = 'europe-docker.pkg.dev/acme/shop/app@sha256:1111';
const V2 = 'europe-docker.pkg.dev/acme/shop/app@sha256:2222';

let app: Awaited<ReturnType<typeof startFixtureApp>>;
let api: Awaited<ReturnType<typeof startFakeCloudRun>>;
let auth: Awaited<ReturnType<typeof startFakeGoogleAuth>>;
let github: Awaited<ReturnType<typeof startFakeGitHub>>;
let service = { name: '', revision: '' };
let serviceName = '';
let counter = 0;
const dir = mkdtempSync(join(tmpdir(), 'cloud-run-auth-'));

beforeAll(async () => {
  [app, api, github] = await Promise.all([startFixtureApp({ version: 'v1' }), startFakeCloudRun(), startFakeGitHub()]);
  auth = await startFakeGoogleAuth({ onIssue: (token) => api.accept(token) });
}, 60_000);
afterAll(async () => {
  await Promise.all([app?.stop(), api?.stop(), auth?.stop(), github?.stop()]);
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  serviceName = `shop${++counter}`;
  service = api.addService({ service: serviceName, image: V1 });
});

const canary = (credentials: string) =>
  runStep('canary-deploy', 'main', {
    inputs: {
      environment: `production-${serviceName}`,
      target: 'cloud-run',
      'cloud-run-service': serviceName,
      'cloud-run-region': 'europe-west1',
      'cloud-run-project': 'acme-prod',
      'cloud-run-api-url': api.url,
      'health-timeout': '20s',
      image: V2,
      version: 'v2',
      steps: '50,100',
      'step-duration': '1s',
      interval: '500ms',
      'min-requests': '5',
      'metrics-grace': '1s',
      metrics: 'http-probe',
      'probe-canary-url': `${app.url}/api/items`,
      'probe-baseline-url': `${app.url}/api/items`,
      'probe-rate': '20',
      'progress-deadline': '60s',
    },
    env: { GITHUB_TOKEN: github.token, GITHUB_API_URL: github.url, GOOGLE_APPLICATION_CREDENTIALS: credentials },
    timeoutMs: 120_000,
  });
const visible = (step: Awaited<ReturnType<typeof runStep>>) =>
  [step.log, step.stderr, JSON.stringify(step.outputs), step.summary].join('\n');
const canaryRevision = () => api.revisionNames(service.name).find((r) => api.imageOf(service.name, r) === V2);

test('Workload Identity Federation from the file: one exchange (GitHub OIDC → STS → the service account), tokens masked, promoted', async () => {
  const credentials = auth.writeExternalAccount(dir, { name: `wif-${serviceName}.json` });
  const from = auth.calls.length;
  const step = await canary(credentials);
  expect(step.exitCode).toBe(0);
  expect(step.outputs.result).toBe('promoted');
  expect(api.traffic(service.name)).toEqual({ [canaryRevision()!]: 100 });
  expect(
    auth.calls
      .slice(from)
      .map((c) => `${c.method} ${c.path.replace(/serviceAccounts\/.*/, 'serviceAccounts/…')} ${c.status}`),
  ).toEqual(['GET /github/idtoken 200', 'POST /v1/token 200', 'POST /v1/projects/-/serviceAccounts/… 200']);
  // Every Cloud Run call carried the service account's token, which the runner was told to mask.
  expect(step.masks).toEqual(expect.arrayContaining([auth.issued.at(-1), auth.requestToken]));
  for (const secret of [auth.requestToken, ...auth.issued]) expect(visible(step)).not.toContain(secret);
}, 120_000);

test('a deleted service account key: one line naming the file and the fix; nothing moved or recorded; the key never shown', async () => {
  const key = auth.writeServiceAccountKey(dir, { name: `key-${serviceName}.json` });
  auth.deleteKey(key.keyId);
  const before = github.deployments.length;
  const step = await canary(key.path);
  expect(step.exitCode).toBe(1);
  const errors = step.annotations.filter((a) => a.level === 'error').map((a) => a.message);
  expect(errors).toHaveLength(1);
  expect(errors[0]).toContain(
    `the Google credentials file ${key.path} (GOOGLE_APPLICATION_CREDENTIALS: service account key for deployer@acme-prod.iam.gserviceaccount.com) was refused by the OAuth2 token endpoint (HTTP 400 invalid_grant: Invalid JWT Signature.); the key was disabled or deleted`,
  );
  expect(api.calls.filter((c) => c.method === 'PATCH' && c.path === service.name)).toEqual([]);
  expect(api.traffic(service.name)).toEqual({ [service.revision]: 100 });
  expect(github.deployments.length).toBe(before);
  for (const line of key.privateKey.split('\n').filter((l) => l.length > 20 && !l.startsWith('-----')))
    expect(visible(step)).not.toContain(line);
}, 60_000);

test('GOOGLE_APPLICATION_CREDENTIALS naming a missing file is bad input: one line, nothing called', async () => {
  const calls = api.calls.length + auth.calls.length;
  const step = await canary(join(dir, 'gone.json'));
  expect(step.exitCode).toBe(1);
  expect(step.annotations.map((a) => a.message)).toEqual([
    expect.stringMatching(
      /^Input 'gcp-access-token': is not set and GOOGLE_APPLICATION_CREDENTIALS names .*gone\.json, which does not exist\. Fix: run google-github-actions\/auth earlier/,
    ),
  ]);
  expect(api.calls.length + auth.calls.length).toBe(calls);
});
