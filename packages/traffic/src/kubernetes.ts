// Kubernetes through its REST API. The canary is a second Deployment (<name>-canary) made from the
// stable one with the new image and `track: canary` on its pods. Traffic is split by replica ratio
// (no mesh), Gateway API HTTPRoute backend weights, Istio VirtualService weights, or an NGINX ingress
// canary. Promotion rolls the stable Deployment to the new image and removes the canary.
import {
  type Clock, formatDuration, type HttpRequest, type HttpResponse, type Logger, oneLine, PermanentError, retry,
  RETRYABLE_STATUSES, statusError, systemClock,
} from '@deploy-actions/core';
import type { ClusterAccess } from './kubeconfig';
import type { Release, ReleaseState, ReleaseTarget } from './rollout';

export type KubernetesTraffic = 'replicas' | 'gateway' | 'istio' | 'nginx-ingress';

export interface KubernetesOptions {
  cluster: ClusterAccess;
  namespace: string;
  /** The stable Deployment. */
  deployment: string;
  /** The container whose image changes (default: the first). */
  container?: string;
  traffic: KubernetesTraffic;
  /** gateway: the HTTPRoute; istio: the VirtualService; nginx-ingress: the Ingress. */
  route?: string;
  /** The Service in front of the stable pods (mesh modes; default: the Deployment's name). */
  service?: string;
  release: Release;
  readyTimeoutMs: number;
  http: (req: HttpRequest) => Promise<HttpResponse>;
  log: Logger;
  clock?: Clock;
  pollIntervalMs?: number;
}

/** Waiting reasons that will not fix themselves: reported at once instead of waiting out the deadline. */
const FATAL_REASONS = new Set(['ImagePullBackOff', 'ErrImagePull', 'InvalidImageName', 'CrashLoopBackOff', 'CreateContainerConfigError', 'CreateContainerError', 'RunContainerError']);
const API_DEADLINE_MS = 120_000;
/** On the canary Deployment: the stable replica count before the rollout, for later jobs and the post step. */
const STABLE_REPLICAS = 'deploy-actions.dev/stable-replicas';

interface Container { name: string; image: string; [k: string]: unknown }
interface Deployment {
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string>; generation?: number; resourceVersion?: string; [k: string]: unknown };
  spec: { replicas?: number; selector: { matchLabels?: Record<string, string> }; template: { metadata?: { labels?: Record<string, string>; [k: string]: unknown }; spec: { containers: Container[]; [k: string]: unknown } }; [k: string]: unknown };
  status?: { observedGeneration?: number; replicas?: number; updatedReplicas?: number; readyReplicas?: number; availableReplicas?: number; conditions?: Array<{ type: string; status: string; reason?: string; message?: string }> };
}
interface Pod { metadata: { name: string }; status?: { phase?: string; containerStatuses?: Array<{ name: string; state?: { waiting?: { reason?: string; message?: string } } }>; conditions?: Array<{ type: string; status: string; reason?: string; message?: string }> } }

export class KubernetesTarget implements ReleaseTarget {
  readonly kind = 'release' as const;
  private readonly clock: Clock;

  constructor(private readonly o: KubernetesOptions) {
    this.clock = o.clock ?? systemClock;
    if (o.traffic !== 'replicas' && !o.route) throw new PermanentError(`traffic ${o.traffic} needs the route to change: pass \`kubernetes-route\``);
  }

  private get canaryName(): string { return `${this.o.deployment}-canary`; }
  private get stableService(): string { return this.o.service ?? this.o.deployment; }
  private get canaryService(): string { return `${this.stableService}-canary`; }
  private deploymentPath(name = ''): string { return `/apis/apps/v1/namespaces/${this.o.namespace}/deployments${name ? `/${name}` : ''}`; }

  async describe(signal?: AbortSignal): Promise<ReleaseState> {
    const stable = await this.get<Deployment>(this.deploymentPath(this.o.deployment), signal);
    const state: ReleaseState = { stable: { image: this.container(stable).image } };
    const canary = await this.find<Deployment>(this.deploymentPath(this.canaryName), signal);
    if (canary) {
      const weight = await this.currentWeight(stable, canary, signal);
      if (weight > 0 || (canary.spec.replicas ?? 0) > 0) state.canary = { image: this.container(canary).image, weight };
    }
    return state;
  }

  async deployCanary(signal: AbortSignal): Promise<void> {
    const stable = await this.get<Deployment>(this.deploymentPath(this.o.deployment), signal);
    const stableReplicas = Number((await this.find<Deployment>(this.deploymentPath(this.canaryName), signal))?.metadata.annotations?.[STABLE_REPLICAS] ?? stable.spec.replicas ?? 1);
    const canary = this.canaryFrom(stable, stableReplicas);
    // With a shared Service (replicas mode) a ready pod takes traffic at once, so the canary starts at 0 pods.
    canary.spec.replicas = this.o.traffic === 'replicas' ? 0 : 1;
    this.o.log.info(`deploying ${this.canaryName} with ${this.o.release.image} (${canary.spec.replicas} replica(s))`);
    await this.apply(this.deploymentPath(), this.canaryName, canary, signal);
    if (this.o.traffic !== 'replicas') {
      await this.ensureCanaryService(signal);
      await this.route(0, signal);
      await this.waitReady(this.canaryName, signal);
    }
  }

  async setWeight(percent: number, signal: AbortSignal): Promise<void> {
    const { stableReplicas } = await this.rollout(signal);
    const canaryReplicas = this.o.traffic === 'replicas'
      ? Math.min(stableReplicas - 1, Math.max(1, Math.round((stableReplicas * percent) / 100)))
      : Math.max(1, Math.ceil((stableReplicas * percent) / 100));
    if (this.o.traffic === 'replicas' && stableReplicas < 2) throw new PermanentError(`${this.o.deployment} has ${stableReplicas} replica; splitting traffic by replicas needs at least 2 (or use steps: 100, or a gateway/istio/nginx-ingress split)`);
    // Capacity first: the canary scales up and is ready before traffic or stable pods move.
    await this.scale(this.canaryName, canaryReplicas, signal);
    await this.waitReady(this.canaryName, signal);
    if (this.o.traffic === 'replicas') {
      await this.scale(this.o.deployment, stableReplicas - canaryReplicas, signal);
      this.o.log.info(`replicas: ${stableReplicas - canaryReplicas} stable, ${canaryReplicas} canary (~${Math.round((100 * canaryReplicas) / stableReplicas)}% of traffic)`);
    } else {
      await this.route(percent, signal);
    }
  }

  /** Stable takes the new image (a rolling update), then all traffic; the canary goes away. */
  async promote(signal: AbortSignal): Promise<void> {
    const { stableReplicas } = await this.rollout(signal);
    const containerName = this.container(await this.get<Deployment>(this.deploymentPath(this.o.deployment), signal)).name;
    await this.patch(this.deploymentPath(this.o.deployment), { spec: { replicas: stableReplicas, template: { spec: { containers: [{ name: containerName, image: this.o.release.image }] } } } }, signal, 'application/strategic-merge-patch+json');
    await this.waitReady(this.o.deployment, signal);
    if (this.o.traffic !== 'replicas') await this.route(0, signal);
    await this.removeCanary(signal);
  }

  /** All traffic on stable at its full size, the canary scaled to 0. No signal: it must finish. */
  async abort(): Promise<void> {
    const canary = await this.find<Deployment>(this.deploymentPath(this.canaryName), undefined);
    if (this.o.traffic !== 'replicas') await this.route(0, undefined);
    const stableReplicas = Number(canary?.metadata.annotations?.[STABLE_REPLICAS] ?? 0);
    if (stableReplicas) await this.scale(this.o.deployment, stableReplicas, undefined);
    if (canary) await this.scale(this.canaryName, 0, undefined);
  }

  /** Stable back on that image (the ReplicaSet is usually still there, so it is quick), canary removed. */
  async rollbackTo(release: Release, signal: AbortSignal): Promise<void> {
    await this.abort();
    const stable = await this.get<Deployment>(this.deploymentPath(this.o.deployment), signal);
    await this.patch(this.deploymentPath(this.o.deployment), { spec: { template: { spec: { containers: [{ name: this.container(stable).name, image: release.image }] } } } }, signal, 'application/strategic-merge-patch+json');
    await this.waitReady(this.o.deployment, signal);
    await this.removeCanary(signal);
  }

  /** The stable replica count the rollout started from, kept on the canary Deployment. */
  private async rollout(signal: AbortSignal | undefined): Promise<{ stableReplicas: number }> {
    const canary = await this.find<Deployment>(this.deploymentPath(this.canaryName), signal);
    if (!canary) throw new PermanentError(`there is no ${this.canaryName} Deployment in ${this.o.namespace}: no canary to move traffic to`);
    return { stableReplicas: Number(canary.metadata.annotations?.[STABLE_REPLICAS] ?? 1) };
  }

  private canaryFrom(stable: Deployment, stableReplicas: number): Deployment {
    const labels = { ...stable.spec.template.metadata?.labels, track: 'canary' };
    const containerName = this.container(stable).name;
    return {
      metadata: {
        name: this.canaryName, namespace: this.o.namespace,
        labels: { ...stable.metadata.labels, track: 'canary' },
        annotations: { [STABLE_REPLICAS]: String(stableReplicas), 'deploy-actions.dev/version': this.o.release.version },
      },
      spec: {
        ...stable.spec,
        selector: { matchLabels: { ...stable.spec.selector.matchLabels, track: 'canary' } },
        template: {
          ...stable.spec.template,
          metadata: { ...stable.spec.template.metadata, labels },
          spec: { ...stable.spec.template.spec, containers: stable.spec.template.spec.containers.map((c) => (c.name === containerName ? { ...c, image: this.o.release.image } : c)) },
        },
      },
    };
  }

  private container(deployment: Deployment): Container {
    const containers = deployment.spec.template.spec.containers;
    const found = this.o.container ? containers.find((c) => c.name === this.o.container) : containers[0];
    if (!found) throw new PermanentError(`Deployment ${deployment.metadata.name} has no container '${this.o.container}' (it has ${containers.map((c) => c.name).join(', ')})`);
    return found;
  }

  /** The canary's share: replica ratio, or the weight the route gives the canary Service. */
  private async currentWeight(stable: Deployment, canary: Deployment, signal: AbortSignal | undefined): Promise<number> {
    if (this.o.traffic === 'replicas') {
      const c = canary.spec.replicas ?? 0;
      const s = stable.spec.replicas ?? 0;
      return c + s ? Math.round((100 * c) / (c + s)) : 0;
    }
    if (this.o.traffic === 'nginx-ingress') {
      const ingress = await this.find<{ metadata: { annotations?: Record<string, string> } }>(this.ingressPath(`${this.o.route}-canary`), signal);
      return Number(ingress?.metadata.annotations?.['nginx.ingress.kubernetes.io/canary-weight'] ?? 0);
    }
    const route = await this.get<Record<string, any>>(this.routePath(), signal);
    const refs: Array<{ name?: string; host?: string; weight?: number }> = this.o.traffic === 'gateway'
      ? (route.spec?.rules ?? []).flatMap((r: any) => r.backendRefs ?? [])
      : (route.spec?.http ?? []).flatMap((r: any) => (r.route ?? []).map((d: any) => ({ host: d.destination?.host, weight: d.weight })));
    return refs.find((r) => (r.name ?? r.host?.split('.')[0]) === this.canaryService)?.weight ?? 0;
  }

  private routePath(): string {
    return this.o.traffic === 'gateway'
      ? `/apis/gateway.networking.k8s.io/v1/namespaces/${this.o.namespace}/httproutes/${this.o.route}`
      : `/apis/networking.istio.io/v1/namespaces/${this.o.namespace}/virtualservices/${this.o.route}`;
  }

  private ingressPath(name = ''): string {
    return `/apis/networking.k8s.io/v1/namespaces/${this.o.namespace}/ingresses${name ? `/${name}` : ''}`;
  }

  /** Sends `percent` to the canary Service through the route; 0 means all on stable. */
  private async route(percent: number, signal: AbortSignal | undefined): Promise<void> {
    if (this.o.traffic === 'gateway') {
      const route = await this.get<Record<string, any>>(this.routePath(), signal);
      const rules = (route.spec?.rules ?? []).map((rule: any) => {
        const refs: any[] = (rule.backendRefs ?? []).filter((r: any) => r.name !== this.canaryService);
        const stable = refs.find((r) => r.name === this.stableService);
        if (!stable) return rule;
        return { ...rule, backendRefs: [...refs.map((r) => (r === stable ? { ...r, weight: 100 - percent } : r)), { ...stable, name: this.canaryService, weight: percent }] };
      });
      if (!rules.some((r: any) => r.backendRefs?.some((b: any) => b.name === this.canaryService))) throw new PermanentError(`HTTPRoute ${this.o.route} has no backendRef to Service ${this.stableService}; set \`kubernetes-service\``);
      await this.patch(this.routePath(), { spec: { rules } }, signal);
    } else if (this.o.traffic === 'istio') {
      const vs = await this.get<Record<string, any>>(this.routePath(), signal);
      const host = (h: string | undefined) => h?.split('.')[0];
      const http = (vs.spec?.http ?? []).map((rule: any) => {
        const routes: any[] = (rule.route ?? []).filter((d: any) => host(d.destination?.host) !== this.canaryService);
        const stable = routes.find((d) => host(d.destination?.host) === this.stableService);
        if (!stable) return rule;
        const canaryHost = String(stable.destination.host).replace(this.stableService, this.canaryService);
        return { ...rule, route: [...routes.map((d) => (d === stable ? { ...d, weight: 100 - percent } : d)), { ...stable, destination: { ...stable.destination, host: canaryHost }, weight: percent }] };
      });
      if (!http.some((r: any) => r.route?.some((d: any) => host(d.destination?.host) === this.canaryService))) throw new PermanentError(`VirtualService ${this.o.route} has no route to host ${this.stableService}; set \`kubernetes-service\``);
      await this.patch(this.routePath(), { spec: { http } }, signal);
    } else if (this.o.traffic === 'nginx-ingress') {
      const name = `${this.o.route}-canary`;
      if (percent === 0 && !(await this.find(this.ingressPath(name), signal))) return;
      const main = await this.get<Record<string, any>>(this.ingressPath(this.o.route), signal);
      const swap = (backend: any) => (backend?.service?.name === this.stableService ? { ...backend, service: { ...backend.service, name: this.canaryService } } : backend);
      const canary = {
        apiVersion: 'networking.k8s.io/v1', kind: 'Ingress',
        metadata: { name, namespace: this.o.namespace, annotations: { ...main.metadata?.annotations, 'nginx.ingress.kubernetes.io/canary': 'true', 'nginx.ingress.kubernetes.io/canary-weight': String(percent) } },
        spec: { ...main.spec, rules: (main.spec?.rules ?? []).map((r: any) => ({ ...r, http: { ...r.http, paths: (r.http?.paths ?? []).map((p: any) => ({ ...p, backend: swap(p.backend) })) } })) },
      };
      await this.apply(this.ingressPath(), name, canary, signal);
    }
  }

  /** A Service like the stable one, selecting the canary pods (mesh modes route to it by name). */
  private async ensureCanaryService(signal: AbortSignal): Promise<void> {
    const path = `/api/v1/namespaces/${this.o.namespace}/services`;
    const stable = await this.get<Record<string, any>>(`${path}/${this.stableService}`, signal);
    await this.apply(path, this.canaryService, {
      apiVersion: 'v1', kind: 'Service',
      metadata: { name: this.canaryService, namespace: this.o.namespace, labels: { ...stable.metadata?.labels, track: 'canary' } },
      spec: { ports: stable.spec?.ports, selector: { ...stable.spec?.selector, track: 'canary' }, type: 'ClusterIP' },
    }, signal);
  }

  private async removeCanary(signal: AbortSignal | undefined): Promise<void> {
    await this.remove(this.deploymentPath(this.canaryName), signal);
    if (this.o.traffic === 'nginx-ingress') await this.remove(this.ingressPath(`${this.o.route}-canary`), signal);
    if (this.o.traffic !== 'replicas') await this.remove(`/api/v1/namespaces/${this.o.namespace}/services/${this.canaryService}`, signal);
  }

  private async scale(name: string, replicas: number, signal: AbortSignal | undefined): Promise<void> {
    await this.patch(this.deploymentPath(name), { spec: { replicas } }, signal);
  }

  /**
   * Watches the Deployment until its rollout is complete (observed, updated, available), checking its
   * pods between events so a pod that cannot start fails the wait at once with its reason.
   */
  private async waitReady(name: string, signal: AbortSignal | undefined): Promise<void> {
    const started = this.clock.now();
    const deadline = started + this.o.readyTimeoutMs;
    for (;;) {
      const d = await this.get<Deployment>(this.deploymentPath(name), signal);
      const want = d.spec.replicas ?? 1;
      const s = d.status ?? {};
      if ((s.observedGeneration ?? 0) >= (d.metadata.generation ?? 0) && (s.updatedReplicas ?? 0) >= want && (s.availableReplicas ?? 0) >= want && (s.replicas ?? 0) === want) {
        this.o.log.info(`${name}: ${want} replica(s) ready (${formatDuration(this.clock.now() - started)})`);
        return;
      }
      const stuck = d.status?.conditions?.find((c) => c.type === 'Progressing' && c.reason === 'ProgressDeadlineExceeded');
      if (stuck) throw new PermanentError(`${name}: ${stuck.message ?? 'progress deadline exceeded'}`);
      await this.checkPods(d, signal);
      if (this.clock.now() > deadline) throw new PermanentError(`${name} was not ready within ${formatDuration(this.o.readyTimeoutMs)} (${s.availableReplicas ?? 0}/${want} available)`);
      await this.watchOnce(name, d.metadata.resourceVersion, Math.min(deadline - this.clock.now(), 5_000), signal);
    }
  }

  /** Waits for the next change to the Deployment (a watch), or the timeout, whichever comes first. */
  private async watchOnce(name: string, resourceVersion: string | undefined, timeoutMs: number, signal: AbortSignal | undefined): Promise<void> {
    const seconds = Math.max(1, Math.ceil(timeoutMs / 1000));
    const controller = new AbortController();
    const onAbort = () => controller.abort(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      await this.o.http({
        ...this.requestBase(`${this.deploymentPath()}?watch=true&fieldSelector=${encodeURIComponent(`metadata.name=${name}`)}&timeoutSeconds=${seconds}${resourceVersion ? `&resourceVersion=${resourceVersion}` : ''}`, 'GET'),
        timeoutMs: seconds * 1000 + 5_000, signal: controller.signal,
        // Any event is reason to look again; the watch is closed as soon as one arrives.
        onData: () => controller.abort(),
      });
    } catch (error) {
      if (signal?.aborted) throw error;
      if (!controller.signal.aborted) await this.clock.sleep(this.o.pollIntervalMs ?? 1000, signal); // a dropped watch: fall back to polling
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  private async checkPods(d: Deployment, signal: AbortSignal | undefined): Promise<void> {
    const selector = Object.entries(d.spec.selector.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`).join(',');
    const pods = await this.get<{ items: Pod[] }>(`/api/v1/namespaces/${this.o.namespace}/pods?labelSelector=${encodeURIComponent(selector)}`, signal);
    for (const pod of pods.items) {
      for (const status of pod.status?.containerStatuses ?? []) {
        const waiting = status.state?.waiting;
        if (waiting?.reason && FATAL_REASONS.has(waiting.reason)) {
          throw new PermanentError(`${d.metadata.name}: pod ${pod.metadata.name} container ${status.name} is ${waiting.reason}${waiting.message ? `: ${waiting.message}` : ''}`);
        }
      }
      const unschedulable = pod.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.reason === 'Unschedulable');
      if (unschedulable) throw new PermanentError(`${d.metadata.name}: pod ${pod.metadata.name} cannot be scheduled: ${unschedulable.message ?? 'Unschedulable'}`);
    }
  }

  /** Create, or replace when it already exists (a re-run, or a canary left by an aborted rollout). */
  private async apply(collection: string, name: string, object: object, signal: AbortSignal | undefined): Promise<void> {
    const existing = await this.find<{ metadata: { resourceVersion?: string } }>(`${collection}/${name}`, signal);
    if (!existing) {
      await this.call('POST', collection, signal, object);
      return;
    }
    const withVersion = { ...object, metadata: { ...(object as { metadata: object }).metadata, resourceVersion: existing.metadata.resourceVersion } };
    await this.call('PUT', `${collection}/${name}`, signal, withVersion);
  }

  private get<T>(path: string, signal: AbortSignal | undefined): Promise<T> {
    return this.call('GET', path, signal) as Promise<T>;
  }

  private async find<T>(path: string, signal: AbortSignal | undefined): Promise<T | undefined> {
    try {
      return await this.get<T>(path, signal);
    } catch (error) {
      if ((error as { status?: number }).status === 404) return undefined;
      throw error;
    }
  }

  private patch(path: string, body: object, signal: AbortSignal | undefined, type = 'application/merge-patch+json'): Promise<unknown> {
    return this.call('PATCH', path, signal, body, type);
  }

  private async remove(path: string, signal: AbortSignal | undefined): Promise<void> {
    try {
      await this.call('DELETE', path, signal);
    } catch (error) {
      if ((error as { status?: number }).status !== 404) throw error;
    }
  }

  private requestBase(path: string, method: string): HttpRequest {
    const c = this.o.cluster;
    const headers: Record<string, string> = { accept: 'application/json' };
    if (c.token) headers.authorization = `Bearer ${c.token}`;
    else if (c.basic) headers.authorization = `Basic ${Buffer.from(`${c.basic.username}:${c.basic.password}`).toString('base64')}`;
    return { url: `${c.server}${path}`, method, headers, ca: c.ca, cert: c.cert, key: c.key, insecure: c.insecure };
  }

  /** One API call: 429/5xx and network faults retried with backoff; 401/403 explained. */
  private call(method: string, path: string, signal: AbortSignal | undefined, body?: unknown, contentType = 'application/json'): Promise<unknown> {
    const what = `${method} ${path.split('?')[0]}`;
    return retry(async () => {
      const base = this.requestBase(path, method);
      const response = await this.o.http({
        ...base, signal, timeoutMs: 30_000,
        headers: { ...base.headers, ...(body === undefined ? {} : { 'content-type': contentType }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      if (response.status >= 200 && response.status < 300) return response.body.length ? response.json() : undefined;
      throw kubeError(response, what);
    }, {
      timeoutMs: API_DEADLINE_MS, what: `Kubernetes ${what}`, signal, clock: this.clock,
      onRetry: ({ error, delayMs }) => this.o.log.info(`${oneLine(error)}; retrying in ${formatDuration(delayMs)}`),
      delayHint: (e) => (e as { retryAfterMs?: number }).retryAfterMs,
    });
  }
}

/** A metav1.Status error in the words a person acts on; 404 keeps its status for find(). */
function kubeError(response: HttpResponse, what: string): Error {
  let message = '';
  try { message = (response.json() as { message?: string }).message ?? ''; } catch { /* not JSON */ }
  if (response.status === 401) {
    return new PermanentError(`Kubernetes ${what}: the cluster rejected the credentials (401 ${message || 'Unauthorized'}): the kubeconfig's token has expired or was revoked; refresh it in this job (aws eks update-kubeconfig, google-github-actions/get-gke-credentials, azure/aks-set-context) or pass a fresh \`kubeconfig\``);
  }
  if (response.status === 403) return new PermanentError(`Kubernetes ${what}: forbidden (${message}); give the deployer the Role in docs/platforms/kubernetes.md`);
  if (RETRYABLE_STATUSES.has(response.status)) return statusError(response, `Kubernetes ${what}`);
  const error = new PermanentError(`Kubernetes ${what}: HTTP ${response.status}${message ? ` ${message}` : ''}`);
  return Object.assign(error, { status: response.status });
}
