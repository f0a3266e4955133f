// A fake Kubernetes API server on a free loopback port, speaking the REST protocol the Kubernetes
// target uses: GET/POST/PUT/PATCH (merge-patch and strategic-merge for containers)/DELETE on
// deployments, services, pods, ingresses, Gateway API HTTPRoutes and Istio VirtualServices;
// `?watch=true` streams JSON watch events; errors are metav1.Status bodies. A small controller
// makes a Deployment's pods ready after `readyDelayMs`, or leaves them waiting with a reason when
// their image was marked with neverReady() (first ContainerCreating, then the reason, as the kubelet
// reports it). Knobs: crashPods (a Deployment's ready pods all go to CrashLoopBackOff), failNext (429 with Retry-After / 5xx), revoke (401), dropWatches (a watch whose
// connection is reset at once, so the client must poll), expireWatches (watches from an older
// resourceVersion end with an ERROR 410 event), injectSidecars (pods get istio-proxy, as Istio's
// webhook adds it), beforeNextWrite (another writer's change between a client's read and its write).
//
// As strict as a real API server where a client can get it wrong (each rule cites its reference):
// Service validation and allocated fields, strategic merge patch refused on custom resources,
// resourceVersion preconditions on PUT and PATCH, a controller that observes a new generation only
// after the request has returned, API discovery for the Istio group's served versions.
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';

/** Each resource, its group/version paths, and whether it is a custom resource (a CRD). */
const KINDS = {
  deployments: { groups: ['apis/apps/v1'], kind: 'Deployment' },
  services: { groups: ['api/v1'], kind: 'Service' },
  pods: { groups: ['api/v1'], kind: 'Pod' },
  ingresses: { groups: ['apis/networking.k8s.io/v1'], kind: 'Ingress' },
  httproutes: { groups: ['apis/gateway.networking.k8s.io/v1'], kind: 'HTTPRoute', custom: true },
  virtualservices: {
    groups: ['apis/networking.istio.io/v1', 'apis/networking.istio.io/v1beta1'],
    kind: 'VirtualService',
    custom: true,
  },
};

/**
 * @param {{ token?: string, readyDelayMs?: number, controllerDelayMs?: number, istioVersions?: string[] }} [options]
 * `istioVersions`: the networking.istio.io versions the mesh serves (Istio before 1.22 has no v1).
 */
export async function startFakeKubernetes({
  token = 'k8s-fake-token-8812',
  readyDelayMs = 200,
  controllerDelayMs = 20,
  istioVersions = ['v1', 'v1beta1'],
} = {}) {
  /** @type {Map<string, any>} key: `${resource}/${namespace}/${name}` */
  const objects = new Map();
  /** @type {Map<string, { reason: string, message: string }>} */
  const failingImages = new Map();
  const validTokens = new Set([token]);
  /** @type {Array<{ status: number, left: number }>} */
  const faults = [];
  /** @type {Array<{ method: string, path: string, status: number, watch: boolean, expired?: boolean, bookmarks?: boolean }>} */
  const calls = [];
  /** @type {Set<{ resource: string, namespace: string, name?: string, labels: Record<string, string>, send: (type: string, object: any) => void }>} */
  const watchers = new Set();
  let dropWatches = 0;
  /** How many of the next watches start from a resourceVersion etcd has compacted. */
  let expiredWatches = 0;
  let sidecars = false;
  /** @type {Map<string, () => void>} `${resource}/${namespace}/${name}` → another writer's change, run before the next write to it */
  const interference = new Map();
  /** Deployment key → the pod template the controller last rolled out. */
  const rolledOut = new Map();
  let nextClusterIP = 10;
  let nextNodePort = 30000;
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
  /** Whether this group/version path is served (only the Istio versions the mesh has). */
  const servedVersion = (groupPath) =>
    !groupPath.startsWith('apis/networking.istio.io/') || istioVersions.includes(groupPath.split('/')[2]);
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
   * new ones are ready, so the rollout is complete only then; a scale change just resizes. Like the
   * real Deployment controller it runs after the write has been answered, so a client reading right
   * after its write sees `status.observedGeneration` behind `metadata.generation` with the old
   * status and conditions (kubectl rollout status waits for the generation to be observed first).
   */
  function reconcile(namespace, name) {
    const key = `deployments/${namespace}/${name}`;
    const deployment = objects.get(key);
    if (!deployment || deployment.status?.observedGeneration === deployment.metadata.generation) return;
    const templateChanged = rolledOut.get(key) !== JSON.stringify(deployment.spec.template);
    rolledOut.set(key, JSON.stringify(deployment.spec.template));
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
        spec: podSpec(deployment.spec.template.spec),
        status: {
          phase: 'Pending',
          containerStatuses: podSpec(deployment.spec.template.spec).containers.map((c) => ({
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
          // A new rollout replaces the conditions an earlier one left (ProgressDeadlineExceeded).
          conditions: [{ type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated' }],
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

  /** The pod spec the API server admits: Istio's mutating webhook adds its proxy when injection is on. */
  function podSpec(templateSpec) {
    const spec = structuredClone(templateSpec);
    if (sidecars && !spec.containers.some((c) => c.name === 'istio-proxy'))
      spec.containers.push({
        name: 'istio-proxy',
        image: 'docker.io/istio/proxyv2:1.22.0',
        args: ['proxy', 'sidecar'],
      });
    return spec;
  }

  function write(resource, namespace, object, type) {
    const previous = objects.get(`${resource}/${namespace}/${object.metadata.name}`);
    if (resource === 'deployments') {
      const specChanged = JSON.stringify(previous?.spec) !== JSON.stringify(object.spec);
      object.metadata.generation = (previous?.metadata.generation ?? 0) + (specChanged || !previous ? 1 : 0);
      object.status = previous?.status ?? {};
      store(resource, namespace, object, type);
      if (specChanged || !previous) setTimeout(() => reconcile(namespace, object.metadata.name), controllerDelayMs);
      return;
    }
    store(resource, namespace, object, type);
  }

  /**
   * Service validation and allocation as the API server does it (pkg/apis/core/validation
   * ValidateService, and the registry's allocators): a ClusterIP Service may not name node ports;
   * healthCheckNodePort only for a LoadBalancer with externalTrafficPolicy Local; a clusterIP given
   * on create must be free. Allocated fields a PUT leaves out keep their values (the registry's
   * patchAllocatedValues). Returns the field error, or undefined.
   */
  function admitService(namespace, service, previous) {
    const spec = (service.spec ??= {});
    spec.type ??= 'ClusterIP';
    if (previous) {
      spec.clusterIP ??= previous.spec.clusterIP;
      spec.clusterIPs ??= previous.spec.clusterIPs;
      if (spec.type === previous.spec.type && spec.type !== 'ClusterIP')
        for (const port of spec.ports ?? [])
          port.nodePort ??= previous.spec.ports?.find((p) => p.port === port.port)?.nodePort;
    }
    const ports = spec.ports ?? [];
    if (!ports.length) return 'spec.ports: Required value';
    const i = ports.findIndex((p) => p.nodePort !== undefined);
    if (spec.type === 'ClusterIP' && i >= 0)
      return `spec.ports[${i}].nodePort: Forbidden: may not be used when \`type\` is 'ClusterIP'`;
    if (
      spec.healthCheckNodePort !== undefined &&
      !(spec.type === 'LoadBalancer' && spec.externalTrafficPolicy === 'Local')
    )
      return "spec.healthCheckNodePort: Invalid value: may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'";
    if (previous && previous.spec.clusterIP !== spec.clusterIP)
      return `spec.clusterIPs[0]: Invalid value: ["${spec.clusterIP}"]: may not change once set`;
    if (!previous && spec.clusterIP) {
      const taken = [...objects].some(
        ([k, o]) => k.startsWith('services/') && o.spec?.clusterIP === spec.clusterIP && spec.clusterIP !== 'None',
      );
      if (taken)
        return `spec.clusterIPs: Invalid value: ["${spec.clusterIP}"]: failed to allocate IP ${spec.clusterIP}: provided IP is already allocated`;
    }
    if (!spec.clusterIP) {
      spec.clusterIP = `10.96.0.${nextClusterIP++}`;
      spec.clusterIPs = [spec.clusterIP];
    }
    if (spec.type !== 'ClusterIP') for (const port of ports) port.nodePort ??= nextNodePort++;
    return undefined;
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
      // API discovery (GET /apis/<group>): the versions this server serves, preferred first.
      const group = /^\/apis\/([^/]+)$/.exec(url.pathname)?.[1];
      if (req.method === 'GET' && group) {
        const versions = [
          ...new Set(
            Object.values(KINDS)
              .flatMap((k) => k.groups)
              .filter((g) => g.startsWith(`apis/${group}/`) && servedVersion(g))
              .map((g) => g.split('/')[2]),
          ),
        ].map((version) => ({ groupVersion: `${group}/${version}`, version }));
        if (!versions.length)
          return status(res, 404, 'NotFound', `the server could not find the requested resource (${url.pathname})`);
        return send(res, 200, {
          kind: 'APIGroup',
          apiVersion: 'v1',
          name: group,
          versions,
          preferredVersion: versions[0],
        });
      }
      const m = /^\/(api\/v1|apis\/[^/]+\/[^/]+)\/namespaces\/([^/]+)\/([^/]+)(?:\/([^/]+))?$/.exec(url.pathname);
      const resource = m?.[3];
      if (!m || !resource || !(resource in KINDS) || !KINDS[resource].groups.includes(m[1]) || !servedVersion(m[1]))
        return status(res, 404, 'NotFound', `the server could not find the requested resource (${url.pathname})`);
      const namespace = decodeURIComponent(m[2]);
      const name = m[4] === undefined ? undefined : decodeURIComponent(m[4]);
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
        const bookmarks = url.searchParams.get('allowWatchBookmarks') === 'true';
        Object.assign(calls[calls.length - 1], { bookmarks });
        // A resourceVersion etcd has compacted: the watch starts, then ends with an ERROR event
        // carrying a 410 Status (API concepts, "Efficient detection of changes": the client must re-list).
        if (expiredWatches > 0) {
          expiredWatches--;
          Object.assign(calls[calls.length - 1], { expired: true });
          const from = url.searchParams.get('resourceVersion') ?? '0';
          res.write(
            `${JSON.stringify({
              type: 'ERROR',
              object: {
                kind: 'Status',
                apiVersion: 'v1',
                metadata: {},
                status: 'Failure',
                message: `too old resource version: ${from} (${resourceVersion})`,
                reason: 'Expired',
                code: 410,
              },
            })}\n`,
          );
          return res.end();
        }
        // With allowWatchBookmarks the server may send BOOKMARK events (only metadata.resourceVersion
        // of the kind) at any time; they are not changes (API concepts, "Watch bookmarks").
        if (bookmarks)
          res.write(
            `${JSON.stringify({ type: 'BOOKMARK', object: { kind: KINDS[resource].kind, apiVersion: m[1].replace(/^apis?\//, ''), metadata: { resourceVersion: String(resourceVersion) } } })}\n`,
          );
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
        const invalid = resource === 'services' ? admitService(namespace, body, undefined) : undefined;
        if (invalid) return status(res, 422, 'Invalid', `Service "${body.metadata.name}" is invalid: ${invalid}`);
        write(resource, namespace, body, 'ADDED');
        return send(res, 201, objects.get(`${resource}/${namespace}/${body.metadata.name}`));
      }
      if (!existing) return status(res, 404, 'NotFound', `${resource} "${name}" not found`);
      if (req.method === 'PUT' || req.method === 'PATCH') {
        const other = interference.get(key);
        if (other) {
          interference.delete(key);
          other();
        }
      }
      const current = objects.get(key);
      // A resourceVersion in a PUT body or a patch is a precondition (API conventions, "Concurrency
      // Control and Consistency"): a stale one is 409 Conflict, and the client re-reads.
      const conflict = () =>
        status(
          res,
          409,
          'Conflict',
          `Operation cannot be fulfilled on ${resource} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
        );
      if (req.method === 'PUT') {
        if (body?.metadata?.resourceVersion && body.metadata.resourceVersion !== current.metadata.resourceVersion)
          return conflict();
        const replaced = { ...body, metadata: { ...current.metadata, ...body.metadata } };
        const invalid = resource === 'services' ? admitService(namespace, replaced, current) : undefined;
        if (invalid) return status(res, 422, 'Invalid', `Service "${name}" is invalid: ${invalid}`);
        write(resource, namespace, replaced, 'MODIFIED');
        return send(res, 200, objects.get(key));
      }
      if (req.method === 'PATCH') {
        const type = req.headers['content-type'] ?? '';
        const strategic = type.includes('strategic-merge-patch');
        // Custom resources have no Go struct to take patch strategies from: the API server refuses
        // strategic merge patch on them (CustomResourceDefinition docs, "Advanced topics").
        if (strategic && KINDS[resource].custom)
          return status(
            res,
            415,
            'UnsupportedMediaType',
            `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml`,
          );
        if (body?.metadata?.resourceVersion && body.metadata.resourceVersion !== current.metadata.resourceVersion)
          return conflict();
        const patched = mergePatch(structuredClone(current), body, strategic);
        const invalid = resource === 'services' ? admitService(namespace, patched, current) : undefined;
        if (invalid) return status(res, 422, 'Invalid', `Service "${name}" is invalid: ${invalid}`);
        write(resource, namespace, patched, 'MODIFIED');
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
    /** A Deployment `name` (app=<name> pods, ready shortly) with its Service of `serviceType`. */
    addApp({ namespace = 'shop', name = 'shop', image, replicas = 4, serviceType = 'ClusterIP' }) {
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
      const service = {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name, namespace, labels: { ...labels } },
        spec: { type: serviceType, selector: { ...labels }, ports: [{ port: 80, targetPort: 8080 }] },
      };
      if (serviceType === 'LoadBalancer') service.spec.externalTrafficPolicy = 'Local';
      const invalid = admitService(namespace, service, undefined);
      if (invalid) throw new Error(invalid);
      if (serviceType === 'LoadBalancer') service.spec.healthCheckNodePort = nextNodePort++;
      write('services', namespace, service, 'ADDED');
    },
    put(resource, namespace, object) {
      const copy = structuredClone(object);
      const invalid = resource === 'services' ? admitService(namespace, copy, undefined) : undefined;
      if (invalid) throw new Error(invalid);
      write(resource, namespace, copy, 'ADDED');
    },
    get(resource, namespace, name) {
      return objects.get(`${resource}/${namespace}/${name}`);
    },
    /** Pods of this image stay waiting with this reason (ImagePullBackOff, CrashLoopBackOff...), pending with Unschedulable, or are never created with FailedCreate. */
    neverReady(image, reason = 'ImagePullBackOff', message = `Back-off pulling image "${image}"`) {
      failingImages.set(image, { reason, message });
    },
    /**
     * The Deployment's pods, ready until now, all crash and wait in CrashLoopBackOff (the sidecars keep
     * running): no pod ready, so the Deployment's status, as the controller writes it, leaves
     * readyReplicas and availableReplicas out (they are omitempty) and says it lacks minimum availability.
     */
    crashPods(namespace, name, exitCode = 1) {
      const deployment = objects.get(`deployments/${namespace}/${name}`);
      for (const [key, pod] of objects) {
        if (!key.startsWith(`pods/${namespace}/`) || pod.metadata.ownerDeployment !== name) continue;
        const app = deployment.spec.template.spec.containers[0].name;
        pod.status = {
          phase: 'Running',
          conditions: [
            {
              type: 'Ready',
              status: 'False',
              reason: 'ContainersNotReady',
              message: `containers with unready status: [${app}]`,
            },
          ],
          containerStatuses: pod.status.containerStatuses.map((c) =>
            c.name === app
              ? {
                  ...c,
                  ready: false,
                  started: false,
                  restartCount: (c.restartCount ?? 0) + 1,
                  state: {
                    waiting: {
                      reason: 'CrashLoopBackOff',
                      message: `back-off 10s restarting failed container=${app} pod=${pod.metadata.name}`,
                    },
                  },
                  lastState: { terminated: { exitCode, reason: 'Error' } },
                }
              : c,
          ),
        };
        store('pods', namespace, pod, 'MODIFIED');
      }
      const { readyReplicas: _ready, availableReplicas: _available, ...status } = deployment.status ?? {};
      deployment.status = {
        ...status,
        unavailableReplicas: deployment.spec.replicas ?? 1,
        conditions: [
          {
            type: 'Available',
            status: 'False',
            reason: 'MinimumReplicasUnavailable',
            message: 'Deployment does not have minimum availability.',
          },
          ...(status.conditions ?? []).filter((c) => c.type !== 'Available'),
        ],
      };
      store('deployments', namespace, deployment, 'MODIFIED');
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
    /** The next `count` watches start from a resourceVersion etcd has compacted: ERROR 410 at once. */
    expireWatches(count) {
      expiredWatches += count;
    },
    /** Pods get Istio's istio-proxy container, as its mutating webhook injects it (not in the template). */
    injectSidecars(on = true) {
      sidecars = on;
    },
    /** Another writer changes this object right before the next PUT or PATCH of it arrives. */
    beforeNextWrite(resource, namespace, name, change) {
      interference.set(`${resource}/${namespace}/${name}`, () => {
        const object = structuredClone(objects.get(`${resource}/${namespace}/${name}`));
        change(object);
        write(resource, namespace, object, 'MODIFIED');
      });
    },
    /** Merges into a Deployment's status (what an earlier rollout left), without a new generation. */
    setStatus(namespace, name, status) {
      const deployment = objects.get(`deployments/${namespace}/${name}`);
      deployment.status = { ...deployment.status, ...status };
      store('deployments', namespace, deployment, 'MODIFIED');
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
