export const id = 380;
export const ids = [380];
export const modules = {

/***/ 7380:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  DeploymentHistory: () => (/* binding */ DeploymentHistory),
  PAYLOAD_FORMAT: () => (/* binding */ PAYLOAD_FORMAT),
  escapeMrkdwn: () => (/* reexport */ escapeMrkdwn),
  githubCommentNotifier: () => (/* reexport */ githubCommentNotifier),
  noticeMarkdown: () => (/* reexport */ noticeMarkdown),
  notifyAll: () => (/* reexport */ notifyAll),
  redactNotice: () => (/* reexport */ redactNotice),
  webhookNotifier: () => (/* reexport */ webhookNotifier)
});

// EXTERNAL MODULE: ./packages/core/src/index.ts + 4 modules
var src = __webpack_require__(9417);
;// CONCATENATED MODULE: ./packages/history/src/notify.ts

function noticeMarkdown(n) {
    return [
        `### ${n.ok ? '↩️' : '🚨'} ${n.title}`,
        '',
        n.reason,
        '',
        ...n.fields.map(([k, v]) => `- **${k}:** ${v}`),
        '',
        n.links.map(([label, url]) => `[${label}](${url})`).join(' · '),
        '',
    ].join('\n');
}
/**
 * Slack mrkdwn control characters as entities, as Slack documents for message text
 * (https://api.slack.com/reference/surfaces/formatting#escaping): with `<` and `>` escaped, text
 * can never open a `<!channel>` mention, a `<@user>` ping or a `<url|label>` link.
 */
function escapeMrkdwn(text) {
    return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
/** A mrkdwn link whose URL cannot close the link early or smuggle a label (`|` and `>` percent-encoded). */
function mrkdwnLink(url, label) {
    const safeUrl = url.replace(/[|<>\s]/g, (c) => encodeURIComponent(c));
    return `<${safeUrl}|${escapeMrkdwn(label)}>`;
}
/** The notice with every text redacted while still raw, before any channel escapes or encodes it. */
function redactNotice(n, redact) {
    const pairs = (list) => list.map(([a, b]) => [redact(a), redact(b)]);
    return { ...n, title: redact(n.title), reason: redact(n.reason), fields: pairs(n.fields), links: pairs(n.links) };
}
/** Slack-compatible incoming webhook (Slack, Mattermost, Rocket.Chat, Discord's /slack endpoint). */
function webhookNotifier(url, log) {
    return {
        name: 'webhook',
        async send(n) {
            const text = `${n.ok ? ':leftwards_arrow_with_hook:' : ':rotating_light:'} *${escapeMrkdwn(n.title)}*: ${escapeMrkdwn(n.reason)}`;
            const body = {
                text,
                blocks: [
                    { type: 'section', text: { type: 'mrkdwn', text } },
                    {
                        type: 'section',
                        fields: n.fields.map(([k, v]) => ({ type: 'mrkdwn', text: `*${escapeMrkdwn(k)}*\n${escapeMrkdwn(v)}` })),
                    },
                    {
                        type: 'context',
                        elements: [{ type: 'mrkdwn', text: n.links.map(([label, link]) => mrkdwnLink(link, label)).join(' · ') }],
                    },
                ],
            };
            await (0,src/* retry */.L5)(async () => {
                const res = await (0,src/* request */.Em)({
                    url,
                    method: 'POST',
                    headers: { 'content-type': 'application/json' },
                    body: JSON.stringify(body),
                    timeoutMs: 10_000,
                });
                if (res.status >= 300)
                    throw (0,src/* statusError */.$C)(res, 'webhook');
            }, {
                timeoutMs: 30_000,
                what: 'notifying the webhook',
                onRetry: ({ error }) => log.info(`webhook: ${(0,src/* oneLine */.TN)(error)}; retrying`),
            });
        },
    };
}
/** A comment on an issue (a deploy log issue) or on the commit that was rolled back. */
function githubCommentNotifier(req, owner, repo, where) {
    return {
        name: 'issue' in where ? `issue #${where.issue}` : `commit ${where.commit.slice(0, 7)}`,
        async send(n) {
            if ('issue' in where)
                await req('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', {
                    owner,
                    repo,
                    issue_number: where.issue,
                    body: noticeMarkdown(n),
                });
            else
                await req('POST /repos/{owner}/{repo}/commits/{commit_sha}/comments', {
                    owner,
                    repo,
                    commit_sha: where.commit,
                    body: noticeMarkdown(n),
                });
        },
    };
}
/**
 * Sends to every channel; a failing channel is a warning, never the reason a rollback fails. Secrets
 * are redacted from the raw notice first, so no channel's escaping can hide one from redaction.
 */
async function notifyAll(notifiers, notice, log, redact = (text) => text) {
    const sent = [];
    const safe = redactNotice(notice, redact);
    for (const n of notifiers) {
        try {
            await n.send(safe);
            sent.push(n.name);
        }
        catch (error) {
            log.warning(`could not notify ${n.name}: ${(0,src/* oneLine */.TN)(error)}`);
        }
    }
    return sent;
}

;// CONCATENATED MODULE: ./packages/history/src/index.ts

/**
 * Marks the deployments this library made. GitHub creates deployments of its own for every job that
 * names an `environment:`; those carry no image, and must never be mistaken for a version to restore.
 */
const PAYLOAD_FORMAT = 'deploy-actions/1';
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
        const existing = (await this.list(params.environment, { sha: params.sha, maxPages: 1 })).find((d) => d.payload.runId === params.payload.runId && (d.state === 'in_progress' || d.state === undefined));
        if (existing) {
            this.o.log.info(`continuing deployment ${existing.id} created earlier by this run`);
            return existing.id;
        }
        const { data } = await this.call('POST /repos/{owner}/{repo}/deployments', {
            ref: params.sha,
            environment: params.environment,
            description: params.description.slice(0, 140),
            auto_merge: false,
            required_contexts: [],
            payload: { ...params.payload, format: PAYLOAD_FORMAT },
            production_environment: params.production ?? params.environment === 'production',
            transient_environment: false,
        }, 'create a deployment');
        const id = data.id;
        if (typeof id !== 'number')
            throw new src/* PermanentError */.Dr(`GitHub did not create a deployment: ${JSON.stringify(data).slice(0, 200)}`);
        await this.setState(id, 'in_progress', params.description, {
            environmentUrl: params.environmentUrl,
            logUrl: params.logUrl,
        });
        return id;
    }
    async setState(id, state, description, urls = {}) {
        await this.call('POST /repos/{owner}/{repo}/deployments/{deployment_id}/statuses', {
            deployment_id: id,
            state,
            description: description.slice(0, 140),
            log_url: urls.logUrl,
            environment_url: urls.environmentUrl,
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
    /** This library's deployments of the environment, newest first, with each one's latest status. */
    async list(environment, options = {}) {
        const out = [];
        for (let page = 1; page <= (options.maxPages ?? 5); page++) {
            const { data } = await this.call('GET /repos/{owner}/{repo}/deployments', { environment, sha: options.sha, per_page: 30, page }, `list deployments of ${environment}`);
            const items = data;
            for (const item of items) {
                const record = this.record(item);
                if (record.payload.format === PAYLOAD_FORMAT)
                    out.push({ ...record, state: await this.latestState(item.id) });
            }
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
        return {
            id: d.id,
            sha: d.sha,
            ref: d.ref,
            environment: d.environment,
            createdAt: d.created_at,
            description: d.description,
            payload: payload ?? {},
            state: undefined,
        };
    }
    /** One API call with retries on 5xx, 429 and the secondary rate limit; 401/403/404 fail at once with what to fix. */
    call(route, params, what) {
        return (0,src/* retry */.L5)(async () => {
            try {
                return await this.o.request(route, { owner: this.o.owner, repo: this.o.repo, ...params });
            }
            catch (error) {
                throw classify(error, what);
            }
        }, {
            timeoutMs: this.o.timeoutMs ?? 60_000,
            clock: this.o.clock,
            what: `GitHub: ${what}`,
            initialDelayMs: 500,
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
class GitHubError extends src/* TransientError */.N_ {
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
    if (status === undefined ||
        status >= 500 ||
        status === 429 ||
        (status === 403 && (retryAfterMs !== undefined || /secondary rate limit/i.test(message)))) {
        return new GitHubError(`${status ?? 'network error'} ${message}`, retryAfterMs);
    }
    if (status === 401)
        return new src/* PermanentError */.Dr(`GitHub rejected the token (401 ${message}) while trying to ${what}; pass a valid \`github-token\``);
    if (status === 403 || status === 404) {
        return new src/* PermanentError */.Dr(`GitHub answered ${status} (${message}) while trying to ${what}; the token needs \`deployments: write\` on this repository (add \`permissions: deployments: write\` to the job)`);
    }
    return new src/* PermanentError */.Dr(`GitHub answered ${status} (${message}) while trying to ${what}`);
}



/***/ })

};
