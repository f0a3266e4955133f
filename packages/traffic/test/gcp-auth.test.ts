// Google credentials files (as google-github-actions/auth writes them) against a fake of the token
// endpoints speaking the real protocols (test/fakes/gcp-auth.mjs): GitHub OIDC → STS token exchange →
// IAM Credentials impersonation, and the OAuth2 JWT bearer grant for service account keys.
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Clock, MemoryLogger, request, SecretRegistry, systemClock } from '@deploy-actions/core';
import { startFakeGoogleAuth } from '../../../test/fakes/gcp-auth.mjs';
import { startFakeCloudRun } from '../../../test/fakes/cloud-run.mjs';
import { CloudRunTarget, credentialsFileToken } from '../src/cloud-run';

let auth: Awaited<ReturnType<typeof startFakeGoogleAuth>>;
let api: Awaited<ReturnType<typeof startFakeCloudRun>>;
const dir = mkdtempSync(join(tmpdir(), 'gcp-auth-'));
beforeAll(async () => {
  api = await startFakeCloudRun({ readyDelayMs: 50 });
  auth = await startFakeGoogleAuth({ onIssue: (token) => api.accept(token) });
});
afterAll(async () => {
  await Promise.all([auth?.stop(), api?.stop()]);
});

const source = (path: string, extra: { clock?: Clock; log?: MemoryLogger; secrets?: SecretRegistry } = {}) => {
  const secrets = extra.secrets ?? new SecretRegistry();
  return credentialsFileToken({
    path,
    http: request,
    log: extra.log ?? new MemoryLogger(),
    onSecret: (v) => secrets.add(v),
    clock: extra.clock,
  });
};
const pathsCalled = (from: number) => auth.calls.slice(from).map((c) => `${c.method} ${c.path} ${c.status}`);

test('external_account with a service account: GitHub OIDC → STS → generateAccessToken; cached; every token masked', async () => {
  const path = auth.writeExternalAccount(dir);
  const secrets = new SecretRegistry();
  const log = new MemoryLogger();
  const from = auth.calls.length;
  const tokens = await source(path, { secrets, log });
  expect(tokens.credential).toBe(
    `the Google credentials file ${path} (GOOGLE_APPLICATION_CREDENTIALS: Workload Identity Federation as deployer@acme-prod.iam.gserviceaccount.com)`,
  );
  const token = await tokens.token();
  expect(token).toMatch(/^ya29\.sa-/);
  expect(pathsCalled(from)).toEqual([
    'GET /github/idtoken 200',
    'POST /v1/token 200',
    'POST /v1/projects/-/serviceAccounts/deployer@acme-prod.iam.gserviceaccount.com:generateAccessToken 200',
  ]);
  // The STS request is the RFC 8693 form google-auth-library sends.
  expect(auth.calls[from + 1]!.body).toMatchObject({
    grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
    requested_token_type: 'urn:ietf:params:oauth:token-type:access_token',
    subject_token_type: 'urn:ietf:params:oauth:token-type:jwt',
    audience: `//iam.googleapis.com/${auth.provider}`,
    scope: 'https://www.googleapis.com/auth/cloud-platform',
  });
  const subject = String(auth.calls[from + 1]!.body!.subject_token);
  const federated = auth.issued.at(-2)!;
  for (const secret of [auth.requestToken, subject, federated, token]) expect(secrets.has(secret)).toBe(true);
  expect(await tokens.token()).toBe(token);
  expect(auth.calls.length).toBe(from + 3);
  expect(log.messages().join('\n')).toMatch(/Google access token from .* \(external_account\), valid for/);
});

test('direct Workload Identity Federation (no service account) uses the federated token', async () => {
  const path = auth.writeExternalAccount(dir, { serviceAccount: '', name: 'direct.json' });
  const from = auth.calls.length;
  const token = await (await source(path)).token();
  expect(token).toMatch(/^ya29\.fed-/);
  expect(pathsCalled(from)).toEqual(['GET /github/idtoken 200', 'POST /v1/token 200']);
});

test('service_account key: a signed JWT exchanged by the JWT bearer grant; the key is masked line by line', async () => {
  const key = auth.writeServiceAccountKey(dir);
  const secrets = new SecretRegistry();
  const from = auth.calls.length;
  const token = await (await source(key.path, { secrets })).token();
  expect(token).toMatch(/^ya29\.key-/);
  expect(pathsCalled(from)).toEqual(['POST /token 200']);
  expect(auth.calls[from]!.body).toMatchObject({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer' });
  const claims = JSON.parse(
    Buffer.from(String(auth.calls[from]!.body!.assertion).split('.')[1]!, 'base64url').toString(),
  );
  expect(claims).toMatchObject({
    iss: 'deployer@acme-prod.iam.gserviceaccount.com',
    aud: `${auth.url}/token`,
    scope: 'https://www.googleapis.com/auth/cloud-platform',
  });
  expect(claims.exp - claims.iat).toBe(3600);
  expect(secrets.has(key.privateKey)).toBe(true);
  expect(secrets.has(key.privateKey.split('\n')[1]!)).toBe(true);
  expect(secrets.has(token)).toBe(true);
});

test('429 and 503 from the token endpoints are retried', async () => {
  const path = auth.writeExternalAccount(dir, { name: 'retry.json' });
  const log = new MemoryLogger();
  auth.failNext(1, 503);
  auth.failNext(1, 429);
  expect(await (await source(path, { log })).token()).toMatch(/^ya29\.sa-/);
  expect(log.messages().join('\n')).toMatch(/UNAVAILABLE.*retrying[\s\S]*RESOURCE_EXHAUSTED.*retrying/);
});

test('refused credentials: one line naming the file, the step that refused and the fix', async () => {
  const wif = auth.writeExternalAccount(dir, { name: 'refused.json' });
  auth.allowRepository('acme/other');
  await expect((await source(wif)).token()).rejects.toThrow(
    new RegExp(
      `^the Google credentials file ${wif} \\(GOOGLE_APPLICATION_CREDENTIALS: Workload Identity Federation as deployer@acme-prod\\.iam\\.gserviceaccount\\.com\\) was refused by the STS token exchange \\(HTTP 400 unauthorized_client: The given credential is rejected by the attribute condition\\.\\); check that the workload identity provider projects/123456789/.*/providers/github exists and that its attribute condition admits this repository`,
    ),
  );
  auth.allowRepository('acme/shop');

  auth.denyImpersonation();
  await expect((await source(wif)).token()).rejects.toThrow(
    /was refused by impersonation of deployer@acme-prod\.iam\.gserviceaccount\.com \(HTTP 403 PERMISSION_DENIED: Permission 'iam\.serviceAccounts\.getAccessToken' denied.*\); grant roles\/iam\.workloadIdentityUser/,
  );
  auth.denyImpersonation(false);

  const key = auth.writeServiceAccountKey(dir, { name: 'deleted.json' });
  auth.deleteKey(key.keyId);
  const error = await (await source(key.path)).token().catch((e: Error) => e);
  expect(String(error)).toMatch(
    /service account key for deployer@acme-prod\.iam\.gserviceaccount\.com\) was refused by the OAuth2 token endpoint \(HTTP 400 invalid_grant: Invalid JWT Signature\.\); the key was disabled or deleted/,
  );
  expect(String(error)).not.toContain(key.privateKey.split('\n')[1]);
});

test('a file that is missing, not JSON, or of another kind is one clear error before any request', async () => {
  const from = auth.calls.length;
  await expect(source(join(dir, 'nope.json'))).rejects.toThrow(
    /cannot read the Google credentials file .*nope\.json \(GOOGLE_APPLICATION_CREDENTIALS\): .*ENOENT.*run google-github-actions\/auth/,
  );
  const write = (name: string, text: string) => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };
  await expect(source(write('junk.json', 'not json'))).rejects.toThrow(
    /junk\.json \(GOOGLE_APPLICATION_CREDENTIALS\) is not JSON/,
  );
  await expect(source(write('user.json', '{"type":"authorized_user"}'))).rejects.toThrow(
    /is of type 'authorized_user', not external_account \(Workload Identity Federation\) or service_account/,
  );
  await expect(
    source(
      write(
        'aws.json',
        JSON.stringify({
          type: 'external_account',
          audience: 'a',
          subject_token_type: 't',
          token_url: 'u',
          credential_source: { environment_id: 'aws1' },
        }),
      ),
    ),
  ).rejects.toThrow(/AWS environment or an executable/);
  await expect(
    source(
      write('badkey.json', JSON.stringify({ type: 'service_account', client_email: 'a@b', private_key: 'not a key' })),
    ),
  ).rejects.toThrow(/private_key that is not a PEM private key/);
  expect(auth.calls.length).toBe(from);
});

test('a token is fetched again before it expires (a rollout longer than its lifetime)', async () => {
  let now = Date.now();
  const clock: Clock = { now: () => now, sleep: systemClock.sleep };
  const key = auth.writeServiceAccountKey(dir, { name: 'refresh.json' });
  const tokens = await source(key.path, { clock });
  const first = await tokens.token();
  now += 30 * 60_000;
  expect(await tokens.token()).toBe(first);
  now += 26 * 60_000; // within 5 minutes of its hour
  expect(await tokens.token()).not.toBe(first);
});

test('Cloud Run with a credentials file: a token the API rejects is fetched anew once; one that keeps failing names the file', async () => {
  const service = api.addService({ service: 'wif', image: 'img@sha256:1' });
  const path = auth.writeExternalAccount(dir, { name: 'cloudrun.json' });
  const log = new MemoryLogger();
  const target = new CloudRunTarget({
    apiUrl: api.url,
    project: 'acme-prod',
    region: 'europe-west1',
    service: 'wif',
    tag: 'canary',
    auth: await source(path, { log }),
    release: { image: 'img@sha256:2', version: 'v2' },
    readyTimeoutMs: 5000,
    http: request,
    log,
    pollIntervalMs: 20,
  });
  await target.deployCanary(new AbortController().signal);
  expect(Object.values(api.traffic(service.name)).sort()).toEqual([0, 100]);
  api.revoke(auth.issued.at(-1)!);
  await target.setWeight(20, new AbortController().signal);
  expect(Object.values(api.traffic(service.name)).sort((a, b) => a - b)).toEqual([20, 80]);
  expect(log.messages().join('\n')).toMatch(/access token was rejected; getting a new one/);

  // Every new token is refused too (the identity lost access): one line naming the file.
  const rejecting = new CloudRunTarget({
    apiUrl: api.url,
    project: 'acme-prod',
    region: 'europe-west1',
    service: 'wif',
    tag: 'canary',
    auth: await credentialsFileToken({ path, http: request, log, onSecret: (t) => api.revoke(t) }),
    release: { image: 'img@sha256:2', version: 'v2' },
    readyTimeoutMs: 5000,
    http: request,
    log,
  });
  await expect(rejecting.describe()).rejects.toThrow(
    new RegExp(
      `^Cloud Run get service wif: the Google credentials file ${path} \\(GOOGLE_APPLICATION_CREDENTIALS: Workload Identity Federation as deployer@acme-prod\\.iam\\.gserviceaccount\\.com\\) was rejected \\(UNAUTHENTICATED: .*\\): the federated identity lost access`,
    ),
  );
  expect(Object.values(api.traffic(service.name)).sort((a, b) => a - b)).toEqual([20, 80]);
});
