// The Cloud Run target against a fake of the Admin API v2 that speaks its REST protocol
// (test/fakes/cloud-run.mjs): revisions, tags, traffic, long-running operations, google.rpc errors.
import { afterAll, beforeAll, beforeEach, expect, test } from '@jest/globals';
import { MemoryLogger, request } from '@deploy-actions/core';
import { startFakeCloudRun } from '../../../test/fakes/cloud-run.mjs';
import { CloudRunTarget, revisionName, staticToken } from '../src/cloud-run';

let api: Awaited<ReturnType<typeof startFakeCloudRun>>;
let service: { name: string; revision: string };
let counter = 0;
beforeAll(async () => {
  api = await startFakeCloudRun({ readyDelayMs: 100 });
});
afterAll(async () => {
  await api?.stop();
});
beforeEach(() => {
  service = api.addService({ service: `shop${++counter}`, image: 'europe-docker.pkg.dev/acme/shop/app@sha256:v1' });
});

const target = (
  release = { image: 'europe-docker.pkg.dev/acme/shop/app@sha256:v2', version: 'v2.0.1' },
  log = new MemoryLogger(),
) =>
  new CloudRunTarget({
    apiUrl: api.url,
    project: 'acme-prod',
    region: 'europe-west1',
    service: `shop${counter}`,
    tag: 'canary',
    auth: staticToken(api.token),
    release,
    readyTimeoutMs: 5_000,
    http: request,
    log,
    pollIntervalMs: 20,
  });

test('a rollout: a tagged revision at 0 %, weights per step, promotion to 100 %', async () => {
  const t = target();
  await t.deployCanary(new AbortController().signal);
  const revisions = api.revisionNames(service.name);
  const canary = revisions.find((r) => r !== service.revision)!;
  expect(canary).toMatch(/^shop\d+-v2-0-1-[a-z0-9]{6}$/);
  expect(api.imageOf(service.name, canary)).toBe('europe-docker.pkg.dev/acme/shop/app@sha256:v2');
  expect(api.traffic(service.name)).toEqual({ [service.revision]: 100, [canary]: 0 });
  expect(api.tags(service.name)).toEqual({ canary });
  await t.setWeight(25, new AbortController().signal);
  expect(api.traffic(service.name)).toEqual({ [service.revision]: 75, [canary]: 25 });
  expect(await t.describe()).toEqual({
    stable: { image: 'europe-docker.pkg.dev/acme/shop/app@sha256:v1' },
    canary: { image: 'europe-docker.pkg.dev/acme/shop/app@sha256:v2', weight: 25 },
  });
  await t.promote(new AbortController().signal);
  expect(api.traffic(service.name)).toEqual({ [canary]: 100 });
  expect(await t.describe()).toEqual({ stable: { image: 'europe-docker.pkg.dev/acme/shop/app@sha256:v2' } });
  // The sidecar kept its image; only the serving container changed.
  expect(api.calls.filter((c) => c.method === 'PATCH').length).toBe(3);
});

test('abort from a fresh target (the post step after a killed job) finds the rollout on the service', async () => {
  await target().deployCanary(new AbortController().signal);
  await target().setWeight(50, new AbortController().signal);
  await target().abort();
  expect(api.traffic(service.name)).toEqual({ [service.revision]: 100 });
});

test("a revision that never becomes ready fails at once with Cloud Run's reason; stable keeps all traffic", async () => {
  api.neverReady('europe-docker.pkg.dev/acme/shop/app@sha256:broken');
  const t = target({ image: 'europe-docker.pkg.dev/acme/shop/app@sha256:broken', version: 'v3' });
  await expect(t.deployCanary(new AbortController().signal)).rejects.toThrow(
    /failed.*user-provided container failed to start/,
  );
  expect(api.traffic(service.name)).toEqual({ [service.revision]: 100 });
});

test('a revision that fails while its operation still runs is reported from its Ready condition, not after the operation gives up', async () => {
  api.neverReady(
    'europe-docker.pkg.dev/acme/shop/app@sha256:crash',
    'ContainerMissing',
    "Image 'europe-docker.pkg.dev/acme/shop/app@sha256:crash' not found.",
    { operationDelayMs: 60_000 },
  );
  const t = target({ image: 'europe-docker.pkg.dev/acme/shop/app@sha256:crash', version: 'v4' });
  await expect(t.deployCanary(new AbortController().signal)).rejects.toThrow(
    /^revision shop\d+-v4-[a-z0-9]+ failed: ContainerMissing: Image '.*' not found\.; no traffic was moved to it$/,
  );
  expect(api.traffic(service.name)).toEqual({ [service.revision]: 100 });
});

test('updates write only the fields they name (updateMask): template and traffic to deploy, traffic alone per step', async () => {
  const t = target();
  await t.deployCanary(new AbortController().signal);
  await t.setWeight(10, new AbortController().signal);
  await t.setWeight(50, new AbortController().signal);
  const patches = api.calls.filter((c) => c.method === 'PATCH' && c.path === service.name);
  expect(patches.map((c) => c.query)).toEqual([
    '?updateMask=template,traffic',
    '?updateMask=traffic',
    '?updateMask=traffic',
  ]);
  // The canary revision's template is never sent back: Cloud Run would check it against the revision.
  expect(patches.map((c) => c.fields)).toEqual([['template', 'traffic'], ['traffic'], ['traffic']]);
  expect(patches.every((c) => c.status === 200)).toBe(true);
  expect(api.traffic(service.name)[service.revision]).toBe(50);
});

test("429 and 503 are retried; 409 ABORTED means read again and re-apply; another writer's fields outside the mask stay", async () => {
  const log = new MemoryLogger();
  const t = target(undefined, log);
  api.failNext(2, 429);
  await t.deployCanary(new AbortController().signal);
  api.failNext(1, 503);
  api.conflictNext();
  api.changeBehindYourBack(); // its etag change does not matter: the body carries none, and Cloud Run ignores it
  await t.setWeight(10, new AbortController().signal);
  expect(Object.values(api.traffic(service.name)).sort((a, b) => a - b)).toEqual([10, 90]);
  expect(api.labels(service.name)).toEqual({ touched: 'yes' });
  expect(log.messages().join('\n')).toMatch(/RESOURCE_EXHAUSTED.*retrying/);
  expect(api.calls.filter((c) => c.method === 'PATCH' && c.status === 409).length).toBe(1);
});

test('a tag too long for the service name (46 characters together) is refused before any call', () => {
  const calls = api.calls.length;
  expect(
    () =>
      new CloudRunTarget({
        apiUrl: api.url,
        project: 'acme-prod',
        region: 'europe-west1',
        service: 'shop-payments-api-europe',
        tag: 'canary-release-candidate',
        auth: staticToken(api.token),
        release: { image: 'img@sha256:2', version: 'v2' },
        readyTimeoutMs: 1000,
        http: request,
        log: new MemoryLogger(),
      }),
  ).toThrow(
    "cloud-run-tag 'canary-release-candidate' and service 'shop-payments-api-europe' together are 48 characters; Cloud Run allows 46: give a shorter cloud-run-tag",
  );
  expect(api.calls.length).toBe(calls);
});

test('a revoked or expired token is one clear error naming gcp-access-token', async () => {
  const other = await startFakeCloudRun();
  other.addService({ service: 'shop', image: 'img@sha256:1' });
  other.revoke();
  const t = new CloudRunTarget({
    apiUrl: other.url,
    project: 'acme-prod',
    region: 'europe-west1',
    service: 'shop',
    tag: 'canary',
    auth: staticToken(other.token),
    release: { image: 'img@sha256:2', version: 'v2' },
    readyTimeoutMs: 1000,
    http: request,
    log: new MemoryLogger(),
  });
  await expect(t.describe()).rejects.toThrow(
    /access token in input 'gcp-access-token' was rejected \(UNAUTHENTICATED: Request had invalid authentication credentials.*pass it as gcp-access-token/,
  );
  await other.stop();
});

test('rollbackTo routes to the warm revision with that image, or deploys it when none is left', async () => {
  const t = target();
  await t.deployCanary(new AbortController().signal);
  await t.promote(new AbortController().signal);
  await target().rollbackTo(
    { image: 'europe-docker.pkg.dev/acme/shop/app@sha256:v1', version: 'v1' },
    new AbortController().signal,
  );
  expect(api.traffic(service.name)).toEqual({ [service.revision]: 100 });
  const before = api.revisionNames(service.name).length;
  await target().rollbackTo(
    { image: 'europe-docker.pkg.dev/acme/shop/app@sha256:v0', version: 'v0' },
    new AbortController().signal,
  );
  const revisions = api.revisionNames(service.name);
  expect(revisions.length).toBe(before + 1);
  const v0 = revisions.find((r) => api.imageOf(service.name, r) === 'europe-docker.pkg.dev/acme/shop/app@sha256:v0')!;
  expect(api.traffic(service.name)).toEqual({ [v0]: 100 });
});

test('revision names are valid and unique per deploy', () => {
  expect(revisionName('shop', 'V2.0.1+build/7', 1_700_000_000_000)).toMatch(/^shop-v2-0-1-build-7-[a-z0-9]{6}$/);
  expect(revisionName('s'.repeat(50), 'a-very-long-version-name-indeed', 1).length).toBeLessThanOrEqual(63);
});
