export const id = 889;
export const ids = [889];
export const modules = {

/***/ 3270:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  CloudRunTarget: () => (/* binding */ CloudRunTarget),
  credentialsFileToken: () => (/* reexport */ credentialsFileToken),
  staticToken: () => (/* reexport */ staticToken)
});

// UNUSED EXPORTS: revisionName

// EXTERNAL MODULE: ./packages/core/src/index.ts + 4 modules
var src = __webpack_require__(9417);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
;// CONCATENATED MODULE: ./packages/traffic/src/gcp-auth.ts
// Google OAuth2 access tokens for the Cloud Run target, on core's request() rather than
// google-auth-library (about 930 KB bundled with gaxios, node-fetch and friends, for three POSTs):
// - a token handed in (google-github-actions/auth with token_format: access_token);
// - the credentials file that action writes (GOOGLE_APPLICATION_CREDENTIALS):
//   `external_account` (Workload Identity Federation): the subject token from credential_source (GitHub's
//   OIDC endpoint, or a file), exchanged at STS (RFC 8693 token exchange), then, when the file names a
//   service account, IAM Credentials generateAccessToken for it;
//   `service_account` (a key): a JWT signed with the key, exchanged by the OAuth2 JWT bearer grant (RFC 7523).
// Tokens from a file are refreshed before they expire, so a rollout longer than an hour keeps going.
// Every token, subject token and key is handed to `onSecret` (masking) before anything can print it.



const CLOUD_PLATFORM_SCOPE = 'https://www.googleapis.com/auth/cloud-platform';
const TOKEN_EXCHANGE_GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';
const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';
const DEFAULT_TOKEN_URI = 'https://oauth2.googleapis.com/token';
/** Refresh this long before a token expires (half way for a shorter-lived one). */
const REFRESH_MARGIN_MS = 5 * 60_000;
/** Token endpoints answering 429/5xx are retried for this long. */
const TOKEN_DEADLINE_MS = 60_000;
/** A token given as it is: it cannot be refreshed. */
function staticToken(token, input = 'gcp-access-token') {
    return {
        token: async () => token,
        invalidate: () => false,
        credential: `the access token in input '${input}'`,
        fix: `it has expired (they last 1 hour) or was revoked: get a fresh one from google-github-actions/auth with token_format: access_token in the same job and pass it as ${input}`,
    };
}
/** Reads and checks the credentials file; no network until the first token() call. */
async function credentialsFileToken(o) {
    let text;
    try {
        text = await (0,promises_.readFile)(o.path, 'utf8');
    }
    catch (error) {
        throw new src/* PermanentError */.Dr(`cannot read the Google credentials file ${o.path} (GOOGLE_APPLICATION_CREDENTIALS): ${(0,src/* oneLine */.TN)(error)}; run google-github-actions/auth earlier in this job, or pass gcp-access-token`);
    }
    return new CredentialsFileSource(parseCredentials(text, o.path, o.onSecret), o);
}
/** Checks a credentials file's JSON (the two kinds google-github-actions/auth writes) and registers its secrets. */
function parseCredentials(text, path, onSecret = () => { }) {
    const bad = (problem) => new src/* PermanentError */.Dr(`the Google credentials file ${path} (GOOGLE_APPLICATION_CREDENTIALS) ${problem}`);
    let json;
    try {
        json = JSON.parse(text);
    }
    catch {
        throw bad('is not JSON; point GOOGLE_APPLICATION_CREDENTIALS at the file google-github-actions/auth wrote, or pass gcp-access-token');
    }
    const field = (name, value = json[name]) => {
        if (typeof value !== 'string' || !value)
            throw bad(`has no ${name}; write it again with google-github-actions/auth`);
        return value;
    };
    if (json.type === 'service_account') {
        const key = field('private_key');
        onSecret(key);
        // The runner masks a value line by line as it appears in the log: register the key's lines too.
        for (const line of key.split('\n'))
            if (!line.startsWith('-----') && line.trim().length >= 16)
                onSecret(line.trim());
        try {
            (0,external_node_crypto_.createPrivateKey)(key);
        }
        catch {
            throw bad('has a private_key that is not a PEM private key; create a new key for the service account');
        }
        return {
            type: 'service_account',
            client_email: field('client_email'),
            private_key: key,
            private_key_id: json.private_key_id,
            token_uri: json.token_uri || DEFAULT_TOKEN_URI,
        };
    }
    if (json.type === 'external_account') {
        const source = (json.credential_source ?? {});
        if (source.environment_id || source.executable)
            throw bad('takes its subject token from an AWS environment or an executable, which this action does not run; use the file google-github-actions/auth writes');
        if (!source.url && !source.file)
            throw bad('has no credential_source url or file; write it again with google-github-actions/auth');
        for (const value of Object.values(source.headers ?? {})) {
            onSecret(value);
            onSecret(value.replace(/^Bearer\s+/i, ''));
        }
        return {
            type: 'external_account',
            audience: field('audience'),
            subject_token_type: field('subject_token_type'),
            token_url: field('token_url'),
            service_account_impersonation_url: json.service_account_impersonation_url,
            service_account_impersonation: json.service_account_impersonation,
            credential_source: source,
        };
    }
    throw bad(`is of type '${String(json.type)}', not external_account (Workload Identity Federation) or service_account (a key)`);
}
class CredentialsFileSource {
    c;
    o;
    credential;
    fix;
    cached;
    pending;
    clock;
    privateKey;
    constructor(c, o) {
        this.c = c;
        this.o = o;
        this.clock = o.clock ?? src/* systemClock */.ml;
        const who = c.type === 'service_account'
            ? `service account key for ${c.client_email}`
            : `Workload Identity Federation${impersonated(c) ? ` as ${impersonated(c)}` : ''}`;
        this.credential = `the Google credentials file ${o.path} (GOOGLE_APPLICATION_CREDENTIALS: ${who})`;
        this.fix =
            c.type === 'service_account'
                ? 'the key was disabled or deleted, or its service account removed: create a new key (better: Workload Identity Federation)'
                : 'the federated identity lost access: check the workload identity provider and the service account bindings, then re-run google-github-actions/auth';
        this.privateKey = c.type === 'service_account' ? (0,external_node_crypto_.createPrivateKey)(c.private_key) : undefined;
    }
    async token(signal) {
        if (this.cached && this.clock.now() < this.cached.refreshAt)
            return this.cached.token;
        // One refresh at a time, shared by concurrent callers.
        this.pending ??= this.fetch(signal).finally(() => {
            this.pending = undefined;
        });
        return this.pending;
    }
    invalidate() {
        this.cached = undefined;
        return true;
    }
    async fetch(signal) {
        const started = this.clock.now();
        const { token, expiresAt } = this.c.type === 'service_account' ? await this.jwtBearer(this.c, signal) : await this.federate(this.c, signal);
        this.o.onSecret(token);
        const now = this.clock.now();
        // Refresh 5 minutes early, or half way for a short-lived token.
        this.cached = { token, refreshAt: expiresAt - Math.min(REFRESH_MARGIN_MS, (expiresAt - now) / 2) };
        this.o.log.info(`Google access token from ${this.o.path} (${this.c.type}), valid for ${(0,src/* formatDuration */.a3)(expiresAt - this.clock.now())}, in ${(0,src/* formatDuration */.a3)(this.clock.now() - started)}`);
        return token;
    }
    /** RFC 7523: a JWT signed with the service account's key, exchanged at its token_uri. */
    async jwtBearer(c, signal) {
        const iat = Math.floor(this.clock.now() / 1000);
        const assertion = signJwt({ alg: 'RS256', typ: 'JWT', ...(c.private_key_id ? { kid: c.private_key_id } : {}) }, { iss: c.client_email, scope: CLOUD_PLATFORM_SCOPE, aud: c.token_uri, iat, exp: iat + 3600 }, this.privateKey);
        const response = await this.post(c.token_uri, gcp_auth_form({ grant_type: JWT_BEARER_GRANT, assertion }), 'form', undefined, 'the OAuth2 token endpoint', this.fix, signal);
        return { token: tokenField(response, 'access_token', c.token_uri), expiresAt: this.expiry(response.expires_in) };
    }
    /** STS token exchange of the subject token, then impersonation of the service account when the file names one. */
    async federate(c, signal) {
        const subject = await this.subjectToken(c, signal);
        this.o.onSecret(subject);
        const sts = await this.post(c.token_url, gcp_auth_form({
            grant_type: TOKEN_EXCHANGE_GRANT,
            audience: c.audience,
            scope: CLOUD_PLATFORM_SCOPE,
            requested_token_type: ACCESS_TOKEN_TYPE,
            subject_token: subject,
            subject_token_type: c.subject_token_type,
        }), 'form', undefined, 'the STS token exchange', `check that the workload identity provider ${c.audience.replace(/^\/\/[^/]+\//, '')} exists and that its attribute condition admits this repository and workflow`, signal);
        const federated = tokenField(sts, 'access_token', c.token_url);
        this.o.onSecret(federated);
        if (!c.service_account_impersonation_url)
            return { token: federated, expiresAt: this.expiry(sts.expires_in) };
        const account = impersonated(c);
        const lifetime = c.service_account_impersonation?.token_lifetime_seconds ?? 3600;
        const iam = await this.post(c.service_account_impersonation_url, JSON.stringify({ scope: [CLOUD_PLATFORM_SCOPE], lifetime: `${lifetime}s` }), 'json', federated, `impersonation of ${account}`, `grant roles/iam.workloadIdentityUser on ${account} to the workload identity pool's principalSet for this repository`, signal);
        const token = tokenField(iam, 'accessToken', c.service_account_impersonation_url);
        const expireTime = typeof iam.expireTime === 'string' ? Date.parse(iam.expireTime) : NaN;
        return { token, expiresAt: Number.isNaN(expireTime) ? this.expiry(lifetime) : expireTime };
    }
    /** The subject token: GitHub's OIDC endpoint with the request token (what the auth action writes), or a file. */
    async subjectToken(c, signal) {
        const source = c.credential_source;
        let raw;
        if (source.file) {
            try {
                raw = await (0,promises_.readFile)(source.file, 'utf8');
            }
            catch (error) {
                throw new src/* PermanentError */.Dr(`${this.credential}: cannot read its subject token file ${source.file}: ${(0,src/* oneLine */.TN)(error)}`);
            }
        }
        else {
            raw = await (0,src/* retry */.L5)(async () => {
                const response = await this.o.http({
                    url: source.url,
                    method: 'GET',
                    headers: { accept: 'application/json', ...source.headers },
                    signal,
                    timeoutMs: 30_000,
                });
                if (response.status >= 200 && response.status < 300)
                    return response.text();
                throw this.endpointError(response, 'the OIDC token request', 'the request token in the file is valid only in the job that wrote it: run google-github-actions/auth earlier in this same job, with permissions id-token: write');
            }, this.retryOptions('the OIDC token request', signal));
        }
        if ((source.format?.type ?? 'text') === 'text')
            return raw.trim();
        const name = source.format?.subject_token_field_name ?? 'value';
        let value;
        try {
            value = JSON.parse(raw)[name];
        }
        catch {
            /* reported below */
        }
        if (typeof value !== 'string' || !value)
            throw new src/* PermanentError */.Dr(`${this.credential}: the subject token source answered without a '${name}' field`);
        return value;
    }
    async post(url, body, kind, bearer, what, fix, signal) {
        return (0,src/* retry */.L5)(async () => {
            const response = await this.o.http({
                url,
                method: 'POST',
                body,
                signal,
                timeoutMs: 30_000,
                headers: {
                    accept: 'application/json',
                    'content-type': kind === 'form' ? 'application/x-www-form-urlencoded' : 'application/json',
                    ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
                },
            });
            if (response.status >= 200 && response.status < 300)
                return response.json();
            throw this.endpointError(response, what, fix);
        }, this.retryOptions(what, signal));
    }
    retryOptions(what, signal) {
        return {
            timeoutMs: TOKEN_DEADLINE_MS,
            what,
            signal,
            clock: this.clock,
            onRetry: ({ error, delayMs }) => this.o.log.info(`${what}: ${(0,src/* oneLine */.TN)(error)}; retrying in ${(0,src/* formatDuration */.a3)(delayMs)}`),
            delayHint: (e) => e.retryAfterMs,
        };
    }
    /** OAuth2 errors ({error, error_description}) and google.rpc.Status ({error: {status, message}}), in one line. */
    endpointError(response, what, fix) {
        let detail = '';
        try {
            const body = response.json();
            detail =
                typeof body.error === 'string'
                    ? `${body.error}${body.error_description ? `: ${body.error_description}` : ''}`
                    : `${body.error?.status ?? ''}${body.error?.message ? `: ${body.error.message}` : ''}`;
        }
        catch {
            /* not JSON */
        }
        detail = `HTTP ${response.status}${detail ? ` ${detail}` : ''}`.replace(/\s+/g, ' ').slice(0, 400);
        if (src/* RETRYABLE_STATUSES */.U3.has(response.status))
            return (0,src/* statusError */.$C)(response, `${what}: ${detail}`);
        return new src/* PermanentError */.Dr(`${this.credential} was refused by ${what} (${detail}); ${fix}`);
    }
    expiry(expiresIn) {
        const seconds = typeof expiresIn === 'number' ? expiresIn : Number(expiresIn);
        return this.clock.now() + (Number.isFinite(seconds) && seconds > 0 ? seconds : 3600) * 1000;
    }
}
function impersonated(c) {
    return c.service_account_impersonation_url
        ? (/serviceAccounts\/([^:/]+):generateAccessToken/.exec(c.service_account_impersonation_url)?.[1] ??
            c.service_account_impersonation_url)
        : undefined;
}
function tokenField(body, name, url) {
    const value = body[name];
    if (typeof value !== 'string' || !value)
        throw new src/* PermanentError */.Dr(`${url} answered without ${name}`);
    return value;
}
function gcp_auth_form(fields) {
    return new URLSearchParams(fields).toString();
}
function base64url(data) {
    return Buffer.from(data).toString('base64url');
}
/** A compact JWS (RS256). */
function signJwt(header, claims, key) {
    const input = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
    return `${input}.${(0,external_node_crypto_.createSign)('RSA-SHA256').update(input).sign(key).toString('base64url')}`;
}

;// CONCATENATED MODULE: ./packages/traffic/src/cloud-run.ts
// Google Cloud Run through its Admin API v2 (REST). Each release is a revision; the canary is a new
// revision with a tag and 0 % of traffic, then revision traffic moves per step. Cloud Run keeps old
// revisions, so abort and rollback are one traffic update to a revision that is already warm.


const CONDITION_SUCCEEDED = 'CONDITION_SUCCEEDED';
/** A traffic tag and the service name together (the API's limit: they share the tag URL's DNS label). */
const MAX_TAG_AND_SERVICE = 46;
const CONDITION_FAILED = 'CONDITION_FAILED';
/** An API call that keeps failing with 429/5xx gives up after this long. */
const API_DEADLINE_MS = 120_000;
class CloudRunTarget {
    o;
    kind = 'release';
    clock;
    /** The revision that had the traffic when this rollout began (short name). */
    stableRevision;
    canaryRevision;
    constructor(o) {
        this.o = o;
        this.clock = o.clock ?? src/* systemClock */.ml;
        // The tag URL's DNS label holds both; the API refuses a longer pair (at the first traffic update).
        if (o.tag.length + o.service.length > MAX_TAG_AND_SERVICE)
            throw new src/* PermanentError */.Dr(`cloud-run-tag '${o.tag}' and service '${o.service}' together are ${o.tag.length + o.service.length} characters; Cloud Run allows ${MAX_TAG_AND_SERVICE}: give a shorter cloud-run-tag`);
    }
    /** Names from the inputs are one path segment each, whatever they contain. */
    get servicePath() {
        return ['projects', this.o.project, 'locations', this.o.region, 'services', this.o.service]
            .map(encodeURIComponent)
            .join('/');
    }
    async describe(signal) {
        const service = await this.getService(signal);
        const { stable, canary } = this.roles(service);
        const imageOf = async (revision) => ingressImage((await this.getRevision(revision, signal)).containers);
        const stableImage = stable ? await imageOf(stable.revision) : ingressImage(service.template.containers);
        const state = { stable: { image: stableImage } };
        // No instance count: Cloud Run scales a revision to zero when it gets no requests and starts
        // instances on demand, so none running says nothing about whether the canary can serve.
        if (canary)
            state.canary = { image: await imageOf(canary.revision), weight: canary.percent ?? 0 };
        return state;
    }
    /** Cloud Run's traffic percent is a whole number kept as written, so the share read back is the one set. */
    reportedWeight(percent) {
        return percent;
    }
    async deployCanary(signal) {
        const existing = await this.findRevision(this.o.release.image, signal);
        const service = await this.getService(signal);
        this.stableRevision = this.roles(service).stable?.revision ?? cloud_run_short(service.latestReadyRevision);
        if (!this.stableRevision)
            throw new src/* PermanentError */.Dr(`Cloud Run service ${this.o.service} has no ready revision serving traffic to compare the canary with; deploy it once first`);
        if (existing && existing !== this.stableRevision) {
            this.o.log.info(`revision ${existing} already runs ${this.o.release.image}: tagging it as the canary at 0 %`);
            this.canaryRevision = existing;
            await this.setTraffic([
                { revision: this.stableRevision, percent: 100 },
                { revision: existing, percent: 0, tag: this.o.tag },
            ], signal);
            return;
        }
        const name = revisionName(this.o.service, this.o.release.version, this.clock.now());
        this.canaryRevision = name;
        this.o.log.info(`deploying revision ${name} with ${this.o.release.image}, no traffic, tag ${this.o.tag}`);
        await this.deployRevision(name, this.o.release.image, [revisionTraffic(this.stableRevision, 100), revisionTraffic(name, 0, this.o.tag)], signal);
    }
    async setWeight(percent, signal) {
        const { stable, canary } = await this.rollout(signal);
        await this.setTraffic([
            { revision: stable, percent: 100 - percent },
            { revision: canary, percent, tag: this.o.tag },
        ], signal);
    }
    /** The canary revision takes all traffic; the old one stays as a revision for an instant rollback. */
    async promote(signal) {
        const { canary } = await this.rollout(signal);
        await this.setTraffic([{ revision: canary, percent: 100 }], signal);
    }
    /** All traffic to the stable revision. No signal: it runs to the end even in a cancelled job. */
    async abort() {
        const { stable } = await this.rollout(undefined);
        await this.setTraffic([{ revision: stable, percent: 100 }], undefined);
    }
    /** The newest ready revision with that image takes all traffic; a new revision only when none has it. */
    async rollbackTo(release, signal) {
        let revision = await this.findRevision(release.image, signal);
        if (revision) {
            this.o.log.info(`revision ${revision} still runs ${release.image}: routing all traffic to it`);
        }
        else {
            const service = await this.getService(signal);
            const serving = this.roles(service).stable?.revision ?? cloud_run_short(service.latestReadyRevision);
            revision = revisionName(this.o.service, release.version, this.clock.now());
            this.o.log.info(`no revision runs ${release.image} any more: deploying ${revision}, then routing to it`);
            await this.deployRevision(revision, release.image, [revisionTraffic(serving, 100)], signal);
        }
        await this.setTraffic([{ revision, percent: 100 }], signal);
    }
    /** The stable and canary revisions: remembered from deployCanary, else read from the service (a later job, the post step). */
    async rollout(signal) {
        if (!this.stableRevision || !this.canaryRevision) {
            const roles = this.roles(await this.getService(signal));
            this.stableRevision ??= roles.stable?.revision;
            this.canaryRevision ??= roles.canary?.revision;
        }
        if (!this.stableRevision)
            throw new src/* PermanentError */.Dr(`cannot tell the stable revision of ${this.o.service}: no untagged revision has traffic`);
        if (!this.canaryRevision)
            throw new src/* PermanentError */.Dr(`Cloud Run service ${this.o.service} has no revision tagged '${this.o.tag}': no canary to move traffic to`);
        return { stable: this.stableRevision, canary: this.canaryRevision };
    }
    /** Canary: the revision with our tag. Stable: the other revision with the most traffic (LATEST resolved). */
    roles(service) {
        const statuses = (service.trafficStatuses ?? service.traffic ?? []).map((t) => ({
            ...t,
            revision: t.type === 'TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST' ? cloud_run_short(service.latestReadyRevision) : cloud_run_short(t.revision),
        }));
        const canary = statuses.find((t) => t.tag === this.o.tag && t.revision);
        const stable = statuses
            .filter((t) => t.revision && t.revision !== canary?.revision && (t.percent ?? 0) > 0)
            .sort((a, b) => (b.percent ?? 0) - (a.percent ?? 0))[0];
        return { stable, canary };
    }
    /** Sets the revision traffic, waits for the change, and reads it back. */
    async setTraffic(targets, signal) {
        const what = targets.map((t) => `${t.revision}=${t.percent}%`).join(', ');
        const service = await this.update(signal, () => ({ traffic: targets.map((t) => revisionTraffic(t.revision, t.percent, t.tag)) }), `set traffic ${what}`);
        const actual = new Map((service.trafficStatuses ?? []).map((t) => [cloud_run_short(t.revision), t.percent ?? 0]));
        for (const t of targets) {
            if ((actual.get(t.revision) ?? 0) !== t.percent) {
                throw new src/* PermanentError */.Dr(`Cloud Run reports ${[...actual].map(([r, p]) => `${r}=${p}%`).join(', ') || 'no traffic'} after setting ${what}`);
            }
        }
    }
    /**
     * Writes the fields `change` returns, and only those (they are the updateMask), waits for the
     * operation and reads the service again. The body is never the service read back: Cloud Run checks
     * a template that names an existing revision against it even outside the mask (409 "Revision named
     * … with different configuration already exists"), and ignores the etag, which is output only. So a
     * concurrent edit of the written fields between the read and the write is overwritten (the traffic
     * read back after each write shows it); fields outside the mask are never touched. 409 ABORTED and
     * 412 FAILED_PRECONDITION (google.rpc's codes for a concurrency conflict) mean: read again and
     * re-apply. `watch` runs at each poll of the operation and may throw to stop waiting (a failed revision).
     */
    async update(signal, change, what, watch) {
        return (0,src/* retry */.L5)(async () => {
            const body = change(await this.getService(signal));
            const operation = await this.call('PATCH', `${this.servicePath}?updateMask=${Object.keys(body).join(',')}`, signal, body, what);
            await this.waitOperation(operation, what, signal, watch);
            return this.getService(signal);
        }, { timeoutMs: API_DEADLINE_MS, what, signal, clock: this.clock, isRetryable: (e) => e instanceof ConflictError });
    }
    async waitOperation(operation, what, signal, watch) {
        const started = this.clock.now();
        let op = operation;
        while (!op.done) {
            if (this.clock.now() - started > this.o.readyTimeoutMs)
                throw new src/* PermanentError */.Dr(`${what}: Cloud Run did not finish within ${(0,src/* formatDuration */.a3)(this.o.readyTimeoutMs)} (operation ${op.name})`);
            await this.clock.sleep(this.o.pollIntervalMs ?? 1000, signal);
            await watch?.();
            op = await this.call('GET', op.name, signal, undefined, `poll ${what}`);
        }
        if (op.error)
            throw new src/* PermanentError */.Dr(`${what} failed: ${op.error.message ?? `code ${op.error.code}`}`);
    }
    /** A new revision running `image`, with `traffic` unchanged for the revisions that serve; returns once it is ready. */
    async deployRevision(name, image, traffic, signal) {
        // A revision that fails (image not found, container not listening, failed probe) is reported as
        // soon as its Ready condition says so, not when the operation gives up.
        const watch = async () => {
            const ready = (await this.getRevision(name, signal).catch((e) => {
                if (e instanceof NotFoundError)
                    return undefined;
                throw e;
            }))?.conditions?.find((c) => c.type === 'Ready');
            if (ready?.state === CONDITION_FAILED)
                throw revisionFailed(name, ready);
        };
        try {
            await this.update(signal, (s) => ({ template: withImage(s.template, name, image), traffic }), `deploy revision ${name}`, watch);
        }
        catch (error) {
            if (error instanceof RevisionFailedError)
                throw error;
            // The operation's error is generic; the revision's Ready condition says why it failed.
            const ready = (await this.getRevision(name, signal).catch(() => undefined))?.conditions?.find((c) => c.type === 'Ready');
            if (ready?.state === CONDITION_FAILED)
                throw revisionFailed(name, ready);
            throw error;
        }
        await this.waitReady(name, signal);
    }
    /** Waits for the revision's Ready condition; a failed revision is reported at once with Cloud Run's reason. */
    async waitReady(revision, signal) {
        const started = this.clock.now();
        for (;;) {
            const ready = (await this.getRevision(revision, signal)).conditions?.find((c) => c.type === 'Ready');
            if (ready?.state === CONDITION_SUCCEEDED) {
                this.o.log.info(`revision ${revision} is ready (${(0,src/* formatDuration */.a3)(this.clock.now() - started)})`);
                return;
            }
            if (ready?.state === CONDITION_FAILED)
                throw revisionFailed(revision, ready);
            if (this.clock.now() - started > this.o.readyTimeoutMs) {
                throw new src/* PermanentError */.Dr(`revision ${revision} was not ready within ${(0,src/* formatDuration */.a3)(this.o.readyTimeoutMs)}${ready?.message ? `: ${ready.message}` : ''}; no traffic was moved to it`);
            }
            await this.clock.sleep(this.o.pollIntervalMs ?? 1000, signal);
        }
    }
    /** The newest ready revision of this service whose container runs `image`. */
    async findRevision(image, signal) {
        const revisions = [];
        let pageToken = '';
        do {
            const page = await this.call('GET', `${this.servicePath}/revisions?pageSize=100${pageToken ? `&pageToken=${encodeURIComponent(pageToken)}` : ''}`, signal, undefined, 'list revisions');
            revisions.push(...(page.revisions ?? []));
            pageToken = page.nextPageToken ?? '';
        } while (pageToken);
        return revisions
            .filter((r) => ingressImage(r.containers) === image &&
            r.conditions?.some((c) => c.type === 'Ready' && c.state === CONDITION_SUCCEEDED))
            .sort((a, b) => (b.createTime ?? '').localeCompare(a.createTime ?? ''))
            .map((r) => cloud_run_short(r.name))[0];
    }
    getService(signal) {
        return this.call('GET', this.servicePath, signal, undefined, `get service ${this.o.service}`);
    }
    getRevision(revision, signal) {
        return this.call('GET', `${this.servicePath}/revisions/${encodeURIComponent(revision)}`, signal, undefined, `get revision ${revision}`);
    }
    /**
     * One API call; 429/5xx and network faults retried with backoff, auth failures explained. A token
     * from a credentials file that the API rejects is fetched anew once (it may have been revoked early).
     */
    call(method, path, signal, body, what) {
        const send = async () => this.o.http({
            url: `${this.o.apiUrl.replace(/\/$/, '')}/v2/${path}`,
            method,
            signal,
            timeoutMs: 30_000,
            headers: {
                authorization: `Bearer ${await this.o.auth.token(signal)}`,
                'content-type': 'application/json',
                accept: 'application/json',
            },
            body: body === undefined ? undefined : JSON.stringify(body),
        });
        return (0,src/* retry */.L5)(async () => {
            let response = await send();
            if (response.status === 401 && this.o.auth.invalidate()) {
                this.o.log.info(`Cloud Run ${what}: the access token was rejected; getting a new one`);
                response = await send();
            }
            if (response.status >= 200 && response.status < 300)
                return response.json();
            throw apiError(response, what, this.o.auth);
        }, {
            timeoutMs: API_DEADLINE_MS,
            what: `Cloud Run ${what}`,
            signal,
            clock: this.clock,
            onRetry: ({ error, delayMs }) => this.o.log.info(`Cloud Run ${what}: ${(0,src/* oneLine */.TN)(error)}; retrying in ${(0,src/* formatDuration */.a3)(delayMs)}`),
            delayHint: (e) => e.retryAfterMs,
        });
    }
}
/** Another writer changed the service since we read it: read again and re-apply (not a blind resend). */
class ConflictError extends src/* PermanentError */.Dr {
}
class NotFoundError extends src/* PermanentError */.Dr {
}
class RevisionFailedError extends src/* PermanentError */.Dr {
}
/** google.rpc.Status errors, in the words a person acts on. */
function apiError(response, what, auth) {
    let status = '';
    let message = '';
    try {
        const parsed = response.json();
        status = parsed.error?.status ?? '';
        message = parsed.error?.message ?? '';
    }
    catch {
        /* not JSON */
    }
    const detail = `${status || `HTTP ${response.status}`}${message ? `: ${message}` : ''}`;
    if (response.status === 401)
        return new src/* PermanentError */.Dr(`Cloud Run ${what}: ${auth.credential} was rejected (${detail}): ${auth.fix}`);
    if (response.status === 403)
        return new src/* PermanentError */.Dr(`Cloud Run ${what}: permission denied for ${auth.credential} (${detail}); grant the deploying service account roles/run.developer on the service and roles/iam.serviceAccountUser on its runtime service account`);
    // A concurrency conflict (ABORTED / FAILED_PRECONDITION); ALREADY_EXISTS (a revision name taken) is not a race.
    if ((response.status === 409 && status !== 'ALREADY_EXISTS') || response.status === 412)
        return new ConflictError(`Cloud Run ${what}: ${detail} (another change landed first)`);
    if (response.status === 404)
        return new NotFoundError(`Cloud Run ${what}: ${detail}`);
    if (src/* RETRYABLE_STATUSES */.U3.has(response.status))
        return (0,src/* statusError */.$C)(response, `Cloud Run ${what}: ${detail}`);
    return new src/* PermanentError */.Dr(`Cloud Run ${what}: ${detail}`);
}
function revisionFailed(revision, ready) {
    return new RevisionFailedError(`revision ${revision} failed: ${ready.revisionReason ?? ready.reason ?? 'no reason given'}: ${ready.message ?? ''}; no traffic was moved to it`);
}
function revisionTraffic(revision, percent, tag) {
    return { type: 'TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION', revision, percent, ...(tag ? { tag } : {}) };
}
/** projects/p/locations/l/services/s/revisions/r → r */
function cloud_run_short(name) {
    return name?.split('/').pop() || undefined;
}
/** The container that serves requests (the one with a port; sidecars have none) is the one whose image changes. */
function ingressIndex(containers) {
    return Math.max(0, containers?.findIndex((c) => c.ports?.length) ?? 0);
}
function ingressImage(containers) {
    return containers?.[ingressIndex(containers)]?.image ?? '';
}
function withImage(template, revision, image) {
    const index = ingressIndex(template.containers);
    return { ...template, revision, containers: template.containers.map((c, i) => (i === index ? { ...c, image } : c)) };
}
/** <service>-<version>-<time>: a valid, unique revision name (lower case, 63 characters at most). */
function revisionName(service, version, now) {
    const stamp = now.toString(36).slice(-6);
    const slug = version
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-+|-+$/g, '') || 'release';
    const room = 63 - service.length - stamp.length - 2;
    return `${service}-${slug.slice(0, Math.max(1, room)).replace(/-+$/, '')}-${stamp}`;
}


/***/ })

};
