export const id = 151;
export const ids = [151];
export const modules = {

/***/ 151:
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
;// CONCATENATED MODULE: ./packages/core/src/exec.ts



/**
 * Runs a program with an argument array: never through a shell, so no input can be spliced into a
 * command line. The child gets its own process group so a timeout or cancel kills its children too.
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
            clearTimeout(timer);
            opts.signal?.removeEventListener('abort', onAbort);
            const code = error.code;
            reject(code === 'ENOENT'
                ? new PermanentError(`${command}: not found on PATH; install it or set the path to it`, { cause: error })
                : error);
        });
        child.on('close', (exitCode, signal) => {
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
                headers = withoutAuthorization(headers);
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
function withoutAuthorization(headers) {
    return Object.fromEntries(Object.entries(headers).filter(([k]) => k.toLowerCase() !== 'authorization'));
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
                });
            });
        });
        const timer = setTimeout(() => {
            clientRequest.destroy(new errors/* TransientError */.N_(`${method} ${url.origin}${url.pathname}: no complete response within ${req.timeoutMs}ms`));
        }, req.timeoutMs ?? 30_000);
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

;// CONCATENATED MODULE: ./packages/core/src/markdown.ts
/** Small Markdown helpers for job summaries and PR comments (GitHub-flavoured tables). */
function escapeCell(value) {
    return String(value ?? '')
        .replace(/\|/g, '\\|')
        .replace(/\r?\n/g, '<br>');
}
function table(headers, rows) {
    const head = `| ${headers.map(escapeCell).join(' | ')} |`;
    const rule = `| ${headers.map(() => '---').join(' | ')} |`;
    const body = rows.map((row) => `| ${row.map(escapeCell).join(' | ')} |`);
    return [head, rule, ...body].join('\n') + '\n';
}
function codeBlock(text, language = '') {
    const fence = text.includes('```') ? '~~~~' : '```';
    return `${fence}${language}\n${text.replace(/\n$/, '')}\n${fence}\n`;
}
function details(summary, body) {
    return `<details><summary>${summary}</summary>\n\n${body}\n</details>\n`;
}

;// CONCATENATED MODULE: ./packages/core/src/index.ts










// EXTERNAL MODULE: ./packages/probe/src/spec.ts + 1 modules
var spec = __webpack_require__(6747);
// EXTERNAL MODULE: ./node_modules/.pnpm/jsonpath-plus@10.4.0/node_modules/jsonpath-plus/dist/index-node-esm.js
var index_node_esm = __webpack_require__(4695);
// EXTERNAL MODULE: ./packages/probe/src/hurl/template.ts
var template = __webpack_require__(3181);
;// CONCATENATED MODULE: ./packages/probe/src/hurl/evaluate.ts


/** A query or filter that could not produce a value: the assertion fails with this message. */
class EvalError extends Error {
}
const DAY = 86_400_000;
function evaluateQuery(query, response, vars, where) {
    switch (query.kind) {
        case 'status':
            return response.status;
        case 'version':
            return '1.1';
        case 'url':
            return response.url;
        case 'duration':
            return Math.round(response.durationMs);
        case 'body':
            return response.body.toString('utf8');
        case 'bytes':
            return response.body;
        case 'header': {
            const name = (0,template/* renderTemplate */.X)(query.name, vars, where).toLowerCase();
            const values = response.rawHeaders.filter(([k]) => k.toLowerCase() === name).map(([, v]) => v);
            return values.length === 0 ? undefined : values.length === 1 ? values[0] : values;
        }
        case 'jsonpath': {
            let json;
            try {
                json = JSON.parse(response.body.toString('utf8'));
            }
            catch {
                throw new EvalError(`response body is not JSON (${response.body.length} bytes, content-type ${response.headers['content-type'] ?? 'none'})`);
            }
            const path = (0,template/* renderTemplate */.X)(query.expr, vars, where);
            const found = (0,index_node_esm/* JSONPath */.E)({ path, json: json, wrap: true });
            return definitePath(path) ? found[0] : found;
        }
        case 'certificate': {
            const cert = response.certificate;
            if (!cert)
                throw new EvalError('no TLS certificate (not an https response)');
            return query.field === 'Subject'
                ? cert.subject
                : query.field === 'Issuer'
                    ? cert.issuer
                    : query.field === 'Start-Date'
                        ? cert.validFrom
                        : cert.validTo;
        }
        case 'regex': {
            const m = query.pattern.exec(response.body.toString('utf8'));
            return m ? (m[1] ?? m[0]) : undefined;
        }
        case 'variable':
            return vars[query.name];
    }
}
/** A path naming one node (no wildcards, filters, slices, unions or recursion) yields a value, not a list. */
function definitePath(path) {
    return !/\*|\.\.|\?\(|\[[^\]]*[:,][^\]]*\]/.test(path);
}
function applyFilters(value, filters, now) {
    let v = value;
    for (const f of filters) {
        if (v === undefined)
            throw new EvalError(`nothing to apply ${f.kind} to`);
        switch (f.kind) {
            case 'count':
                if (Array.isArray(v) || Buffer.isBuffer(v) || typeof v === 'string')
                    v = v.length;
                else if (v && typeof v === 'object')
                    v = Object.keys(v).length;
                else
                    throw new EvalError(`count needs a list, got ${show(v)}`);
                break;
            case 'nth':
                if (!Array.isArray(v))
                    throw new EvalError(`nth needs a list, got ${show(v)}`);
                v = v.at(f.index);
                break;
            case 'regex': {
                const m = f.pattern.exec(String(v));
                v = m ? (m[1] ?? m[0]) : undefined;
                break;
            }
            case 'toInt': {
                const n = Number.parseInt(String(v), 10);
                if (Number.isNaN(n))
                    throw new EvalError(`toInt: ${show(v)} is not a number`);
                v = n;
                break;
            }
            case 'toFloat': {
                const n = Number.parseFloat(String(v));
                if (Number.isNaN(n))
                    throw new EvalError(`toFloat: ${show(v)} is not a number`);
                v = n;
                break;
            }
            case 'daysAfterNow':
            case 'daysBeforeNow': {
                const date = v instanceof Date ? v : new Date(String(v));
                if (Number.isNaN(date.getTime()))
                    throw new EvalError(`${f.kind}: ${show(v)} is not a date`);
                const days = Math.floor((date.getTime() - now) / DAY);
                v = f.kind === 'daysAfterNow' ? days : -days;
                break;
            }
        }
    }
    return v;
}
function literal(value, vars, where) {
    switch (value.kind) {
        case 'string':
            return (0,template/* renderTemplate */.X)(value.template, vars, where);
        case 'number':
        case 'boolean':
            return value.value;
        case 'null':
            return null;
        case 'regex':
            return value.pattern;
    }
}
/** Shows a value the way it would be written in the spec. */
function show(v) {
    if (v === undefined)
        return 'nothing';
    if (v instanceof RegExp)
        return `/${v.source}/`;
    if (v instanceof Date)
        return v.toISOString();
    if (Buffer.isBuffer(v))
        return `${v.length} bytes`;
    const text = JSON.stringify(v);
    return text.length > 200 ? `${text.slice(0, 197)}...` : text;
}
function equal(a, b) {
    if (typeof a === 'number' && typeof b === 'number')
        return a === b;
    return JSON.stringify(a) === JSON.stringify(b);
}
function testPredicate(p, actual, expected) {
    switch (p.op) {
        case '==':
            return equal(actual, expected);
        case '!=':
            return !equal(actual, expected);
        case '>':
        case '>=':
        case '<':
        case '<=': {
            const [a, b] = [actual instanceof Date ? actual.getTime() : actual, expected];
            if (typeof a !== typeof b || (typeof a !== 'number' && typeof a !== 'string'))
                return false;
            const x = a;
            const y = b;
            return p.op === '>' ? x > y : p.op === '>=' ? x >= y : p.op === '<' ? x < y : x <= y;
        }
        case 'contains':
            if (typeof actual === 'string')
                return typeof expected === 'string' && actual.includes(expected);
            if (Array.isArray(actual))
                return actual.some((item) => equal(item, expected));
            if (Buffer.isBuffer(actual))
                return typeof expected === 'string' && actual.includes(expected);
            return false;
        case 'startsWith':
            return typeof actual === 'string' && typeof expected === 'string' && actual.startsWith(expected);
        case 'endsWith':
            return typeof actual === 'string' && typeof expected === 'string' && actual.endsWith(expected);
        case 'matches':
            return typeof actual === 'string' && expected instanceof RegExp && expected.test(actual);
        case 'exists':
            return actual !== undefined && !(Array.isArray(actual) && actual.length === 0);
        case 'isInteger':
            return Number.isInteger(actual);
        case 'isFloat':
            return typeof actual === 'number' && !Number.isInteger(actual);
        case 'isNumber':
            return typeof actual === 'number';
        case 'isString':
            return typeof actual === 'string';
        case 'isBoolean':
            return typeof actual === 'boolean';
        case 'isCollection':
            return Array.isArray(actual) || (!!actual && typeof actual === 'object' && !(actual instanceof Date));
        case 'isEmpty':
            if (typeof actual === 'string' || Array.isArray(actual) || Buffer.isBuffer(actual))
                return actual.length === 0;
            return !!actual && typeof actual === 'object' && Object.keys(actual).length === 0;
        case 'isDate':
            return (actual instanceof Date ||
                (typeof actual === 'string' && !Number.isNaN(Date.parse(actual)) && /\d{4}-\d{2}-\d{2}/.test(actual)));
    }
}
function describeExpected(p, expected) {
    const base = p.value === undefined ? p.op : p.op === '==' ? show(expected) : `${p.op} ${show(expected)}`;
    return p.not ? `not ${base}` : base;
}
function evaluateAssert(a, response, vars, now, file) {
    const where = `${file}:${a.line}`;
    let expected;
    try {
        expected = a.predicate.value ? literal(a.predicate.value, vars, where) : undefined;
    }
    catch (error) {
        return { line: a.line, source: a.source, ok: false, expected: '?', actual: '?', message: error.message };
    }
    const expectedText = describeExpected(a.predicate, expected);
    let actual;
    try {
        actual = applyFilters(evaluateQuery(a.query, response, vars, where), a.filters, now);
    }
    catch (error) {
        if (!(error instanceof EvalError))
            throw error;
        // A value that does not exist fails every predicate but `not exists`.
        const ok = a.predicate.op === 'exists' && a.predicate.not;
        return {
            line: a.line,
            source: a.source,
            ok,
            expected: expectedText,
            actual: 'nothing',
            message: ok ? undefined : `${error.message}`,
        };
    }
    const ok = testPredicate(a.predicate, actual, expected) !== a.predicate.not;
    return { line: a.line, source: a.source, ok, expected: expectedText, actual: show(actual) };
}
/** The implicit asserts of a response section: the status line and the listed headers. */
function implicitAsserts(response, actual, vars, file) {
    const out = [];
    if (response.status !== undefined) {
        out.push({
            line: response.line,
            source: `HTTP ${response.status}`,
            ok: actual.status === response.status,
            expected: String(response.status),
            actual: String(actual.status),
        });
    }
    for (const h of response.headers) {
        const where = `${file}:${h.line}`;
        const name = (0,template/* renderTemplate */.X)(h.name, vars, where);
        const value = (0,template/* renderTemplate */.X)(h.value, vars, where);
        const values = actual.rawHeaders.filter(([k]) => k.toLowerCase() === name.toLowerCase()).map(([, v]) => v);
        out.push({
            line: h.line,
            source: `${name}: ${value}`,
            ok: values.includes(value),
            expected: show(value),
            actual: values.length ? show(values.length === 1 ? values[0] : values) : 'no such header',
        });
    }
    return out;
}
function evaluateCapture(c, response, vars, now, file) {
    let value;
    try {
        value = applyFilters(evaluateQuery(c.query, response, vars, `${file}:${c.line}`), c.filters, now);
    }
    catch (error) {
        if (!(error instanceof EvalError))
            throw error;
        throw new Error(`capture '${c.name}' (${file}:${c.line}): ${error.message}`);
    }
    if (value === undefined)
        throw new Error(`capture '${c.name}' (${file}:${c.line}): ${c.source} matched nothing`);
    return { name: c.name, value, redact: c.redact };
}

;// CONCATENATED MODULE: ./packages/probe/src/hurl/run.ts



/** Statuses that mean "not up yet" while waiting for readiness. */
const NOT_READY_STATUSES = new Set([502, 503, 504]);
/** The HTTP request an entry describes, with every template filled in. */
function buildRequest(entry, vars, file) {
    const r = entry.request;
    const at = (line) => `${file}:${line}`;
    const url = new URL((0,template/* renderTemplate */.X)(r.url, vars, at(r.line)));
    for (const p of r.queryParams)
        url.searchParams.append((0,template/* renderTemplate */.X)(p.name, vars, at(p.line)), (0,template/* renderTemplate */.X)(p.value, vars, at(p.line)));
    const headers = {};
    for (const h of r.headers)
        headers[(0,template/* renderTemplate */.X)(h.name, vars, at(h.line))] = (0,template/* renderTemplate */.X)(h.value, vars, at(h.line));
    const has = (name) => Object.keys(headers).some((k) => k.toLowerCase() === name);
    let body;
    if (r.formParams.length) {
        body = new URLSearchParams(r.formParams.map((p) => [
            (0,template/* renderTemplate */.X)(p.name, vars, at(p.line)),
            (0,template/* renderTemplate */.X)(p.value, vars, at(p.line)),
        ])).toString();
        if (!has('content-type'))
            headers['Content-Type'] = 'application/x-www-form-urlencoded';
    }
    else if (r.body) {
        body =
            r.body.kind === 'json'
                ? (0,template/* renderJsonTemplate */.N)(r.body.template, vars, at(r.body.line))
                : (0,template/* renderTemplate */.X)(r.body.template, vars, at(r.body.line));
        if (r.body.kind === 'json' && !has('content-type'))
            headers['Content-Type'] = 'application/json';
    }
    if (r.basicAuth) {
        const user = (0,template/* renderTemplate */.X)(r.basicAuth.user, vars, at(r.line));
        const password = (0,template/* renderTemplate */.X)(r.basicAuth.password, vars, at(r.line));
        headers.Authorization = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
    }
    return {
        url: url.toString(),
        method: r.method,
        headers,
        body,
        insecure: r.options.insecure,
        maxRedirects: r.options.followRedirects ? (r.options.maxRedirects ?? 50) : 0,
    };
}
/**
 * Runs a file's entries in order, as Hurl does: captures feed later entries, an entry with
 * [Options] retry is re-run while it fails, and the first failing entry ends the flow.
 */
async function runHurlFile(file, options) {
    const clock = options.clock ?? src_clock/* systemClock */.ml;
    const vars = { ...options.variables };
    const steps = [];
    for (const entry of file.entries) {
        for (const v of entry.request.options.variables)
            vars[v.name] = (0,template/* renderTemplate */.X)(v.value, vars, `${file.path}:${v.line}`);
        const retries = entry.request.options.retry ?? 0;
        let step;
        for (let attempt = 0; attempt <= retries; attempt++) {
            if (attempt > 0)
                await clock.sleep(entry.request.options.retryIntervalMs ?? 1000, options.signal);
            if (entry.request.options.delayMs)
                await clock.sleep(entry.request.options.delayMs, options.signal);
            step = await runEntry(entry, vars, file.path, options, clock);
            if (!step.error && step.assertions.every((a) => a.ok))
                break;
        }
        steps.push(step);
        if (step.error || step.assertions.some((a) => !a.ok))
            break;
    }
    return steps;
}
async function runEntry(entry, vars, path, options, clock) {
    let label = `${entry.request.method} ${entry.request.url}`;
    let request;
    try {
        request = buildRequest(entry, vars, path);
        label = `${request.method} ${request.url}`;
    }
    catch (error) {
        return { request: label, line: entry.line, error: (0,errors/* oneLine */.TN)(error), assertions: [] };
    }
    let response;
    const started = clock.now();
    try {
        response = await options.send(request, options.signal);
    }
    catch (error) {
        if (options.signal.aborted)
            throw error;
        return {
            request: label,
            line: entry.line,
            error: (0,errors/* oneLine */.TN)(error),
            retryable: (0,errors/* errorKind */.f8)(error) === 'transient',
            durationMs: clock.now() - started,
            assertions: [],
        };
    }
    const spec = entry.response;
    const now = clock.now();
    const assertions = spec
        ? [
            ...implicitAsserts(spec, response, vars, path),
            ...spec.asserts.map((a) => evaluateAssert(a, response, vars, now, path)),
        ]
        : [];
    const statusFailed = assertions.some((a) => !a.ok && a.source.startsWith('HTTP '));
    const step = {
        request: label,
        line: entry.line,
        status: response.status,
        durationMs: response.durationMs,
        assertions,
        retryable: NOT_READY_STATUSES.has(response.status) && statusFailed,
    };
    if (spec && assertions.every((a) => a.ok)) {
        try {
            for (const capture of spec.captures) {
                const { name, value, redact } = evaluateCapture(capture, response, vars, now, path);
                if (redact)
                    options.secrets.add(typeof value === 'string' ? value : JSON.stringify(value));
                vars[name] = value;
            }
        }
        catch (error) {
            step.error = (0,errors/* oneLine */.TN)(error);
        }
    }
    return step;
}

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

;// CONCATENATED MODULE: ./packages/probe/src/smoke/report.ts


const ICON = { passed: '✅ passed', failed: '❌ failed', flaky: '⚠️ flaky' };
/** The job summary: one row per check, failing assertion with expected vs actual. */
function summaryMarkdown(report, title = 'Smoke test') {
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
        lines.push(`**${report.problem}**`, '');
    const rows = report.results.map((r) => {
        const latency = r.steps.map((s) => s.durationMs).filter((d) => d !== undefined);
        const where = r.file ? `${r.file}${lineOf(r) ? `:${lineOf(r)}` : ''}` : '';
        return [
            r.name,
            ICON[r.status] + (r.attempts > 1 ? ` (${r.attempts} runs)` : ''),
            latency.length ? `${Math.round(Math.max(...latency))} ms` : '',
            r.status === 'failed' ? (r.reason ?? '') : '',
            where,
        ];
    });
    if (rows.length)
        lines.push(table(['Check', 'Result', 'Slowest request', 'Failing assertion (expected vs actual)', 'Where'], rows));
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
function junitXml(report, suiteName = 'smoke-test') {
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
function xml(text) {
    return (text
        // Characters XML 1.0 cannot hold at all.
        .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, '')
        .replace(/&/g, '&amp;')
        .replace(/</g, '&lt;')
        .replace(/>/g, '&gt;')
        .replace(/"/g, '&quot;'));
}

;// CONCATENATED MODULE: ./packages/probe/src/smoke/checks.ts



function statusMatches(expected, status) {
    return expected
        .split(',')
        .map((s) => s.trim())
        .some((s) => (/^\dxx$/.test(s) ? String(status)[0] === s[0] : Number(s) === status));
}
/** One request to a URL from the action's inputs: its status plus the extra assertions. */
function urlCheck(spec, send) {
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
                ...spec.asserts.map((a) => {
                    const { line: _line, ...result } = evaluateAssert(a, response, spec.variables, Date.now(), 'assertions');
                    return result;
                }),
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
    const send = (req, signal) => request({ timeoutMs: config.timeoutMs, insecure: config.insecure, ca: config.ca, ...req, signal });
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
        ...config.specs.map((file) => hurlCheck(file, { send, variables: config.variables, secrets: ctx.secrets })),
    ];
    ctx.log.info(`smoke test: ${checks.length} check(s), ready within ${config.readyTimeoutMs / 1000}s`);
    const report = await runSmoke(checks, {
        readyTimeoutMs: config.readyTimeoutMs,
        readyIntervalMs: config.readyIntervalMs,
        flakeBudget: config.flakeBudget,
        parallelism: config.parallelism,
        signal: ctx.signal,
        log: ctx.log,
    });
    (0,external_node_fs_.mkdirSync)((0,external_node_path_.dirname)(config.junitPath), { recursive: true });
    (0,external_node_fs_.writeFileSync)(config.junitPath, ctx.secrets.redact(junitXml(report)));
    ctx.summary.append(summaryMarkdown(report));
    for (const annotation of failureAnnotations(report))
        ctx.log.error(annotation.message, annotation);
    const firstProblem = report.problem ?? report.results.find((r) => r.status === 'failed')?.reason ?? '';
    ctx.outputs.set('passed', String(report.passed));
    ctx.outputs.set('total', String(report.results.length));
    ctx.outputs.set('failed', String(report.failedCount));
    ctx.outputs.set('flaky', String(report.flakyCount));
    ctx.outputs.set('p95-latency-ms', report.p95Ms === undefined ? '' : String(Math.round(report.p95Ms)));
    ctx.outputs.set('reason', firstProblem);
    ctx.outputs.set('junit-report', config.junitPath);
    for (const result of report.results) {
        ctx.log.info(`${result.status.padEnd(6)} ${result.name}${result.reason ? `: ${result.reason}` : ''}`);
    }
    if (!report.passed) {
        throw new Error(`smoke test failed: ${report.problem ?? `${report.failedCount} of ${report.results.length} check(s) failed: ${firstProblem}`}`);
    }
    ctx.log.info(`smoke test passed: ${report.results.length} check(s), ${report.assertionCount} assertion(s)`);
}


/***/ })

};
