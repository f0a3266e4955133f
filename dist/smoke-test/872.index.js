export const id = 872;
export const ids = [872];
export const modules = {

/***/ 872:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  smoke: () => (/* binding */ smoke)
});

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./packages/core/src/errors.ts
var errors = __webpack_require__(637);
// EXTERNAL MODULE: ./packages/core/src/clock.ts
var src_clock = __webpack_require__(8538);
;// CONCATENATED MODULE: ./packages/core/src/retry.ts


/** Exponential backoff with full jitter ("Exponential Backoff And Jitter", AWS), bounded by a deadline. */
function backoffDelay(attempt, opts) {
    const initial = opts.initialDelayMs ?? 250;
    const cap = opts.maxDelayMs ?? 10_000;
    const ceiling = Math.min(cap, initial * Math.pow(opts.factor ?? 2, attempt - 1));
    const random = opts.random ?? Math.random;
    // Half fixed, half jittered: never a zero wait, still spreads out a thundering herd.
    return ceiling / 2 + random() * (ceiling / 2);
}
/**
 * Runs fn until it succeeds, a non-retryable error is thrown, or the deadline passes.
 * The last error is kept as the cause of the DeadlineError so the log says why.
 */
async function retry(fn, opts) {
    const clock = opts.clock ?? systemClock;
    const isRetryable = opts.isRetryable ?? isTransient;
    const started = clock.now();
    for (let attempt = 1;; attempt++) {
        if (opts.signal?.aborted)
            throw abortReason(opts.signal);
        try {
            return await fn(attempt);
        }
        catch (error) {
            if (opts.signal?.aborted)
                throw abortReason(opts.signal);
            if (!isRetryable(error))
                throw error;
            const elapsed = clock.now() - started;
            const hinted = opts.delayHint?.(error);
            const delayMs = Math.max(backoffDelay(attempt, opts), hinted ?? 0);
            const outOfAttempts = opts.maxAttempts !== undefined && attempt >= opts.maxAttempts;
            if (outOfAttempts || elapsed + delayMs > opts.timeoutMs) {
                const what = opts.what ?? 'operation';
                throw new DeadlineError(`${what} still failing after ${attempt} attempt(s) in ${Math.round(elapsed)}ms: ${oneLine(error)}`, { cause: error });
            }
            opts.onRetry?.({ attempt, error, delayMs });
            await clock.sleep(delayMs, opts.signal);
        }
    }
}

// EXTERNAL MODULE: ./packages/core/src/secrets.ts
var secrets = __webpack_require__(8517);
;// CONCATENATED MODULE: ./packages/core/src/logger.ts
/** A logger that remembers what it was told; for tests and for plain Node scripts. */
class MemoryLogger {
    echo;
    records = [];
    constructor(echo = false) {
        this.echo = echo;
    }
    push(record) {
        this.records.push(record);
        if (this.echo)
            process.stderr.write(`[${record.level}] ${record.message}\n`);
    }
    debug(message) {
        this.push({ level: 'debug', message });
    }
    info(message) {
        this.push({ level: 'info', message });
    }
    warning(message, annotation) {
        this.push({ level: 'warning', message, annotation });
    }
    error(message, annotation) {
        this.push({ level: 'error', message, annotation });
    }
    async group(title, fn) {
        this.info(title);
        return fn();
    }
    messages(level) {
        return this.records.filter((r) => !level || r.level === level).map((r) => r.message);
    }
}
const silentLogger = {
    debug() { },
    info() { },
    warning() { },
    error() { },
    group: (_title, fn) => fn(),
};

// EXTERNAL MODULE: external "node:child_process"
var external_node_child_process_ = __webpack_require__(1421);
// EXTERNAL MODULE: ./packages/core/src/leftovers.ts
var src_leftovers = __webpack_require__(6012);
;// CONCATENATED MODULE: ./packages/core/src/exec.ts




/**
 * Runs a program with an argument array: never through a shell, so no input can be spliced into a
 * command line. The child gets its own process group so a timeout or cancel kills its children too,
 * and is tracked in `leftovers` while it runs, so a post step can end the group if the main step dies.
 */
function exec(command, args, opts = {}) {
    const started = Date.now();
    const maxBuffer = opts.maxBuffer ?? 4 * 1024 * 1024;
    return new Promise((resolve, reject) => {
        if (opts.signal?.aborted)
            return reject(abortReason(opts.signal));
        const env = { ...process.env };
        for (const [k, v] of Object.entries(opts.env ?? {})) {
            if (v === undefined)
                delete env[k];
            else
                env[k] = v;
        }
        const child = spawn(command, [...args], { cwd: opts.cwd, env, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
        leftovers.addChild(child.pid);
        const out = { stdout: '', stderr: '' };
        const partial = { stdout: '', stderr: '' };
        let timedOut = false;
        const kill = () => {
            if (child.pid === undefined || child.exitCode !== null)
                return;
            try {
                process.kill(-child.pid, 'SIGTERM');
            }
            catch {
                /* already gone */
            }
            setTimeout(() => {
                try {
                    process.kill(-child.pid, 'SIGKILL');
                }
                catch {
                    /* gone */
                }
            }, 3000).unref();
        };
        const timer = opts.timeoutMs
            ? setTimeout(() => {
                timedOut = true;
                kill();
            }, opts.timeoutMs)
            : undefined;
        const onAbort = () => kill();
        opts.signal?.addEventListener('abort', onAbort, { once: true });
        const collect = (stream) => (chunk) => {
            const text = chunk.toString('utf8');
            out[stream] = (out[stream] + text).slice(-maxBuffer);
            if (opts.onLine) {
                const lines = (partial[stream] + text).split('\n');
                partial[stream] = lines.pop() ?? '';
                for (const line of lines)
                    opts.onLine(line, stream);
            }
        };
        child.stdout.on('data', collect('stdout'));
        child.stderr.on('data', collect('stderr'));
        child.on('error', (error) => {
            leftovers.removeChild(child.pid);
            clearTimeout(timer);
            opts.signal?.removeEventListener('abort', onAbort);
            const code = error.code;
            reject(code === 'ENOENT'
                ? new PermanentError(`${command}: not found on PATH; install it or set the path to it`, { cause: error })
                : error);
        });
        child.on('close', (exitCode, signal) => {
            leftovers.removeChild(child.pid);
            clearTimeout(timer);
            opts.signal?.removeEventListener('abort', onAbort);
            for (const stream of ['stdout', 'stderr']) {
                if (partial[stream] && opts.onLine)
                    opts.onLine(partial[stream], stream);
            }
            if (opts.signal?.aborted)
                return reject(abortReason(opts.signal));
            resolve({ command, exitCode, signal, ...out, durationMs: Date.now() - started, timedOut });
        });
        child.stdin.on('error', () => {
            /* the child may exit before reading its input */
        });
        child.stdin.end(opts.input ?? '');
    });
}
/** Like exec, but a non-zero exit or a timeout is an error carrying the tail of stderr. */
async function execChecked(command, args, opts = {}) {
    const result = await exec(command, args, opts);
    if (result.timedOut) {
        throw new TransientError(`${command} timed out after ${opts.timeoutMs}ms`);
    }
    if (result.exitCode !== 0) {
        const tail = (result.stderr.trim() || result.stdout.trim()).split('\n').slice(-5).join(' | ');
        throw new PermanentError(`${command} exited with ${result.exitCode ?? result.signal}${tail ? `: ${tail}` : ''}`);
    }
    return result;
}

// EXTERNAL MODULE: external "node:http"
var external_node_http_ = __webpack_require__(7067);
// EXTERNAL MODULE: external "node:https"
var external_node_https_ = __webpack_require__(4708);
;// CONCATENATED MODULE: ./packages/core/src/http.ts



/** Statuses worth retrying when the operation is idempotent. */
const RETRYABLE_STATUSES = new Set([408, 425, 429, 500, 502, 503, 504]);
/** A failed exchange; status is set when the server answered, code when the network failed. */
class HttpError extends errors/* ActionError */.lZ {
    status;
    retryAfterMs;
    code;
    constructor(kind, message, details = {}) {
        super(kind, message, { cause: details.cause });
        this.status = details.status;
        this.retryAfterMs = details.retryAfterMs;
        this.code = details.code;
    }
}
const agents = {
    http: new external_node_http_.Agent({ keepAlive: true, maxSockets: 64 }),
    https: new external_node_https_.Agent({ keepAlive: true, maxSockets: 64 }),
};
/**
 * One HTTP client for the library, on node:http(s) rather than fetch because smoke checks and
 * registries need what fetch hides: exact timings, the peer certificate, raw repeated headers.
 */
async function request(req) {
    let url = new URL(req.url);
    let method = (req.method ?? 'GET').toUpperCase();
    let body = req.body;
    let headers = { ...req.headers };
    const started = performance.now();
    for (let redirects = 0;; redirects++) {
        const response = await once(url, method, headers, body, req, started);
        const location = response.headers.location;
        if (location && response.status >= 300 && response.status < 400 && redirects < (req.maxRedirects ?? 0)) {
            const next = new URL(location, url);
            if (next.origin !== url.origin)
                headers = withoutCredentials(headers, req.secrets);
            if (response.status === 303 || ((response.status === 301 || response.status === 302) && method === 'POST')) {
                method = 'GET';
                body = undefined;
            }
            url = next;
            continue;
        }
        return response;
    }
}
/** Headers that carry a credential by definition (RFC 9110 and RFC 6265), plus the common API-key headers. */
const CREDENTIAL_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'x-api-key', 'api-key']);
/** A header that must not follow a redirect to another origin: it is, or holds, a credential. */
function isCredentialHeader(name, value, secrets) {
    return CREDENTIAL_HEADERS.has(name.toLowerCase()) || Boolean(secrets?.contains(value));
}
function withoutCredentials(headers, secrets) {
    return Object.fromEntries(Object.entries(headers).filter(([name, value]) => !isCredentialHeader(name, value, secrets)));
}
function once(url, method, headers, body, req, started) {
    const isHttps = url.protocol === 'https:';
    if (!isHttps && url.protocol !== 'http:') {
        return Promise.reject(new errors/* PermanentError */.Dr(`unsupported URL scheme ${url.protocol} in ${url.origin}`));
    }
    const transport = isHttps ? external_node_https_ : external_node_http_;
    const customTls = isHttps && (req.insecure || req.ca || req.cert);
    const options = {
        method,
        headers: { 'user-agent': 'deploy-actions', ...headers },
        agent: customTls
            ? new external_node_https_.Agent({ rejectUnauthorized: !req.insecure, ca: req.ca, cert: req.cert, key: req.key })
            : isHttps
                ? agents.https
                : agents.http,
        signal: req.signal,
    };
    const maxBody = req.maxBodyBytes ?? 32 * 1024 * 1024;
    return new Promise((resolve, reject) => {
        const clientRequest = transport.request(url, options, (res) => {
            const chunks = [];
            const remoteAddress = res.socket?.remoteAddress;
            let size = 0;
            let certificate;
            const socket = res.socket;
            if (isHttps && typeof socket.getPeerCertificate === 'function') {
                const cert = socket.getPeerCertificate();
                if (cert && cert.valid_to) {
                    certificate = {
                        subject: formatName(cert.subject),
                        issuer: formatName(cert.issuer),
                        validFrom: new Date(cert.valid_from),
                        validTo: new Date(cert.valid_to),
                        serialNumber: cert.serialNumber
                            ?.toLowerCase()
                            .replace(/^(.(.{2})*)$/, '0$1')
                            .match(/.{2}/g)
                            ?.join(':'),
                    };
                }
            }
            res.on('data', (chunk) => {
                if (req.onData && (res.statusCode ?? 0) < 300)
                    return req.onData(chunk);
                size += chunk.length;
                if (size > maxBody) {
                    clientRequest.destroy(new errors/* PermanentError */.Dr(`${method} ${url.origin}${url.pathname}: response body over ${maxBody} bytes`));
                    return;
                }
                chunks.push(chunk);
            });
            res.on('error', reject);
            res.on('end', () => {
                clearTimeout(timer);
                const buffer = Buffer.concat(chunks);
                const rawHeaders = [];
                for (let i = 0; i < res.rawHeaders.length; i += 2)
                    rawHeaders.push([res.rawHeaders[i], res.rawHeaders[i + 1]]);
                const flat = {};
                for (const [name, value] of Object.entries(res.headers)) {
                    if (value !== undefined)
                        flat[name] = Array.isArray(value) ? value.join(', ') : value;
                }
                resolve({
                    url: url.toString(),
                    status: res.statusCode ?? 0,
                    headers: flat,
                    rawHeaders,
                    body: buffer,
                    text: () => buffer.toString('utf8'),
                    json: () => JSON.parse(buffer.toString('utf8')),
                    durationMs: performance.now() - started,
                    certificate,
                    httpVersion: res.httpVersion,
                    remoteAddress,
                });
            });
        });
        const timer = setTimeout(() => {
            clientRequest.destroy(new errors/* TransientError */.N_(`${method} ${url.origin}${url.pathname}: no complete response within ${req.timeoutMs}ms`));
        }, req.timeoutMs ?? 30_000);
        // A 101 Switching Protocols or a CONNECT reply never becomes a response: end with a clear error
        // instead of a promise that never settles (node would exit 0 with nothing reported).
        const switched = (what) => (res, socket) => {
            clearTimeout(timer);
            socket.destroy();
            reject(new errors/* PermanentError */.Dr(`${method} ${url.origin}${url.pathname}: ${what} (HTTP ${res.statusCode}) is unsupported`));
        };
        clientRequest.on('upgrade', switched('the server switched protocols'));
        clientRequest.on('connect', switched('a CONNECT tunnel'));
        clientRequest.on('error', (error) => {
            clearTimeout(timer);
            if (error instanceof errors/* PermanentError */.Dr || error instanceof errors/* TransientError */.N_)
                return reject(error);
            const where = `${method} ${url.origin}${url.pathname}`;
            const kind = (0,errors/* isTransient */.dg)(error) ? 'transient' : 'permanent';
            reject(new HttpError(kind, `${where}: ${error.code ?? error.message}`, { code: error.code, cause: error }));
        });
        if (body !== undefined)
            clientRequest.end(body);
        else
            clientRequest.end();
    });
}
function formatName(name) {
    if (!name || typeof name !== 'object')
        return '';
    return Object.entries(name)
        .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : v}`)
        .join(', ');
}
/** Turns a non-2xx response into an error whose kind says whether a retry may help. */
function statusError(response, what) {
    const retryAfter = parseRetryAfter(response.headers['retry-after']);
    const detail = response.text().slice(0, 300).replace(/\s+/g, ' ').trim();
    const kind = RETRYABLE_STATUSES.has(response.status) ? 'transient' : 'permanent';
    return new HttpError(kind, `${what}: HTTP ${response.status}${detail ? ` ${detail}` : ''}`, {
        status: response.status,
        retryAfterMs: retryAfter,
    });
}
function parseRetryAfter(value) {
    if (!value)
        return undefined;
    if (/^\d+$/.test(value.trim()))
        return Number(value.trim()) * 1000;
    const at = Date.parse(value);
    return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

// EXTERNAL MODULE: ./packages/core/src/markdown.ts
var markdown = __webpack_require__(4867);
;// CONCATENATED MODULE: ./packages/core/src/index.ts











// EXTERNAL MODULE: ./packages/probe/src/spec.ts
var spec = __webpack_require__(1578);
;// CONCATENATED MODULE: ./packages/probe/src/smoke/model.ts
/** What one smoke check produced: the shape the scheduler, the reporters and the action share. */
function stepPassed(step) {
    return !step.error && step.assertions.every((a) => a.ok);
}
function outcomePassed(outcome) {
    return outcome.steps.length > 0 && outcome.steps.every(stepPassed);
}
/** The first thing that went wrong, for tables and annotations. */
function firstFailure(steps) {
    for (const step of steps) {
        if (step.error)
            return { step };
        const assertion = step.assertions.find((a) => !a.ok);
        if (assertion)
            return { step, assertion };
    }
    return undefined;
}
function describeFailure(failure) {
    const { step, assertion } = failure;
    if (!assertion)
        return `${step.request}: ${step.error}`;
    // The request first: "HTTP 201: expected 201, actual 500" alone does not say which call broke.
    if (assertion.message)
        return `${step.request}: ${assertion.source}: ${assertion.message}`;
    return `${step.request}: ${assertion.source}: expected ${assertion.expected ?? '?'}, actual ${assertion.actual ?? '?'}`;
}

;// CONCATENATED MODULE: ./packages/probe/src/smoke/run.ts


/**
 * Two phases per check: wait until the service answers (retrying only what is retryable, within the
 * readiness deadline), then assert once; a check that fails its assertions may be run again while the
 * shared flake budget lasts, and is then reported as flaky rather than passed.
 */
async function runSmoke(checks, options) {
    const clock = options.clock ?? src_clock/* systemClock */.ml;
    const started = clock.now();
    const deadline = started + options.readyTimeoutMs;
    const budget = { left: options.flakeBudget };
    const signal = options.signal ?? new AbortController().signal;
    const results = new Array(checks.length);
    let next = 0;
    const worker = async () => {
        for (let i = next++; i < checks.length; i = next++) {
            results[i] = await runCheck(checks[i], { ...options, clock, signal, deadline, budget, started });
        }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(options.parallelism, checks.length)) }, worker));
    const latenciesMs = results.flatMap((r) => r.steps.map((s) => s.durationMs).filter((d) => d !== undefined));
    const assertionCount = results.reduce((n, r) => n + r.steps.reduce((m, s) => m + s.assertions.length, 0), 0);
    const failedCount = results.filter((r) => r.status === 'failed').length;
    // Checks that failed already fail the run; this catches a run that "passed" without verifying anything.
    const problem = checks.length === 0
        ? 'no checks to run'
        : assertionCount === 0 && failedCount === 0
            ? 'no assertion was executed, so nothing was verified'
            : undefined;
    return {
        results,
        passed: failedCount === 0 && !problem,
        failedCount,
        flakyCount: results.filter((r) => r.status === 'flaky').length,
        assertionCount,
        latenciesMs,
        p95Ms: percentile(latenciesMs, 95),
        durationMs: clock.now() - started,
        problem,
    };
}
async function runCheck(check, state) {
    const { clock, log } = state;
    let outcome;
    // Phase 1: until the first request gets a real answer.
    for (let attempt = 1;; attempt++) {
        outcome = await check.run(state.signal);
        const first = outcome.steps[0];
        const notReady = first?.retryable === true && !outcomePassed(outcome);
        if (!notReady)
            break;
        const wait = backoffDelay(attempt, {
            initialDelayMs: state.readyIntervalMs,
            maxDelayMs: state.maxIntervalMs ?? 5_000,
        });
        if (clock.now() + wait > state.deadline) {
            const why = first.error ?? `HTTP ${first.status}`;
            log.info(`${check.name}: not ready after ${(0,src_clock/* formatDuration */.a3)(clock.now() - state.started)} (${why})`);
            return result(check, 'failed', 1, clock.now() - state.started, outcome, `not ready within ${(0,src_clock/* formatDuration */.a3)(state.readyTimeoutMs)}: ${first.request}: ${why}`);
        }
        log.debug(`${check.name}: not ready (${first.error ?? `HTTP ${first.status}`}), next try in ${(0,src_clock/* formatDuration */.a3)(wait)}`);
        await clock.sleep(wait, state.signal);
    }
    const readyAfterMs = clock.now() - state.started;
    // Phase 2: the assertions count from the first ready run; re-runs only from the flake budget.
    let attempts = 1;
    while (!outcomePassed(outcome) && state.budget.left > 0) {
        state.budget.left--;
        attempts++;
        log.info(`${check.name}: failed (${describe(outcome)}); running again from the flake budget (${state.budget.left} left)`);
        outcome = await check.run(state.signal);
    }
    if (!outcomePassed(outcome))
        return result(check, 'failed', attempts, readyAfterMs, outcome, describe(outcome));
    return result(check, attempts > 1 ? 'flaky' : 'passed', attempts, readyAfterMs, outcome);
}
function describe(outcome) {
    const failure = firstFailure(outcome.steps);
    return failure ? describeFailure(failure) : 'no requests were made';
}
function result(check, status, attempts, readyAfterMs, outcome, reason) {
    return { name: check.name, file: check.file, status, attempts, readyAfterMs, steps: outcome.steps, reason };
}
/** Nearest-rank percentile; undefined for no data. */
function percentile(values, p) {
    if (!values.length)
        return undefined;
    const sorted = [...values].sort((a, b) => a - b);
    const rank = Math.ceil((p / 100) * sorted.length);
    return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

;// CONCATENATED MODULE: ./packages/probe/src/smoke/status.ts

/** Statuses that mean "not up yet" while waiting for readiness. */
const NOT_READY_STATUSES = new Set([502, 503, 504]);
function statusMatches(expected, status) {
    return expected
        .split(',')
        .map((s) => s.trim())
        .some((s) => (/^\dxx$/.test(s) ? String(status)[0] === s[0] : Number(s) === status));
}
/**
 * One request to a URL: its status, plus whatever `moreAssertions` judges of the response. Refused
 * connections, timeouts and 502/503/504 count as "not ready yet", so runSmoke waits for them.
 */
function statusCheck(spec, send, moreAssertions = () => []) {
    const label = `${spec.method} ${spec.url}`;
    return {
        name: label,
        async run(signal) {
            const started = Date.now();
            let response;
            try {
                response = await send({ url: spec.url, method: spec.method, headers: Object.fromEntries(spec.headers), body: spec.body }, signal);
            }
            catch (error) {
                if (signal.aborted)
                    throw error;
                return {
                    steps: [
                        {
                            request: label,
                            error: (0,errors/* oneLine */.TN)(error),
                            retryable: (0,errors/* errorKind */.f8)(error) === 'transient',
                            durationMs: Date.now() - started,
                            assertions: [],
                        },
                    ],
                };
            }
            const statusOk = statusMatches(spec.expectedStatus, response.status);
            const assertions = [
                {
                    source: `HTTP ${spec.expectedStatus}`,
                    ok: statusOk,
                    expected: spec.expectedStatus,
                    actual: String(response.status),
                },
                ...moreAssertions(response),
            ];
            return {
                steps: [
                    {
                        request: label,
                        status: response.status,
                        durationMs: response.durationMs,
                        assertions,
                        retryable: !statusOk && NOT_READY_STATUSES.has(response.status),
                    },
                ],
            };
        },
    };
}

;// CONCATENATED MODULE: ./packages/probe/src/check.ts
// The smoke runner (wait until ready, then assert once) and the status check, without the Hurl engine
// and its libraries (JSONPath, XPath, HTML and XML parsers, cookies): an action that only asks whether
// a URL answers imports this entry, so its bundle carries none of the engine.




// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: ./node_modules/.pnpm/tough-cookie@6.1.0/node_modules/tough-cookie/dist/index.js
var dist = __webpack_require__(5206);
// EXTERNAL MODULE: ./packages/probe/src/hurl/ast.ts
var ast = __webpack_require__(7871);
// EXTERNAL MODULE: external "node:zlib"
var external_node_zlib_ = __webpack_require__(8522);
// EXTERNAL MODULE: ./node_modules/.pnpm/@xmldom+xmldom@0.9.12/node_modules/@xmldom/xmldom/lib/index.js
var lib = __webpack_require__(9745);
// EXTERNAL MODULE: ./node_modules/.pnpm/json-p3@2.3.1/node_modules/json-p3/dist/json-p3.cjs.js
var json_p3_cjs = __webpack_require__(876);
// EXTERNAL MODULE: ./node_modules/.pnpm/parse5@8.1.1/node_modules/parse5/dist/index.js + 17 modules
var parse5_dist = __webpack_require__(356);
// EXTERNAL MODULE: ./node_modules/.pnpm/xpath@0.0.34/node_modules/xpath/xpath.js
var xpath = __webpack_require__(5831);
// EXTERNAL MODULE: ./packages/probe/src/hurl/parse.ts
var parse = __webpack_require__(9764);
// EXTERNAL MODULE: ./packages/probe/src/hurl/template.ts
var template = __webpack_require__(3181);
// EXTERNAL MODULE: ./packages/probe/src/hurl/value.ts
var hurl_value = __webpack_require__(9018);
;// CONCATENATED MODULE: ./packages/probe/src/hurl/dates.ts
/**
 * Hurl's `toDate` and `format` filters take chrono (strftime) formats. This covers the specifiers
 * real specs use; any other is an error rather than a guess.
 */
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const MONTH_NAMES = [
    'January',
    'February',
    'March',
    'April',
    'May',
    'June',
    'July',
    'August',
    'September',
    'October',
    'November',
    'December',
];
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const pad = (n, width = 2) => String(n).padStart(width, '0');
/** Expands the composite specifiers into the simple ones. */
function expand(format) {
    return format.replace(/%([TFDRc+])/g, (_m, c) => c === 'T'
        ? '%H:%M:%S'
        : c === 'F'
            ? '%Y-%m-%d'
            : c === 'D'
                ? '%m/%d/%y'
                : c === 'R'
                    ? '%H:%M'
                    : c === 'c'
                        ? '%a %b %e %H:%M:%S %Y'
                        : '%Y-%m-%dT%H:%M:%S%.f%:z');
}
function formatDate(date, format) {
    return expand(format).replace(/%(\.?\d?f|:z|[a-zA-Z%])/g, (m, spec) => {
        switch (spec) {
            case 'Y':
                return String(date.getUTCFullYear());
            case 'y':
                return pad(date.getUTCFullYear() % 100);
            case 'm':
                return pad(date.getUTCMonth() + 1);
            case 'd':
                return pad(date.getUTCDate());
            case 'e':
                return String(date.getUTCDate()).padStart(2, ' ');
            case 'H':
                return pad(date.getUTCHours());
            case 'I':
                return pad(((date.getUTCHours() + 11) % 12) + 1);
            case 'p':
                return date.getUTCHours() < 12 ? 'AM' : 'PM';
            case 'M':
                return pad(date.getUTCMinutes());
            case 'S':
                return pad(date.getUTCSeconds());
            case 'j':
                return pad(Math.floor((date.getTime() - Date.UTC(date.getUTCFullYear(), 0, 1)) / 86_400_000) + 1, 3);
            case 'a':
                return DAYS[date.getUTCDay()];
            case 'A':
                return DAY_NAMES[date.getUTCDay()];
            case 'b':
            case 'h':
                return MONTHS[date.getUTCMonth()];
            case 'B':
                return MONTH_NAMES[date.getUTCMonth()];
            case 'z':
                return '+0000';
            case ':z':
                return '+00:00';
            case 'Z':
                return 'UTC';
            case 's':
                return String(Math.floor(date.getTime() / 1000));
            case 'u':
                return String(date.getUTCDay() || 7);
            case 'w':
                return String(date.getUTCDay());
            case '%':
                return '%';
            case 'f':
            case '.f':
            case '3f':
            case '.3f':
                return (spec.startsWith('.') ? '.' : '') + pad(date.getUTCMilliseconds(), 3);
            case '6f':
            case '.6f':
                return (spec.startsWith('.') ? '.' : '') + pad(date.getUTCMilliseconds(), 3) + '000';
            case '9f':
            case '.9f':
                return (spec.startsWith('.') ? '.' : '') + pad(date.getUTCMilliseconds(), 3) + '000000';
            default:
                throw new Error(`date format specifier ${m} is unsupported`);
        }
    });
}
/** Parses `text` with a strftime format; undefined when it does not match. */
function parseDate(text, format) {
    const fields = {};
    const names = [];
    let pattern = '';
    const parts = expand(format).split(/(%(?:\.?\d?f|:z|[a-zA-Z%]))/);
    for (const part of parts) {
        if (!part)
            continue;
        if (!part.startsWith('%') || part.length === 1) {
            pattern += part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+');
            continue;
        }
        const spec = part.slice(1);
        const group = (re) => {
            names.push(spec);
            pattern += `(${re})`;
        };
        switch (spec) {
            case 'Y':
                group('[+-]?\\d{4,}');
                break;
            case 'y':
            case 'm':
            case 'd':
            case 'H':
            case 'I':
            case 'M':
            case 'S':
                group('\\d{1,2}');
                break;
            case 'e':
                group(' ?\\d{1,2}');
                break;
            case 'j':
                group('\\d{1,3}');
                break;
            case 'p':
                group('[AaPp][Mm]');
                break;
            case 'a':
            case 'A':
                group('[A-Za-z]+');
                break;
            case 'b':
            case 'h':
            case 'B':
                group('[A-Za-z]+');
                break;
            case 'z':
            case ':z':
                group('Z|[+-]\\d{2}:?\\d{2}');
                break;
            case 'Z':
                group('[A-Za-z]+');
                break;
            case 's':
                group('-?\\d+');
                break;
            case 'f':
            case '3f':
            case '6f':
            case '9f':
                group('\\d+');
                break;
            case '.f':
            case '.3f':
            case '.6f':
            case '.9f':
                group('(?:\\.\\d+)?');
                break;
            case '%':
                pattern += '%';
                break;
            default:
                throw new Error(`date format specifier %${spec} is unsupported`);
        }
    }
    const m = new RegExp(`^${pattern}$`).exec(text.trim());
    if (!m)
        return undefined;
    names.forEach((name, i) => (fields[name] = m[i + 1] ?? ''));
    if ('s' in fields)
        return new Date(Number(fields.s) * 1000);
    const month = (name) => {
        const i = MONTHS.findIndex((mo) => name.slice(0, 3).toLowerCase() === mo.toLowerCase());
        return i < 0 ? undefined : i;
    };
    let year = Number(fields.Y ?? (fields.y !== undefined ? 2000 + Number(fields.y) : 1970));
    if (fields.y !== undefined && Number(fields.y) >= 70 && fields.Y === undefined)
        year -= 100;
    const mon = fields.m !== undefined
        ? Number(fields.m) - 1
        : fields.b !== undefined
            ? month(fields.b)
            : fields.B !== undefined
                ? month(fields.B)
                : fields.h !== undefined
                    ? month(fields.h)
                    : 0;
    if (mon === undefined)
        return undefined;
    const day = Number((fields.d ?? fields.e ?? '1').trim());
    let hour = Number(fields.H ?? fields.I ?? 0);
    if (fields.p)
        hour = (hour % 12) + (fields.p.toLowerCase() === 'pm' ? 12 : 0);
    const frac = (fields.f ??
        fields['.f'] ??
        fields['3f'] ??
        fields['.3f'] ??
        fields['6f'] ??
        fields['.6f'] ??
        fields['9f'] ??
        fields['.9f'] ??
        '').replace('.', '');
    const ms = frac ? Math.round(Number(`0.${frac}`) * 1000) : 0;
    let utc = Date.UTC(year, mon, day, hour, Number(fields.M ?? 0), Number(fields.S ?? 0), ms);
    const tz = fields.z ?? fields[':z'];
    if (tz && tz !== 'Z') {
        const t = /([+-])(\d{2}):?(\d{2})/.exec(tz);
        utc -= (t[1] === '-' ? -1 : 1) * (Number(t[2]) * 60 + Number(t[3])) * 60_000;
    }
    const date = new Date(utc);
    return Number.isNaN(date.getTime()) ? undefined : date;
}

;// CONCATENATED MODULE: ./packages/probe/src/hurl/evaluate.ts











/** A query or filter that could not produce a value: the assertion fails with this message. */
class EvalError extends Error {
}
const DAY = 86_400_000;
/** Parsed forms of one response body, built once however many queries read it. */
class BodyCache {
    response;
    text;
    json;
    doc;
    decoded;
    constructor(response) {
        this.response = response;
    }
    bytes() {
        if (this.decoded)
            return this.decoded;
        const encoding = (this.response.headers['content-encoding'] ?? '').toLowerCase().trim();
        const raw = this.response.body;
        try {
            this.decoded =
                encoding === 'gzip' || encoding === 'x-gzip'
                    ? (0,external_node_zlib_.gunzipSync)(raw)
                    : encoding === 'deflate'
                        ? (0,external_node_zlib_.inflateSync)(raw)
                        : encoding === 'br'
                            ? (0,external_node_zlib_.brotliDecompressSync)(raw)
                            : raw;
        }
        catch (error) {
            throw new EvalError(`cannot decode the ${encoding} body: ${error.message}`);
        }
        return this.decoded;
    }
    string() {
        if (this.text !== undefined)
            return this.text;
        const charset = /charset=["']?([\w-]+)/i.exec(this.response.headers['content-type'] ?? '')?.[1] ?? 'utf-8';
        try {
            this.text = new TextDecoder(charset, { fatal: true }).decode(this.bytes());
        }
        catch {
            throw new EvalError(`the body is not valid ${charset} text`);
        }
        return this.text;
    }
    jsonValue() {
        if (this.json)
            return this.json;
        const text = this.string();
        try {
            this.json = { plain: JSON.parse(text), typed: (0,hurl_value/* parseJsonTyped */.kq)(text) };
        }
        catch {
            throw new EvalError(`the body is not JSON (${this.bytes().length} bytes, content-type ${this.response.headers['content-type'] ?? 'none'})`);
        }
        return this.json;
    }
    document() {
        if (this.doc)
            return this.doc;
        const html = /html/i.test(this.response.headers['content-type'] ?? '');
        this.doc = parseMarkup(this.string(), html);
        return this.doc;
    }
}
function parseMarkup(text, html) {
    if (html)
        return htmlDocument(text);
    try {
        return new lib/* DOMParser */.S4({ onError: () => undefined }).parseFromString(text, 'text/xml');
    }
    catch (error) {
        throw new EvalError(`the body is not XML: ${error.message.split('\n')[0]}`);
    }
}
/** HTML as browsers (and Hurl's libxml2 HTML parser) read it: no namespaces, so //h1 matches. */
function htmlDocument(text) {
    const doc = new lib/* DOMImplementation */.x2().createDocument(null, '', null);
    const copy = (from, to) => {
        for (const child of from.childNodes ?? []) {
            if (child.nodeName === '#documentType')
                continue;
            let node;
            if (child.nodeName === '#text')
                node = doc.createTextNode(child.value ?? '');
            else if (child.nodeName === '#comment')
                node = doc.createComment(child.data ?? '');
            else {
                const element = doc.createElement(child.tagName ?? child.nodeName);
                for (const a of child.attrs ?? []) {
                    try {
                        element.setAttribute(a.name, a.value);
                    }
                    catch {
                        // An attribute name XML cannot hold (HTML allows more) is left out.
                    }
                }
                copy(child.content ?? child, element);
                node = element;
            }
            to.appendChild(node);
        }
    };
    copy((0,parse5_dist/* parse */.qg)(text), doc);
    return doc;
}
/** The prefixes the document declares on its root; `_` names its default namespace (as in Hurl). */
function namespacesOf(doc) {
    const root = doc.documentElement;
    const out = {};
    for (const attr of Array.from(root?.attributes ?? [])) {
        if (attr.name === 'xmlns')
            out._ = attr.value;
        else if (attr.name.startsWith('xmlns:'))
            out[attr.name.slice(6)] = attr.value;
    }
    return out;
}
function evalXpath(doc, expr) {
    let result;
    try {
        const namespaces = namespacesOf(doc);
        const select = Object.keys(namespaces).length ? xpath.useNamespaces(namespaces) : xpath.select;
        result = select(expr, doc);
    }
    catch (error) {
        throw new EvalError(`invalid XPath expression '${expr}': ${error.message}`);
    }
    if (Array.isArray(result))
        return new hurl_value/* Nodeset */.LI(result.length);
    if (typeof result === 'number')
        return result;
    if (typeof result === 'string' || typeof result === 'boolean')
        return result;
    return new hurl_value/* Nodeset */.LI(result ? 1 : 0);
}
/**
 * JSONPath with RFC 9535 semantics (json-p3), applied as Hurl applies it: no node is no value, one
 * node is that node's value (also for filters and `..`), several nodes are a list.
 */
function evalJsonpath(json, expr) {
    let nodes;
    try {
        nodes = json_p3_cjs/* jsonpath */.YF.query(expr, json.plain).nodes;
    }
    catch (error) {
        if (error instanceof json_p3_cjs/* JSONPathError */.s_)
            throw new EvalError(`invalid JSONPath expression '${expr}': ${error.message}`);
        throw error;
    }
    const values = nodes.map((n) => (0,hurl_value/* atLocation */.PE)(json.typed, n.location));
    if (values.length === 0)
        return undefined;
    return values.length === 1 ? values[0] : values;
}
function jsonOfValue(v) {
    if (typeof v !== 'string')
        throw new EvalError(`jsonpath filter needs a string, got ${(0,hurl_value/* kindOf */.I)(v)}`);
    try {
        return { plain: JSON.parse(v), typed: (0,hurl_value/* parseJsonTyped */.kq)(v) };
    }
    catch {
        throw new EvalError('jsonpath filter: the value is not JSON');
    }
}
function headerValues(response, name) {
    const lower = name.toLowerCase();
    return response.rawHeaders.filter(([k]) => k.toLowerCase() === lower).map(([, v]) => v);
}
function evaluateQuery(query, cache, ctx) {
    const response = cache.response;
    const text = (t) => (0,template/* render */.XX)(t, ctx.vars, ctx.file);
    switch (query.kind) {
        case 'status':
            return BigInt(response.status);
        case 'version':
            return httpVersionOf(response);
        case 'url':
            return response.url;
        case 'ip':
            if (!response.remoteAddress)
                throw new EvalError('the peer address is not known');
            return response.remoteAddress;
        case 'duration':
            return BigInt(Math.round(response.durationMs));
        case 'body':
            return cache.string();
        case 'bytes':
            return cache.bytes();
        case 'sha256':
        case 'md5':
            return (0,external_node_crypto_.createHash)(query.kind).update(cache.bytes()).digest();
        case 'redirects':
            return response.redirects ?? [];
        case 'header': {
            const values = headerValues(response, text(query.name));
            return values.length === 0 ? undefined : values.length === 1 ? values[0] : values;
        }
        case 'cookie':
            return cookieQuery(response, text(query.name), query.attribute ?? 'Value');
        case 'jsonpath':
            return evalJsonpath(cache.jsonValue(), text(query.expr));
        case 'xpath':
            return evalXpath(cache.document(), text(query.expr));
        case 'certificate': {
            const cert = response.certificate;
            if (!cert)
                return undefined;
            switch (query.field) {
                case 'Subject':
                    return cert.subject;
                case 'Issuer':
                    return cert.issuer;
                case 'Start-Date':
                    return cert.validFrom;
                case 'Expire-Date':
                    return cert.validTo;
                case 'Serial-Number':
                    return cert.serialNumber;
            }
            break;
        }
        case 'regex':
            return regexFirstGroup(regexOf(query.pattern, ctx), cache.string());
        case 'variable': {
            const name = text(query.name);
            return Object.prototype.hasOwnProperty.call(ctx.vars, name) ? ctx.vars[name] : undefined;
        }
    }
    return undefined;
}
/** Hurl reports HTTP versions as 1.0, 1.1, 2 and 3. */
function httpVersionOf(response) {
    const v = response.httpVersion ?? '1.1';
    return v === '2.0' ? '2' : v === '3.0' ? '3' : v;
}
function cookieQuery(response, name, attribute) {
    for (const header of headerValues(response, 'set-cookie')) {
        const cookie = dist/* Cookie */.Hk.parse(header);
        if (!cookie || cookie.key !== name)
            continue;
        switch (attribute) {
            case 'Value':
                return cookie.value;
            case 'Expires':
                return cookie.expires instanceof Date ? cookie.expires : undefined;
            case 'Max-Age':
                return typeof cookie.maxAge === 'number' ? BigInt(cookie.maxAge) : undefined;
            case 'Domain':
                return cookie.domain ?? undefined;
            case 'Path':
                return cookie.path ?? undefined;
            case 'Secure':
                return cookie.secure ? new hurl_value/* Nodeset */.LI(1) : undefined;
            case 'HttpOnly':
                return cookie.httpOnly ? new hurl_value/* Nodeset */.LI(1) : undefined;
            case 'SameSite':
                return cookie.sameSite && cookie.sameSite !== 'none'
                    ? capitalize(cookie.sameSite)
                    : /samesite=none/i.test(header)
                        ? 'None'
                        : undefined;
        }
    }
    return undefined;
}
function capitalize(s) {
    return s.charAt(0).toUpperCase() + s.slice(1);
}
function regexOf(pattern, ctx) {
    if (pattern instanceof RegExp)
        return pattern;
    try {
        return (0,parse/* compileRegex */.DL)((0,template/* render */.XX)(pattern, ctx.vars, ctx.file), undefined, 0);
    }
    catch (error) {
        throw new EvalError(error.message);
    }
}
function regexFirstGroup(re, text) {
    const m = new RegExp(re.source, re.flags.replace('g', '')).exec(text);
    if (!m)
        return undefined;
    // As Hurl: the first capture group, and no value when the pattern has none.
    return m[1];
}
function needs(filter, kinds, v) {
    throw new EvalError(`filter ${filter} needs ${kinds}, got ${(0,hurl_value/* kindOf */.I)(v)} ${(0,hurl_value/* display */.Vy)(v)}`);
}
function applyFilters(value, filters, ctx) {
    let v = value;
    for (const f of filters) {
        if (v === undefined)
            throw new EvalError(`filter ${f.kind}: the query matched nothing`);
        v = applyFilter(v, f, ctx);
    }
    return v;
}
function applyFilter(v, f, ctx) {
    const text = (t) => (0,template/* render */.XX)(t, ctx.vars, ctx.file);
    switch (f.kind) {
        case 'count':
            if (Array.isArray(v) || Buffer.isBuffer(v))
                return BigInt(v.length);
            if (v instanceof hurl_value/* Nodeset */.LI)
                return BigInt(v.size);
            return needs('count', 'a list, a node-set or bytes', v);
        case 'nth': {
            if (!Array.isArray(v))
                return needs('nth', 'a list', v);
            const i = Number(f.index);
            const item = v.at(i);
            if (i >= v.length || i < -v.length)
                throw new EvalError(`filter nth ${i}: out of bounds (list of ${v.length})`);
            return item;
        }
        case 'first':
        case 'last':
            if (!Array.isArray(v))
                return needs(f.kind, 'a list', v);
            if (!v.length)
                throw new EvalError(`filter ${f.kind}: the list is empty`);
            return f.kind === 'first' ? v[0] : v[v.length - 1];
        case 'regex':
            if (typeof v !== 'string')
                return needs('regex', 'a string', v);
            return regexFirstGroup(regexOf(f.pattern, ctx), v);
        case 'toInt':
            if (typeof v === 'bigint')
                return v;
            if (typeof v === 'number')
                return BigInt(Math.trunc(v));
            if (typeof v === 'string' && /^[+-]?\d+$/.test(v.trim() === v ? v : ''))
                return BigInt(v);
            return needs('toInt', 'an integer, a float or a string holding an integer', v);
        case 'toFloat':
            if (typeof v === 'number')
                return v;
            if (typeof v === 'bigint')
                return Number(v);
            if (typeof v === 'string' && /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(v))
                return Number(v);
            return needs('toFloat', 'a number or a string holding one', v);
        case 'toString':
            if (typeof v === 'string')
                return v;
            if (typeof v === 'bigint' || typeof v === 'boolean')
                return String(v);
            if (typeof v === 'number')
                return String(v);
            if (v === null)
                return 'null';
            if (v instanceof Date)
                return v.toISOString();
            return needs('toString', 'a string, number, boolean, null or date', v);
        case 'toDate': {
            if (typeof v !== 'string')
                return needs('toDate', 'a string', v);
            const date = parseDate(v, text(f.arg));
            if (!date)
                throw new EvalError(`filter toDate: ${(0,hurl_value/* display */.Vy)(v)} does not match the format "${text(f.arg)}"`);
            return date;
        }
        case 'format':
            if (!(v instanceof Date))
                return needs('format', 'a date', v);
            return formatDate(v, text(f.arg));
        case 'daysAfterNow':
        case 'daysBeforeNow': {
            if (!(v instanceof Date))
                return needs(f.kind, 'a date', v);
            const days = Math.floor((v.getTime() - ctx.now) / DAY);
            return BigInt(f.kind === 'daysAfterNow' ? days : -days);
        }
        case 'base64Decode':
        case 'base64UrlSafeDecode': {
            if (typeof v !== 'string')
                return needs(f.kind, 'a string', v);
            const re = f.kind === 'base64Decode' ? /^[A-Za-z0-9+/]*={0,2}$/ : /^[A-Za-z0-9_-]*={0,2}$/;
            if (!re.test(v))
                throw new EvalError(`filter ${f.kind}: ${(0,hurl_value/* display */.Vy)(v)} is not valid base64`);
            return Buffer.from(v, f.kind === 'base64Decode' ? 'base64' : 'base64url');
        }
        case 'base64Encode':
        case 'base64UrlSafeEncode':
            if (!Buffer.isBuffer(v))
                return needs(f.kind, 'bytes', v);
            return f.kind === 'base64Encode' ? v.toString('base64') : v.toString('base64url');
        case 'toHex':
            if (!Buffer.isBuffer(v))
                return needs('toHex', 'bytes', v);
            return v.toString('hex');
        case 'decode': {
            if (!Buffer.isBuffer(v))
                return needs('decode', 'bytes', v);
            const encoding = text(f.arg);
            try {
                return new TextDecoder(encoding, { fatal: true }).decode(v);
            }
            catch {
                throw new EvalError(`filter decode: the bytes are not valid ${encoding}`);
            }
        }
        case 'utf8Decode':
            if (!Buffer.isBuffer(v))
                return needs('utf8Decode', 'bytes', v);
            try {
                return new TextDecoder('utf-8', { fatal: true }).decode(v);
            }
            catch {
                throw new EvalError('filter utf8Decode: the bytes are not valid UTF-8');
            }
        case 'utf8Encode':
            if (typeof v !== 'string')
                return needs('utf8Encode', 'a string', v);
            return Buffer.from(v, 'utf8');
        case 'htmlEscape':
            if (typeof v !== 'string')
                return needs('htmlEscape', 'a string', v);
            return v
                .replace(/&/g, '&amp;')
                .replace(/</g, '&lt;')
                .replace(/>/g, '&gt;')
                .replace(/"/g, '&quot;')
                .replace(/'/g, '&#x27;');
        case 'htmlUnescape':
            if (typeof v !== 'string')
                return needs('htmlUnescape', 'a string', v);
            return htmlUnescape(v);
        case 'urlEncode':
            if (typeof v !== 'string')
                return needs('urlEncode', 'a string', v);
            // Hurl keeps '/' as it is and encodes every other reserved character.
            return encodeURIComponent(v)
                .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
                .replace(/%2F/g, '/');
        case 'urlDecode':
            if (typeof v !== 'string')
                return needs('urlDecode', 'a string', v);
            try {
                return decodeURIComponent(v);
            }
            catch {
                throw new EvalError(`filter urlDecode: ${(0,hurl_value/* display */.Vy)(v)} is not URL-encoded`);
            }
        case 'urlQueryParam': {
            if (typeof v !== 'string')
                return needs('urlQueryParam', 'a string', v);
            let url;
            try {
                url = new URL(v, 'http://localhost');
            }
            catch {
                throw new EvalError(`filter urlQueryParam: ${(0,hurl_value/* display */.Vy)(v)} is not a URL`);
            }
            return url.searchParams.get(text(f.arg)) ?? undefined;
        }
        case 'replace':
            if (typeof v !== 'string')
                return needs('replace', 'a string', v);
            return v.split(text(f.old)).join(text(f.replacement));
        case 'replaceRegex': {
            if (typeof v !== 'string')
                return needs('replaceRegex', 'a string', v);
            const re = regexOf(f.pattern, ctx);
            return v.replace(new RegExp(re.source, `${re.flags.replace('g', '')}g`), text(f.replacement));
        }
        case 'split':
            if (typeof v !== 'string')
                return needs('split', 'a string', v);
            return v.split(text(f.separator));
        case 'jsonpath':
            return evalJsonpath(jsonOfValue(v), text(f.expr));
        case 'xpath':
            if (typeof v !== 'string')
                return needs('xpath', 'a string', v);
            return evalXpath(parseMarkup(v, /<html/i.test(v)), text(f.expr));
        case 'location':
            if (!(v instanceof hurl_value/* Redirect */.rd))
                return needs('location', 'a redirect (from the redirects query)', v);
            return v.location;
    }
}
const HTML_ENTITIES = {
    amp: '&',
    lt: '<',
    gt: '>',
    quot: '"',
    apos: "'",
    nbsp: '\u00a0',
    copy: '©',
    reg: '®',
    trade: '™',
    hellip: '…',
    mdash: '—',
    ndash: '–',
    laquo: '«',
    raquo: '»',
    euro: '€',
};
/** HTML character references; numeric ones may lack their `;`, as HTML allows. */
function htmlUnescape(s) {
    return s.replace(/&(?:#[xX]([0-9a-fA-F]+);?|#(\d+);?|([a-zA-Z]+);)/g, (m, hex, dec, name) => {
        const code = hex ? parseInt(hex, 16) : dec ? parseInt(dec, 10) : undefined;
        if (code !== undefined)
            return code <= 0x10ffff ? String.fromCodePoint(code) : m;
        return HTML_ENTITIES[name] ?? m;
    });
}
function literalValue(literal, ctx) {
    switch (literal.kind) {
        case 'string':
            return (0,template/* render */.XX)(literal.template, ctx.vars, ctx.file);
        case 'integer':
        case 'float':
        case 'boolean':
            return literal.value;
        case 'null':
            return null;
        case 'regex':
            return literal.pattern;
        case 'bytes':
            return literal.bytes;
        case 'file': {
            if (!ctx.readFile)
                throw new EvalError('file,...; values need a spec file');
            return ctx.readFile((0,template/* render */.XX)(literal.path, ctx.vars, ctx.file));
        }
        case 'placeholder': {
            const part = literal.template[0];
            return 'expr' in part ? (0,template/* placeholderValue */.Nd)(part, ctx.vars, ctx.file) : part.text;
        }
    }
}
function compare(a, b) {
    if ((0,hurl_value/* isNumber */.Et)(a) && (0,hurl_value/* isNumber */.Et)(b))
        return (0,hurl_value/* compareNumbers */.S$)(a, b);
    if (typeof a === 'string' && typeof b === 'string')
        return a < b ? -1 : a > b ? 1 : 0;
    if (a instanceof Date && b instanceof Date)
        return a.getTime() - b.getTime();
    return undefined;
}
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;
function testPredicate(op, actual, expected) {
    const e = expected;
    switch (op) {
        case '==':
            return { success: (0,hurl_value/* valuesEqual */.lu)(actual, e) };
        case '!=':
            return { success: !(0,hurl_value/* valuesEqual */.lu)(actual, e) };
        case '>':
        case '>=':
        case '<':
        case '<=': {
            const c = compare(actual, e);
            if (c === undefined)
                return { success: false, mismatch: true };
            return { success: op === '>' ? c > 0 : op === '>=' ? c >= 0 : op === '<' ? c < 0 : c <= 0 };
        }
        case 'startsWith':
        case 'endsWith':
        case 'contains': {
            if (typeof actual === 'string' && typeof e === 'string') {
                return {
                    success: op === 'startsWith' ? actual.startsWith(e) : op === 'endsWith' ? actual.endsWith(e) : actual.includes(e),
                };
            }
            if (Buffer.isBuffer(actual) && Buffer.isBuffer(e)) {
                const at = op === 'startsWith' ? 0 : op === 'endsWith' ? actual.length - e.length : -1;
                if (at === -1)
                    return { success: actual.includes(e) };
                return { success: at >= 0 && actual.subarray(at, at + e.length).equals(e) };
            }
            return { success: false, mismatch: true };
        }
        case 'includes':
            if (!Array.isArray(actual))
                return { success: false, mismatch: true };
            return { success: actual.some((item) => (0,hurl_value/* valuesEqual */.lu)(item, e)) };
        case 'matches': {
            if (typeof actual !== 'string')
                return { success: false, mismatch: true };
            const re = e instanceof RegExp ? e : typeof e === 'string' ? (0,parse/* compileRegex */.DL)(e, undefined, 0) : undefined;
            if (!re)
                return { success: false, mismatch: true };
            return { success: re.test(actual) };
        }
        case 'exists':
            return { success: !(actual instanceof hurl_value/* Nodeset */.LI && actual.size === 0) };
        case 'isInteger':
            return { success: typeof actual === 'bigint' };
        case 'isFloat':
            return { success: typeof actual === 'number' };
        case 'isNumber':
            return { success: (0,hurl_value/* isNumber */.Et)(actual) };
        case 'isBoolean':
            return { success: typeof actual === 'boolean' };
        case 'isString':
            return { success: typeof actual === 'string' };
        case 'isCollection':
            return {
                success: Array.isArray(actual) || Buffer.isBuffer(actual) || actual instanceof hurl_value/* Nodeset */.LI || (0,hurl_value/* isObject */.Gv)(actual),
            };
        case 'isList':
            return { success: Array.isArray(actual) };
        case 'isObject':
            return { success: (0,hurl_value/* isObject */.Gv)(actual) };
        case 'isDate':
            return { success: actual instanceof Date };
        case 'isIsoDate':
            if (typeof actual !== 'string')
                return { success: false, mismatch: true };
            return { success: ISO_DATE.test(actual) && !Number.isNaN(Date.parse(actual)) };
        case 'isEmpty':
            if (typeof actual === 'string' || Array.isArray(actual) || Buffer.isBuffer(actual))
                return { success: actual.length === 0 };
            if (actual instanceof hurl_value/* Nodeset */.LI)
                return { success: actual.size === 0 };
            if ((0,hurl_value/* isObject */.Gv)(actual))
                return { success: Object.keys(actual).length === 0 };
            return { success: false, mismatch: true };
        case 'isUuid':
            return { success: typeof actual === 'string' && UUID.test(actual) };
        case 'isIpv4':
            return { success: typeof actual === 'string' && isIPv4(actual) };
        case 'isIpv6':
            return { success: typeof actual === 'string' && isIPv6(actual) };
    }
}
function isIPv4(s) {
    return /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/.test(s);
}
function isIPv6(s) {
    try {
        return s.includes(':') && new URL(`http://[${s}]/`).hostname.length > 0;
    }
    catch {
        return false;
    }
}
function describeExpected(p, expected) {
    const base = p.value === undefined ? p.op : p.op === '==' ? (0,hurl_value/* display */.Vy)(expected) : `${p.op} ${(0,hurl_value/* display */.Vy)(expected)}`;
    return p.not ? `not ${base}` : base;
}
/** Evaluates one assert: its query, filters and predicate, with Hurl's "none" and type rules. */
function evaluateAssert(a, cache, ctx) {
    const base = { line: a.line, source: a.source };
    let expected;
    let actual;
    try {
        expected = a.predicate.value ? literalValue(a.predicate.value, ctx) : undefined;
        actual = applyFilters(evaluateQuery(a.query, cache, ctx), a.filters, ctx);
    }
    catch (error) {
        return { ...base, ok: false, expected: '?', actual: '?', message: error.message };
    }
    const expectedText = describeExpected(a.predicate, expected);
    if (actual === undefined) {
        // No value fails every predicate, so `not <predicate>` passes (Hurl: `not exists`, `not == 1`).
        return {
            ...base,
            ok: a.predicate.not,
            expected: expectedText,
            actual: 'none',
            message: a.predicate.not ? undefined : 'the query matched nothing',
        };
    }
    let outcome;
    try {
        outcome = testPredicate(a.predicate.op, actual, expected);
    }
    catch (error) {
        return { ...base, ok: false, expected: expectedText, actual: (0,hurl_value/* display */.Vy)(actual), message: error.message };
    }
    const ok = !outcome.mismatch && outcome.success !== a.predicate.not;
    return {
        ...base,
        ok,
        expected: expectedText,
        actual: outcome.mismatch ? `${(0,hurl_value/* kindOf */.I)(actual)} ${(0,hurl_value/* display */.Vy)(actual)}` : (0,hurl_value/* display */.Vy)(actual),
        message: outcome.mismatch
            ? `type mismatch: ${a.predicate.op} cannot compare ${(0,hurl_value/* kindOf */.I)(actual)} with ${(0,hurl_value/* kindOf */.I)(expected)}`
            : undefined,
    };
}
/** The status line's version and code, asserted before captures run (as Hurl does). */
function statusAsserts(spec, actual) {
    const out = [];
    if (spec.version !== 'HTTP') {
        const want = spec.version.slice('HTTP/'.length);
        const got = httpVersionOf(actual);
        out.push({
            line: spec.line,
            source: `${spec.version} ${spec.status ?? '*'}`,
            ok: got === want,
            expected: `HTTP/${want}`,
            actual: `HTTP/${got}`,
        });
    }
    if (spec.status !== undefined) {
        out.push({
            line: spec.line,
            source: `HTTP ${spec.status}`,
            ok: actual.status === spec.status,
            expected: String(spec.status),
            actual: String(actual.status),
        });
    }
    return out;
}
/** Headers written under the status line, and the implicit body: asserted after captures. */
function implicitAsserts(spec, cache, ctx) {
    const out = [];
    for (const h of spec.headers) {
        let name;
        let value;
        try {
            name = (0,template/* render */.XX)(h.name, ctx.vars, ctx.file);
            value = (0,template/* render */.XX)(h.value, ctx.vars, ctx.file);
        }
        catch (error) {
            out.push({
                line: h.line,
                source: 'header',
                ok: false,
                expected: '?',
                actual: '?',
                message: error.message,
            });
            continue;
        }
        const values = headerValues(cache.response, name);
        out.push({
            line: h.line,
            source: `${name}: ${value}`,
            ok: values.includes(value),
            expected: (0,hurl_value/* display */.Vy)(value),
            actual: values.length ? (0,hurl_value/* display */.Vy)(values.length === 1 ? values[0] : values) : 'no such header',
        });
    }
    if (spec.body)
        out.push(bodyAssert(spec.body, cache, ctx));
    return out;
}
function bodyAssert(body, cache, ctx) {
    const base = { line: body.line, source: `${body.kind} body` };
    try {
        // Hurl compares an implicit JSON body as text, exactly as written (whitespace included).
        if (body.kind === 'json') {
            const expected = (0,template/* renderJson */.hF)(body.template, ctx.vars, ctx.file);
            const actual = cache.string();
            return { ...base, ok: actual === expected, expected: (0,hurl_value/* display */.Vy)(expected), actual: (0,hurl_value/* display */.Vy)(actual) };
        }
        if (body.kind === 'text' || body.kind === 'xml') {
            const expected = (0,template/* render */.XX)(body.template, ctx.vars, ctx.file);
            const actual = cache.string();
            return { ...base, ok: actual === expected, expected: (0,hurl_value/* display */.Vy)(expected), actual: (0,hurl_value/* display */.Vy)(actual) };
        }
        const expected = body.kind === 'bytes'
            ? body.bytes
            : ctx.readFile
                ? ctx.readFile((0,template/* render */.XX)(body.path, ctx.vars, ctx.file))
                : Buffer.alloc(0);
        const actual = cache.bytes();
        return { ...base, ok: actual.equals(expected), expected: (0,hurl_value/* display */.Vy)(expected), actual: (0,hurl_value/* display */.Vy)(actual) };
    }
    catch (error) {
        return { ...base, ok: false, expected: '?', actual: '?', message: error.message };
    }
}
/** A capture's value; a capture that matches nothing is an error, as in Hurl. */
function evaluateCapture(c, cache, ctx) {
    let value;
    try {
        value = applyFilters(evaluateQuery(c.query, cache, ctx), c.filters, ctx);
    }
    catch (error) {
        throw new EvalError(`capture '${c.name}' (${ctx.file}:${c.line}): ${error.message}`, { cause: error });
    }
    if (value === undefined)
        throw new EvalError(`capture '${c.name}' (${ctx.file}:${c.line}): ${c.source} matched nothing`);
    return value;
}

// EXTERNAL MODULE: ./packages/probe/src/hurl/files.ts
var files = __webpack_require__(1428);
;// CONCATENATED MODULE: ./packages/probe/src/hurl/run.ts












/** A problem found while running an entry that is the spec's fault: reported with file:line:col. */
function optionError(file, o, problem) {
    return ast/* SpecError */.G8.at(file, o.line, o.column, problem);
}
function resolveOptions(entry, vars, ctx) {
    const options = {
        location: false,
        locationTrusted: false,
        maxRedirs: 50,
        delayMs: 0,
        retry: 0,
        retryIntervalMs: 1000,
        skip: false,
        repeat: 1,
        compressed: false,
        headers: [],
        http2: false,
    };
    for (const o of entry.request.options) {
        const value = literalValue(o.value, { ...ctx, vars });
        const bool = () => {
            if (typeof value === 'boolean')
                return value;
            if (value === 'true' || value === 'false')
                return value === 'true';
            throw optionError(ctx.file, o, `option '${o.name}' takes true or false, got '${String(value)}'`);
        };
        const int = () => {
            const n = typeof value === 'bigint'
                ? Number(value)
                : typeof value === 'string' && /^-?\d+$/.test(value)
                    ? Number(value)
                    : NaN;
            if (Number.isNaN(n))
                throw optionError(ctx.file, o, `option '${o.name}' takes a whole number, got '${String(value)}'`);
            return n;
        };
        const duration = () => {
            const ms = (0,parse/* parseDurationMs */.yi)(typeof value === 'string' ? value : String(value));
            if (ms === undefined)
                throw optionError(ctx.file, o, `option '${o.name}' takes a duration, got '${String(value)}'`);
            return ms;
        };
        const text = () => (0,hurl_value/* renderValue */.AI)(value, o.name);
        switch (o.name) {
            case 'location':
                options.location = bool();
                break;
            case 'location-trusted':
                options.locationTrusted = bool();
                if (options.locationTrusted)
                    options.location = true;
                break;
            case 'max-redirs':
                options.maxRedirs = int();
                if (options.maxRedirs < 0)
                    options.maxRedirs = 50;
                break;
            case 'insecure':
                options.insecure = bool();
                break;
            case 'cacert':
                options.cacert = text();
                break;
            case 'cert':
                options.cert = text();
                break;
            case 'key':
                options.key = text();
                break;
            case 'delay':
                options.delayMs = duration();
                break;
            case 'retry':
                options.retry = int();
                if (options.retry < 0) {
                    throw optionError(ctx.file, o, 'retry: -1 (retry forever) is unsupported in a smoke test; give a count');
                }
                break;
            case 'retry-interval':
                options.retryIntervalMs = duration();
                break;
            case 'skip':
                options.skip = bool();
                break;
            case 'repeat':
                options.repeat = int();
                if (options.repeat < 0)
                    throw optionError(ctx.file, o, 'repeat: -1 (forever) is unsupported in a smoke test; give a count');
                break;
            case 'compressed':
                options.compressed = bool();
                break;
            case 'output':
                options.output = text();
                if (options.output === '-')
                    throw optionError(ctx.file, o, 'output: - (standard output) is unsupported; give a file in the workspace');
                break;
            case 'max-time':
                options.maxTimeMs = duration();
                break;
            case 'connect-timeout':
                duration();
                break;
            case 'header': {
                const h = /^([^:]+):\s*(.*)$/.exec(text());
                if (!h)
                    throw optionError(ctx.file, o, `option 'header' takes 'Name: value', got '${text()}'`);
                options.headers.push([h[1].trim(), h[2]]);
                break;
            }
            case 'user':
                options.user = text();
                break;
            case 'variable': {
                const v = /^([A-Za-z_][A-Za-z0-9_-]*)=(.*)$/.exec(text());
                if (!v)
                    throw optionError(ctx.file, o, `option 'variable' takes name=value, got '${text()}'`);
                vars[v[1]] = (0,hurl_value/* typedVariable */.lx)(v[2]);
                break;
            }
            case 'http1.1':
            case 'verbose':
            case 'very-verbose':
                bool();
                break;
            case 'http2':
                options.http2 = bool();
                break;
            case 'http1.0':
                if (bool()) {
                    throw optionError(ctx.file, o, `option '${o.name}' is unsupported by deploy-actions smoke-test: requests use HTTP/1.1`);
                }
                break;
            case 'path-as-is':
                if (bool() && /\/\.\.?(\/|$|\?)/.test((0,template/* render */.XX)(entry.request.url, vars, ctx.file))) {
                    throw optionError(ctx.file, o, "option 'path-as-is' with '.' or '..' segments is unsupported: URLs are sent normalised");
                }
                break;
        }
    }
    return options;
}
const MIME = {
    '.txt': 'text/plain',
    '.html': 'text/html',
    '.htm': 'text/html',
    '.json': 'application/json',
    '.xml': 'application/xml',
    '.csv': 'text/csv',
    '.png': 'image/png',
    '.jpg': 'image/jpeg',
    '.jpeg': 'image/jpeg',
    '.gif': 'image/gif',
    '.pdf': 'application/pdf',
    '.zip': 'application/zip',
    '.js': 'text/javascript',
    '.css': 'text/css',
};
function setHeader(headers, name, value) {
    if (!headers.some(([k]) => k.toLowerCase() === name.toLowerCase()))
        headers.push([name, value]);
}
function encodeQuery(text) {
    return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
/** The HTTP request an entry describes, every template filled in and every file read. */
function buildRequest(entry, options, ctx, readFile) {
    const r = entry.request;
    const t = (x) => (0,template/* render */.XX)(x, ctx.vars, ctx.file);
    let url = t(r.url);
    if (!/^https?:\/\//i.test(url)) {
        throw ast/* SpecError */.G8.at(ctx.file, r.line, 1, `'${url}' is not an http(s) URL`);
    }
    // As Hurl's libcurl client: names as written, values percent-encoded (%20 for a space).
    const encodeParams = (params) => params.map((p) => `${t(p.name)}=${encodeQuery(t(p.value))}`).join('&');
    if (r.queryParams.length) {
        url = `${url}${url.endsWith('?') ? '' : url.includes('?') ? '&' : '?'}${encodeParams(r.queryParams)}`;
    }
    const headers = r.headers.map((h) => [t(h.name), t(h.value)]);
    for (const [name, value] of options.headers)
        headers.push([name, value]);
    if (r.cookies.length) {
        const cookies = r.cookies.map((c) => `${t(c.name)}=${t(c.value)}`).join('; ');
        headers.push(['Cookie', cookies]);
    }
    const auth = r.basicAuth ? `${t(r.basicAuth.name)}:${t(r.basicAuth.value)}` : options.user;
    if (auth !== undefined)
        setHeader(headers, 'Authorization', `Basic ${Buffer.from(auth).toString('base64')}`);
    if (options.compressed)
        setHeader(headers, 'Accept-Encoding', 'gzip, deflate, br');
    let body;
    if (r.formParams.length) {
        body = encodeParams(r.formParams);
        setHeader(headers, 'Content-Type', 'application/x-www-form-urlencoded');
    }
    else if (r.multipart.length) {
        const boundary = `----hurl${(0,external_node_crypto_.randomBytes)(12).toString('hex')}`;
        const chunks = [];
        for (const part of r.multipart) {
            const name = t(part.name).replace(/"/g, '%22');
            let head = `--${boundary}\r\nContent-Disposition: form-data; name="${name}"`;
            let content;
            if (part.file) {
                const path = t(part.file.path);
                content = readFile(path);
                const type = part.file.contentType ?? MIME[(0,external_node_path_.extname)(path).toLowerCase()] ?? 'application/octet-stream';
                head += `; filename="${(0,external_node_path_.basename)(path).replace(/"/g, '%22')}"\r\nContent-Type: ${type}`;
            }
            else
                content = Buffer.from(t(part.value));
            chunks.push(Buffer.from(`${head}\r\n\r\n`), content, Buffer.from('\r\n'));
        }
        chunks.push(Buffer.from(`--${boundary}--\r\n`));
        body = Buffer.concat(chunks);
        setHeader(headers, 'Content-Type', `multipart/form-data; boundary=${boundary}`);
    }
    else if (r.body) {
        const b = r.body;
        if (b.kind === 'json') {
            body = (0,template/* renderJson */.hF)(b.template, ctx.vars, ctx.file);
            setHeader(headers, 'Content-Type', 'application/json');
        }
        else if (b.kind === 'xml') {
            body = t(b.template);
            setHeader(headers, 'Content-Type', 'application/xml');
        }
        else if (b.kind === 'text')
            body = t(b.template);
        else if (b.kind === 'bytes')
            body = b.bytes;
        else
            body = readFile(t(b.path));
    }
    setHeader(headers, 'Accept', '*/*');
    return { method: r.method, url, headers, body };
}
/**
 * Runs a file's entries in order, as Hurl does: one cookie jar for the whole file, captures feed
 * later entries (and the asserts of their own entry), [Options] retry re-runs an entry while it
 * fails, and the first failing entry ends the flow.
 */
async function runHurlFile(file, options) {
    const clock = options.clock ?? src_clock/* systemClock */.ml;
    const workspace = options.workspace ?? process.cwd();
    const vars = { ...options.variables };
    const jar = new dist/* CookieJar */.cP(undefined, { looseMode: true, rejectPublicSuffixes: false, allowSpecialUseDomain: true });
    const readFile = (path) => (0,external_node_fs_.readFileSync)((0,files/* workspacePath */.X)(workspace, file.path, path));
    const steps = [];
    for (const entry of file.entries) {
        const ctx = { vars, file: file.path, readFile, now: clock.now() };
        let entryOptions;
        try {
            entryOptions = resolveOptions(entry, vars, ctx);
        }
        catch (error) {
            steps.push({
                request: `${entry.request.method} ${file.path}:${entry.line}`,
                line: entry.line,
                error: (0,errors/* oneLine */.TN)(error),
                assertions: [],
            });
            break;
        }
        if (entryOptions.skip)
            continue;
        for (let run = 0; run < entryOptions.repeat; run++) {
            let step;
            for (let attempt = 0; attempt <= entryOptions.retry; attempt++) {
                if (attempt > 0)
                    await clock.sleep(entryOptions.retryIntervalMs, options.signal);
                if (entryOptions.delayMs)
                    await clock.sleep(entryOptions.delayMs, options.signal);
                step = await runEntry(entry, entryOptions, { ...ctx, now: clock.now() }, vars, jar, workspace, options, clock);
                if (!step.error && step.assertions.every((a) => a.ok))
                    break;
            }
            steps.push(step);
            if (step.error || step.assertions.some((a) => !a.ok))
                return steps;
        }
    }
    return steps;
}
async function runEntry(entry, entryOptions, ctx, vars, jar, workspace, options, clock) {
    const method = entry.request.method;
    let label = `${method} ${ctx.file}:${entry.line}`;
    const fail = (error, extra = {}) => ({
        request: label,
        line: entry.line,
        error: (0,errors/* oneLine */.TN)(error),
        assertions: [],
        ...extra,
    });
    if (method === 'CONNECT') {
        return fail(new Error(`${ctx.file}:${entry.line}:1: the CONNECT method is unsupported by deploy-actions smoke-test`));
    }
    let built;
    let tls;
    try {
        built = buildRequest(entry, entryOptions, ctx, ctx.readFile);
        label = `${built.method} ${built.url}`;
        // Trust material may live outside the workspace (/etc/ssl/...): it is read, never sent as a payload.
        const read = (p) => p === undefined ? undefined : (0,external_node_fs_.readFileSync)((0,external_node_path_.resolve)((0,external_node_path_.dirname)((0,external_node_path_.resolve)(workspace, ctx.file)), p));
        tls = { ca: read(entryOptions.cacert), cert: read(entryOptions.cert), key: read(entryOptions.key) };
    }
    catch (error) {
        return fail(error);
    }
    const started = clock.now();
    let response;
    try {
        response = await exchange(built, entryOptions, tls, jar, options);
    }
    catch (error) {
        if (options.signal.aborted)
            throw error;
        return fail(error, { retryable: (0,errors/* errorKind */.f8)(error) === 'transient', durationMs: clock.now() - started });
    }
    const step = {
        request: label,
        line: entry.line,
        status: response.status,
        durationMs: response.durationMs,
        assertions: [],
    };
    if (entryOptions.output) {
        try {
            const path = (0,files/* workspacePath */.X)(workspace, ctx.file, entryOptions.output);
            (0,external_node_fs_.mkdirSync)((0,external_node_path_.dirname)(path), { recursive: true });
            (0,external_node_fs_.writeFileSync)(path, response.body);
        }
        catch (error) {
            step.error = (0,errors/* oneLine */.TN)(error);
            return step;
        }
    }
    const spec = entry.response;
    if (!spec)
        return step;
    const cache = new BodyCache(response);
    // Hurl's order: the status line first; then captures, so asserts of the same entry can use them.
    step.assertions.push(...statusAsserts(spec, response));
    if (step.assertions.some((a) => !a.ok)) {
        step.retryable = NOT_READY_STATUSES.has(response.status);
        return step;
    }
    for (const capture of spec.captures) {
        try {
            const value = evaluateCapture(capture, cache, ctx);
            if (capture.redact)
                options.secrets.add(typeof value === 'string' ? value : renderSecret(value));
            vars[capture.name] = value;
        }
        catch (error) {
            step.error = (0,errors/* oneLine */.TN)(error);
            return step;
        }
    }
    const results = [
        ...implicitAsserts(spec, cache, ctx),
        ...spec.asserts.map((a) => evaluateAssert(a, cache, ctx)),
    ];
    step.assertions.push(...results);
    return step;
}
function renderSecret(value) {
    try {
        return (0,hurl_value/* renderValue */.AI)(value, 'secret');
    }
    catch {
        return JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
    }
}
/** One request and the redirects Hurl would follow, every response's cookies into the jar. */
async function exchange(built, o, tls, jar, options) {
    let { method, url, body } = built;
    let headers = [...built.headers];
    const redirects = [];
    for (;;) {
        const sent = {};
        for (const [k, raw] of headers) {
            // Like curl, header values go out as UTF-8 bytes (node writes header strings as latin1).
            const v = [...raw].some((c) => c.charCodeAt(0) > 0x7f) ? Buffer.from(raw, 'utf8').toString('latin1') : raw;
            const existing = Object.keys(sent).find((x) => x.toLowerCase() === k.toLowerCase());
            if (existing)
                sent[existing] = `${sent[existing]}${k.toLowerCase() === 'cookie' ? '; ' : ', '}${v}`;
            else
                sent[k] = v;
        }
        const jarCookies = await jar.getCookieString(url);
        if (jarCookies) {
            const existing = Object.keys(sent).find((x) => x.toLowerCase() === 'cookie');
            if (existing)
                sent[existing] = `${sent[existing]}; ${jarCookies}`;
            else
                sent.Cookie = jarCookies;
        }
        const send = o.http2 ? options.sendHttp2 : options.send;
        if (!send)
            throw new Error("option 'http2' needs an HTTP/2 client, and none was given");
        const response = await send({
            url,
            method,
            headers: sent,
            body,
            // Only what the spec sets: the action's own defaults (insecure, ca, timeout) stay otherwise.
            ...(o.insecure !== undefined ? { insecure: o.insecure } : {}),
            maxRedirects: 0,
            ...(o.maxTimeMs ? { timeoutMs: o.maxTimeMs } : {}),
            ...Object.fromEntries(Object.entries(tls).filter(([, v]) => v !== undefined)),
        }, options.signal);
        for (const [k, v] of response.rawHeaders) {
            if (k.toLowerCase() === 'set-cookie')
                await jar.setCookie(v, url, { ignoreError: true });
        }
        const location = response.headers.location;
        const status = response.status;
        if (!o.location || !location || status < 300 || status >= 400 || status === 304) {
            // Hurl's duration is the last response's, not the redirect chain's.
            return { ...response, url, redirects };
        }
        if (redirects.length >= o.maxRedirs) {
            throw new Error(`too many redirects: more than ${o.maxRedirs} (option max-redirs)`);
        }
        const next = new URL(location, url);
        if (next.origin !== new URL(url).origin && !o.locationTrusted) {
            // As curl without --location-trusted, and more: every header that is or holds a credential stays behind.
            headers = headers.filter(([k, v]) => !isCredentialHeader(k, v, options.secrets));
        }
        if (status === 303 ? method !== 'HEAD' : (status === 301 || status === 302) && method === 'POST') {
            method = 'GET';
            body = undefined;
            headers = headers.filter(([k]) => !['content-type', 'content-length'].includes(k.toLowerCase()));
        }
        url = next.toString();
        redirects.push(new hurl_value/* Redirect */.rd(status, url));
    }
}

// EXTERNAL MODULE: external "node:http2"
var external_node_http2_ = __webpack_require__(2467);
;// CONCATENATED MODULE: ./packages/probe/src/hurl/http2.ts


/**
 * One request over HTTP/2 with TLS (Hurl's `http2` option). A server that does not offer h2 in
 * ALPN gets the request over HTTP/1.1 through `fallback`, as curl falls back.
 */
function requestHttp2(req, fallback) {
    const url = new URL(req.url);
    if (url.protocol !== 'https:')
        return fallback(req);
    const started = performance.now();
    const where = `${req.method ?? 'GET'} ${url.origin}${url.pathname}`;
    return new Promise((resolve, reject) => {
        let settled = false;
        const session = external_node_http2_.connect(url.origin, {
            rejectUnauthorized: !req.insecure,
            ...(req.ca ? { ca: req.ca } : {}),
            ...(req.cert ? { cert: req.cert, key: req.key } : {}),
        });
        const finish = (error, response) => {
            if (settled)
                return;
            settled = true;
            clearTimeout(timer);
            req.signal?.removeEventListener('abort', onAbort);
            session.close();
            if (error)
                reject(error);
            else
                resolve(response);
        };
        const timer = setTimeout(() => {
            finish(new errors/* TransientError */.N_(`${where}: no complete response within ${req.timeoutMs ?? 30_000}ms`));
            session.destroy();
        }, req.timeoutMs ?? 30_000);
        const onAbort = () => {
            finish(new errors/* PermanentError */.Dr(`${where}: aborted`));
            session.destroy();
        };
        req.signal?.addEventListener('abort', onAbort, { once: true });
        const useHttp1 = () => {
            if (settled)
                return;
            settled = true;
            clearTimeout(timer);
            req.signal?.removeEventListener('abort', onAbort);
            session.destroy();
            fallback(req).then(resolve, reject);
        };
        session.on('error', (error) => {
            // The server refused h2 in ALPN (node's HTTP/1.1 servers answer so): curl goes on with HTTP/1.1.
            if (error.code === 'ERR_SSL_TLSV1_ALERT_NO_APPLICATION_PROTOCOL')
                return useHttp1();
            const kind = (0,errors/* isTransient */.dg)(error) ? 'transient' : 'permanent';
            finish(new HttpError(kind, `${where}: ${error.code ?? error.message}`, { code: error.code, cause: error }));
        });
        session.socket.once('secureConnect', () => {
            const socket = session.socket;
            // No h2 on offer: curl goes on with HTTP/1.1.
            if (socket.alpnProtocol !== 'h2')
                useHttp1();
        });
        session.once('connect', () => {
            const headers = {
                ':method': req.method ?? 'GET',
                ':path': `${url.pathname}${url.search}`,
                'user-agent': 'deploy-actions',
            };
            for (const [name, value] of Object.entries(req.headers ?? {})) {
                const lower = name.toLowerCase();
                if (lower === 'host')
                    headers[':authority'] = value;
                else if (!['connection', 'keep-alive', 'transfer-encoding', 'upgrade'].includes(lower))
                    headers[lower] = value;
            }
            const stream = session.request(headers, { endStream: req.body === undefined });
            if (req.body !== undefined)
                stream.end(req.body);
            const chunks = [];
            let status = 0;
            const rawHeaders = [];
            const flat = {};
            stream.on('response', (h) => {
                status = Number(h[':status']);
                for (const [name, value] of Object.entries(h)) {
                    if (name.startsWith(':') || value === undefined)
                        continue;
                    const values = Array.isArray(value) ? value : [String(value)];
                    for (const v of values)
                        rawHeaders.push([name, v]);
                    flat[name] = values.join(', ');
                }
            });
            stream.on('data', (chunk) => chunks.push(chunk));
            stream.on('error', (error) => finish(new HttpError('transient', `${where}: ${error.code ?? error.message}`, { code: error.code, cause: error })));
            stream.on('end', () => {
                const socket = session.socket;
                const cert = socket.getPeerCertificate();
                const body = Buffer.concat(chunks);
                finish(undefined, {
                    url: url.toString(),
                    status,
                    headers: flat,
                    rawHeaders,
                    body,
                    text: () => body.toString('utf8'),
                    json: () => JSON.parse(body.toString('utf8')),
                    durationMs: performance.now() - started,
                    httpVersion: '2.0',
                    remoteAddress: socket.remoteAddress,
                    certificate: cert?.valid_to
                        ? {
                            subject: Object.entries(cert.subject ?? {})
                                .map(([k, v]) => `${k}=${String(v)}`)
                                .join(', '),
                            issuer: Object.entries(cert.issuer ?? {})
                                .map(([k, v]) => `${k}=${String(v)}`)
                                .join(', '),
                            validFrom: new Date(cert.valid_from),
                            validTo: new Date(cert.valid_to),
                        }
                        : undefined,
                });
            });
        });
    });
}

;// CONCATENATED MODULE: ./packages/probe/src/smoke/report.ts


const ICON = { passed: '✅ passed', failed: '❌ failed', flaky: '⚠️ flaky' };
const keep = (text) => text;
/** The job summary: one row per check, failing assertion with expected vs actual. */
function summaryMarkdown(report, title = 'Smoke test', redact = keep) {
    const verdict = report.passed ? '✅ passed' : '❌ failed';
    const p95 = report.p95Ms === undefined ? 'n/a' : `${Math.round(report.p95Ms)} ms`;
    const lines = [
        `### ${title}: ${verdict}`,
        '',
        `${report.results.length} check(s), ${report.failedCount} failed, ${report.flakyCount} flaky, ` +
            `${report.assertionCount} assertion(s), p95 latency ${p95}, in ${(0,src_clock/* formatDuration */.a3)(report.durationMs)}.`,
        '',
    ];
    if (report.problem)
        lines.push(`**${redact(report.problem)}**`, '');
    const rows = report.results.map((r) => {
        const latency = r.steps.map((s) => s.durationMs).filter((d) => d !== undefined);
        const where = r.file ? `${r.file}${lineOf(r) ? `:${lineOf(r)}` : ''}` : '';
        return [
            r.name,
            ICON[r.status] + (r.attempts > 1 ? ` (${r.attempts} runs)` : ''),
            latency.length ? `${Math.round(Math.max(...latency))} ms` : '',
            r.status === 'failed' ? (r.reason ?? '') : '',
            where,
        ].map(redact);
    });
    if (rows.length)
        lines.push(markdown.table(['Check', 'Result', 'Slowest request', 'Failing assertion (expected vs actual)', 'Where'], rows));
    return lines.join('\n');
}
function lineOf(result) {
    const failure = firstFailure(result.steps);
    return failure?.assertion?.line ?? failure?.step.line;
}
/** Where each failure points, for file/line annotations on the spec. */
function failureAnnotations(report) {
    return report.results
        .filter((r) => r.status === 'failed')
        .map((r) => ({
        message: `${r.name}: ${r.reason ?? 'failed'}`,
        file: r.file,
        line: lineOf(r),
        title: 'Smoke check failed',
    }));
}
/** JUnit XML: one testcase per check, the failure with expected vs actual, the requests as system-out. */
function junitXml(report, suiteName = 'smoke-test', redact = keep) {
    const xml = (text) => escapeXml(redact(text));
    const failures = report.results.filter((r) => r.status === 'failed').length + (report.problem ? 1 : 0);
    const cases = report.results.map((r) => {
        const seconds = (r.steps.reduce((n, s) => n + (s.durationMs ?? 0), 0) / 1000).toFixed(3);
        const out = r.steps
            .map((s) => `${s.request} -> ${s.error ?? `HTTP ${s.status}`} (${Math.round(s.durationMs ?? 0)} ms)` +
            s.assertions
                .map((a) => `\n  ${a.ok ? 'ok  ' : 'FAIL'} ${a.source}${a.ok ? '' : ` (expected ${a.expected ?? '?'}, actual ${a.actual ?? '?'})`}`)
                .join(''))
            .join('\n');
        const failure = r.status === 'failed'
            ? `\n      <failure message="${xml(r.reason ?? 'failed')}" type="AssertionError">${xml(failureDetail(r))}</failure>`
            : '';
        const flaky = r.status === 'flaky'
            ? `\n      <properties><property name="flaky" value="true"/><property name="attempts" value="${r.attempts}"/></properties>`
            : '';
        return `    <testcase name="${xml(r.name)}" classname="${xml(r.file ?? suiteName)}" time="${seconds}">${flaky}${failure}\n      <system-out>${xml(out)}</system-out>\n    </testcase>`;
    });
    if (report.problem) {
        cases.push(`    <testcase name="smoke run" classname="${xml(suiteName)}" time="0"><failure message="${xml(report.problem)}"/></testcase>`);
    }
    return [
        '<?xml version="1.0" encoding="UTF-8"?>',
        `<testsuites name="${xml(suiteName)}" tests="${cases.length}" failures="${failures}" time="${(report.durationMs / 1000).toFixed(3)}">`,
        `  <testsuite name="${xml(suiteName)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="0" time="${(report.durationMs / 1000).toFixed(3)}">`,
        ...cases,
        '  </testsuite>',
        '</testsuites>',
        '',
    ].join('\n');
}
function failureDetail(r) {
    const failure = firstFailure(r.steps);
    return failure ? describeFailure(failure) : (r.reason ?? '');
}
function escapeXml(text) {
    return (text
        // Characters XML 1.0 cannot hold at all.
        // eslint-disable-next-line no-control-regex -- matching control characters is the point
        .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, '')
        .replace(/&/g, '&amp;')
        .replace(/</g, '&lt;')
        .replace(/>/g, '&gt;')
        .replace(/"/g, '&quot;'));
}

;// CONCATENATED MODULE: ./packages/probe/src/smoke/checks.ts



/** One request to a URL from the action's inputs: its status plus the extra (Hurl) assertions. */
function urlCheck(spec, send) {
    return statusCheck(spec, send, (response) => spec.asserts.map((a) => {
        const ctx = { vars: spec.variables, file: 'assertions', now: Date.now() };
        const { line: _line, ...result } = evaluateAssert(a, new BodyCache(response), ctx);
        return result;
    }));
}
/** A Hurl file: its entries in order, as one check. */
function hurlCheck(file, deps) {
    return {
        name: file.path,
        file: file.path,
        async run(signal) {
            return { steps: await runHurlFile(file, { ...deps, signal }) };
        },
    };
}

;// CONCATENATED MODULE: ./packages/probe/src/index.ts








;// CONCATENATED MODULE: ./actions/smoke-test/src/smoke.ts




async function smoke(ctx, config) {
    if (config.specErrors.length)
        return reportSpecErrors(ctx, config);
    if (config.insecure)
        ctx.log.warning('`insecure: true`: TLS certificates are not verified, so anyone on the path can read and change these requests (and any credential in them); prefer `ca-file`');
    let report;
    // Safety net: if the event loop empties while checks are still pending (a promise that can never
    // settle), node would exit 0 with nothing reported. Fail with outputs instead.
    const stalled = () => {
        const reason = 'smoke test stopped before finishing: a request never completed';
        setOutputs(ctx, config, { passed: false, total: config.urls.length + config.specs.length, reason });
        ctx.log.error(reason);
        process.exitCode = 1;
    };
    process.once('beforeExit', stalled);
    try {
        report = await runChecks(ctx, config);
    }
    catch (error) {
        // An engine error or a cancelled job still leaves outputs and a summary for the next step.
        const reason = `smoke test could not finish: ${(0,errors/* oneLine */.TN)(error)}`;
        setOutputs(ctx, config, { passed: false, total: config.urls.length + config.specs.length, reason });
        ctx.summary.append(`### Smoke test: ❌ failed\n\n**${markdown.escapeCell(reason)}**\n`);
        throw error;
    }
    finally {
        process.off('beforeExit', stalled);
    }
    (0,external_node_fs_.mkdirSync)((0,external_node_path_.dirname)(config.junitPath), { recursive: true });
    // Raw secrets are redacted before XML or Markdown escaping, and the escaped forms once more after.
    const redact = (text) => ctx.secrets.redact(text);
    (0,external_node_fs_.writeFileSync)(config.junitPath, redact(junitXml(report, undefined, redact)));
    ctx.summary.append(summaryMarkdown(report, undefined, redact));
    for (const annotation of failureAnnotations(report))
        ctx.log.error(annotation.message, annotation);
    const firstProblem = report.problem ?? report.results.find((r) => r.status === 'failed')?.reason ?? '';
    setOutputs(ctx, config, {
        passed: report.passed,
        total: report.results.length,
        failed: report.failedCount,
        flaky: report.flakyCount,
        p95: report.p95Ms,
        reason: firstProblem,
    });
    for (const result of report.results) {
        ctx.log.info(`${result.status.padEnd(6)} ${result.name}${result.reason ? `: ${result.reason}` : ''}`);
    }
    if (!report.passed) {
        throw new Error(`smoke test failed: ${report.problem ?? `${report.failedCount} of ${report.results.length} check(s) failed: ${firstProblem}`}`);
    }
    ctx.log.info(`smoke test passed: ${report.results.length} check(s), ${report.assertionCount} assertion(s)`);
}
async function runChecks(ctx, config) {
    const send = (req, signal) => request({
        timeoutMs: config.timeoutMs,
        insecure: config.insecure,
        ca: config.ca,
        ...req,
        signal,
        secrets: ctx.secrets,
    });
    const sendHttp2 = (req, signal) => requestHttp2({ timeoutMs: config.timeoutMs, insecure: config.insecure, ca: config.ca, ...req, signal, secrets: ctx.secrets }, request);
    const checks = [
        ...config.urls.map((url) => urlCheck({
            url,
            method: config.method,
            headers: config.headers,
            body: config.body,
            expectedStatus: config.expectedStatus,
            asserts: config.asserts,
            variables: config.variables,
        }, send)),
        ...config.specs.map((file) => hurlCheck(file, {
            send,
            sendHttp2,
            variables: config.variables,
            secrets: ctx.secrets,
            workspace: ctx.run.workspace,
        })),
    ];
    ctx.log.info(`smoke test: ${checks.length} check(s), ready within ${config.readyTimeoutMs / 1000}s`);
    return runSmoke(checks, {
        readyTimeoutMs: config.readyTimeoutMs,
        readyIntervalMs: config.readyIntervalMs,
        flakeBudget: config.flakeBudget,
        parallelism: config.parallelism,
        signal: ctx.signal,
        log: ctx.log,
    });
}
/** Spec files that do not parse: every error as an annotation, no request sent, outputs and summary set. */
function reportSpecErrors(ctx, config) {
    const errors = config.specErrors;
    for (const e of errors) {
        ctx.log.error(e.problem, { file: e.file, line: e.line, column: e.column, title: 'Hurl spec error' });
    }
    const reason = `${errors.length} error(s) in spec files, no request sent: ${errors[0].message}`;
    setOutputs(ctx, config, { passed: false, total: config.urls.length + config.specs.length + 1, reason });
    ctx.summary.append([
        '### Smoke test: ❌ failed',
        '',
        `**${errors.length} error(s) in spec files; no request was sent.**`,
        '',
        markdown.table(['Where', 'Problem'], errors.map((e) => [e.location, e.problem])),
    ].join('\n'));
    throw new Error(reason);
}
function setOutputs(ctx, config, o) {
    ctx.outputs.set('passed', String(o.passed));
    ctx.outputs.set('total', String(o.total));
    ctx.outputs.set('failed', String(o.failed ?? (o.passed ? 0 : 1)));
    ctx.outputs.set('flaky', String(o.flaky ?? 0));
    ctx.outputs.set('p95-latency-ms', o.p95 === undefined ? '' : String(Math.round(o.p95)));
    ctx.outputs.set('reason', o.reason);
    ctx.outputs.set('junit-report', config.junitPath);
}


/***/ })

};
