// A fake Kubernetes API server on a free loopback port, speaking the REST protocol the Kubernetes
// target uses: GET/POST/PUT/PATCH (merge-patch and strategic-merge for containers)/DELETE on
// deployments, services, pods, ingresses, Gateway API HTTPRoutes and Istio VirtualServices;
// `?watch=true` streams JSON watch events; errors are metav1.Status bodies. A small controller
// makes a Deployment's pods ready after `readyDelayMs`, or leaves them waiting with a reason when
// their image was marked with neverReady() (first ContainerCreating, then the reason, as the kubelet
// reports it). Knobs: failNext (429 with Retry-After / 5xx), revoke (401), dropWatches (a watch whose
// connection is reset at once, so the client must poll).
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';

const KINDS = {
  deployments: { group: 'apis/apps/v1', kind: 'Deployment' },
  services: { group: 'api/v1', kind: 'Service' },
  pods: { group: 'api/v1', kind: 'Pod' },
  ingresses: { group: 'apis/networking.k8s.io/v1', kind: 'Ingress' },
  httproutes: { group: 'apis/gateway.networking.k8s.io/v1', kind: 'HTTPRoute' },
  virtualservices: { group: 'apis/networking.istio.io/v1', kind: 'VirtualService' },
};

/** @param {{ token?: string, readyDelayMs?: number }} [options] */
export async function startFakeKubernetes({ token = 'k8s-fake-token-8812', readyDelayMs = 200 } = {}) {
  /** @type {Map<string, any>} key: `${resource}/${namespace}/${name}` */
  const objects = new Map();
  /** @type {Map<string, { reason: string, message: string }>} */
  const failingImages = new Map();
  const validTokens = new Set([token]);
  /** @type {Array<{ status: number, left: number }>} */
  const faults = [];
  /** @type {Array<{ method: string, path: string, status: number, watch: boolean }>} */
  const calls = [];
  /** @type {Set<{ resource: string, namespace: string, name?: string, labels: Record<string, string>, send: (type: string, object: any) => void }>} */
  const watchers = new Set();
  let dropWatches = 0;
  /** @param {{ resource: string, namespace: string, name?: string, labels: Record<string, string> }} w */
  const watches = (w, resource, namespace, object) =>
    w.resource === resource &&
    w.namespace === namespace &&
    (!w.name || w.name === object.metadata.name) &&
    Object.entries(w.labels).every(([k, v]) => object.metadata.labels?.[k] === v);
  /** `a=b,c=d` (equality selectors only). */
  const parseSelector = (text) =>
    Object.fromEntries(
      (text ?? '')
        .split(',')
        .filter(Boolean)
        .map((p) => p.split('=')),
    );
  let resourceVersion = 100;
  let uid = 1;

  const status = (res, code, reason, message, headers = {}) => {
    res.writeHead(code, { 'content-type': 'application/json', ...headers });
    res.end(
      JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code }),
    );
  };
  const send = (res, code, body) => {
    res.writeHead(code, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };

  function store(resource, namespace, object, type) {
    object.metadata.resourceVersion = String(++resourceVersion);
    objects.set(`${resource}/${namespace}/${object.metadata.name}`, object);
    for (const w of watchers) if (watches(w, resource, namespace, object)) w.send(type, object);
  }
  function drop(resource, namespace, key) {
    const object = objects.get(key);
    if (!object) return;
    objects.delete(key);
    for (const w of watchers) if (watches(w, resource, namespace, object)) w.send('DELETED', object);
  }

  /**
   * The controller: pods for a Deployment's spec, ready after a delay unless their image fails. A new
   * pod template is a rolling update: the old pods keep serving (and counting as available) until the
   * new ones are ready, so the rollout is complete only then; a scale change just resizes.
   */
  function reconcile(namespace, deployment, templateChanged) {
    const generation = deployment.metadata.generation;
    const replicas = deployment.spec.replicas ?? 1;
    const labels = deployment.spec.template.metadata?.labels ?? {};
    const image = deployment.spec.template.spec.containers[0]?.image;
    const failing = failingImages.get(image);
    const owned = () =>
      [...objects].filter(
        ([key, pod]) =>
          key.startsWith(`pods/${namespace}/`) && pod.metadata.ownerDeployment === deployment.metadata.name,
      );
    const isNew = (key) => key.startsWith(`pods/${namespace}/${deployment.metadata.name}-${generation}-`);
    const oldAvailable = templateChanged
      ? Math.min(deployment.status?.availableReplicas ?? 0, deployment.status?.replicas ?? 0)
      : 0;
    for (const [key, pod] of owned())
      if (!templateChanged || !pod.status?.containerStatuses?.every((c) => c.ready)) drop('pods', namespace, key);
    // The ReplicaSet cannot create pods at all (quota, admission): the Deployment says so in a condition.
    const cannotCreate = failing?.reason === 'FailedCreate';
    for (let i = 0; i < (cannotCreate ? 0 : replicas); i++) {
      const pod = {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name: `${deployment.metadata.name}-${generation}-${i}`,
          namespace,
          labels: { ...labels },
          ownerDeployment: deployment.metadata.name,
          uid: String(uid++),
        },
        spec: structuredClone(deployment.spec.template.spec),
        status: {
          phase: 'Pending',
          containerStatuses: deployment.spec.template.spec.containers.map((c) => ({
            name: c.name,
            ready: false,
            image: c.image,
            state: { waiting: { reason: 'ContainerCreating' } },
          })),
        },
      };
      store('pods', namespace, pod, 'ADDED');
    }
    deployment.status = templateChanged
      ? {
          observedGeneration: generation,
          replicas: replicas + oldAvailable,
          updatedReplicas: replicas,
          readyReplicas: oldAvailable,
          availableReplicas: oldAvailable,
        }
      : {
          ...deployment.status,
          observedGeneration: generation,
          replicas,
          updatedReplicas: replicas,
          readyReplicas: Math.min(deployment.status?.readyReplicas ?? 0, replicas),
          availableReplicas: failing ? 0 : Math.min(deployment.status?.availableReplicas ?? 0, replicas),
        };
    if (cannotCreate)
      deployment.status.conditions = [
        { type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: failing.message },
      ];
    store('deployments', namespace, deployment, 'MODIFIED');
    if (cannotCreate) return;
    setTimeout(() => {
      const current = objects.get(`deployments/${namespace}/${deployment.metadata.name}`);
      if (!current || current.metadata.generation !== generation) return;
      for (const [key, pod] of owned()) {
        if (isNew(key)) {
          // The kubelet's verdict: the first container with a failing image waits with its reason; the rest run.
          pod.status =
            failing?.reason === 'Unschedulable'
              ? {
                  phase: 'Pending',
                  conditions: [
                    { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: failing.message },
                  ],
                }
              : failing
                ? {
                    phase: 'Pending',
                    containerStatuses: pod.spec.containers.map((c) => ({
                      name: c.name,
                      ready: false,
                      image: c.image,
                      state:
                        c.image === image
                          ? { waiting: { reason: failing.reason, message: failing.message } }
                          : { running: { startedAt: new Date().toISOString() } },
                    })),
                  }
                : {
                    phase: 'Running',
                    containerStatuses: pod.spec.containers.map((c) => ({
                      name: c.name,
                      ready: true,
                      image: c.image,
                      state: { running: { startedAt: new Date().toISOString() } },
                    })),
                  };
          store('pods', namespace, pod, 'MODIFIED');
        }
      }
      if (failing) return;
      for (const [key] of owned()) if (!isNew(key)) drop('pods', namespace, key); // the old ReplicaSet scaled down
      current.status = {
        observedGeneration: generation,
        replicas,
        updatedReplicas: replicas,
        readyReplicas: replicas,
        availableReplicas: replicas,
        conditions: [{ type: 'Available', status: 'True' }],
      };
      store('deployments', namespace, current, 'MODIFIED');
    }, readyDelayMs);
  }

  function write(resource, namespace, object, type) {
    const previous = objects.get(`${resource}/${namespace}/${object.metadata.name}`);
    if (resource === 'deployments') {
      const specChanged = JSON.stringify(previous?.spec) !== JSON.stringify(object.spec);
      object.metadata.generation = (previous?.metadata.generation ?? 0) + (specChanged || !previous ? 1 : 0);
      object.status = previous?.status ?? {};
      store(resource, namespace, object, type);
      if (specChanged || !previous)
        reconcile(namespace, object, JSON.stringify(previous?.spec.template) !== JSON.stringify(object.spec.template));
      return;
    }
    store(resource, namespace, object, type);
  }

  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const originalWriteHead = res.writeHead.bind(res);
      const watch = url.searchParams.get('watch') === 'true';
      res.writeHead = (code, ...rest) => {
        calls.push({ method: req.method ?? 'GET', path: url.pathname, status: code, watch });
        return originalWriteHead(code, ...rest);
      };
      const auth = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      if (!auth || !validTokens.has(auth)) return status(res, 401, 'Unauthorized', 'Unauthorized');
      const fault = faults.find((f) => f.left > 0);
      if (fault) {
        fault.left--;
        return fault.status === 429
          ? status(
              res,
              429,
              'TooManyRequests',
              'the server has received too many requests and has asked us to try again later',
              { 'retry-after': '1' },
            )
          : status(res, fault.status, 'InternalError', 'etcdserver: request timed out');
      }
      const m = /^\/(api\/v1|apis\/[^/]+\/[^/]+)\/namespaces\/([^/]+)\/([^/]+)(?:\/([^/]+))?$/.exec(url.pathname);
      const resource = m?.[3];
      if (!m || !resource || !(resource in KINDS) || KINDS[resource].group !== m[1])
        return status(res, 404, 'NotFound', `the server could not find the requested resource (${url.pathname})`);
      const [, , namespace, , name] = m;
      const key = `${resource}/${namespace}/${name}`;
      let body;
      try {
        body = raw ? JSON.parse(raw) : undefined;
      } catch {
        return status(res, 400, 'BadRequest', 'invalid JSON');
      }

      if (req.method === 'GET' && !name && url.searchParams.get('watch') === 'true') {
        if (dropWatches > 0) {
          dropWatches--;
          calls.push({ method: 'GET', path: url.pathname, status: 0, watch: true });
          return req.socket.destroy();
        }
        const only = /^metadata\.name=(.+)$/.exec(url.searchParams.get('fieldSelector') ?? '')?.[1];
        res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
        const watcher = {
          resource,
          namespace,
          name: only,
          labels: parseSelector(url.searchParams.get('labelSelector')),
          send: (type, object) => res.write(`${JSON.stringify({ type, object })}\n`),
        };
        watchers.add(watcher);
        const since = Number(url.searchParams.get('resourceVersion') ?? 0);
        // Changes after the given resourceVersion that the client has not seen yet.
        for (const [k, o] of objects)
          if (
            k.startsWith(`${resource}/${namespace}/`) &&
            watches(watcher, resource, namespace, o) &&
            Number(o.metadata.resourceVersion) > since
          )
            watcher.send('MODIFIED', o);
        const close = () => {
          watchers.delete(watcher);
          res.end();
        };
        const timer = setTimeout(close, Number(url.searchParams.get('timeoutSeconds') ?? 30) * 1000);
        req.socket.on('close', () => {
          clearTimeout(timer);
          watchers.delete(watcher);
        });
        return;
      }
      if (req.method === 'GET' && !name) {
        const selector = parseSelector(url.searchParams.get('labelSelector'));
        const items = [...objects]
          .filter(([k]) => k.startsWith(`${resource}/${namespace}/`))
          .map(([, o]) => o)
          .filter((o) => Object.entries(selector).every(([k, v]) => o.metadata.labels?.[k] === v));
        return send(res, 200, {
          kind: `${KINDS[resource].kind}List`,
          apiVersion: 'v1',
          metadata: { resourceVersion: String(resourceVersion) },
          items,
        });
      }
      const existing = objects.get(key);
      if (req.method === 'GET')
        return existing ? send(res, 200, existing) : status(res, 404, 'NotFound', `${resource} "${name}" not found`);
      if (req.method === 'POST' && !name) {
        if (!body?.metadata?.name) return status(res, 422, 'Invalid', 'metadata.name: Required value');
        if (objects.has(`${resource}/${namespace}/${body.metadata.name}`))
          return status(res, 409, 'AlreadyExists', `${resource} "${body.metadata.name}" already exists`);
        body.metadata = {
          ...body.metadata,
          namespace,
          uid: String(uid++),
          creationTimestamp: new Date().toISOString(),
        };
        write(resource, namespace, body, 'ADDED');
        return send(res, 201, objects.get(`${resource}/${namespace}/${body.metadata.name}`));
      }
      if (!existing) return status(res, 404, 'NotFound', `${resource} "${name}" not found`);
      if (req.method === 'PUT') {
        if (body?.metadata?.resourceVersion && body.metadata.resourceVersion !== existing.metadata.resourceVersion) {
          return status(
            res,
            409,
            'Conflict',
            `Operation cannot be fulfilled on ${resource} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
          );
        }
        write(resource, namespace, { ...body, metadata: { ...existing.metadata, ...body.metadata } }, 'MODIFIED');
        return send(res, 200, objects.get(key));
      }
      if (req.method === 'PATCH') {
        const strategic = (req.headers['content-type'] ?? '').includes('strategic-merge-patch');
        write(resource, namespace, mergePatch(structuredClone(existing), body, strategic), 'MODIFIED');
        return send(res, 200, objects.get(key));
      }
      if (req.method === 'DELETE') {
        drop(resource, namespace, key);
        if (resource === 'deployments')
          for (const [k, pod] of objects)
            if (k.startsWith(`pods/${namespace}/`) && pod.metadata.ownerDeployment === name) drop('pods', namespace, k);
        return send(res, 200, {
          kind: 'Status',
          apiVersion: 'v1',
          status: 'Success',
          details: { name, kind: resource },
        });
      }
      return status(res, 405, 'MethodNotAllowed', `${req.method} is not supported`);
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${/** @type {import('node:net').AddressInfo} */ (server.address()).port}`;

  return {
    url,
    token,
    calls,
    /** Writes a kubeconfig for this server (token auth) into `dir` and returns its path. */
    kubeconfig(dir, { namespace = 'shop', user = token } = {}) {
      const file = join(dir, 'kubeconfig');
      writeFileSync(
        file,
        [
          'apiVersion: v1',
          'kind: Config',
          'current-context: fake',
          'clusters:',
          '- name: fake',
          '  cluster:',
          `    server: ${url}`,
          'contexts:',
          '- name: fake',
          '  context:',
          '    cluster: fake',
          '    user: deployer',
          `    namespace: ${namespace}`,
          'users:',
          '- name: deployer',
          '  user:',
          `    token: ${user}`,
          '',
        ].join('\n'),
      );
      return file;
    },
    /** A ready Deployment `name` (app=<name> pods) with its Service. */
    addApp({ namespace = 'shop', name = 'shop', image, replicas = 4 }) {
      const labels = { app: name };
      write(
        'deployments',
        namespace,
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name, namespace, labels: { ...labels }, uid: String(uid++) },
          spec: {
            replicas,
            selector: { matchLabels: { ...labels } },
            template: {
              metadata: { labels: { ...labels } },
              spec: {
                containers: [
                  { name: 'app', image, ports: [{ containerPort: 8080 }] },
                  { name: 'proxy', image: 'envoyproxy/envoy:v1.31' },
                ],
              },
            },
          },
        },
        'ADDED',
      );
      write(
        'services',
        namespace,
        {
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name, namespace, labels: { ...labels } },
          spec: { selector: { ...labels }, ports: [{ port: 80, targetPort: 8080 }] },
        },
        'ADDED',
      );
    },
    put(resource, namespace, object) {
      write(resource, namespace, structuredClone(object), 'ADDED');
    },
    get(resource, namespace, name) {
      return objects.get(`${resource}/${namespace}/${name}`);
    },
    /** Pods of this image stay waiting with this reason (ImagePullBackOff, CrashLoopBackOff...), pending with Unschedulable, or are never created with FailedCreate. */
    neverReady(image, reason = 'ImagePullBackOff', message = `Back-off pulling image "${image}"`) {
      failingImages.set(image, { reason, message });
    },
    failNext(count, code = 503) {
      faults.push({ status: code, left: count });
    },
    revoke(value = token) {
      validTokens.delete(value);
    },
    /** Accepts another bearer token (one a credential plugin in a test hands out). */
    allow(value) {
      validTokens.add(value);
    },
    /** The next `count` watch requests have their connection reset at once (a dropped watch). */
    dropWatches(count) {
      dropWatches += count;
    },
    async stop() {
      server.closeAllConnections?.();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** JSON merge patch (RFC 7386); with `strategic`, lists of named objects (containers) merge by name. */
function mergePatch(target, patch, strategic) {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  const out = target && typeof target === 'object' && !Array.isArray(target) ? target : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else if (
      strategic &&
      Array.isArray(v) &&
      Array.isArray(out[k]) &&
      v.every((x) => x && typeof x === 'object' && 'name' in x)
    ) {
      out[k] = out[k].map((item) => {
        const p = v.find((x) => x.name === item.name);
        return p ? mergePatch(structuredClone(item), p, strategic) : item;
      });
      for (const p of v) if (!out[k].some((item) => item.name === p.name)) out[k].push(p);
    } else out[k] = mergePatch(out[k], v, strategic);
  }
  return out;
}
