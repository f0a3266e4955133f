// The Kubernetes target against a fake API server speaking the REST protocol with watches
// (test/fakes/kubernetes.mjs), in each traffic mode, and the kubeconfig reader.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryLogger, request } from '@deploy-actions/core';
import { startFakeKubernetes } from '../../../test/fakes/kubernetes.mjs';
import { loadKubeconfig } from '../src/kubeconfig';
import { KubernetesTarget, type KubernetesTraffic } from '../src/kubernetes';
import { releaseTrouble } from '../src/readback';

let api: Awaited<ReturnType<typeof startFakeKubernetes>>;
let dir: string;
let n = 0;
beforeAll(async () => {
  api = await startFakeKubernetes({ readyDelayMs: 50 });
  dir = mkdtempSync(join(tmpdir(), 'kube-'));
});
afterAll(async () => {
  await api?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const V1 = 'ghcr.io/acme/shop@sha256:1111';
const V2 = 'ghcr.io/acme/shop@sha256:2222';
const V3 = 'ghcr.io/acme/shop@sha256:3333';
async function setup(
  traffic: KubernetesTraffic,
  release = { image: V2, version: 'v2' },
  log = new MemoryLogger(),
  { server = api, serviceType = 'ClusterIP', readyTimeoutMs = 5_000 } = {},
) {
  const name = `shop${++n}`;
  server.addApp({ name, image: V1, replicas: 4, serviceType });
  const cluster = await loadKubeconfig(await readFile(server.kubeconfig(dir), 'utf8'));
  const make = () =>
    new KubernetesTarget({
      cluster,
      namespace: 'shop',
      deployment: name,
      traffic,
      route: `${name}-route`,
      release,
      readyTimeoutMs,
      http: request,
      log,
      pollIntervalMs: 50,
    });
  return { name, make, log };
}
const signal = () => new AbortController().signal;
const image = (name: string) => api.get('deployments', 'shop', name)?.spec.template.spec.containers[0].image;

describe('replicas (no mesh)', () => {
  test('the canary Deployment scales up as the stable one scales down; promotion rolls stable and removes the canary', async () => {
    const { name, make } = await setup('replicas');
    const t = make();
    await t.deployCanary(signal());
    const canary = api.get('deployments', 'shop', `${name}-canary`);
    expect(canary.spec.replicas).toBe(0);
    expect(canary.spec.template.metadata.labels).toEqual({ app: name, track: 'canary' });
    // Stable pods are labelled once (so `track="stable"` selects the baseline); the shared Service is left alone.
    expect(api.get('deployments', 'shop', name).spec.template.metadata.labels).toEqual({ app: name, track: 'stable' });
    expect(api.get('services', 'shop', name).spec.selector).toEqual({ app: name });
    expect(canary.spec.template.spec.containers.map((c: { image: string }) => c.image)).toEqual([
      V2,
      'envoyproxy/envoy:v1.31',
    ]);
    const watchesBefore = api.calls.filter((c) => c.watch).length;
    await t.setWeight(25, signal());
    expect([
      api.get('deployments', 'shop', name).spec.replicas,
      api.get('deployments', 'shop', `${name}-canary`).spec.replicas,
    ]).toEqual([3, 1]);
    expect(api.calls.filter((c) => c.watch).length).toBeGreaterThan(watchesBefore); // readiness waited on a watch
    // Right after setWeight the canary's pods are ready: a step never starts on a count that lags.
    expect(await make().describe()).toEqual({
      stable: { image: V1 },
      canary: {
        image: V2,
        weight: 25,
        instances: { ready: 1, desired: 1, noun: 'pods', shareWhenNoneReady: 'stable' },
      },
    });
    await t.setWeight(50, signal());
    expect([
      api.get('deployments', 'shop', name).spec.replicas,
      api.get('deployments', 'shop', `${name}-canary`).spec.replicas,
    ]).toEqual([2, 2]);
    await t.promote(signal());
    expect(image(name)).toBe(V2);
    expect(api.get('deployments', 'shop', name).spec.replicas).toBe(4);
    expect(api.get('deployments', 'shop', `${name}-canary`)).toBeUndefined();
    expect(await t.describe()).toEqual({ stable: { image: V2 } });
  });

  test('the share read back is the pod ratio the target predicted; a stable scaled by someone else is drift', async () => {
    const { name, make } = await setup('replicas');
    const t = make();
    expect(() => t.reportedWeight(10)).toThrow(/no canary weight has been set yet/);
    await t.deployCanary(signal());
    const rollout = { canaryImage: V2, stableImage: V1 };
    // 10 % of 4 replicas is one pod: 25 % of the traffic, and that is what describe() reports.
    await t.setWeight(10, signal());
    expect(t.reportedWeight(10)).toBe(25);
    expect(await releaseTrouble(make(), { ...rollout, weight: t.reportedWeight(10) }, signal())).toBeUndefined();
    await t.setWeight(50, signal());
    expect(t.reportedWeight(50)).toBe(50);
    expect(await releaseTrouble(make(), { ...rollout, weight: 50 }, signal())).toBeUndefined();
    // A read that meets 503s is retried inside the target's API deadline, like every other call: not drift, not a failure.
    const refused = () => api.calls.filter((c) => c.status === 503).length;
    const before = refused();
    api.failNext(2, 503);
    expect(await releaseTrouble(make(), { ...rollout, weight: 50 }, signal())).toBeUndefined();
    expect(refused()).toBe(before + 2);
    // An autoscaler (or a person) scales stable from 2 to 4 pods: the canary's 2 pods now get a third.
    api.put('deployments', 'shop', {
      ...api.get('deployments', 'shop', name),
      spec: { ...api.get('deployments', 'shop', name).spec, replicas: 4 },
    });
    expect(await releaseTrouble(make(), { ...rollout, weight: 50 }, signal())).toMatch(
      /^the target changed under the rollout: canary 33 % \(set to 50 %\);/,
    );
  });

  test('abort from a fresh target (post step) puts stable back at full size and the canary at 0', async () => {
    const { name, make } = await setup('replicas');
    await make().deployCanary(signal());
    await make().setWeight(50, signal());
    await make().abort();
    expect(api.get('deployments', 'shop', name).spec.replicas).toBe(4);
    expect(api.get('deployments', 'shop', `${name}-canary`).spec.replicas).toBe(0);
    expect(image(name)).toBe(V1);
  });

  test('a pod that cannot pull its image fails the wait at once with the reason', async () => {
    api.neverReady('ghcr.io/acme/shop@sha256:nope');
    const { name, make } = await setup('replicas', { image: 'ghcr.io/acme/shop@sha256:nope', version: 'v3' });
    const t = make();
    await t.deployCanary(signal());
    // The kubelet's reason, not the readiness deadline (5 s here), is what fails the step.
    await expect(t.setWeight(25, signal())).rejects.toThrow(
      new RegExp(
        `^${name}-canary: pod ${name}-canary-\\d+-0 container app is ImagePullBackOff: Back-off pulling image`,
      ),
    );
    await t.abort();
    expect(api.get('deployments', 'shop', name).spec.replicas).toBe(4);
  });

  test('429 (Retry-After) and 5xx are retried; an expired token is one clear error', async () => {
    const { make, log } = await setup('replicas');
    api.failNext(1, 429);
    api.failNext(2, 503);
    await make().deployCanary(signal());
    expect(log.messages().join('\n')).toMatch(/HTTP 429.*retrying/);
    const other = await startFakeKubernetes();
    other.addApp({ name: 'shop', image: V1 });
    other.revoke();
    const cluster = await loadKubeconfig(await readFile(other.kubeconfig(dir), 'utf8'));
    const t = new KubernetesTarget({
      cluster,
      namespace: 'shop',
      deployment: 'shop',
      traffic: 'replicas',
      release: { image: V2, version: 'v2' },
      readyTimeoutMs: 1000,
      http: request,
      log: new MemoryLogger(),
    });
    await expect(t.describe()).rejects.toThrow(/the cluster rejected the credentials \(401 Unauthorized\).*refresh it/);
    await other.stop();
  });
});

describe('mesh and ingress modes', () => {
  test('gateway: HTTPRoute backendRefs weights, a canary Service selecting track=canary', async () => {
    const { name, make } = await setup('gateway');
    api.put('httproutes', 'shop', {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: `${name}-route` },
      spec: { parentRefs: [{ name: 'web' }], rules: [{ backendRefs: [{ name, port: 80 }] }] },
    });
    const t = make();
    await t.deployCanary(signal());
    expect(api.get('services', 'shop', `${name}-canary`).spec.selector).toEqual({ app: name, track: 'canary' });
    await t.setWeight(30, signal());
    expect(api.get('httproutes', 'shop', `${name}-route`).spec.rules[0].backendRefs).toEqual([
      { name, port: 80, weight: 70 },
      { name: `${name}-canary`, port: 80, weight: 30 },
    ]);
    expect((await make().describe()).canary).toEqual({
      image: V2,
      weight: 30,
      instances: { ready: 2, desired: 2, noun: 'pods', shareWhenNoneReady: 'errors' },
    });
    expect(t.reportedWeight(30)).toBe(30);
    // Its pods crash: the Deployment's status leaves readyReplicas out, which counts as 0.
    api.crashPods('shop', `${name}-canary`);
    expect(await releaseTrouble(make(), { canaryImage: V2, stableImage: V1, weight: 30 }, signal())).toBe(
      'the canary has no ready pods (0 of 2) while it takes 30 % of traffic; they crashed or fail their readiness checks, so its share of users gets errors from the router',
    );
    await make().abort();
    expect(
      api.get('httproutes', 'shop', `${name}-route`).spec.rules[0].backendRefs.map((r: { weight: number }) => r.weight),
    ).toEqual([100, 0]);
    expect(api.get('deployments', 'shop', `${name}-canary`).spec.replicas).toBe(0);
  });

  test('gateway: the stable Service stops selecting canary pods; promote takes the canary out of the route; abort with no canary writes nothing', async () => {
    const { name, make } = await setup('gateway');
    api.put('httproutes', 'shop', {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: `${name}-route` },
      spec: { rules: [{ backendRefs: [{ name, port: 80 }] }] },
    });
    const writes = () => api.calls.filter((c) => c.method !== 'GET').length;
    const before = writes();
    await make().abort(); // the post step of a job that never got to deploy
    expect(writes()).toBe(before);
    const t = make();
    await t.deployCanary(signal());
    // Canary pods share app=<name>; only track tells them apart, on the pods and in the stable Service.
    expect(api.get('deployments', 'shop', name).spec.template.metadata.labels).toEqual({ app: name, track: 'stable' });
    expect(api.get('services', 'shop', name).spec.selector).toEqual({ app: name, track: 'stable' });
    expect(api.get('httproutes', 'shop', `${name}-route`).spec.rules[0].backendRefs).toEqual([
      { name, port: 80, weight: 100 },
      { name: `${name}-canary`, port: 80, weight: 0 },
    ]);
    await t.setWeight(50, signal());
    await t.promote(signal());
    expect(api.get('httproutes', 'shop', `${name}-route`).spec.rules[0].backendRefs).toEqual([
      { name, port: 80, weight: 100 },
    ]);
    expect(api.get('services', 'shop', `${name}-canary`)).toBeUndefined();
    expect(api.get('deployments', 'shop', `${name}-canary`)).toBeUndefined();
    expect(image(name)).toBe(V2);
    expect(await make().describe()).toEqual({ stable: { image: V2 } });
  });

  test('istio: VirtualService route weights; promote leaves 100 % stable and no canary objects', async () => {
    const { name, make } = await setup('istio');
    api.put('virtualservices', 'shop', {
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: { name: `${name}-route` },
      spec: {
        hosts: ['shop.example.com'],
        http: [{ route: [{ destination: { host: `${name}.shop.svc.cluster.local` } }] }],
      },
    });
    const t = make();
    await t.deployCanary(signal());
    await t.setWeight(10, signal());
    expect(api.get('virtualservices', 'shop', `${name}-route`).spec.http[0].route).toEqual([
      { destination: { host: `${name}.shop.svc.cluster.local` }, weight: 90 },
      { destination: { host: `${name}-canary.shop.svc.cluster.local` }, weight: 10 },
    ]);
    await t.promote(signal());
    expect(api.get('virtualservices', 'shop', `${name}-route`).spec.http[0].route).toEqual([
      { destination: { host: `${name}.shop.svc.cluster.local` }, weight: 100 },
    ]);
    expect(image(name)).toBe(V2);
    expect(api.get('services', 'shop', `${name}-canary`)).toBeUndefined();
  });

  test('nginx-ingress: a canary Ingress with the canary-weight annotation', async () => {
    const { name, make } = await setup('nginx-ingress');
    api.put('ingresses', 'shop', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: `${name}-route`, annotations: { 'kubernetes.io/ingress.class': 'nginx' } },
      spec: {
        rules: [
          {
            host: 'shop.example.com',
            http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name, port: { number: 80 } } } }] },
          },
        ],
      },
    });
    const t = make();
    await t.deployCanary(signal());
    await t.setWeight(40, signal());
    const canary = api.get('ingresses', 'shop', `${name}-route-canary`);
    expect(canary.metadata.annotations).toMatchObject({
      'nginx.ingress.kubernetes.io/canary': 'true',
      'nginx.ingress.kubernetes.io/canary-weight': '40',
    });
    expect(canary.spec.rules[0].http.paths[0].backend.service.name).toBe(`${name}-canary`);
    await t.promote(signal());
    expect(api.get('ingresses', 'shop', `${name}-route-canary`)).toBeUndefined();
  });

  test('rollbackTo puts the stable Deployment back on the image and removes any canary', async () => {
    const { name, make } = await setup('replicas');
    await make().deployCanary(signal());
    await make().setWeight(25, signal());
    await make().rollbackTo({ image: 'ghcr.io/acme/shop@sha256:0000', version: 'v0' }, signal());
    expect(image(name)).toBe('ghcr.io/acme/shop@sha256:0000');
    expect(api.get('deployments', 'shop', name).spec.replicas).toBe(4);
    expect(api.get('deployments', 'shop', `${name}-canary`)).toBeUndefined();
  });
});

describe('readiness', () => {
  test('dropped watches fall back to polling and the rollout still completes', async () => {
    const { name, make } = await setup('replicas');
    const t = make();
    await t.deployCanary(signal());
    api.dropWatches(1000);
    const dropped = api.calls.filter((c) => c.watch && c.status === 0).length;
    await t.setWeight(50, signal());
    expect(api.calls.filter((c) => c.watch && c.status === 0).length).toBeGreaterThan(dropped);
    api.dropWatches(-1000);
    expect(api.get('deployments', 'shop', `${name}-canary`).status.availableReplicas).toBe(2);
  });

  test('a failing pod of an older ReplicaSet does not fail the rollout; a terminating one neither', async () => {
    const { name, make } = await setup('replicas');
    await make().deployCanary(signal()); // stable pods now carry track=stable
    const crash = { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 5m0s restarting failed container' } };
    const pod = (podName: string, image: string, extra: object = {}) => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: podName, labels: { app: name, track: 'stable' }, ...extra },
      spec: {
        containers: [
          { name: 'app', image },
          { name: 'proxy', image: 'envoyproxy/envoy:v1.31' },
        ],
      },
      status: { phase: 'Running', containerStatuses: [{ name: 'app', ready: false, image, state: crash }] },
    });
    api.put('pods', 'shop', pod(`${name}-old-1`, 'ghcr.io/acme/shop@sha256:0ld'));
    api.put('pods', 'shop', pod(`${name}-going-1`, V2, { deletionTimestamp: new Date().toISOString() }));
    await make().setWeight(25, signal());
    await make().promote(signal());
    expect(image(name)).toBe(V2);
    api.put('pods', 'shop', pod(`${name}-new-1`, 'ghcr.io/acme/shop@sha256:0000'));
    await expect(
      make().rollbackTo({ image: 'ghcr.io/acme/shop@sha256:0000', version: 'v0' }, signal()),
    ).rejects.toThrow(
      `${name}: pod ${name}-new-1 container app is CrashLoopBackOff: back-off 5m0s restarting failed container`,
    );
  });

  test("an unschedulable canary pod is reported with the scheduler's message; the route keeps all traffic on stable", async () => {
    api.neverReady(V3, 'Unschedulable', '0/3 nodes are available: 3 Insufficient cpu.');
    const { name, make } = await setup('gateway', { image: V3, version: 'v3' });
    api.put('httproutes', 'shop', {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: `${name}-route` },
      spec: { rules: [{ backendRefs: [{ name, port: 80 }] }] },
    });
    await expect(make().deployCanary(signal())).rejects.toThrow(
      new RegExp(
        `^${name}-canary: pod ${name}-canary-1-0 cannot be scheduled \\(Unschedulable\\): 0/3 nodes are available: 3 Insufficient cpu\\.$`,
      ),
    );
    expect(
      api.get('httproutes', 'shop', `${name}-route`).spec.rules[0].backendRefs.map((r: { weight: number }) => r.weight),
    ).toEqual([100, 0]);
    expect(image(name)).toBe(V1);
  });

  test("pods that cannot be created (a quota) fail the wait at once with the Deployment's ReplicaFailure message", async () => {
    const image = 'ghcr.io/acme/shop@sha256:quota';
    api.neverReady(
      image,
      'FailedCreate',
      'pods "x" is forbidden: exceeded quota: compute, requested: cpu=500m, used: cpu=4, limited: cpu=4',
    );
    const { name, make } = await setup('istio', { image, version: 'v4' });
    api.put('virtualservices', 'shop', {
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: { name: `${name}-route` },
      spec: { http: [{ route: [{ destination: { host: name } }] }] },
    });
    await expect(make().deployCanary(signal())).rejects.toThrow(
      `${name}-canary: FailedCreate: pods "x" is forbidden: exceeded quota`,
    );
    expect(api.get('virtualservices', 'shop', `${name}-route`).spec.http[0].route).toEqual([
      { destination: { host: name }, weight: 100 },
      { destination: { host: `${name}-canary` }, weight: 0 },
    ]);
  });
});

describe('what the API server checks', () => {
  test('a LoadBalancer stable Service: the canary Service is a ClusterIP copy of its ports without allocated fields', async () => {
    const { name, make } = await setup('gateway', undefined, undefined, { serviceType: 'LoadBalancer' });
    const stable = api.get('services', 'shop', name);
    expect(stable.spec.ports[0].nodePort).toBeGreaterThanOrEqual(30000);
    expect(stable.spec.healthCheckNodePort).toBeGreaterThanOrEqual(30000);
    api.put('httproutes', 'shop', {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: `${name}-route` },
      spec: { rules: [{ backendRefs: [{ name, port: 80 }] }] },
    });
    await make().deployCanary(signal());
    const canary = api.get('services', 'shop', `${name}-canary`);
    expect(canary.spec).toMatchObject({
      type: 'ClusterIP',
      ports: [{ port: 80, targetPort: 8080 }],
      selector: { app: name, track: 'canary' },
    });
    expect(canary.spec.ports[0].nodePort).toBeUndefined();
    expect(canary.spec.clusterIP).not.toBe(stable.spec.clusterIP);
    await make().deployCanary(signal()); // a re-run replaces it (PUT keeps the allocated clusterIP)
  });

  test('a condition left by an earlier failed rollout does not fail the next one: conditions count once the generation is observed', async () => {
    const { name, make } = await setup('replicas');
    await make().deployCanary(signal());
    // As kubectl rollout status would have reported it for the last, failed image.
    api.setStatus('shop', name, {
      conditions: [
        {
          type: 'Progressing',
          status: 'False',
          reason: 'ProgressDeadlineExceeded',
          message: `ReplicaSet "${name}-old" has timed out progressing.`,
        },
      ],
    });
    await make().rollbackTo({ image: 'ghcr.io/acme/shop@sha256:0000', version: 'v0' }, signal());
    expect(image(name)).toBe('ghcr.io/acme/shop@sha256:0000');
    expect(api.get('deployments', 'shop', name).status.conditions[0].reason).not.toBe('ProgressDeadlineExceeded');
  });

  test('istio: a mesh that serves only networking.istio.io/v1beta1 (before Istio 1.22) is found by discovery', async () => {
    const old = await startFakeKubernetes({ readyDelayMs: 50, istioVersions: ['v1beta1'] });
    try {
      const { name, make } = await setup('istio', undefined, undefined, { server: old });
      old.put('virtualservices', 'shop', {
        apiVersion: 'networking.istio.io/v1beta1',
        kind: 'VirtualService',
        metadata: { name: `${name}-route` },
        spec: { http: [{ route: [{ destination: { host: name } }] }] },
      });
      await make().deployCanary(signal());
      await make().setWeight(20, signal());
      expect(old.get('virtualservices', 'shop', `${name}-route`).spec.http[0].route).toEqual([
        { destination: { host: name }, weight: 80 },
        { destination: { host: `${name}-canary` }, weight: 20 },
      ]);
      expect((await make().describe()).canary).toMatchObject({ image: V2, weight: 20 });
    } finally {
      await old.stop();
    }
  });

  test("istio: the canary destination has no subset (the stable one's DestinationRule subset does not exist for the canary host)", async () => {
    const { name, make } = await setup('istio');
    api.put('virtualservices', 'shop', {
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: { name: `${name}-route` },
      spec: { http: [{ route: [{ destination: { host: name, subset: 'stable', port: { number: 80 } } }] }] },
    });
    await make().deployCanary(signal());
    await make().setWeight(10, signal());
    expect(api.get('virtualservices', 'shop', `${name}-route`).spec.http[0].route).toEqual([
      { destination: { host: name, subset: 'stable', port: { number: 80 } }, weight: 90 },
      { destination: { host: `${name}-canary`, port: { number: 80 } }, weight: 10 },
    ]);
  });

  test("a route edited by someone else between the read and the write: the patch's resourceVersion conflicts, the route is read again and their edit stays", async () => {
    const { name, make } = await setup('gateway');
    api.put('httproutes', 'shop', {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: `${name}-route` },
      spec: { rules: [{ backendRefs: [{ name, port: 80 }] }] },
    });
    await make().deployCanary(signal());
    const admin = {
      matches: [{ path: { type: 'PathPrefix', value: '/admin' } }],
      backendRefs: [{ name: 'admin', port: 80 }],
    };
    api.beforeNextWrite('httproutes', 'shop', `${name}-route`, (route: { spec: { rules: object[] } }) => {
      route.spec.rules.push(admin);
    });
    const conflicts = api.calls.filter((c) => c.status === 409).length;
    await make().setWeight(30, signal());
    expect(api.get('httproutes', 'shop', `${name}-route`).spec.rules).toEqual([
      {
        backendRefs: [
          { name, port: 80, weight: 70 },
          { name: `${name}-canary`, port: 80, weight: 30 },
        ],
      },
      admin,
    ]);
    expect(api.calls.filter((c) => c.status === 409).length).toBe(conflicts + 1);
  });

  test('pods with an injected sidecar (istio-proxy) still count: an image that cannot be pulled fails the wait at once', async () => {
    const sidecars = await startFakeKubernetes({ readyDelayMs: 50 });
    sidecars.injectSidecars();
    sidecars.neverReady(V3);
    try {
      const { name, make } = await setup('replicas', { image: V3, version: 'v3' }, undefined, { server: sidecars });
      await make().deployCanary(signal());
      await expect(make().setWeight(25, signal())).rejects.toThrow(
        new RegExp(`^${name}-canary: pod ${name}-canary-\\d+-0 container app is ImagePullBackOff`),
      );
      expect(
        sidecars.get('pods', 'shop', `${name}-canary-2-0`).spec.containers.map((c: { name: string }) => c.name),
      ).toEqual(['app', 'proxy', 'istio-proxy']);
    } finally {
      await sidecars.stop();
    }
  });

  test('a watch that ends with ERROR 410 (its resourceVersion compacted) is followed by a fresh list, and the rollout completes', async () => {
    const { name, make } = await setup('replicas');
    await make().deployCanary(signal());
    api.expireWatches(4);
    await make().setWeight(50, signal());
    expect(api.get('deployments', 'shop', `${name}-canary`).status.availableReplicas).toBe(2);
    expect(api.calls.filter((c) => c.watch && c.expired).length).toBe(4);
  });

  test('BOOKMARK events do not count as changes: a wait with nothing changing holds one watch open', async () => {
    api.neverReady('ghcr.io/acme/shop@sha256:slow', 'ContainerCreating', '');
    const { name, make } = await setup(
      'replicas',
      { image: 'ghcr.io/acme/shop@sha256:slow', version: 'v5' },
      undefined,
      {
        readyTimeoutMs: 1_500,
      },
    );
    await make().deployCanary(signal());
    const before = api.calls.filter((c) => c.watch).length;
    await expect(make().setWeight(25, signal())).rejects.toThrow(`${name}-canary was not ready within`);
    const watches = api.calls.filter((c) => c.watch).slice(before);
    expect(watches.some((c) => c.bookmarks)).toBe(true);
    // Two watches (Deployment and pods) per wake: a client woken by each bookmark would open hundreds.
    expect(watches.length).toBeLessThanOrEqual(12);
  });

  test('names from the inputs stay one path segment: ../ cannot reach another resource', async () => {
    const cluster = await loadKubeconfig(await readFile(api.kubeconfig(dir), 'utf8'));
    const t = new KubernetesTarget({
      cluster,
      namespace: 'shop',
      deployment: '../../../../api/v1/namespaces/shop/secrets/db',
      traffic: 'replicas',
      release: { image: V2, version: 'v2' },
      readyTimeoutMs: 1000,
      http: request,
      log: new MemoryLogger(),
    });
    await expect(t.describe()).rejects.toThrow(/HTTP 404/);
    expect(api.calls.at(-1)?.path).toBe(
      '/apis/apps/v1/namespaces/shop/deployments/..%2F..%2F..%2F..%2Fapi%2Fv1%2Fnamespaces%2Fshop%2Fsecrets%2Fdb',
    );
  });
});

describe('kubeconfig', () => {
  test("an exec plugin's token is renewed before it expires and when the cluster rejects it; the new one is handed out for masking", async () => {
    const counter = join(dir, 'plugin-count');
    writeFileSync(counter, '0');
    const plugin = join(dir, 'renewing-plugin.sh');
    // Each run hands out the next token; the first one says it expires in 30 s (inside the 60 s margin).
    writeFileSync(
      plugin,
      `#!/bin/sh\nn=$(($(cat ${counter}) + 1)); echo $n > ${counter}\nif [ $n = 1 ]; then exp=$(date -u -d @$(($(date +%s) + 30)) +%Y-%m-%dT%H:%M:%SZ); else exp=2999-01-01T00:00:00Z; fi\necho '{"apiVersion":"client.authentication.k8s.io/v1beta1","kind":"ExecCredential","status":{"token":"plugin-token-'$n'","expirationTimestamp":"'$exp'"}}'\n`,
    );
    chmodSync(plugin, 0o755);
    for (const t of ['plugin-token-1', 'plugin-token-2', 'plugin-token-3']) api.allow(t);
    api.addApp({ name: 'renew', image: V1 });
    const cluster = await loadKubeconfig(`apiVersion: v1
current-context: fake
clusters: [{ name: fake, cluster: { server: "${api.url}" } }]
contexts: [{ name: fake, context: { cluster: fake, user: eks } }]
users: [{ name: eks, user: { exec: { apiVersion: client.authentication.k8s.io/v1beta1, command: ${plugin} } } }]
`);
    expect(cluster.token).toBe('plugin-token-1');
    const handedOut: string[] = [];
    const log = new MemoryLogger();
    const t = new KubernetesTarget({
      cluster,
      namespace: 'shop',
      deployment: 'renew',
      traffic: 'replicas',
      release: { image: V2, version: 'v2' },
      readyTimeoutMs: 5_000,
      http: request,
      log,
      onToken: (token) => handedOut.push(token),
    });
    expect(await t.describe()).toEqual({ stable: { image: V1 } }); // token 1 was about to expire: renewed first
    expect(handedOut).toEqual(['plugin-token-2']);
    api.revoke('plugin-token-2'); // revoked early: the 401 renews once and the call goes through
    expect(await t.describe()).toEqual({ stable: { image: V1 } });
    expect(handedOut).toEqual(['plugin-token-2', 'plugin-token-3']);
    api.revoke('plugin-token-3');
    await expect(t.describe()).rejects.toThrow(/the cluster rejected the credentials \(401 Unauthorized\)/); // renewed once, still rejected
    expect(log.messages().join('\n')).not.toMatch(/plugin-token/);
  });

  test('several files (KUBECONFIG=a:b) merge as kubectl merges them; relative paths follow their own file', async () => {
    const other = mkdtempSync(join(tmpdir(), 'kube-b-'));
    writeFileSync(join(other, 'ca.pem'), 'CA-FROM-B');
    const a = {
      path: join(dir, 'a.yaml'),
      text: 'current-context: prod\ncontexts: [{ name: prod, context: { cluster: eks, user: me, namespace: shop } }]\nusers: [{ name: me, user: { token: from-a } }]\n',
    };
    const b = {
      path: join(other, 'b.yaml'),
      text: 'current-context: dev\nclusters: [{ name: eks, cluster: { server: "https://eks.example/", certificate-authority: ca.pem } }]\nusers: [{ name: me, user: { token: from-b } }]\ncontexts: [{ name: prod, context: { cluster: nowhere, user: me } }]\n',
    };
    const access = await loadKubeconfig([a, b]);
    expect(access).toMatchObject({ server: 'https://eks.example', namespace: 'shop', token: 'from-a' });
    expect(access.ca?.toString()).toBe('CA-FROM-B');
    rmSync(other, { recursive: true, force: true });
  });

  test('client certificates, a context override and an exec credential plugin', async () => {
    const plugin = join(dir, 'get-token.sh');
    writeFileSync(
      plugin,
      '#!/bin/sh\necho \'{"apiVersion":"client.authentication.k8s.io/v1beta1","kind":"ExecCredential","status":{"token":"from-plugin-\'"$CLUSTER"\'"}}\'\n',
    );
    chmodSync(plugin, 0o755);
    const text = `apiVersion: v1
current-context: a
clusters:
- name: a
  cluster: { server: "https://a.example:6443", certificate-authority-data: ${Buffer.from('CA').toString('base64')} }
- name: b
  cluster: { server: "https://b.example", insecure-skip-tls-verify: true }
contexts:
- name: a
  context: { cluster: a, user: certs, namespace: prod }
- name: b
  context: { cluster: b, user: eks }
users:
- name: certs
  user: { client-certificate-data: ${Buffer.from('CERT').toString('base64')}, client-key-data: ${Buffer.from('KEY').toString('base64')} }
- name: eks
  user:
    exec: { apiVersion: client.authentication.k8s.io/v1beta1, command: ${plugin}, args: [], env: [{ name: CLUSTER, value: b }] }
`;
    const a = await loadKubeconfig(text);
    expect(a).toMatchObject({ server: 'https://a.example:6443', namespace: 'prod', insecure: false });
    expect([a.ca?.toString(), a.cert?.toString(), a.key?.toString()]).toEqual(['CA', 'CERT', 'KEY']);
    const b = await loadKubeconfig(text, { context: 'b' });
    expect(b).toMatchObject({ server: 'https://b.example', insecure: true, token: 'from-plugin-b' });
    await expect(loadKubeconfig(text, { context: 'c' })).rejects.toThrow(
      "the kubeconfig has no context 'c' (it has a, b)",
    );
  });
});
