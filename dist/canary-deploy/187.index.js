export const id = 187;
export const ids = [187];
export const modules = {

/***/ 1187:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   DeploymentHistory: () => (/* binding */ DeploymentHistory)
/* harmony export */ });
/* harmony import */ var _deploy_actions_core__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7926);

/**
 * GitHub Deployments as the record of what runs where: one deployment per environment rollout, its
 * statuses moving in_progress -> success / failure / inactive. "The last good version" is the newest
 * deployment of the environment whose latest status is success.
 */
class DeploymentHistory {
    o;
    constructor(o) {
        this.o = o;
    }
    /** Creates the deployment for this rollout, or finds the one this run already created (re-runs). */
    async start(params) {
        const existing = (await this.list(params.environment, { sha: params.sha, maxPages: 1 }))
            .find((d) => d.payload.runId === params.payload.runId && (d.state === 'in_progress' || d.state === undefined));
        if (existing) {
            this.o.log.info(`continuing deployment ${existing.id} created earlier by this run`);
            return existing.id;
        }
        const { data } = await this.call('POST /repos/{owner}/{repo}/deployments', {
            ref: params.sha, environment: params.environment, description: params.description.slice(0, 140), auto_merge: false,
            required_contexts: [], payload: params.payload, production_environment: params.production ?? params.environment === 'production',
            transient_environment: false,
        }, 'create a deployment');
        const id = data.id;
        if (typeof id !== 'number')
            throw new _deploy_actions_core__WEBPACK_IMPORTED_MODULE_0__/* .PermanentError */ .Dr(`GitHub did not create a deployment: ${JSON.stringify(data).slice(0, 200)}`);
        await this.setState(id, 'in_progress', params.description, { environmentUrl: params.environmentUrl, logUrl: params.logUrl });
        return id;
    }
    async setState(id, state, description, urls = {}) {
        await this.call('POST /repos/{owner}/{repo}/deployments/{deployment_id}/statuses', {
            deployment_id: id, state, description: description.slice(0, 140), log_url: urls.logUrl, environment_url: urls.environmentUrl,
            // A success makes the environment's earlier successes inactive, as GitHub's own UI expects.
            auto_inactive: state === 'success',
        }, `set deployment ${id} to ${state}`);
    }
    async get(id) {
        const { data } = await this.call('GET /repos/{owner}/{repo}/deployments/{deployment_id}', { deployment_id: id }, `read deployment ${id}`);
        return this.record(data);
    }
    /**
     * The newest deployment of the environment whose latest status is success, older than `olderThan`
     * when given (the failed one): the version to go back to. Deployments marked inactive by a later
     * success count as good: they ran fine until they were replaced.
     */
    async lastGood(environment, options = {}) {
        for (const d of await this.list(environment, { maxPages: options.maxPages ?? 5 })) {
            if (options.olderThan !== undefined && d.id >= options.olderThan)
                continue;
            if (d.state === 'success' || (d.state === 'inactive' && (await this.everSucceeded(d.id))))
                return d;
        }
        return undefined;
    }
    /** Newest first, with each one's latest status. */
    async list(environment, options = {}) {
        const out = [];
        for (let page = 1; page <= (options.maxPages ?? 5); page++) {
            const { data } = await this.call('GET /repos/{owner}/{repo}/deployments', { environment, sha: options.sha, per_page: 30, page }, `list deployments of ${environment}`);
            const items = data;
            for (const item of items)
                out.push({ ...this.record(item), state: await this.latestState(item.id) });
            if (items.length < 30)
                break;
        }
        return out;
    }
    async latestState(id) {
        const { data } = await this.call('GET /repos/{owner}/{repo}/deployments/{deployment_id}/statuses', { deployment_id: id, per_page: 1 }, `read statuses of deployment ${id}`);
        return data[0]?.state;
    }
    async everSucceeded(id) {
        const { data } = await this.call('GET /repos/{owner}/{repo}/deployments/{deployment_id}/statuses', { deployment_id: id, per_page: 100 }, `read statuses of deployment ${id}`);
        const states = data.map((s) => s.state);
        return states.includes('success') && !states.includes('failure');
    }
    record(d) {
        const payload = (typeof d.payload === 'string' ? safeJson(d.payload) : d.payload);
        return { id: d.id, sha: d.sha, ref: d.ref, environment: d.environment, createdAt: d.created_at, description: d.description, payload: payload ?? {}, state: undefined };
    }
    /** One API call with retries on 5xx, 429 and the secondary rate limit; 401/403/404 fail at once with what to fix. */
    call(route, params, what) {
        return (0,_deploy_actions_core__WEBPACK_IMPORTED_MODULE_0__/* .retry */ .L5)(async () => {
            try {
                return await this.o.request(route, { owner: this.o.owner, repo: this.o.repo, ...params });
            }
            catch (error) {
                throw classify(error, what);
            }
        }, {
            timeoutMs: this.o.timeoutMs ?? 60_000, clock: this.o.clock, what: `GitHub: ${what}`, initialDelayMs: 500,
            delayHint: (error) => error.retryAfterMs,
            onRetry: ({ error, delayMs }) => this.o.log.info(`GitHub: ${what}: ${error.message}; retrying in ${Math.round(delayMs)}ms`),
        });
    }
}
function safeJson(text) {
    try {
        return JSON.parse(text);
    }
    catch {
        return undefined;
    }
}
class GitHubError extends _deploy_actions_core__WEBPACK_IMPORTED_MODULE_0__/* .TransientError */ .N_ {
    retryAfterMs;
    constructor(message, retryAfterMs) {
        super(message);
        this.retryAfterMs = retryAfterMs;
    }
}
function classify(error, what) {
    const e = error;
    const status = e.status;
    const message = (e.message ?? String(error)).split('\n')[0];
    const retryAfter = e.response?.headers?.['retry-after'];
    const retryAfterMs = retryAfter && /^\d+$/.test(retryAfter) ? Number(retryAfter) * 1000 : undefined;
    if (status === undefined || status >= 500 || status === 429 || (status === 403 && (retryAfterMs !== undefined || /secondary rate limit/i.test(message)))) {
        return new GitHubError(`${status ?? 'network error'} ${message}`, retryAfterMs);
    }
    if (status === 401)
        return new _deploy_actions_core__WEBPACK_IMPORTED_MODULE_0__/* .PermanentError */ .Dr(`GitHub rejected the token (401 ${message}) while trying to ${what}; pass a valid \`github-token\``);
    if (status === 403 || status === 404) {
        return new _deploy_actions_core__WEBPACK_IMPORTED_MODULE_0__/* .PermanentError */ .Dr(`GitHub answered ${status} (${message}) while trying to ${what}; the token needs \`deployments: write\` on this repository (add \`permissions: deployments: write\` to the job)`);
    }
    return new _deploy_actions_core__WEBPACK_IMPORTED_MODULE_0__/* .PermanentError */ .Dr(`GitHub answered ${status} (${message}) while trying to ${what}`);
}


/***/ })

};
