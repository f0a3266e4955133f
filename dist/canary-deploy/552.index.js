export const id = 552;
export const ids = [552];
export const modules = {

/***/ 6552:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   KubernetesTarget: () => (/* binding */ KubernetesTarget)
/* harmony export */ });
/* harmony import */ var _deploy_actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7926);
// Kubernetes through its REST API. The canary is a second Deployment (<name>-canary) made from the
// stable one with the new image and `track: canary` on its pods. Traffic is split by replica ratio
// (no mesh), Gateway API HTTPRoute backend weights, Istio VirtualService weights, or an NGINX ingress
// canary. Promotion rolls the stable Deployment to the new image and removes the canary.

/** Waiting reasons that will not fix themselves: reported at once instead of waiting out the deadline. */
const FATAL_REASONS = new Set(['ImagePullBackOff', 'ErrImagePull', 'InvalidImageName', 'CrashLoopBackOff', 'CreateContainerConfigError', 'CreateContainerError', 'RunContainerError']);
const API_DEADLINE_MS = 120_000;
/** On the canary Deployment: the stable replica count before the rollout, for later jobs and the post step. */
const STABLE_REPLICAS = 'deploy-actions.dev/stable-replicas';
class KubernetesTarget {
    o;
    kind = 'release';
    clock;
    constructor(o) {
        this.o = o;
        this.clock = o.clock ?? _deploy_actions_core__WEBPACK_IMPORTED_MODULE_0__/* .systemClock */ .ml;
        if (o.traffic !== 'replicas' && !o.route)
            throw new _deploy_actions_core__WEBPACK_IMPORTED_MODULE_0__/* .PermanentError */ .Dr(`traffic ${o.traffic} needs the route to change: pass \`kubernetes-route\``);
    }
    get canaryName() { return `${this.o.deployment}-canary`; }
    get stableService() { return this.o.service ?? this.o.deployment; }
    get canaryService() { return `${this.stableService}-canary`; }
    deploymentPath(name = '') { return `/apis/apps/v1/namespaces/${this.o.namespace}/deployments${name ? `/${name}` : ''}`; }
    async describe(signal) {
        const stable = await this.get(this.deploymentPath(this.o.deployment), signal);
        const state = { stable: { image: this.container(stable).image } };
        const canary = await this.find(this.deploymentPath(this.canaryName), signal);
        if (canary) {
            const weight = await this.currentWeight(stable, canary, signal);
            if (weight > 0 || (canary.spec.replicas ?? 0) > 0)
                state.canary = { image: this.container(canary).image, weight };
        }
        return state;
    }
    async deployCanary(signal) {
        const stable = await this.get(this.deploymentPath(this.o.deployment), signal);
        const stableReplicas = Number((await this.find(this.deploymentPath(this.canaryName), signal))?.metadata.annotations?.[STABLE_REPLICAS] ?? stable.spec.replicas ?? 1);
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
    async setWeight(percent, signal) {
        const { stableReplicas } = await this.rollout(signal);
        const canaryReplicas = this.o.traffic === 'replicas'
            ? Math.min(stableReplicas - 1, Math.max(1, Math.round((stableReplicas * percent) / 100)))
            : Math.max(1, Math.ceil((stableReplicas * percent) / 100));
        if (this.o.traffic === 'replicas' && stableReplicas < 2)
            throw new _deploy_actions_core__WEBPACK_IMPORTED_MODULE_0__/* .PermanentError */ .Dr(`${this.o.deployment} has ${stableReplicas} replica; splitting traffic by replicas needs at least 2 (or use steps: 100, or a gateway/istio/nginx-ingress split)`);
        // Capacity first: the canary scales up and is ready before traffic or stable pods move.
        await this.scale(this.canaryName, canaryReplicas, signal);
        await this.waitReady(this.canaryName, signal);
        if (this.o.traffic === 'replicas') {
            await this.scale(this.o.deployment, stableReplicas - canaryReplicas, signal);
            this.o.log.info(`replicas: ${stableReplicas - canaryReplicas} stable, ${canaryReplicas} canary (~${Math.round((100 * canaryReplicas) / stableReplicas)}% of traffic)`);
        }
        else {
            await this.route(percent, signal);
        }
    }
    /** Stable takes the new image (a rolling update), then all traffic; the canary goes away. */
    async promote(signal) {
        const { stableReplicas } = await this.rollout(signal);
        const containerName = this.container(await this.get(this.deploymentPath(this.o.deployment), signal)).name;
        await this.patch(this.deploymentPath(this.o.deployment), { spec: { replicas: stableReplicas, template: { spec: { containers: [{ name: containerName, image: this.o.release.image }] } } } }, signal, 'application/strategic-merge-patch+json');
        await this.waitReady(this.o.deployment, signal);
        if (this.o.traffic !== 'replicas')
            await this.route(0, signal);
        await this.removeCanary(signal);
    }
    /** All traffic on stable at its full size, the canary scaled to 0. No signal: it must finish. */
    async abort() {
        const canary = await this.find(this.deploymentPath(this.canaryName), undefined);
        if (this.o.traffic !== 'replicas')
            await this.route(0, undefined);
        const stableReplicas = Number(canary?.metadata.annotations?.[STABLE_REPLICAS] ?? 0);
        if (stableReplicas)
            await this.scale(this.o.deployment, stableReplicas, undefined);
        if (canary)
            await this.scale(this.canaryName, 0, undefined);
    }
    /** Stable back on that image (the ReplicaSet is usually still there, so it is quick), canary removed. */
    async rollbackTo(release, signal) {
        await this.abort();
        const stable = await this.get(this.deploymentPath(this.o.deployment), signal);
        await this.patch(this.deploymentPath(this.o.deployment), { spec: { template: { spec: { containers: [{ name: this.container(stable).name, image: release.image }] } } } }, signal, 'application/strategic-merge-patch+json');
        await this.waitReady(this.o.deployment, signal);
        await this.removeCanary(signal);
    }
    /** The stable replica count the rollout started from, kept on the canary Deployment. */
    async rollout(signal) {
        const canary = await this.find(this.deploymentPath(this.canaryName), signal);
        if (!canary)
            throw new _deploy_actions_core__WEBPACK_IMPORTED_MODULE_0__/* .PermanentError */ .Dr(`there is no ${this.canaryName} Deployment in ${this.o.namespace}: no canary to move traffic to`);
        return { stableReplicas: Number(canary.metadata.annotations?.[STABLE_REPLICAS] ?? 1) };
    }
    canaryFrom(stable, stableReplicas) {
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
    container(deployment) {
        const containers = deployment.spec.template.spec.containers;
        const found = this.o.container ? containers.find((c) => c.name === this.o.container) : containers[0];
        if (!found)
            throw new _deploy_actions_core__WEBPACK_IMPORTED_MODULE_0__/* .PermanentError */ .Dr(`Deployment ${deployment.metadata.name} has no container '${this.o.container}' (it has ${containers.map((c) => c.name).join(', ')})`);
        return found;
    }
    /** The canary's share: replica ratio, or the weight the route gives the canary Service. */
    async currentWeight(stable, canary, signal) {
        if (this.o.traffic === 'replicas') {
            const c = canary.spec.replicas ?? 0;
            const s = stable.spec.replicas ?? 0;
            return c + s ? Math.round((100 * c) / (c + s)) : 0;
        }
        if (this.o.traffic === 'nginx-ingress') {
            const ingress = await this.find(this.ingressPath(`${this.o.route}-canary`), signal);
            return Number(ingress?.metadata.annotations?.['nginx.ingress.kubernetes.io/canary-weight'] ?? 0);
        }
        const route = await this.get(this.routePath(), signal);
        const refs = this.o.traffic === 'gateway'
            ? (route.spec?.rules ?? []).flatMap((r) => r.backendRefs ?? [])
            : (route.spec?.http ?? []).flatMap((r) => (r.route ?? []).map((d) => ({ host: d.destination?.host, weight: d.weight })));
        return refs.find((r) => (r.name ?? r.host?.split('.')[0]) === this.canaryService)?.weight ?? 0;
    }
    routePath() {
        return this.o.traffic === 'gateway'
            ? `/apis/gateway.networking.k8s.io/v1/namespaces/${this.o.namespace}/httproutes/${this.o.route}`
            : `/apis/networking.istio.io/v1/namespaces/${this.o.namespace}/virtualservices/${this.o.route}`;
    }
    ingressPath(name = '') {
        return `/apis/networking.k8s.io/v1/namespaces/${this.o.namespace}/ingresses${name ? `/${name}` : ''}`;
    }
    /** Sends `percent` to the canary Service through the route; 0 means all on stable. */
    async route(percent, signal) {
        if (this.o.traffic === 'gateway') {
            const route = await this.get(this.routePath(), signal);
            const rules = (route.spec?.rules ?? []).map((rule) => {
                const refs = (rule.backendRefs ?? []).filter((r) => r.name !== this.canaryService);
                const stable = refs.find((r) => r.name === this.stableService);
                if (!stable)
                    return rule;
                return { ...rule, backendRefs: [...refs.map((r) => (r === stable ? { ...r, weight: 100 - percent } : r)), { ...stable, name: this.canaryService, weight: percent }] };
            });
            if (!rules.some((r) => r.backendRefs?.some((b) => b.name === this.canaryService)))
                throw new _deploy_actions_core__WEBPACK_IMPORTED_MODULE_0__/* .PermanentError */ .Dr(`HTTPRoute ${this.o.route} has no backendRef to Service ${this.stableService}; set \`kubernetes-service\``);
            await this.patch(this.routePath(), { spec: { rules } }, signal);
        }
        else if (this.o.traffic === 'istio') {
            const vs = await this.get(this.routePath(), signal);
            const host = (h) => h?.split('.')[0];
            const http = (vs.spec?.http ?? []).map((rule) => {
                const routes = (rule.route ?? []).filter((d) => host(d.destination?.host) !== this.canaryService);
                const stable = routes.find((d) => host(d.destination?.host) === this.stableService);
                if (!stable)
                    return rule;
                const canaryHost = String(stable.destination.host).replace(this.stableService, this.canaryService);
                return { ...rule, route: [...routes.map((d) => (d === stable ? { ...d, weight: 100 - percent } : d)), { ...stable, destination: { ...stable.destination, host: canaryHost }, weight: percent }] };
            });
            if (!http.some((r) => r.route?.some((d) => host(d.destination?.host) === this.canaryService)))
                throw new _deploy_actions_core__WEBPACK_IMPORTED_MODULE_0__/* .PermanentError */ .Dr(`VirtualService ${this.o.route} has no route to host ${this.stableService}; set \`kubernetes-service\``);
            await this.patch(this.routePath(), { spec: { http } }, signal);
        }
        else if (this.o.traffic === 'nginx-ingress') {
            const name = `${this.o.route}-canary`;
            if (percent === 0 && !(await this.find(this.ingressPath(name), signal)))
                return;
            const main = await this.get(this.ingressPath(this.o.route), signal);
            const swap = (backend) => (backend?.service?.name === this.stableService ? { ...backend, service: { ...backend.service, name: this.canaryService } } : backend);
            const canary = {
                apiVersion: 'networking.k8s.io/v1', kind: 'Ingress',
                metadata: { name, namespace: this.o.namespace, annotations: { ...main.metadata?.annotations, 'nginx.ingress.kubernetes.io/canary': 'true', 'nginx.ingress.kubernetes.io/canary-weight': String(percent) } },
                spec: { ...main.spec, rules: (main.spec?.rules ?? []).map((r) => ({ ...r, http: { ...r.http, paths: (r.http?.paths ?? []).map((p) => ({ ...p, backend: swap(p.backend) })) } })) },
            };
            await this.apply(this.ingressPath(), name, canary, signal);
        }
    }
    /** A Service like the stable one, selecting the canary pods (mesh modes route to it by name). */
    async ensureCanaryService(signal) {
        const path = `/api/v1/namespaces/${this.o.namespace}/services`;
        const stable = await this.get(`${path}/${this.stableService}`, signal);
        await this.apply(path, this.canaryService, {
            apiVersion: 'v1', kind: 'Service',
            metadata: { name: this.canaryService, namespace: this.o.namespace, labels: { ...stable.metadata?.labels, track: 'canary' } },
            spec: { ports: stable.spec?.ports, selector: { ...stable.spec?.selector, track: 'canary' }, type: 'ClusterIP' },
        }, signal);
    }
    async removeCanary(signal) {
        await this.remove(this.deploymentPath(this.canaryName), signal);
        if (this.o.traffic === 'nginx-ingress')
            await this.remove(this.ingressPath(`${this.o.route}-canary`), signal);
        if (this.o.traffic !== 'replicas')
            await this.remove(`/api/v1/namespaces/${this.o.namespace}/services/${this.canaryService}`, signal);
    }
    async scale(name, replicas, signal) {
        await this.patch(this.deploymentPath(name), { spec: { replicas } }, signal);
    }
    /**
     * Watches the Deployment until its rollout is complete (observed, updated, available), checking its
     * pods between events so a pod that cannot start fails the wait at once with its reason.
     */
    async waitReady(name, signal) {
        const started = this.clock.now();
        const deadline = started + this.o.readyTimeoutMs;
        for (;;) {
            const d = await this.get(this.deploymentPath(name), signal);
            const want = d.spec.replicas ?? 1;
            const s = d.status ?? {};
            if ((s.observedGeneration ?? 0) >= (d.metadata.generation ?? 0) && (s.updatedReplicas ?? 0) >= want && (s.availableReplicas ?? 0) >= want && (s.replicas ?? 0) === want) {
                this.o.log.info(`${name}: ${want} replica(s) ready (${(0,_deploy_actions_core__WEBPACK_IMPORTED_MODULE_0__/* .formatDuration */ .a3)(this.clock.now() - started)})`);
                return;
            }
            const stuck = d.status?.conditions?.find((c) => c.type === 'Progressing' && c.reason === 'ProgressDeadlineExceeded');
            if (stuck)
                throw new _deploy_actions_core__WEBPACK_IMPORTED_MODULE_0__/* .PermanentError */ .Dr(`${name}: ${stuck.message ?? 'progress deadline exceeded'}`);
            await this.checkPods(d, signal);
            if (this.clock.now() > deadline)
                throw new _deploy_actions_core__WEBPACK_IMPORTED_MODULE_0__/* .PermanentError */ .Dr(`${name} was not ready within ${(0,_deploy_actions_core__WEBPACK_IMPORTED_MODULE_0__/* .formatDuration */ .a3)(this.o.readyTimeoutMs)} (${s.availableReplicas ?? 0}/${want} available)`);
            await this.watchOnce(name, d.metadata.resourceVersion, Math.min(deadline - this.clock.now(), 5_000), signal);
        }
    }
    /** Waits for the next change to the Deployment (a watch), or the timeout, whichever comes first. */
    async watchOnce(name, resourceVersion, timeoutMs, signal) {
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
        }
        catch (error) {
            if (signal?.aborted)
                throw error;
            if (!controller.signal.aborted)
                await this.clock.sleep(this.o.pollIntervalMs ?? 1000, signal); // a dropped watch: fall back to polling
        }
        finally {
            signal?.removeEventListener('abort', onAbort);
        }
    }
    async checkPods(d, signal) {
        const selector = Object.entries(d.spec.selector.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`).join(',');
        const pods = await this.get(`/api/v1/namespaces/${this.o.namespace}/pods?labelSelector=${encodeURIComponent(selector)}`, signal);
        for (const pod of pods.items) {
            for (const status of pod.status?.containerStatuses ?? []) {
                const waiting = status.state?.waiting;
                if (waiting?.reason && FATAL_REASONS.has(waiting.reason)) {
                    throw new _deploy_actions_core__WEBPACK_IMPORTED_MODULE_0__/* .PermanentError */ .Dr(`${d.metadata.name}: pod ${pod.metadata.name} container ${status.name} is ${waiting.reason}${waiting.message ? `: ${waiting.message}` : ''}`);
                }
            }
            const unschedulable = pod.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.reason === 'Unschedulable');
            if (unschedulable)
                throw new _deploy_actions_core__WEBPACK_IMPORTED_MODULE_0__/* .PermanentError */ .Dr(`${d.metadata.name}: pod ${pod.metadata.name} cannot be scheduled: ${unschedulable.message ?? 'Unschedulable'}`);
        }
    }
    /** Create, or replace when it already exists (a re-run, or a canary left by an aborted rollout). */
    async apply(collection, name, object, signal) {
        const existing = await this.find(`${collection}/${name}`, signal);
        if (!existing) {
            await this.call('POST', collection, signal, object);
            return;
        }
        const withVersion = { ...object, metadata: { ...object.metadata, resourceVersion: existing.metadata.resourceVersion } };
        await this.call('PUT', `${collection}/${name}`, signal, withVersion);
    }
    get(path, signal) {
        return this.call('GET', path, signal);
    }
    async find(path, signal) {
        try {
            return await this.get(path, signal);
        }
        catch (error) {
            if (error.status === 404)
                return undefined;
            throw error;
        }
    }
    patch(path, body, signal, type = 'application/merge-patch+json') {
        return this.call('PATCH', path, signal, body, type);
    }
    async remove(path, signal) {
        try {
            await this.call('DELETE', path, signal);
        }
        catch (error) {
            if (error.status !== 404)
                throw error;
        }
    }
    requestBase(path, method) {
        const c = this.o.cluster;
        const headers = { accept: 'application/json' };
        if (c.token)
            headers.authorization = `Bearer ${c.token}`;
        else if (c.basic)
            headers.authorization = `Basic ${Buffer.from(`${c.basic.username}:${c.basic.password}`).toString('base64')}`;
        return { url: `${c.server}${path}`, method, headers, ca: c.ca, cert: c.cert, key: c.key, insecure: c.insecure };
    }
    /** One API call: 429/5xx and network faults retried with backoff; 401/403 explained. */
    call(method, path, signal, body, contentType = 'application/json') {
        const what = `${method} ${path.split('?')[0]}`;
        return (0,_deploy_actions_core__WEBPACK_IMPORTED_MODULE_0__/* .retry */ .L5)(async () => {
            const base = this.requestBase(path, method);
            const response = await this.o.http({
                ...base, signal, timeoutMs: 30_000,
                headers: { ...base.headers, ...(body === undefined ? {} : { 'content-type': contentType }) },
                body: body === undefined ? undefined : JSON.stringify(body),
            });
            if (response.status >= 200 && response.status < 300)
                return response.body.length ? response.json() : undefined;
            throw kubeError(response, what);
        }, {
            timeoutMs: API_DEADLINE_MS, what: `Kubernetes ${what}`, signal, clock: this.clock,
            onRetry: ({ error, delayMs }) => this.o.log.info(`${(0,_deploy_actions_core__WEBPACK_IMPORTED_MODULE_0__/* .oneLine */ .TN)(error)}; retrying in ${(0,_deploy_actions_core__WEBPACK_IMPORTED_MODULE_0__/* .formatDuration */ .a3)(delayMs)}`),
            delayHint: (e) => e.retryAfterMs,
        });
    }
}
/** A metav1.Status error in the words a person acts on; 404 keeps its status for find(). */
function kubeError(response, what) {
    let message = '';
    try {
        message = response.json().message ?? '';
    }
    catch { /* not JSON */ }
    if (response.status === 401) {
        return new _deploy_actions_core__WEBPACK_IMPORTED_MODULE_0__/* .PermanentError */ .Dr(`Kubernetes ${what}: the cluster rejected the credentials (401 ${message || 'Unauthorized'}): the kubeconfig's token has expired or was revoked; refresh it in this job (aws eks update-kubeconfig, google-github-actions/get-gke-credentials, azure/aks-set-context) or pass a fresh \`kubeconfig\``);
    }
    if (response.status === 403)
        return new _deploy_actions_core__WEBPACK_IMPORTED_MODULE_0__/* .PermanentError */ .Dr(`Kubernetes ${what}: forbidden (${message}); give the deployer the Role in docs/platforms/kubernetes.md`);
    if (_deploy_actions_core__WEBPACK_IMPORTED_MODULE_0__/* .RETRYABLE_STATUSES */ .U3.has(response.status))
        return (0,_deploy_actions_core__WEBPACK_IMPORTED_MODULE_0__/* .statusError */ .$C)(response, `Kubernetes ${what}`);
    const error = new _deploy_actions_core__WEBPACK_IMPORTED_MODULE_0__/* .PermanentError */ .Dr(`Kubernetes ${what}: HTTP ${response.status}${message ? ` ${message}` : ''}`);
    return Object.assign(error, { status: response.status });
}


/***/ })

};
