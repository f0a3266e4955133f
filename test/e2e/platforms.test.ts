// The same end-to-end canary and rollback scenarios on each platform target, run through the committed
// canary-deploy and auto-rollback bundles against fakes that speak each platform's API (test/fakes):
// the Cloud Run Admin API v2, the Kubernetes REST API with watches, and ECS (JSON 1.1) with ELBv2
// (query protocol) through the real AWS SDK. The canary and stable
// workloads are played by two real fixture apps judged by the HTTP probe; GitHub's API is faked.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runStep } from '../../scripts/lib/local-runner.mjs';
import { startFixtureApp } from '../../scripts/lib/services.mjs';
import { startFakeCloudRun } from '../fakes/cloud-run.mjs';
import { startFakeEcs } from '../fakes/ecs.mjs';
import { startFakeGitHub } from '../fakes/github.mjs';
import { startFakeKubernetes } from '../fakes/kubernetes.mjs';

const V1 = 'registry.example/acme/shop@sha256:1111';
const V2 = 'registry.example/acme/shop@sha256:2222';
const V3 = 'registry.example/acme/shop@sha256:3333';

/** What each platform's fake says is serving, in the same shape for every platform. */
interface Serving {
  stable: string;
  canary?: { image: string; weight: number };
}

/** One platform: its fake, the inputs that point the target at a fresh copy of the app, and its knobs. */
interface Platform {
  name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** A new app serving V1; returns the target inputs for it. */
  fresh(): Record<string, string>;
  serving(): Serving;
  /** API calls that change something, so a test can assert nothing moved. */
  writes(): number;
  /** Environment the steps need (credentials and endpoints for an SDK). */
  env?: Record<string, string>;
  neverReady(image: string): void;
  /** The reason the platform gives for a workload that cannot start. */
  neverReadyReason: RegExp;
  throttle(): void;
  /** Whether the step's log or the fake's record show the throttled calls were retried. */
  throttled(log: string): boolean;
  /** Inputs (or environment) with credentials the API rejects, the error that says so, and the secret that must not leak. */
  expired(): { inputs: Record<string, string>; env?: Record<string, string>; error: RegExp; secret: string };
  /** Inputs with the credential left out: the input error. */
  missingCredential: { inputs: Record<string, string>; error: RegExp } | undefined;
  /**
   * Another writer changes what serves while a step at 50 % is being judged, through the platform's
   * API as their tool would; returns the change the action's reason must name.
   */
  meddle(): Promise<RegExp>;
  /**
   * The canary's pods or tasks all crash while a step at 50 % is being judged, its share of traffic
   * left as set, as the platform's API would then report it; returns the reason the action must give.
   * Cloud Run has none: a revision with no instance running is normal there (it scales to zero and
   * starts instances per request), so its target reports no instance count to judge.
   */
  crashCanary?(): RegExp;
}

/** A request to a fake as another tool would send it; fails the test on anything but 2xx. */
async function send(url: string, method: string, token: string, body: unknown, type = 'application/json') {
  const response = await fetch(url, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': type },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${url}: HTTP ${response.status} ${await response.text()}`);
}

function cloudRun(): Platform {
  let api: Awaited<ReturnType<typeof startFakeCloudRun>>;
  let service = { name: '', revision: '' };
  let n = 0;
  const imageOf = (revision: string) => api.imageOf(service.name, revision)!;
  return {
    name: 'Cloud Run',
    async start() {
      api = await startFakeCloudRun();
    },
    async stop() {
      await api?.stop();
    },
    fresh() {
      const name = `shop${++n}`;
      service = api.addService({ service: name, image: V1 });
      return {
        target: 'cloud-run',
        'cloud-run-service': name,
        'cloud-run-region': 'europe-west1',
        'cloud-run-project': 'acme-prod',
        'cloud-run-api-url': api.url,
        'gcp-access-token': api.token,
      };
    },
    serving() {
      const traffic = Object.entries(api.traffic(service.name)).filter(([, p]) => (p ?? 0) > 0);
      const tagged = api.tags(service.name).canary;
      const stable = traffic.filter(([r]) => r !== tagged).sort((a, b) => (b[1] ?? 0) - (a[1] ?? 0))[0];
      const canary = traffic.find(([r]) => r === tagged);
      return {
        stable: stable ? imageOf(stable[0]) : '',
        ...(canary ? { canary: { image: imageOf(canary[0]), weight: canary[1] ?? 0 } } : {}),
      };
    },
    writes: () => api.calls.filter((c) => c.method === 'PATCH').length,
    // Cloud Run marks the revision failed well before its operation ends: the step reports it from the revision.
    neverReady: (image) => api.neverReady(image, undefined, undefined, { operationDelayMs: 600_000 }),
    neverReadyReason: /HealthCheckContainerError: The user-provided container failed to start/,
    throttle() {
      api.failNext(2, 429);
      api.failNext(2, 503);
    },
    throttled: (log) => /RESOURCE_EXHAUSTED.*retrying/.test(log) && /UNAVAILABLE.*retrying/.test(log),
    expired: () => ({
      inputs: { 'gcp-access-token': 'ya29.expired-token-0000' },
      error: /access token in input 'gcp-access-token' was rejected \(UNAUTHENTICATED.*gcp-access-token/,
      secret: 'ya29.expired-token-0000',
    }),
    missingCredential: {
      inputs: { 'gcp-access-token': '' },
      error:
        /^Input 'gcp-access-token': is required for target cloud-run \(and GOOGLE_APPLICATION_CREDENTIALS is not set\)\. Fix: add google-github-actions\/auth/,
    },
    // Someone splits traffic by hand (`gcloud run services update-traffic`), keeping the canary's tag.
    async meddle() {
      const canary = api.tags(service.name).canary!;
      await send(`${api.url}/v2/${service.name}?updateMask=traffic`, 'PATCH', api.token, {
        traffic: [
          { type: 'TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION', revision: service.revision, percent: 90 },
          { type: 'TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION', revision: canary, percent: 10, tag: 'canary' },
        ],
      });
      return /^the target changed under the rollout: canary 10 % \(set to 50 %\); another deploy or tool changed it, so the canary is not getting the traffic being judged$/;
    },
  };
}

/**
 * Kubernetes by replica ratio (no mesh), or by Gateway API HTTPRoute weights. As clusters often are:
 * pods get an injected istio-proxy sidecar (replicas), the stable Service is a LoadBalancer (gateway).
 */
function kubernetes(traffic: 'replicas' | 'gateway' = 'replicas'): Platform {
  let api: Awaited<ReturnType<typeof startFakeKubernetes>>;
  let dir = '';
  let name = '';
  let n = 0;
  const deployment = (d: string) => api.get('deployments', 'shop', d);
  const image = (d: string) => deployment(d)?.spec.template.spec.containers[0].image;
  return {
    name: traffic === 'replicas' ? 'Kubernetes' : 'Kubernetes (Gateway API)',
    async start() {
      api = await startFakeKubernetes();
      if (traffic === 'replicas') api.injectSidecars();
      dir = mkdtempSync(join(tmpdir(), 'e2e-kube-'));
    },
    async stop() {
      await api?.stop();
      rmSync(dir, { recursive: true, force: true });
    },
    fresh() {
      name = `shop${++n}`;
      api.addApp({ name, image: V1, replicas: 4, serviceType: traffic === 'gateway' ? 'LoadBalancer' : 'ClusterIP' });
      const inputs = {
        target: 'kubernetes',
        'kubernetes-deployment': name,
        'kubernetes-namespace': 'shop',
        kubeconfig: readKubeconfig(api.kubeconfig(dir)),
      };
      if (traffic === 'replicas') return inputs;
      api.put('httproutes', 'shop', {
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'HTTPRoute',
        metadata: { name },
        spec: { parentRefs: [{ name: 'web' }], rules: [{ backendRefs: [{ name, port: 80 }] }] },
      });
      return { ...inputs, 'kubernetes-traffic': 'gateway', 'kubernetes-route': name };
    },
    serving() {
      if (traffic === 'gateway') {
        // What the route sends where; the canary Service must select only canary pods, the stable one only stable pods.
        const refs: Array<{ name: string; weight?: number }> = api.get('httproutes', 'shop', name).spec.rules[0]
          .backendRefs;
        const canary = refs.find((r) => r.name === `${name}-canary` && (r.weight ?? 1) > 0);
        const stableSelector = api.get('services', 'shop', name).spec.selector;
        if (canary && stableSelector.track !== 'stable')
          throw new Error(`Service ${name} also selects the canary pods: ${JSON.stringify(stableSelector)}`);
        return {
          stable: image(name),
          ...(canary ? { canary: { image: image(`${name}-canary`), weight: canary.weight ?? 1 } } : {}),
        };
      }
      const stable = deployment(name);
      const canary = deployment(`${name}-canary`);
      const c = canary?.spec.replicas ?? 0;
      const s = stable.spec.replicas ?? 0;
      return {
        stable: stable.spec.template.spec.containers[0].image,
        ...(c > 0
          ? {
              canary: { image: canary.spec.template.spec.containers[0].image, weight: Math.round((100 * c) / (c + s)) },
            }
          : {}),
      };
    },
    writes: () => api.calls.filter((c) => c.method !== 'GET').length,
    neverReady: (image) => api.neverReady(image),
    neverReadyReason: /container app is ImagePullBackOff: Back-off pulling image/,
    throttle() {
      api.failNext(2, 429);
      api.failNext(2, 503);
    },
    throttled: (log) => /HTTP 429.*retrying/.test(log) && /HTTP 503.*retrying/.test(log),
    expired() {
      const kubeconfig = readKubeconfig(api.kubeconfig(dir, { user: 'expired-k8s-token-0000' }));
      return {
        inputs: { kubeconfig },
        error: /the cluster rejected the credentials \(401 Unauthorized\)/,
        secret: 'expired-k8s-token-0000',
      };
    },
    missingCredential: undefined,
    async meddle() {
      const deployments = `${api.url}/apis/apps/v1/namespaces/shop/deployments`;
      if (traffic === 'replicas') {
        // An autoscaler (or `kubectl scale`) takes stable from 2 pods back to 4: the canary's 2 pods get a third.
        await send(
          `${deployments}/${name}`,
          'PATCH',
          api.token,
          { spec: { replicas: 4 } },
          'application/merge-patch+json',
        );
        return /^the target changed under the rollout: canary 33 % \(set to 50 %\);/;
      }
      // Another pipeline runs `kubectl set image` on the canary Deployment.
      await send(
        `${deployments}/${name}-canary`,
        'PATCH',
        api.token,
        { spec: { template: { spec: { containers: [{ name: 'app', image: V3 }] } } } },
        'application/strategic-merge-patch+json',
      );
      return new RegExp(
        `^the target changed under the rollout: the canary runs ${V3}, not the release being rolled out \\(${V2}\\); another deploy or tool changed it, so what is judged is not this release$`,
      );
    },
    crashCanary() {
      api.crashPods('shop', `${name}-canary`);
      return traffic === 'replicas'
        ? /^the canary has no ready pods \(0 of 2\) while it is set to take 50 % of traffic; they crashed or fail their readiness checks, so the Service sends that share to stable and the canary is not getting the traffic being judged$/
        : /^the canary has no ready pods \(0 of 2\) while it takes 50 % of traffic; they crashed or fail their readiness checks, so its share of users gets errors from the router$/;
    },
  };
}

const authenticate = {
  Type: 'authenticate-oidc',
  Order: 1,
  AuthenticateOidcConfig: {
    Issuer: 'https://login.example.com',
    AuthorizationEndpoint: 'https://login.example.com/authorize',
    TokenEndpoint: 'https://login.example.com/token',
    UserInfoEndpoint: 'https://login.example.com/userinfo',
    ClientId: 'shop',
    ClientSecret: 'oidc-client-secret',
    OnUnauthenticatedRequest: 'authenticate',
  },
};
const forwardTo = (targetGroupArn: string) => ({
  Type: 'forward',
  ForwardConfig: {
    TargetGroups: [{ TargetGroupArn: targetGroupArn, Weight: 1 }],
    TargetGroupStickinessConfig: { Enabled: true, DurationSeconds: 3600 },
  },
});

function ecs(): Platform {
  let aws: Awaited<ReturnType<typeof startFakeEcs>>;
  let name = '';
  let stableTg = '';
  let canaryTg = '';
  let rule = '';
  let n = 0;
  const image = (service: string) =>
    aws.taskDefinition(aws.service('prod', service).taskDefinition).containerDefinitions[0].image;
  const platform: Platform = {
    name: 'ECS',
    async start() {
      aws = await startFakeEcs();
      platform.env = aws.env;
    },
    async stop() {
      await aws?.stop();
    },
    fresh() {
      name = `shop${++n}`;
      const made = aws.addService({ name, image: V1, desiredCount: 4 });
      ({ stableTg, canaryTg, rule } = made);
      // As production rules often are: users sign in first, and sessions stick to a target group.
      aws.setActions(rule, [authenticate, { ...forwardTo(made.stableTg), Order: 2 }]);
      return {
        target: 'ecs',
        'ecs-cluster': 'prod',
        'ecs-service': name,
        'ecs-listener-rule-arn': made.rule,
        'ecs-stable-target-group-arn': made.stableTg,
        'ecs-canary-target-group-arn': made.canaryTg,
      };
    },
    serving() {
      // Whatever the step did, the rule still signs users in first and keeps sessions sticky.
      const { ClientSecret: _secret, ...config } = authenticate.AuthenticateOidcConfig;
      expect(aws.actions(rule)).toEqual([
        { ...authenticate, AuthenticateOidcConfig: config },
        expect.objectContaining({
          Type: 'forward',
          Order: 2,
          ForwardConfig: expect.objectContaining({
            TargetGroupStickinessConfig: { Enabled: true, DurationSeconds: 3600 },
          }),
        }),
      ]);
      const weight = aws.weights(rule)[canaryTg] ?? 0;
      return { stable: image(name), ...(weight > 0 ? { canary: { image: image(`${name}-canary`), weight } } : {}) };
    },
    writes: () => aws.calls.filter((c) => /^(Register|Create|Update|Modify)/.test(c.operation)).length,
    neverReady: (image) => aws.neverReady(image),
    neverReadyReason: /stopped: CannotPullContainerError: pull image manifest has been retried/,
    throttle() {
      aws.failNext('ecs', 2, 400);
      aws.failNext('elb', 1, 400);
      aws.failNext('ecs', 1, 500);
      aws.failNext('elb', 1, 503);
      aws.failNext('ecs', 1, 'reset');
    },
    // Each refused call is retried once it has said why; the fake's record shows them all.
    throttled: (log) =>
      /ecs:\w+: ThrottlingException \(HTTP 400\).*retrying/.test(log) &&
      /elasticloadbalancing:\w+: Throttling \(HTTP 400\).*retrying/.test(log) &&
      /ServerException \(HTTP 500\).*retrying/.test(log) &&
      /InternalFailure \(HTTP 503\).*retrying/.test(log) &&
      /socket hang up.*retrying|ECONNRESET.*retrying/.test(log) &&
      ['ecs:400', 'elb:400', 'ecs:500', 'elb:503', 'ecs:0'].every((k) =>
        aws.calls.some((c) => `${c.api}:${c.status}` === k),
      ),
    expired: () => ({
      inputs: {},
      env: { AWS_ACCESS_KEY_ID: 'AKIDEXPIRED0000' },
      error:
        /AWS rejected the credentials for ecs:DescribeServices \(UnrecognizedClientException: .*configure-aws-credentials/,
      secret: aws.env.AWS_SECRET_ACCESS_KEY,
    }),
    missingCredential: undefined,
    // A Terraform apply (or a person in the console) sets the rule's forward weights to 90/10.
    async meddle() {
      aws.setActions(rule, [
        authenticate,
        {
          Order: 2,
          Type: 'forward',
          ForwardConfig: {
            TargetGroups: [
              { TargetGroupArn: stableTg, Weight: 90 },
              { TargetGroupArn: canaryTg, Weight: 10 },
            ],
            TargetGroupStickinessConfig: { Enabled: true, DurationSeconds: 3600 },
          },
        },
      ]);
      return /^the target changed under the rollout: canary 10 % \(set to 50 %\);/;
    },
    crashCanary() {
      aws.crashTasks('prod', `${name}-canary`);
      return /^the canary has no ready tasks \(0 of 2\) while it takes 50 % of traffic; they crashed or fail their readiness checks, so its share of users gets errors from the router$/;
    },
  };
  return platform;
}

function readKubeconfig(path: string): string {
  return readFileSync(path, 'utf8');
}

type App = Awaited<ReturnType<typeof startFixtureApp>>;
let stableApp: App;
let canaryApp: App;
let github: Awaited<ReturnType<typeof startFakeGitHub>>;
beforeAll(async () => {
  [stableApp, canaryApp, github] = await Promise.all([
    startFixtureApp({ version: 'v1' }),
    startFixtureApp({ version: 'v2' }),
    startFakeGitHub(),
  ]);
}, 60_000);
afterAll(async () => {
  await Promise.all([stableApp?.stop(), canaryApp?.stop(), github?.stop()]);
});

describe.each([cloudRun(), kubernetes(), kubernetes('gateway'), ecs()])('$name', (platform) => {
  let target: Record<string, string> = {};
  let environment = '';
  let n = 0;
  beforeAll(() => platform.start(), 30_000);
  afterAll(() => platform.stop());
  beforeEach(async () => {
    target = platform.fresh();
    environment = `production-${++n}`;
    await canaryApp.setKnobs({ errorRate: 0 });
  });

  const env = () => ({ GITHUB_TOKEN: github.token, GITHUB_API_URL: github.url, ...platform.env });
  const canaryInputs = (extra: Record<string, string> = {}) => ({
    environment,
    ...target,
    image: V2,
    version: 'v2',
    steps: '50,100',
    'step-duration': '2s',
    interval: '500ms',
    'min-requests': '20',
    'metrics-grace': '2s',
    metrics: 'http-probe',
    'probe-canary-url': `${canaryApp.url}/api/items`,
    'probe-baseline-url': `${stableApp.url}/api/items`,
    'probe-rate': '40',
    'progress-deadline': '60s',
    'health-timeout': '20s',
    // These scenarios judge errors. Two fixture apps on a loaded 2-core machine can differ in p95 by
    // 100 ms+ (seen: 134 vs 9 ms), which the default 25 % tolerance would call a regression;
    // latency judging has its own tests in canary-deploy.test.ts.
    'latency-tolerance': '1000',
    ...extra,
  });
  const canary = (extra: Record<string, string> = {}, options: Parameters<typeof runStep>[2] = {}) =>
    runStep('canary-deploy', 'main', {
      inputs: canaryInputs(extra),
      env: env(),
      timeoutMs: 120_000,
      ...options,
    });
  /** Everything a person or later step can read. */
  const visible = (step: Awaited<ReturnType<typeof runStep>>) =>
    [step.log, step.stderr, JSON.stringify(step.outputs), step.summary].join('\n');
  const errors = (step: Awaited<ReturnType<typeof runStep>>) =>
    step.annotations.filter((a) => a.level === 'error').map((a) => a.message);

  test('a healthy canary is promoted through every step and recorded', async () => {
    const step = await canary();
    expect(errors(step)).toEqual([]);
    expect(step.exitCode).toBe(0);
    expect({ result: step.outputs.result, reason: step.outputs.reason }).toMatchObject({ result: 'promoted' });
    expect(platform.serving()).toEqual({ stable: V2 });
    const id = Number(step.outputs['deployment-id']);
    expect(github.statesOf(id).at(-1)).toBe('success');
    expect(github.deployments.find((d) => d.id === id)?.payload).toMatchObject({
      image: V2,
      version: 'v2',
      target: target.target,
    });
    for (const secret of [target['gcp-access-token'], target.kubeconfig].filter(Boolean))
      expect(visible(step)).not.toContain(secret);
  }, 120_000);

  test('a canary that errs is aborted: all traffic back on stable', async () => {
    await canaryApp.setKnobs({ errorRate: 0.5 });
    const step = await canary();
    expect(step.exitCode).toBe(1);
    expect(step.outputs.result).toBe('aborted');
    expect(step.outputs.reason).toMatch(/canary error/);
    expect(platform.serving()).toEqual({ stable: V1 });
  }, 120_000);

  test('a cancelled job puts traffic back itself; a killed one is restored by the post step', async () => {
    let cancelled = false;
    const step = await canary(
      { 'step-duration': '60s' },
      {
        onLine: (line, control) => {
          if (!cancelled && /step 1\/2: 50%/.test(line)) {
            cancelled = true;
            setTimeout(control.cancel, 500);
          }
        },
      },
    );
    expect(cancelled).toBe(true);
    expect(step.outputs.result).toBe('aborted');
    expect(platform.serving()).toEqual({ stable: V1 });

    let killed = false;
    const main = await canary(
      { 'step-duration': '60s' },
      {
        onLine: (line, control) => {
          if (!killed && /step 1\/2: 50%/.test(line)) {
            killed = true;
            control.kill();
          }
        },
      },
    );
    expect(main.signal).toBe('SIGKILL');
    expect(platform.serving()).toEqual({ stable: V1, canary: { image: V2, weight: 50 } });
    const post = await runStep('canary-deploy', 'post', {
      inputs: canaryInputs({ 'step-duration': '60s' }),
      state: main.state,
      env: env(),
    });
    expect(post.exitCode).toBe(0);
    expect(post.log).toContain('all traffic is back on the stable version');
    expect(platform.serving()).toEqual({ stable: V1 });
  }, 180_000);

  test('a change made behind the rollout mid-step aborts it at the next interval, naming the change; stable takes all traffic', async () => {
    let meddled: Promise<RegExp> | undefined;
    const step = await canary(
      { 'step-duration': '60s', 'progress-deadline': '90s' },
      {
        onLine: (line) => {
          if (!meddled && /step 1\/2: 50%/.test(line)) meddled = platform.meddle();
        },
      },
    );
    const change = await meddled;
    expect(change).toBeDefined();
    expect(step.exitCode).toBe(1);
    expect(step.outputs.result).toBe('aborted');
    expect(step.outputs.reason).toMatch(change!);
    expect(errors(step)).toEqual([expect.stringMatching(/^canary aborted, all traffic back on stable: the target /)]);
    expect(step.log).toMatch(/50%: fail \(traffic\): the target changed under the rollout/);
    expect(platform.serving()).toEqual({ stable: V1 });
  }, 150_000);

  const crashCanary = platform.crashCanary;
  if (crashCanary) {
    test("a canary whose pods or tasks all crash mid-step is aborted at the next interval, though the app's metrics look fine; stable takes all traffic", async () => {
      let crashed: RegExp | undefined;
      const step = await canary(
        { 'step-duration': '60s', 'progress-deadline': '90s' },
        {
          onLine: (line) => {
            if (!crashed && /step 1\/2: 50%/.test(line)) crashed = crashCanary();
          },
        },
      );
      expect(crashed).toBeDefined();
      expect(step.exitCode).toBe(1);
      expect(step.outputs.result).toBe('aborted');
      expect(step.outputs.reason).toMatch(crashed!);
      expect(errors(step)).toEqual([
        expect.stringMatching(/^canary aborted, all traffic back on stable: the canary has no ready /),
      ]);
      expect(step.log).toMatch(/50%: fail \(traffic\): the canary has no ready /);
      expect(platform.serving()).toEqual({ stable: V1 });
    }, 150_000);
  }

  test("a workload that never becomes ready fails with the platform's reason; stable keeps all traffic", async () => {
    const broken = 'registry.example/acme/shop@sha256:dead';
    platform.neverReady(broken);
    const step = await canary({ image: broken, version: 'v3' });
    expect(step.exitCode).toBe(1);
    expect(errors(step).join('\n')).toMatch(platform.neverReadyReason);
    expect(platform.serving()).toEqual({ stable: V1 });
  }, 120_000);

  test('throttling and 5xx from the API are retried and the rollout goes on', async () => {
    platform.throttle();
    const step = await canary();
    expect({ exitCode: step.exitCode, errors: errors(step) }).toEqual({ exitCode: 0, errors: [] });
    expect(platform.throttled(step.log)).toBe(true);
    expect(platform.serving()).toEqual({ stable: V2 });
  }, 120_000);

  test('expired credentials are one clear error before anything moves or is recorded', async () => {
    const before = { deployments: github.deployments.length, writes: platform.writes() };
    const expired = platform.expired();
    const step = await canary(expired.inputs, { env: { ...env(), ...expired.env } });
    expect(step.exitCode).toBe(1);
    expect(errors(step)).toEqual([expect.stringMatching(expired.error)]);
    expect(platform.writes()).toBe(before.writes);
    expect(github.deployments.length).toBe(before.deployments);
    expect(visible(step)).not.toContain(expired.secret);
  }, 60_000);

  if (platform.missingCredential) {
    const missing = platform.missingCredential;
    test('a missing credential names the input and the fix; nothing is called', async () => {
      const writes = platform.writes();
      const step = await canary(missing.inputs);
      expect(step.exitCode).toBe(1);
      expect(errors(step)).toEqual([expect.stringMatching(missing.error)]);
      expect(platform.writes()).toBe(writes);
    });
  }

  test('auto-rollback: after a bad release was promoted, the last good one serves again', async () => {
    const good = await canary();
    expect({ result: good.outputs.result, reason: good.outputs.reason }).toMatchObject({ result: 'promoted' });
    const bad = await canary({ image: V3, version: 'v3' });
    expect({ result: bad.outputs.result, reason: bad.outputs.reason }).toMatchObject({ result: 'promoted' });
    expect(platform.serving()).toEqual({ stable: V3 });
    const rollback = await runStep('auto-rollback', 'main', {
      inputs: {
        environment,
        ...target,
        trigger: 'failure',
        reason: 'error rate 12 % after promotion',
        'verify-url': `${stableApp.url}/health`,
      },
      env: env(),
    });
    expect(errors(rollback)).toEqual([]);
    expect(rollback.outputs).toMatchObject({ 'rolled-back': 'true', 'restored-version': 'v2', 'failed-version': 'v3' });
    expect(platform.serving()).toEqual({ stable: V2 });
    expect(github.statesOf(Number(bad.outputs['deployment-id'])).at(-1)).toBe('failure');
    for (const secret of [target['gcp-access-token'], target.kubeconfig].filter(Boolean))
      expect(visible(rollback)).not.toContain(secret);
  }, 240_000);
});
