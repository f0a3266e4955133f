// End-to-end: the deploy job of .github/workflows/deploy.yml itself, its steps' `if:` conditions and
// expressions evaluated as the runner does (scripts/lib/workflow-runner.mjs) and our actions run from
// their committed bundles, on real HAProxy, Prometheus and fixture apps with GitHub faked. Every path
// a deploy can end in must show in the job's status and its `result` output, and a rollback must
// happen once or not at all, as the case requires.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runJob } from '../../scripts/lib/workflow-runner.mjs';
import {
  startFixtureApp,
  startHaproxy,
  startLoadGenerator,
  startPostgres,
  startPrometheus,
} from '../../scripts/lib/services.mjs';
import { startFakeGitHub } from '../fakes/github.mjs';
import { startFakeKubernetes } from '../fakes/kubernetes.mjs';
import { seedRelease } from '../support/deployments';
import { slotWeights, startSlotStack, type Slot, type SlotStack } from '../support/haproxy';

type App = Awaited<ReturnType<typeof startFixtureApp>>;
let stack: SlotStack;
let github: Awaited<ReturnType<typeof startFakeGitHub>>;
let load: ReturnType<typeof startLoadGenerator>;
let envCount = 0;

beforeAll(async () => {
  stack = await startSlotStack({ serving: 'blue', scrapeIntervalMs: 500 });
  github = await startFakeGitHub();
  load = startLoadGenerator({ targets: [{ url: stack.proxy.url, weight: 1 }], ratePerSecond: 60 });
}, 60_000);
afterAll(async () => {
  await load?.stop();
  await Promise.all([stack?.stop(), github?.stop()]);
});
beforeEach(() => stack.reset({ errorRate: 0 }));

/** A release promoted into `slot`, recorded the way canary-deploy records it. */
const seedPromoted = (environment: string, version: string, slot: Slot) =>
  seedRelease(github, {
    environment,
    version,
    image: `registry.local/shop@sha256:${version === 'v1' ? '1111' : '2222'}`,
    slot,
    state: 'success',
  });
/** v1 serving from blue: the last good version. */
const seedServingV1 = (environment: string) => seedPromoted(environment, 'v1', 'blue');

/** The environment's configuration variables for HAProxy slots judged from Prometheus. */
const vars = () => ({
  DEPLOY_TARGET: 'haproxy',
  HAPROXY_SOCKET: stack.proxy.socket,
  PROMETHEUS_URL: stack.prometheus.url,
  CANARY_SELECTOR: 'slot="{{canary-slot}}"',
  BASELINE_SELECTOR: 'slot="{{stable-slot}}"',
  ENVIRONMENT_URL: stack.proxy.url,
  VERIFY_URL: `${stack.proxy.url}/health`,
});

async function deploy(
  environment: string,
  inputs: Record<string, string>,
  beforeStep?: (step: { id?: string }) => Promise<void>,
) {
  const job = await runJob('.github/workflows/deploy.yml', 'deploy', {
    inputs: {
      environment,
      image: 'registry.local/shop@sha256:2222',
      steps: '50,100',
      'step-duration': '3s',
      'smoke-url': `${stack.proxy.url}/health`,
      ...inputs,
    },
    vars: vars(),
    needs: { build: { result: 'skipped', outputs: {} } },
    env: { GITHUB_TOKEN: github.token, GITHUB_API_URL: github.url },
    beforeStep,
    timeoutMs: 120_000,
  });
  const ran = job.steps.filter((s) => s.ran).map((s) => s.id ?? s.name);
  return {
    job,
    ran,
    rollbacks: github.deployments.filter((d) => d.environment === environment && d.payload.rollbackOf),
  };
}

describe('deploy.yml, deploy job', () => {
  test('promoted: every step passes and the watch holds; the job is green and no rollback runs', async () => {
    const environment = `wf-${++envCount}`;
    await seedServingV1(environment);
    const { job, ran, rollbacks } = await deploy(environment, { 'watch-duration': '8s' });
    expect(job.step('canary')?.outputs.result).toBe('promoted');
    expect(job.step('watch')?.outputs['rolled-back']).toBe('false');
    expect(ran).not.toContain('rollback');
    expect(job.outputs.result).toBe('promoted');
    expect(job.result).toBe('success');
    expect(rollbacks).toEqual([]);
    expect(await slotWeights(stack.proxy.socket)).toEqual({ blue: 0, green: 100 });
  }, 180_000);

  test('aborted: the judge puts traffic back on stable; the job is red, result aborted, and nothing rolls back again', async () => {
    const environment = `wf-${++envCount}`;
    await seedServingV1(environment);
    await stack.green.setKnobs({ errorRate: 0.4 });
    const { job, ran, rollbacks } = await deploy(environment, { 'watch-duration': '8s' });
    expect(job.step('canary')?.outcome).toBe('failure');
    expect(job.step('canary')?.outputs.result).toBe('aborted');
    expect(ran).not.toContain('rollback');
    expect(ran).not.toContain('watch');
    expect(job.outputs.result).toBe('aborted');
    expect(job.result).toBe('failure');
    expect(rollbacks).toEqual([]);
    expect(await slotWeights(stack.proxy.socket)).toEqual({ blue: 100, green: 0 });
  }, 180_000);

  test('rolled back in the watch: the job is red, result rolled-back, and the rollback step does not run a second one', async () => {
    const environment = `wf-${++envCount}`;
    await seedServingV1(environment);
    const { job, ran, rollbacks } = await deploy(environment, { 'watch-duration': '40s' }, async (step) => {
      // The release goes bad once it is promoted: only the watch can catch it.
      if (step.id === 'watch') await stack.green.setKnobs({ errorRate: 0.5 });
    });
    expect(job.step('canary')?.outputs.result).toBe('promoted');
    expect(job.step('watch')?.outputs['rolled-back']).toBe('true');
    expect(ran).not.toContain('rollback');
    expect(job.outputs.result).toBe('rolled-back');
    expect(job.result).toBe('failure');
    expect(rollbacks).toHaveLength(1);
    expect(await slotWeights(stack.proxy.socket)).toEqual({ blue: 100, green: 0 });
  }, 180_000);

  test('smoke test fails after promotion: the rollback step restores v1; red, result rolled-back', async () => {
    const environment = `wf-${++envCount}`;
    await seedServingV1(environment);
    const { job, ran, rollbacks } = await deploy(environment, { 'smoke-url': `${stack.proxy.url}/no-such-page` });
    expect(job.step('smoke')?.outputs.passed).toBe('false');
    expect(ran).toContain('rollback');
    expect(job.step('rollback')?.outputs['rolled-back']).toBe('true');
    expect(job.outputs.result).toBe('rolled-back');
    expect(job.result).toBe('failure');
    expect(rollbacks).toHaveLength(1);
    expect(await slotWeights(stack.proxy.socket)).toEqual({ blue: 100, green: 0 });
  }, 180_000);

  test('rollback failed: nothing earlier to restore; red, result rollback-failed', async () => {
    const environment = `wf-${++envCount}`;
    const { job, ran } = await deploy(environment, { 'smoke-url': `${stack.proxy.url}/no-such-page` });
    expect(ran).toContain('rollback');
    expect(job.step('rollback')?.outcome).toBe('failure');
    expect(job.step('rollback')?.log).toMatch(/no earlier successful deployment/);
    expect(job.outputs.result).toBe('rollback-failed');
    expect(job.result).toBe('failure');
  }, 180_000);
});

describe('deploy.yml when a migration fails', () => {
  let postgres: Awaited<ReturnType<typeof startPostgres>>;
  let workspace = '';
  beforeAll(async () => {
    postgres = await startPostgres({ password: 'wf-Pa55-word-3' });
    workspace = mkdtempSync(join(tmpdir(), 'deploy-workflow-migrate-'));
    mkdirSync(join(workspace, 'migrations'));
    writeFileSync(join(workspace, 'migrations', '0001_broken.sql'), 'create tabel items (id int);\n');
  }, 60_000);
  afterAll(async () => {
    await postgres?.stop();
    if (workspace) rmSync(workspace, { recursive: true, force: true });
  });

  test('nothing was deployed, so nothing is rolled back: red, result failed', async () => {
    const environment = `wf-${++envCount}`;
    await seedServingV1(environment);
    const job = await runJob('.github/workflows/deploy.yml', 'deploy', {
      inputs: { environment, image: 'registry.local/shop@sha256:2222', migrations: 'migrations' },
      vars: vars(),
      secrets: { DATABASE_URL: postgres.url },
      needs: { build: { result: 'skipped', outputs: {} } },
      env: { GITHUB_TOKEN: github.token, GITHUB_API_URL: github.url },
      cwd: workspace,
      timeoutMs: 120_000,
    });
    expect(job.step('migrate')?.outcome).toBe('failure');
    expect(job.steps.filter((s) => s.ran).map((s) => s.id)).not.toContain('canary');
    expect(job.steps.filter((s) => s.ran).map((s) => s.id)).not.toContain('rollback');
    expect(job.outputs.result).toBe('failed');
    expect(job.result).toBe('failure');
    expect(github.deployments.filter((d) => d.environment === environment)).toHaveLength(1);
    expect(await slotWeights(stack.proxy.socket)).toEqual({ blue: 100, green: 0 });
  }, 120_000);
});

describe('deploy.yml on Kubernetes', () => {
  // Promotion moves the release into the stable Deployment and deletes `<name>-canary`: the pods
  // labelled track=canary are gone. Two fixture apps stand for the two Deployments' pods, scraped by
  // Prometheus with those labels; the API server is the fake.
  let api: Awaited<ReturnType<typeof startFakeKubernetes>>;
  let stablePods: App;
  let canaryPods: App;
  let scraper: Awaited<ReturnType<typeof startPrometheus>>;
  let traffic: ReturnType<typeof startLoadGenerator>;
  let dir = '';
  beforeAll(async () => {
    api = await startFakeKubernetes();
    dir = mkdtempSync(join(tmpdir(), 'deploy-workflow-k8s-'));
    [stablePods, canaryPods] = await Promise.all([
      startFixtureApp({ version: 'v1' }),
      startFixtureApp({ version: 'v2' }),
    ]);
    scraper = await startPrometheus({
      targets: [
        { address: `127.0.0.1:${stablePods.port}`, labels: { track: 'stable' } },
        { address: `127.0.0.1:${canaryPods.port}`, labels: { track: 'canary' } },
      ],
      scrapeIntervalMs: 500,
    });
    traffic = startLoadGenerator({
      targets: [
        { url: stablePods.url, weight: 1 },
        { url: canaryPods.url, weight: 1 },
      ],
      ratePerSecond: 60,
    });
  }, 60_000);
  afterAll(async () => {
    await traffic?.stop();
    await Promise.all([api?.stop(), stablePods?.stop(), canaryPods?.stop(), scraper?.stop()]);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('the watch judges the stable Deployment, which now runs the release: a breach there is rolled back', async () => {
    const environment = `wf-k8s-${++envCount}`;
    api.addApp({ name: 'shop', image: 'registry.example/acme/shop@sha256:1111', replicas: 4 });
    const run = (image: string, watch: string, beforeStep?: (step: { id?: string }) => Promise<void>) =>
      runJob('.github/workflows/deploy.yml', 'deploy', {
        inputs: { environment, image, steps: '100', 'step-duration': '3s', 'watch-duration': watch },
        vars: {
          DEPLOY_TARGET: 'kubernetes',
          KUBE_NAMESPACE: 'shop',
          KUBE_DEPLOYMENT: 'shop',
          PROMETHEUS_URL: scraper.url,
        },
        secrets: { KUBECONFIG: readFileSync(api.kubeconfig(dir), 'utf8') },
        needs: { build: { result: 'skipped', outputs: {} } },
        env: { GITHUB_TOKEN: github.token, GITHUB_API_URL: github.url },
        beforeStep,
        timeoutMs: 120_000,
      });
    const image = () => api.get('deployments', 'shop', 'shop')?.spec.template.spec.containers[0].image;

    const good = await run('registry.example/acme/shop@sha256:2222', '');
    expect(good.outputs.result).toBe('promoted');
    expect(image()).toBe('registry.example/acme/shop@sha256:2222');

    const bad = await run('registry.example/acme/shop@sha256:3333', '40s', async (step) => {
      if (step.id !== 'watch') return;
      // Promoted: the canary pods are gone, and the stable pods, running the release, start failing.
      await canaryPods.stop();
      await stablePods.setKnobs({ errorRate: 0.5 });
    });
    expect(bad.step('canary')?.outputs.result).toBe('promoted');
    expect(bad.step('watch')?.outputs['rolled-back']).toBe('true');
    expect(bad.outputs.result).toBe('rolled-back');
    expect(bad.result).toBe('failure');
    expect(image()).toBe('registry.example/acme/shop@sha256:2222');
  }, 240_000);
});

describe('rollback.yml', () => {
  // A backend that is not HAProxy's default name: the form must act where the deploys act.
  let shop: Awaited<ReturnType<typeof startHaproxy>>;
  beforeAll(async () => {
    shop = await startHaproxy({
      backend: 'shop',
      slots: [
        { name: 'blue', address: `127.0.0.1:${stack.blue.port}`, weight: 0 },
        { name: 'green', address: `127.0.0.1:${stack.green.port}`, weight: 100 },
      ],
    });
  }, 30_000);
  afterAll(() => shop?.stop());

  test("a manual rollback acts on the environment's backend and slots, as deploy.yml does", async () => {
    const environment = `wf-manual-${++envCount}`;
    await seedPromoted(environment, 'v1', 'blue');
    await seedPromoted(environment, 'v2', 'green');
    const job = await runJob('.github/workflows/rollback.yml', 'rollback', {
      inputs: { environment, reason: 'v2 corrupts carts' },
      vars: {
        DEPLOY_TARGET: 'haproxy',
        HAPROXY_SOCKET: shop.socket,
        HAPROXY_BACKEND: 'shop',
        DEPLOY_SLOTS: 'blue,green',
        VERIFY_URL: `${shop.url}/health`,
      },
      env: { GITHUB_TOKEN: github.token, GITHUB_API_URL: github.url },
      timeoutMs: 120_000,
    });
    expect(job.step('rollback')?.log).not.toMatch(/::error/);
    expect(job.step('rollback')?.outputs).toMatchObject({ 'rolled-back': 'true', 'restored-version': 'v1' });
    expect(job.result).toBe('success');
    expect(await slotWeights(shop.socket, 'shop')).toEqual({ blue: 100, green: 0 });
  }, 120_000);
});
