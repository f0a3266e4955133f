export const id = 552;
export const ids = [552];
export const modules = {

/***/ 6552:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   KubernetesTarget: () => (/* binding */ KubernetesTarget)
/* harmony export */ });
/* harmony import */ var _deploy_actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(9417);
// Kubernetes through its REST API. The canary is a second Deployment (<name>-canary) made from the
// stable one with the new image and `track: canary` on its pods. Traffic is split by replica ratio
// (no mesh), Gateway API HTTPRoute backend weights, Istio VirtualService weights, or an NGINX ingress
// canary. Promotion rolls the stable Deployment to the new image and removes the canary.

/** replicas mode: the canary's pods for `percent` of `total` (at least one, and one fewer than all). */
function canaryPods(total, percent) {
    return Math.min(total - 1, Math.max(1, Math.round((total * percent) / 100)));
}
/** Waiting reasons that will not fix themselves: reported at once instead of waiting out the deadline. */
const FATAL_REASONS = new Set([
    'ImagePullBackOff',
    'ErrImagePull',
    'InvalidImageName',
    'CrashLoopBackOff',
    'CreateContainerConfigError',
    'CreateContainerError',
    'RunContainerError',
]);
const API_DEADLINE_MS = 120_000;
/** On the canary Deployment: the stable replica count before the rollout, for later jobs and the post step. */
const STABLE_REPLICAS = 'deploy-actions.dev/stable-replicas';
class KubernetesTarget {
    o;
    kind = 'release';
    clock;
    token;
    tokenExpiresAt;
    refreshing;
    /** The networking.istio.io version the cluster serves (v1 from Istio 1.22, else v1beta1), once asked. */
    istioVersion;
    /** replicas mode: the stable replica count the last setWeight split between stable and canary. */
    splitReplicas;
    constructor(o) {
        this.o = o;
        this.clock = o.clock ?? _deploy_actions_core__WEBPACK_IMPORTED_MODULE_0__/* .systemClock */ .ml;
        this.token = o.cluster.token;
        this.tokenExpiresAt = o.cluster.tokenExpiresAt;
        if (o.traffic !== 'replicas' && !o.route)
            throw new _deploy_actions_core__WEBPACK_IMPORTED_MODULE_0__/* .PermanentError */ .Dr(`traffic ${o.traffic} needs the route to change: pass \`kubernetes-route\``);
    }
    get canaryName() {
        return `${this.o.deployment}-canary`;
    }
    get stableService() {
        return this.o.service ?? this.o.deployment;
    }
    get canaryService() {
        return `${this.stableService}-canary`;
    }
    /** An API path from a group/version and segments; each segment is encoded, so a name is never more than one. */
    apiPath(groupVersion, resource, name = '') {
        return `/${groupVersion}/namespaces/${encodeURIComponent(this.o.namespace)}/${resource}${name ? `/${encodeURIComponent(name)}` : ''}`;
    }
    deploymentPath(name = '') {
        return this.apiPath('apis/apps/v1', 'deployments', name);
    }
    servicePath(name = '') {
        return this.apiPath('api/v1', 'services', name);
    }
    async describe(signal) {
        const stable = await this.get(this.deploymentPath(this.o.deployment), signal);
        const state = { stable: { image: this.container(stable).image } };
        const canary = await this.find(this.deploymentPath(this.canaryName), signal);
        if (canary) {
            const weight = await this.currentWeight(stable, canary, signal);
            if (weight > 0 || (canary.spec.replicas ?? 0) > 0)
                state.canary = {
                    image: this.container(canary).image,
                    weight,
                    // The API server leaves readyReplicas out when it is 0. setWeight and deployCanary return only
                    // once the pods are available (so ready), so a step never starts on a count that lags.
                    instances: {
                        ready: canary.status?.readyReplicas ?? 0,
                        desired: canary.spec.replicas ?? 0,
                        noun: 'pods',
                        shareWhenNoneReady: this.o.traffic === 'replicas' ? 'stable' : 'errors',
                    },
                };
        }
        return state;
    }
    /**
     * The routes and the canary Ingress take the weight as written. By replicas the share is the pod
     * ratio setWeight made, as describe() computes it from the two Deployments' replica counts.
     */
    reportedWeight(percent) {
        if (this.o.traffic !== 'replicas')
            return percent;
        if (this.splitReplicas === undefined)
            throw new _deploy_actions_core__WEBPACK_IMPORTED_MODULE_0__/* .PermanentError */ .Dr('no canary weight has been set yet, so there is no replica split to report');
        return Math.round((100 * canaryPods(this.splitReplicas, percent)) / this.splitReplicas);
    }
    async deployCanary(signal) {
        const stable = await this.get(this.deploymentPath(this.o.deployment), signal);
        this.container(stable); // a wrong kubernetes-container fails before anything changes
        await this.labelStable(stable, signal);
        if (this.o.traffic !== 'replicas')
            await this.isolateStableService(signal);
        const stableReplicas = Number((await this.find(this.deploymentPath(this.canaryName), signal))?.metadata.annotations?.[STABLE_REPLICAS] ??
            stable.spec.replicas ??
            1);
        const canary = this.canaryFrom(stable, stableReplicas);
        // With a shared Service (replicas mode) a ready pod takes traffic at once, so the canary starts at 0 pods.
        canary.spec.replicas = this.o.traffic === 'replicas' ? 0 : 1;
        this.o.log.info(`deploying ${this.canaryName} with ${this.o.release.image} (${canary.spec.replicas} replica(s))`);
        await this.apply(this.deploymentPath(), this.canaryName, canary, signal);
        if (this.o.traffic !== 'replicas') {
            await this.ensureCanaryService(signal);
            await this.route(0, 'add', signal);
            await this.waitReady(this.canaryName, signal);
        }
    }
    async setWeight(percent, signal) {
        const { stableReplicas } = await this.rollout(signal);
        const canaryReplicas = this.o.traffic === 'replicas'
            ? canaryPods(stableReplicas, percent)
            : Math.max(1, Math.ceil((stableReplicas * percent) / 100));
        if (this.o.traffic === 'replicas' && stableReplicas < 2)
            throw new _deploy_actions_core__WEBPACK_IMPORTED_MODULE_0__/* .PermanentError */ .Dr(`${this.o.deployment} has ${stableReplicas} replica; splitting traffic by replicas needs at least 2 (or use steps: 100, or a gateway/istio/nginx-ingress split)`);
        this.splitReplicas = stableReplicas;
        // Capacity first: the canary scales up and is ready before traffic or stable pods move.
        await this.scale(this.canaryName, canaryReplicas, signal);
        await this.waitReady(this.canaryName, signal);
        if (this.o.traffic === 'replicas') {
            await this.scale(this.o.deployment, stableReplicas - canaryReplicas, signal);
            this.o.log.info(`replicas: ${stableReplicas - canaryReplicas} stable, ${canaryReplicas} canary (~${Math.round((100 * canaryReplicas) / stableReplicas)}% of traffic)`);
        }
        else {
            await this.route(percent, 'add', signal);
        }
    }
    /** Stable takes the new image (a rolling update), then all traffic; the canary goes away. */
    async promote(signal) {
        const { stableReplicas } = await this.rollout(signal);
        const containerName = this.container(await this.get(this.deploymentPath(this.o.deployment), signal)).name;
        await this.patch(this.deploymentPath(this.o.deployment), {
            spec: {
                replicas: stableReplicas,
                template: { spec: { containers: [{ name: containerName, image: this.o.release.image }] } },
            },
        }, signal, 'application/strategic-merge-patch+json');
        await this.waitReady(this.o.deployment, signal);
        await this.removeCanary(signal);
    }
    /** All traffic on stable at its full size, the canary scaled to 0. No signal: it must finish. */
    async abort() {
        const canary = await this.find(this.deploymentPath(this.canaryName), undefined);
        if (this.o.traffic !== 'replicas')
            await this.route(0, 'existing', undefined);
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
    /**
     * Stable pods carry `track: stable`, so metric selectors (and the stable Service in the routed modes)
     * can tell them from the canary's. Adding the label to the pod template is a one-time rolling update.
     */
    async labelStable(stable, signal) {
        const track = stable.spec.template.metadata?.labels?.track;
        if (track === 'stable')
            return;
        if (track !== undefined)
            throw new _deploy_actions_core__WEBPACK_IMPORTED_MODULE_0__/* .PermanentError */ .Dr(`Deployment ${this.o.deployment}'s pods are labelled track=${track}; the canary needs them labelled track=stable (or not at all), since its own pods are track=canary`);
        this.o.log.info(`labelling ${this.o.deployment}'s pods track=stable (a one-time rolling update) so metrics and the stable Service can tell them from the canary's`);
        await this.patch(this.deploymentPath(this.o.deployment), { spec: { template: { metadata: { labels: { track: 'stable' } } } } }, signal);
        await this.waitReady(this.o.deployment, signal);
    }
    /** In the routed modes the stable Service must not reach the canary pods (they share the app's labels). */
    async isolateStableService(signal) {
        const path = this.servicePath(this.stableService);
        const service = await this.get(path, signal);
        const track = service.spec?.selector?.track;
        if (track === 'stable')
            return;
        if (track !== undefined)
            throw new _deploy_actions_core__WEBPACK_IMPORTED_MODULE_0__/* .PermanentError */ .Dr(`Service ${this.stableService} selects track=${track}; in kubernetes-traffic ${this.o.traffic} it must select the stable pods (track=stable)`);
        this.o.log.info(`Service ${this.stableService} now selects track=stable, so only the route sends traffic to the canary`);
        await this.patch(path, { spec: { selector: { track: 'stable' } } }, signal);
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
                name: this.canaryName,
                namespace: this.o.namespace,
                labels: { ...stable.metadata.labels, track: 'canary' },
                annotations: {
                    [STABLE_REPLICAS]: String(stableReplicas),
                    'deploy-actions.dev/version': this.o.release.version,
                },
            },
            spec: {
                ...stable.spec,
                selector: { matchLabels: { ...stable.spec.selector.matchLabels, track: 'canary' } },
                template: {
                    ...stable.spec.template,
                    metadata: { ...stable.spec.template.metadata, labels },
                    spec: {
                        ...stable.spec.template.spec,
                        containers: stable.spec.template.spec.containers.map((c) => c.name === containerName ? { ...c, image: this.o.release.image } : c),
                    },
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
            return Number(ingress?.metadata?.annotations?.['nginx.ingress.kubernetes.io/canary-weight'] ?? 0);
        }
        const route = await this.get(await this.routePath(signal), signal);
        const refs = this.routeRules(route).flatMap((rule) => rule[this.refList] ?? []);
        return refs.find((r) => this.refService(r) === this.canaryService)?.weight ?? 0;
    }
    get refList() {
        return this.o.traffic === 'gateway' ? 'backendRefs' : 'route';
    }
    routeRules(route) {
        return (this.o.traffic === 'gateway' ? route.spec?.rules : route.spec?.http) ?? [];
    }
    /** The Service a backendRef or destination sends to. */
    refService(ref) {
        return this.o.traffic === 'gateway' ? ref.name : ref.destination?.host.split('.')[0];
    }
    async routePath(signal) {
        if (this.o.traffic === 'gateway')
            return this.apiPath('apis/gateway.networking.k8s.io/v1', 'httproutes', this.o.route);
        this.istioVersion ??= await this.discoverIstioVersion(signal);
        return this.apiPath(`apis/networking.istio.io/${this.istioVersion}`, 'virtualservices', this.o.route);
    }
    /**
     * v1 where the cluster serves it (Istio 1.22 and later), else v1beta1 (Istio 1.x before that): the
     * versions come from API discovery (GET /apis/networking.istio.io), which every authenticated user
     * may read (the system:discovery ClusterRole), as kubectl finds them.
     */
    async discoverIstioVersion(signal) {
        const group = await this.find('/apis/networking.istio.io', signal);
        const served = new Set(group?.versions?.map((v) => v.version));
        const version = ['v1', 'v1beta1'].find((v) => served.has(v));
        if (!version)
            throw new _deploy_actions_core__WEBPACK_IMPORTED_MODULE_0__/* .PermanentError */ .Dr(`the cluster serves no networking.istio.io v1 or v1beta1 API (${served.size ? `only ${[...served].join(', ')}` : 'is Istio installed?'}); kubernetes-traffic istio needs Istio's VirtualService`);
        return version;
    }
    ingressPath(name = '') {
        return this.apiPath('apis/networking.k8s.io/v1', 'ingresses', name);
    }
    /**
     * Sends `percent` to the canary Service through the route. `add` puts the canary in the route if it is
     * not there yet; `existing` only changes a canary already routed to (abort: nothing to undo otherwise);
     * `remove` takes the canary out of the route, all traffic on stable (before its Service is deleted).
     */
    async route(percent, how, signal) {
        if (this.o.traffic === 'nginx-ingress')
            return this.canaryIngress(percent, how, signal);
        // The rules list is written whole, so the patch carries the resourceVersion it was computed from:
        // someone else's edit in between makes it 409 Conflict, and the route is read again.
        for (let attempt = 1;; attempt++) {
            const path = await this.routePath(signal);
            const route = await this.get(path, signal);
            const rules = this.weighted(route, percent, how);
            if (JSON.stringify(rules) === JSON.stringify(this.routeRules(route)))
                return;
            try {
                await this.patch(path, {
                    metadata: { resourceVersion: route.metadata.resourceVersion },
                    spec: { [this.o.traffic === 'gateway' ? 'rules' : 'http']: rules },
                }, signal);
                return;
            }
            catch (error) {
                if (error.status !== 409 || attempt >= 5)
                    throw error;
                this.o.log.info(`${this.o.route} was changed by someone else since it was read; reading it again`);
            }
        }
    }
    /** The route's rules with the canary's weight set (or the canary taken out); other rules and fields untouched. */
    weighted(route, percent, how) {
        const gateway = this.o.traffic === 'gateway';
        const list = this.refList;
        // The canary destination is the stable one with the canary's host, without a subset: the stable
        // host's DestinationRule subsets do not apply to the canary Service's host.
        const rename = (ref) => {
            if (gateway || !ref.destination)
                return { ...ref, name: this.canaryService };
            const { subset: _subset, ...destination } = ref.destination;
            return {
                ...ref,
                destination: { ...destination, host: ref.destination.host.replace(this.stableService, this.canaryService) },
            };
        };
        const rules = this.routeRules(route).map((rule) => {
            const refs = rule[list] ?? [];
            const stable = refs.find((r) => this.refService(r) === this.stableService);
            const hasCanary = refs.some((r) => this.refService(r) === this.canaryService);
            if (!stable || (how === 'existing' && !hasCanary))
                return rule;
            const others = refs
                .filter((r) => this.refService(r) !== this.canaryService)
                .map((r) => (r === stable ? { ...r, weight: 100 - percent } : r));
            return { ...rule, [list]: how === 'remove' ? others : [...others, { ...rename(stable), weight: percent }] };
        });
        if (how === 'add' && !rules.some((r) => r[list]?.some((ref) => this.refService(ref) === this.canaryService))) {
            throw new _deploy_actions_core__WEBPACK_IMPORTED_MODULE_0__/* .PermanentError */ .Dr(`${gateway ? 'HTTPRoute' : 'VirtualService'} ${this.o.route} has no ${gateway ? 'backendRef to Service' : 'route to host'} ${this.stableService}; set \`kubernetes-service\``);
        }
        return rules;
    }
    /** nginx-ingress: a copy of the Ingress to the canary Service, weighted by the canary annotations. */
    async canaryIngress(percent, how, signal) {
        const name = `${this.o.route}-canary`;
        if (how === 'remove')
            return this.remove(this.ingressPath(name), signal);
        if (how === 'existing' && !(await this.find(this.ingressPath(name), signal)))
            return;
        const main = await this.get(this.ingressPath(this.o.route), signal);
        const swap = (backend) => backend?.service?.name === this.stableService
            ? { ...backend, service: { ...backend.service, name: this.canaryService } }
            : backend;
        const canary = {
            apiVersion: 'networking.k8s.io/v1',
            kind: 'Ingress',
            metadata: {
                name,
                namespace: this.o.namespace,
                annotations: {
                    ...main.metadata?.annotations,
                    'nginx.ingress.kubernetes.io/canary': 'true',
                    'nginx.ingress.kubernetes.io/canary-weight': String(percent),
                },
            },
            spec: {
                ...main.spec,
                rules: (main.spec?.rules ?? []).map((r) => ({
                    ...r,
                    http: { ...r.http, paths: (r.http?.paths ?? []).map((p) => ({ ...p, backend: swap(p.backend) })) },
                })),
            },
        };
        if (!JSON.stringify(canary.spec).includes(`"name":${JSON.stringify(this.canaryService)}`))
            throw new _deploy_actions_core__WEBPACK_IMPORTED_MODULE_0__/* .PermanentError */ .Dr(`Ingress ${this.o.route} has no backend Service ${this.stableService}; set \`kubernetes-service\``);
        await this.apply(this.ingressPath(), name, canary, signal);
    }
    /**
     * A ClusterIP Service with the stable one's ports, selecting the canary pods (mesh modes route to it
     * by name). What the API server allocated for the stable Service (clusterIP, node ports, a health
     * check node port) is not copied: a ClusterIP Service may not have node ports, and an IP is taken.
     */
    async ensureCanaryService(signal) {
        const stable = await this.get(this.servicePath(this.stableService), signal);
        await this.apply(this.servicePath(), this.canaryService, {
            apiVersion: 'v1',
            kind: 'Service',
            metadata: {
                name: this.canaryService,
                namespace: this.o.namespace,
                labels: { ...stable.metadata?.labels, track: 'canary' },
            },
            spec: {
                type: 'ClusterIP',
                ports: stable.spec?.ports?.map(({ nodePort: _allocated, ...port }) => port),
                selector: { ...stable.spec?.selector, track: 'canary' },
            },
        }, signal);
    }
    /** Traffic first (route, canary Ingress), then the canary Service and Deployment. */
    async removeCanary(signal) {
        if (this.o.traffic !== 'replicas') {
            await this.route(0, 'remove', signal);
            await this.remove(this.servicePath(this.canaryService), signal);
        }
        await this.remove(this.deploymentPath(this.canaryName), signal);
    }
    async scale(name, replicas, signal) {
        await this.patch(this.deploymentPath(name), { spec: { replicas } }, signal);
    }
    /**
     * Waits until the Deployment's rollout is complete (observed, updated, available), woken by watches on
     * the Deployment and on its new pods: a pod that cannot start fails the wait at once with its reason
     * and message. A watch that drops or is refused (no `watch` permission) falls back to polling.
     */
    async waitReady(name, signal) {
        const started = this.clock.now();
        const deadline = started + this.o.readyTimeoutMs;
        for (;;) {
            const d = await this.get(this.deploymentPath(name), signal);
            const want = d.spec.replicas ?? 1;
            const s = d.status ?? {};
            // Until the controller has observed this generation, the status and its conditions are the
            // previous rollout's (one that failed leaves ProgressDeadlineExceeded): kubectl rollout status
            // reads nothing before then either.
            const observed = (s.observedGeneration ?? 0) >= (d.metadata.generation ?? 0);
            if (observed &&
                (s.updatedReplicas ?? 0) >= want &&
                (s.availableReplicas ?? 0) >= want &&
                (s.replicas ?? 0) === want) {
                this.o.log.info(`${name}: ${want} replica(s) ready (${(0,_deploy_actions_core__WEBPACK_IMPORTED_MODULE_0__/* .formatDuration */ .a3)(this.clock.now() - started)})`);
                return;
            }
            const conditions = observed ? (s.conditions ?? []) : [];
            const stuck = conditions.find((c) => c.type === 'Progressing' && c.reason === 'ProgressDeadlineExceeded');
            if (stuck)
                throw new _deploy_actions_core__WEBPACK_IMPORTED_MODULE_0__/* .PermanentError */ .Dr(`${name}: ${stuck.message ?? 'progress deadline exceeded'}`);
            // Pods that cannot even be created (a ResourceQuota, an admission webhook, a missing ServiceAccount).
            const failed = conditions.find((c) => c.type === 'ReplicaFailure' && c.status === 'True');
            if (failed)
                throw new _deploy_actions_core__WEBPACK_IMPORTED_MODULE_0__/* .PermanentError */ .Dr(`${name}: ${failed.reason ?? 'ReplicaFailure'}: ${failed.message ?? 'its pods cannot be created'}`);
            const pods = await this.checkPods(d, signal);
            if (this.clock.now() > deadline)
                throw new _deploy_actions_core__WEBPACK_IMPORTED_MODULE_0__/* .PermanentError */ .Dr(`${name} was not ready within ${(0,_deploy_actions_core__WEBPACK_IMPORTED_MODULE_0__/* .formatDuration */ .a3)(this.o.readyTimeoutMs)} (${s.availableReplicas ?? 0}/${want} available)`);
            await this.nextChange([
                `${this.deploymentPath()}?fieldSelector=${encodeURIComponent(`metadata.name=${name}`)}${d.metadata.resourceVersion ? `&resourceVersion=${d.metadata.resourceVersion}` : ''}`,
                `${pods.path}${pods.resourceVersion ? `&resourceVersion=${pods.resourceVersion}` : ''}`,
            ], Math.min(deadline - this.clock.now(), 30_000), signal);
        }
    }
    /**
     * Watches these collections until a change arrives or the timeout passes. BOOKMARK events (asked for,
     * as client-go's reflector does) only move the resourceVersion on and do not wake the wait. An ERROR
     * event ends the watch: 410 Gone (the resourceVersion was compacted) means list again at once; any
     * other, or a watch that drops or is refused (no `watch` permission) well before its timeout, polls.
     */
    async nextChange(paths, timeoutMs, signal) {
        const seconds = Math.max(1, Math.ceil(timeoutMs / 1000));
        const changed = new AbortController();
        const onAbort = () => changed.abort(signal?.reason);
        signal?.addEventListener('abort', onAbort, { once: true });
        const t0 = this.clock.now();
        let outcome;
        // Ends every watch; from outside the stream's data handler, which must not tear its own stream down.
        const end = (why) => {
            outcome ??= why;
            setImmediate(() => changed.abort());
        };
        try {
            // Whichever watch ends first (an event, its timeout, a drop or a refusal) ends the others.
            await Promise.all(paths.map(async (path) => {
                let pending = '';
                try {
                    await this.o.http({
                        ...this.requestBase(`${path}&watch=true&allowWatchBookmarks=true&timeoutSeconds=${seconds}`, 'GET'),
                        timeoutMs: seconds * 1000 + 5_000,
                        signal: changed.signal,
                        onData: (chunk) => {
                            pending += chunk.toString('utf8');
                            const lines = pending.split('\n');
                            pending = lines.pop() ?? '';
                            for (const line of lines.filter((l) => l.trim())) {
                                let event;
                                try {
                                    event = JSON.parse(line);
                                }
                                catch {
                                    end('change'); // not a watch event: look again rather than trust the stream
                                    return;
                                }
                                if (event.type === 'BOOKMARK')
                                    continue;
                                if (event.type === 'ERROR') {
                                    if (event.object?.code === 410)
                                        end('expired');
                                    return; // the server ends the watch after an ERROR; other errors fall back to polling
                                }
                                end('change');
                            }
                        },
                    });
                }
                catch {
                    /* aborted by an event or the job; a dropped connection is handled below */
                }
                changed.abort();
            }));
        }
        finally {
            signal?.removeEventListener('abort', onAbort);
        }
        signal?.throwIfAborted();
        // Ended with no change well before its timeout: dropped, refused (403) or unsupported. Poll.
        if (!outcome && this.clock.now() - t0 < (seconds * 1000) / 2)
            await this.clock.sleep(this.o.pollIntervalMs ?? 1000, signal);
    }
    /**
     * Fails at once when a pod of the Deployment's current template cannot start; pods of older
     * ReplicaSets (another image or labels) and terminating ones are going away and do not count. A pod
     * is the template's when the template's containers run its images; containers an admission webhook
     * added (istio-proxy, a log agent) are not in the template and do not decide it. A container that
     * cannot start, injected or not, keeps the pod from ever being ready, so any is reported.
     * Returns the list's path and resourceVersion, to watch from.
     */
    async checkPods(d, signal) {
        const labels = d.spec.template.metadata?.labels ?? d.spec.selector.matchLabels ?? {};
        const selector = Object.entries(labels)
            .map(([k, v]) => `${k}=${v}`)
            .join(',');
        const path = `${this.apiPath('api/v1', 'pods')}?labelSelector=${encodeURIComponent(selector)}`;
        const list = await this.get(path, signal);
        const images = new Map(d.spec.template.spec.containers.map((c) => [c.name, c.image]));
        for (const pod of list.items) {
            if (pod.metadata.deletionTimestamp ||
                pod.spec?.containers?.some((c) => images.has(c.name) && images.get(c.name) !== c.image))
                continue;
            for (const status of pod.status?.containerStatuses ?? []) {
                const waiting = status.state?.waiting;
                if (waiting?.reason && FATAL_REASONS.has(waiting.reason)) {
                    throw new _deploy_actions_core__WEBPACK_IMPORTED_MODULE_0__/* .PermanentError */ .Dr(`${d.metadata.name}: pod ${pod.metadata.name} container ${status.name} is ${waiting.reason}${waiting.message ? `: ${waiting.message}` : ''}`);
                }
            }
            const unschedulable = pod.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.reason === 'Unschedulable');
            if (unschedulable)
                throw new _deploy_actions_core__WEBPACK_IMPORTED_MODULE_0__/* .PermanentError */ .Dr(`${d.metadata.name}: pod ${pod.metadata.name} cannot be scheduled (Unschedulable): ${unschedulable.message ?? 'no node fits it'}`);
        }
        return { path, resourceVersion: list.metadata?.resourceVersion };
    }
    /** Create, or replace when it already exists (a re-run, or a canary left by an aborted rollout). */
    async apply(collection, name, object, signal) {
        const existing = await this.find(`${collection}/${name}`, signal);
        if (!existing) {
            await this.call('POST', collection, signal, object);
            return;
        }
        const withVersion = {
            ...object,
            metadata: { ...object.metadata, resourceVersion: existing.metadata.resourceVersion },
        };
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
    /** Runs the kubeconfig's credential plugin again (one run at a time) and masks the new token. */
    refreshToken() {
        this.refreshing ??= (async () => {
            try {
                const fresh = await this.o.cluster.refreshToken();
                this.o.onToken?.(fresh.token);
                this.token = fresh.token;
                this.tokenExpiresAt = fresh.expiresAt;
                this.o.log.info("renewed the cluster token from the kubeconfig's credential plugin");
            }
            finally {
                this.refreshing = undefined;
            }
        })();
        return this.refreshing;
    }
    requestBase(path, method) {
        const c = this.o.cluster;
        const headers = { accept: 'application/json' };
        if (this.token)
            headers.authorization = `Bearer ${this.token}`;
        else if (c.basic)
            headers.authorization = `Basic ${Buffer.from(`${c.basic.username}:${c.basic.password}`).toString('base64')}`;
        return { url: `${c.server}${path}`, method, headers, ca: c.ca, cert: c.cert, key: c.key, insecure: c.insecure };
    }
    /** One API call: 429/5xx and network faults retried with backoff; 401/403 explained. */
    call(method, path, signal, body, contentType = 'application/json') {
        const what = `${method} ${path.split('?')[0]}`;
        return (0,_deploy_actions_core__WEBPACK_IMPORTED_MODULE_0__/* .retry */ .L5)(async () => {
            // A plugin's token about to expire is renewed first; one the server rejects is renewed once and tried again.
            if (this.o.cluster.refreshToken &&
                this.tokenExpiresAt !== undefined &&
                Date.now() > this.tokenExpiresAt - 60_000)
                await this.refreshToken();
            for (let renewed = false;; renewed = true) {
                const base = this.requestBase(path, method);
                const response = await this.o.http({
                    ...base,
                    signal,
                    timeoutMs: 30_000,
                    headers: { ...base.headers, ...(body === undefined ? {} : { 'content-type': contentType }) },
                    body: body === undefined ? undefined : JSON.stringify(body),
                });
                if (response.status >= 200 && response.status < 300)
                    return response.body.length ? response.json() : undefined;
                if (response.status === 401 && this.o.cluster.refreshToken && !renewed) {
                    await this.refreshToken();
                    continue;
                }
                throw kubeError(response, what);
            }
        }, {
            timeoutMs: API_DEADLINE_MS,
            what: `Kubernetes ${what}`,
            signal,
            clock: this.clock,
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
    catch {
        /* not JSON */
    }
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
