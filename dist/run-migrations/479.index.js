export const id = 479;
export const ids = [479];
export const modules = {

/***/ 479:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  cleanUp: () => (/* binding */ cleanUp),
  migrate: () => (/* binding */ migrate)
});

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./node_modules/.pnpm/pg@8.23.1/node_modules/pg/esm/index.mjs
var esm = __webpack_require__(4945);
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
    const clock = opts.clock ?? src_clock/* systemClock */.ml;
    const isRetryable = opts.isRetryable ?? errors/* isTransient */.dg;
    const started = clock.now();
    for (let attempt = 1;; attempt++) {
        if (opts.signal?.aborted)
            throw (0,src_clock/* abortReason */.Js)(opts.signal);
        try {
            return await fn(attempt);
        }
        catch (error) {
            if (opts.signal?.aborted)
                throw (0,src_clock/* abortReason */.Js)(opts.signal);
            if (!isRetryable(error))
                throw error;
            const elapsed = clock.now() - started;
            const hinted = opts.delayHint?.(error);
            const delayMs = Math.max(backoffDelay(attempt, opts), hinted ?? 0);
            const outOfAttempts = opts.maxAttempts !== undefined && attempt >= opts.maxAttempts;
            if (outOfAttempts || elapsed + delayMs > opts.timeoutMs) {
                const what = opts.what ?? 'operation';
                throw new errors/* DeadlineError */.j3(`${what} still failing after ${attempt} attempt(s) in ${Math.round(elapsed)}ms: ${(0,errors/* oneLine */.TN)(error)}`, { cause: error });
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
var leftovers = __webpack_require__(6012);
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
            return reject((0,src_clock/* abortReason */.Js)(opts.signal));
        const env = { ...process.env };
        for (const [k, v] of Object.entries(opts.env ?? {})) {
            if (v === undefined)
                delete env[k];
            else
                env[k] = v;
        }
        const child = (0,external_node_child_process_.spawn)(command, [...args], { cwd: opts.cwd, env, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
        leftovers/* leftovers */.To.addChild(child.pid);
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
            leftovers/* leftovers */.To.removeChild(child.pid);
            clearTimeout(timer);
            opts.signal?.removeEventListener('abort', onAbort);
            const code = error.code;
            reject(code === 'ENOENT'
                ? new errors/* PermanentError */.Dr(`${command}: not found on PATH; install it or set the path to it`, { cause: error })
                : error);
        });
        child.on('close', (exitCode, signal) => {
            leftovers/* leftovers */.To.removeChild(child.pid);
            clearTimeout(timer);
            opts.signal?.removeEventListener('abort', onAbort);
            for (const stream of ['stdout', 'stderr']) {
                if (partial[stream] && opts.onLine)
                    opts.onLine(partial[stream], stream);
            }
            if (opts.signal?.aborted)
                return reject((0,src_clock/* abortReason */.Js)(opts.signal));
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
        return Promise.reject(new PermanentError(`unsupported URL scheme ${url.protocol} in ${url.origin}`));
    }
    const transport = isHttps ? https : http;
    const customTls = isHttps && (req.insecure || req.ca || req.cert);
    const options = {
        method,
        headers: { 'user-agent': 'deploy-actions', ...headers },
        agent: customTls
            ? new https.Agent({ rejectUnauthorized: !req.insecure, ca: req.ca, cert: req.cert, key: req.key })
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
                    clientRequest.destroy(new PermanentError(`${method} ${url.origin}${url.pathname}: response body over ${maxBody} bytes`));
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
            clientRequest.destroy(new TransientError(`${method} ${url.origin}${url.pathname}: no complete response within ${req.timeoutMs}ms`));
        }, req.timeoutMs ?? 30_000);
        // A 101 Switching Protocols or a CONNECT reply never becomes a response: end with a clear error
        // instead of a promise that never settles (node would exit 0 with nothing reported).
        const switched = (what) => (res, socket) => {
            clearTimeout(timer);
            socket.destroy();
            reject(new PermanentError(`${method} ${url.origin}${url.pathname}: ${what} (HTTP ${res.statusCode}) is unsupported`));
        };
        clientRequest.on('upgrade', switched('the server switched protocols'));
        clientRequest.on('connect', switched('a CONNECT tunnel'));
        clientRequest.on('error', (error) => {
            clearTimeout(timer);
            if (error instanceof PermanentError || error instanceof TransientError)
                return reject(error);
            const where = `${method} ${url.origin}${url.pathname}`;
            const kind = isTransient(error) ? 'transient' : 'permanent';
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











;// CONCATENATED MODULE: ./actions/shared/src/postgres.ts


/** A pg client for one session, retried while the database comes up, with Nagle off. */
async function connectPostgres(databaseUrl, applicationName, ctx) {
    return retry(async () => {
        const client = new esm/* default.Client */.Ay.Client({
            connectionString: databaseUrl,
            application_name: applicationName,
            connectionTimeoutMillis: 10_000,
        });
        client.on('error', (error) => ctx.log.warning(`database connection: ${(0,errors/* oneLine */.TN)(error)}`));
        try {
            await client.connect();
            // node-postgres leaves Nagle's algorithm on; with many small statements the delayed ACKs it causes
            // double the time of a migration run.
            client.connection.stream.setNoDelay?.(true);
            return client;
        }
        catch (error) {
            await client.end().catch(() => undefined);
            throw error;
        }
    }, {
        timeoutMs: 30_000,
        what: `connecting to the database at ${hostOf(databaseUrl)}`,
        signal: ctx.signal,
        onRetry: ({ error, delayMs }) => ctx.log.info(`database not reachable yet (${(0,errors/* oneLine */.TN)(error)}); retrying in ${Math.round(delayMs)}ms`),
    });
}
function hostOf(url) {
    const u = new URL(url);
    return `${u.hostname}:${u.port || '5432'}/${u.pathname.slice(1)}`;
}

// EXTERNAL MODULE: ./packages/migrate/src/files.ts
var src_files = __webpack_require__(2425);
// EXTERNAL MODULE: ./packages/migrate/src/lint.ts
var lint = __webpack_require__(1213);
// EXTERNAL MODULE: ./node_modules/.pnpm/diff@8.0.4/node_modules/diff/libesm/patch/create.js + 2 modules
var create = __webpack_require__(761);
;// CONCATENATED MODULE: ./packages/migrate/src/adopt.ts


/** Another tool's history that cannot be taken as it is: a failed (dirty) migration, or a version with no file. */
class ForeignHistoryError extends errors/* PermanentError */.Dr {
}
const fix = (how) => `check the database by hand, then ${how}, or record what is really applied with \`mode: baseline\` and \`target-version\` (it reads no other tool's history)`;
/** The files for recorded versions; a recorded version with no file stops everything. */
function filesFor(set, tool, table, versions) {
    const byVersion = new Map(set.ups.map((m) => [(0,src_files/* normalizeVersion */.Qj)(m.version), m]));
    const missing = versions.filter((v) => !byVersion.has((0,src_files/* normalizeVersion */.Qj)(v)));
    if (missing.length)
        throw new ForeignHistoryError(`${tool} recorded version(s) ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ` and ${missing.length - 5} more` : ''} in ${table} as applied, but the migrations folder has no file for ${missing.length > 1 ? 'them' : 'it'}; point \`migrations\` at the folder that database was migrated from, or restore the file(s)`);
    return versions.map((v) => byVersion.get((0,src_files/* normalizeVersion */.Qj)(v)));
}
/** Every file up to and including a version (golang-migrate keeps only the latest; baselines cover all below). */
const upTo = (set, version) => set.ups.filter((m) => (0,src_files/* compareVersions */.Zy)(m.version, version) <= 0);
const isVersion = (v) => /^\d+(\.\d+)*$/.test(v);
function unique(files) {
    const seen = new Map(files.map((f) => [(0,src_files/* normalizeVersion */.Qj)(f.version), f]));
    return [...seen.values()].sort((a, b) => (0,src_files/* compareVersions */.Zy)(a.version, b.version));
}
const READERS = [
    {
        // golang-migrate: `version bigint primary key, dirty boolean`, one row holding the latest version.
        tool: 'golang-migrate',
        table: 'schema_migrations',
        matches: (c) => c.has('version') && c.get('dirty') === 'boolean',
        async read(client, table, set) {
            const { rows } = await client.query(`select version::text as version, dirty from ${table}`);
            if (rows.length > 1)
                throw new ForeignHistoryError(`${table} holds ${rows.length} rows; golang-migrate keeps one`);
            const row = rows[0];
            if (!row)
                return [];
            if (row.dirty)
                throw new ForeignHistoryError(`golang-migrate recorded version ${row.version} as dirty in ${table}: it failed part-way and may be half applied; ${fix(`\`migrate force ${row.version}\` (if it is fully applied) or \`migrate force <the version before>\` (if it is not)`)}`);
            if (Number(row.version) < 0)
                return [];
            filesFor(set, 'golang-migrate', table, [row.version]);
            return upTo(set, row.version);
        },
    },
    {
        // dbmate (and Rails): `version varchar primary key`, one row per applied migration.
        tool: 'dbmate',
        table: 'schema_migrations',
        matches: (c) => /^(character varying|text)/.test(c.get('version') ?? '') && !c.has('dirty'),
        async read(client, table, set) {
            const { rows } = await client.query(`select version from ${table}`);
            return filesFor(set, 'dbmate', table, rows.map((r) => r.version.trim()));
        },
    },
    {
        // morph (Mattermost): `Version bigint primary key, Name varchar`, one row per applied migration.
        tool: 'morph',
        table: 'db_migrations',
        matches: (c) => c.get('version') === 'bigint' && c.has('name'),
        async read(client, table, set) {
            const { rows } = await client.query(`select version::text as version from ${table}`);
            return filesFor(set, 'morph', table, rows.map((r) => r.version));
        },
    },
    {
        // Flyway: one row per run (SQL, BASELINE, UNDO_SQL, ...), `success` false for a failed one.
        tool: 'Flyway',
        table: 'flyway_schema_history',
        matches: (c) => c.has('installed_rank') && c.has('success'),
        async read(client, table, set) {
            const { rows } = await client.query(`select version, type, success, script from ${table} order by installed_rank`);
            const applied = new Map();
            for (const row of rows) {
                if (!row.success)
                    throw new ForeignHistoryError(`Flyway recorded ${row.script} (version ${row.version ?? 'repeatable'}) as failed in ${table}; ${fix('`flyway repair`')}`);
                // Repeatable (R__) migrations and the schema-creation marker have no version.
                if (!row.version || !isVersion(row.version))
                    continue;
                if (row.type === 'BASELINE') {
                    for (const m of upTo(set, row.version))
                        applied.set((0,src_files/* normalizeVersion */.Qj)(m.version), m);
                }
                else if (row.type === 'UNDO_SQL' || row.type === 'DELETE') {
                    applied.delete((0,src_files/* normalizeVersion */.Qj)(row.version));
                }
                else {
                    const [m] = filesFor(set, 'Flyway', table, [row.version]);
                    applied.set((0,src_files/* normalizeVersion */.Qj)(m.version), m);
                }
            }
            return [...applied.values()];
        },
    },
    {
        // goose: one row per up (is_applied true) and, in old versions, per down (false); version 0 is its own start marker.
        tool: 'goose',
        table: 'goose_db_version',
        matches: (c) => c.has('version_id') && c.has('is_applied'),
        async read(client, table, set) {
            const { rows } = await client.query(`select version_id::text as version, is_applied from ${table} order by id`);
            const state = new Map();
            for (const r of rows)
                if (r.version !== '0')
                    state.set(r.version, r.is_applied);
            return filesFor(set, 'goose', table, [...state].filter(([, on]) => on).map(([v]) => v));
        },
    },
    {
        // node-pg-migrate: `name` is the file name without its extension (1481813380519_create-users).
        tool: 'node-pg-migrate',
        table: 'pgmigrations',
        matches: (c) => c.has('name') && c.has('run_on'),
        async read(client, table, set) {
            const { rows } = await client.query(`select name from ${table} order by run_on, id`);
            return byName(set, 'node-pg-migrate', table, rows.map((r) => r.name));
        },
    },
    {
        // sqlx: one row per migration, `success` false when it failed.
        tool: 'sqlx',
        table: '_sqlx_migrations',
        matches: (c) => c.has('version') && c.has('success') && c.has('checksum'),
        async read(client, table, set) {
            const { rows } = await client.query(`select version::text as version, success from ${table}`);
            const failed = rows.find((r) => !r.success);
            if (failed)
                throw new ForeignHistoryError(`sqlx recorded version ${failed.version} as failed (dirty) in ${table}; ${fix('delete its row from _sqlx_migrations (if it is not applied)')}`);
            return filesFor(set, 'sqlx', table, rows.map((r) => r.version));
        },
    },
    {
        // Atlas: in its own schema; type 1 is a baseline, an execution with applied < total or an error is partial.
        tool: 'Atlas',
        table: 'atlas_schema_revisions.atlas_schema_revisions',
        matches: (c) => c.has('version') && c.has('applied') && c.has('total'),
        async read(client, table, set) {
            const { rows } = await client.query(`select version, type::text as type, applied::text as applied, total::text as total, error from ${table}`);
            const files = [];
            for (const r of rows.sort((a, b) => (0,src_files/* compareVersions */.Zy)(a.version, b.version))) {
                if (r.error || Number(r.applied) < Number(r.total))
                    throw new ForeignHistoryError(`Atlas recorded version ${r.version} as partly applied (${r.applied} of ${r.total} statements${r.error ? `: ${r.error}` : ''}) in ${table}; ${fix('`atlas migrate set` to the version that is really applied')}`);
                if (Number(r.type) & 1)
                    files.push(...upTo(set, r.version));
                else
                    files.push(...filesFor(set, 'Atlas', table, [r.version]));
            }
            return files;
        },
    },
    {
        // Prisma: `migration_name` is the migration's folder name; finished_at null and not rolled back is a failed one.
        tool: 'Prisma',
        table: '_prisma_migrations',
        matches: (c) => c.has('migration_name') && c.has('finished_at'),
        async read(client, table, set) {
            const { rows } = await client.query(`select migration_name as name, finished_at is not null as finished, rolled_back_at is not null as rolled_back from ${table} order by started_at`);
            const failed = rows.find((r) => !r.finished && !r.rolled_back);
            if (failed)
                throw new ForeignHistoryError(`Prisma recorded ${failed.name} as failed in ${table}; ${fix(`\`prisma migrate resolve --applied ${failed.name}\` or \`--rolled-back ${failed.name}\``)}`);
            return byName(set, 'Prisma', table, rows.filter((r) => r.finished && !r.rolled_back).map((r) => r.name));
        },
    },
];
/** Files by their name without the extension or Prisma's `/migration.sql` (`1481813380519_create-users`). */
function byName(set, tool, table, names) {
    const byBase = new Map(set.ups.map((m) => [m.file.replace(/(\/migration)?\.sql$/, ''), m]));
    const missing = names.filter((n) => !byBase.has(n));
    if (missing.length)
        throw new ForeignHistoryError(`${tool} recorded ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ` and ${missing.length - 5} more` : ''} in ${table} as applied, but the migrations folder has no such migration; point \`migrations\` at the folder that database was migrated from, or restore the file(s)`);
    return names.map((n) => byBase.get(n));
}
/**
 * The history another tool left, read as that tool reads it. Undefined when there is none; an error
 * when it cannot be taken as it is (a dirty or failed migration, a version with no file, or two
 * tools' histories at once).
 */
async function readForeignHistory(client, set) {
    const found = [];
    for (const reader of READERS) {
        const { rows } = await client.query(`select lower(attname) as name, format_type(atttypid, atttypmod) as type from pg_attribute
        where attrelid = to_regclass($1) and attnum > 0 and not attisdropped`, [reader.table]);
        if (!rows.length || !reader.matches(new Map(rows.map((r) => [r.name, r.type]))))
            continue;
        const applied = unique(await reader.read(client, reader.table, set));
        if (applied.length)
            found.push({ tool: reader.tool, table: reader.table, applied });
    }
    if (found.length > 1)
        throw new ForeignHistoryError(`found the histories of ${found.map((f) => `${f.tool} (${f.table})`).join(' and ')}; which one is right cannot be told: record what is really applied with \`mode: baseline\` and \`target-version\``);
    return found[0];
}

// EXTERNAL MODULE: ./packages/migrate/src/sql.ts
var src_sql = __webpack_require__(7502);
;// CONCATENATED MODULE: ./packages/migrate/src/engine.ts






/** A file run outside a transaction was interrupted at a statement that cannot be safely run again. */
class InterruptedMigrationError extends errors/* PermanentError */.Dr {
    version;
    file;
    line;
    constructor(version, file, line, message) {
        super(message);
        this.version = version;
        this.file = file;
        this.line = line;
    }
}
/** A migration that failed: the database is as it was before it (for transactional files). */
class MigrationError extends errors/* PermanentError */.Dr {
    version;
    file;
    line;
    statement;
    sqlstate;
    /** Which statement of the file failed (0-based), when known. */
    statementIndex;
    constructor(version, file, line, statement, sqlstate, message, options) {
        super(message, options);
        this.version = version;
        this.file = file;
        this.line = line;
        this.statement = statement;
        this.sqlstate = sqlstate;
        this.statementIndex = options?.statementIndex;
    }
}
/** The drift of applied files: the version and a unified diff of what ran against what is there now. */
class ChecksumDriftError extends errors/* PermanentError */.Dr {
    drifted;
    constructor(drifted) {
        super(`applied migration(s) changed since they ran: ${drifted.map((d) => `${d.version} (${d.file})`).join(', ')}; restore the files, or add a new migration for the change`);
        this.drifted = drifted;
    }
}
const LOCK_NAMESPACE = 0x44415031; // "DAP1": the first key of the advisory lock pair
const LOCK_NOT_AVAILABLE = '55P03';
/** statement_timeout, or a cancel (pg_cancel_backend, as on job cancellation). */
const QUERY_CANCELED = '57014';
function describeError(error) {
    const pg = error;
    const what = pg.code === LOCK_NOT_AVAILABLE
        ? 'lock_timeout'
        : pg.code === QUERY_CANCELED
            ? 'statement_timeout or cancel'
            : 'error';
    return `${what}: ${pg.message ?? String(error)} (SQLSTATE ${pg.code ?? '?'})`;
}
/** The error for a failed statement, pointing at the line of the statement where the server says it failed. */
function migrationError(migration, statement, error, offsetInStatement, statementIndex) {
    const offset = Math.max(0, offsetInStatement);
    const line = statement.line + (statement.text.slice(0, offset).match(/\n/g)?.length ?? 0);
    return new MigrationError(migration.version, migration.file, line, statement.text, error.code, `${migration.file}:${line}: ${describeError(error)} in '${statement.text.replace(/\s+/g, ' ').slice(0, 100)}'`, { cause: error, statementIndex });
}
const oneLineStatement = (text) => text.replace(/\s+/g, ' ').slice(0, 120);
function describeHolder(h) {
    const query = h.query.replace(/\s+/g, ' ').slice(0, 120);
    return `held by pid ${h.pid}${h.application_name ? ` (${h.application_name})` : ''}, ${h.state}${query ? ` '${query}'` : ''} for ${h.seconds}s`;
}
/** A SQL string literal (standard_conforming_strings is on in every supported PostgreSQL). */
function literal(value) {
    if (value.includes('\0'))
        throw new errors/* PermanentError */.Dr('a NUL character cannot be stored in PostgreSQL text');
    return `'${value.replace(/'/g, "''")}'`;
}
/** The second advisory-lock key, from the table name, so two histories in one database do not block each other. */
function lockKey(table) {
    let h = 0;
    for (const ch of table)
        h = (Math.imul(h, 31) + ch.charCodeAt(0)) | 0;
    return h;
}
class Migrator {
    o;
    clock;
    key;
    constructor(o) {
        this.o = o;
        this.clock = o.clock ?? src_clock/* systemClock */.ml;
        this.key = [LOCK_NAMESPACE, lockKey(o.table)];
        if (!/^([A-Za-z_][\w$]*\.)?[A-Za-z_][\w$]*$/.test(o.table))
            throw new errors/* PermanentError */.Dr(`history table '${o.table}' is not a plain [schema.]name`);
    }
    /**
     * Runs fn holding the session advisory lock. The lock is polled with pg_try_advisory_lock rather
     * than waited for with pg_advisory_lock: a session blocked in pg_advisory_lock holds a snapshot,
     * and a CREATE INDEX CONCURRENTLY in the lock holder would wait for it, forever.
     */
    async withLock(fn) {
        // A job killed mid-statement leaves its backend running that statement, lock held, until it next
        // writes to the dead socket; with this (PostgreSQL 14+) the server checks the client every second
        // and ends the session, rolling back and releasing the lock.
        await this.o.client.query("select set_config('client_connection_check_interval', '1000', false) where current_setting('server_version_num')::int >= 140000");
        const started = this.clock.now();
        let lastReport = { at: -Infinity, what: '' };
        for (let attempt = 1;; attempt++) {
            const { rows } = await this.o.client.query('select pg_try_advisory_lock($1::int, $2::int) as ok', this.key);
            if (rows[0]?.ok)
                break;
            const waited = this.clock.now() - started;
            const holder = await this.lockHolder();
            const described = holder ? describeHolder(holder) : undefined;
            if (waited >= this.o.lockWaitMs) {
                throw new errors/* TransientError */.N_(`could not take the migration lock within ${(0,src_clock/* formatDuration */.a3)(this.o.lockWaitMs)}: ${described ?? 'the holder has gone'}; another job is migrating, or a stuck session holds the lock`);
            }
            // Said when the holder moves on to another statement, and every 10 s while it does not.
            const what = holder ? `${holder.pid} ${holder.query}` : '';
            if (what !== lastReport.what || this.clock.now() - lastReport.at >= 10_000) {
                this.o.log.info(`waiting for the migration lock (${(0,src_clock/* formatDuration */.a3)(waited)} so far): ${described ?? 'released just now'}`);
                lastReport = { at: this.clock.now(), what };
            }
            await this.clock.sleep(Math.min(backoffDelay(attempt, { initialDelayMs: 100, maxDelayMs: 2000 }), this.o.lockWaitMs - waited + 1), this.o.signal);
        }
        try {
            return await fn();
        }
        finally {
            await this.o.client.query('select pg_advisory_unlock($1::int, $2::int)', this.key).catch(() => undefined);
        }
    }
    /** Who holds the lock: pid, application and what it is running, for the waiting message. */
    async lockHolder() {
        const { rows } = await this.o.client.query(`select a.pid, a.application_name, a.state, a.query, extract(epoch from now() - coalesce(a.query_start, a.backend_start))::int as seconds
         from pg_locks l join pg_stat_activity a on a.pid = l.pid
        where l.locktype = 'advisory' and l.granted and l.classid = $1::bigint::oid and l.objid = $2::bigint::oid and l.objsubid = 2`, 
        // pg_locks shows the two int4 keys as unsigned oids.
        [this.key[0] >>> 0, this.key[1] >>> 0]);
        return rows[0];
    }
    async ensureTable() {
        await this.o.client.query(`create table if not exists ${this.o.table} (
      version text primary key,
      name text not null,
      checksum text not null,
      sql text not null,
      applied_at timestamptz not null default now(),
      duration_ms integer not null,
      applied_by text not null,
      finished boolean not null default true,
      statements_done integer,
      error text)`);
        // Tables made before crash safety: the columns are added once (an ALTER every run would lock the table each time).
        const { rows } = await this.o.client.query("select 1 from pg_attribute where attrelid = to_regclass($1) and attname = 'finished' and not attisdropped", [this.o.table]);
        if (!rows.length)
            await this.o.client.query(`alter table ${this.o.table} add column if not exists finished boolean not null default true, add column if not exists statements_done integer, add column if not exists error text`);
    }
    /**
     * What is applied and what is pending. When our history is empty and another tool's is there,
     * its applied set counts (unless `adopt` is off: baseline decides by hand).
     */
    async status(set, { adopt = true } = {}) {
        const exists = await this.o.client.query('select to_regclass($1)::text as t', [this.o.table]);
        // `select *`: a table made before crash safety has no finished/statements_done columns yet.
        const rows = exists.rows[0]?.t
            ? (await this.o.client.query(`select * from ${this.o.table}`)).rows.map((r) => ({
                ...r,
                finished: r.finished ?? true,
                statements_done: r.statements_done ?? null,
                error: r.error ?? null,
            }))
            : [];
        rows.sort((a, b) => (0,src_files/* compareVersions */.Zy)(a.version, b.version));
        const applied = rows.filter((r) => r.finished);
        const interrupted = rows.filter((r) => !r.finished);
        const adopted = !rows.length && adopt ? await readForeignHistory(this.o.client, set) : undefined;
        const done = new Set([...applied.map((r) => r.version), ...(adopted?.applied.map((m) => m.version) ?? [])].map(src_files/* normalizeVersion */.Qj));
        return {
            applied,
            interrupted,
            pending: set.ups.filter((m) => !done.has((0,src_files/* normalizeVersion */.Qj)(m.version))),
            current: adopted ? adopted.applied.at(-1)?.version : applied.at(-1)?.version,
            ...(adopted ? { adopted } : {}),
        };
    }
    /** Records another tool's applied migrations as ours, in one transaction, without running them. */
    async adopt(history) {
        const files = history.applied;
        await this.o.client.query('begin');
        try {
            await this.o.client.query(`insert into ${this.o.table} (version, name, checksum, sql, duration_ms, applied_by)
         select v, n, c, s, 0, $5 from unnest($1::text[], $2::text[], $3::text[], $4::text[]) as t(v, n, c, s)`, [
                files.map((m) => m.version),
                files.map((m) => m.name),
                files.map((m) => m.checksum),
                files.map((m) => m.sql),
                `adopted from ${history.tool} (${history.table}) by ${this.o.appliedBy}`,
            ]);
            await this.o.client.query('commit');
        }
        catch (error) {
            await this.o.client.query('rollback').catch(() => undefined);
            throw error;
        }
        this.o.log.info(`adopted ${files.length} migration(s) that ${history.tool} recorded as applied in ${history.table} (up to ${files.at(-1).version}): recorded, not run`);
    }
    /** Applied files whose contents changed since they ran, each with a diff. */
    drift(set, status) {
        const byVersion = new Map(set.ups.map((m) => [(0,src_files/* normalizeVersion */.Qj)(m.version), m]));
        // An interrupted file may be fixed where it stopped (that is how a failed statement is
        // corrected); only a change to the statements that already ran is drift.
        const ranChanged = (row, file) => {
            const done = row.statements_done ?? 0;
            const texts = (sql) => (0,src_sql/* splitStatements */.X)(sql)
                .slice(0, done)
                .map((s) => s.text);
            return JSON.stringify(texts(row.sql)) !== JSON.stringify(texts(file.sql));
        };
        return [...status.applied, ...status.interrupted].flatMap((row) => {
            const file = byVersion.get((0,src_files/* normalizeVersion */.Qj)(row.version));
            if (!file || file.checksum === row.checksum)
                return [];
            if (!row.finished && !ranChanged(row, file))
                return [];
            return [
                {
                    version: row.version,
                    file: file.file,
                    diff: (0,create/* createTwoFilesPatch */.ss)(`${file.file} (applied ${row.applied_at.toISOString()})`, `${file.file} (now)`, row.sql, file.sql, '', '', { context: 2 }),
                },
            ];
        });
    }
    /**
     * Size facts of the tables the migrations touch, for the linter: which hold rows and which are
     * large. Undefined when the catalog cannot be read within a short lock wait (the linter then takes
     * every existing table as large).
     */
    async tableFacts(names) {
        if (!names.length)
            return new Map();
        try {
            await this.o.client.query("begin; set local lock_timeout = '2s'");
            const { rows } = await this.o.client.query(`select upper(c.relname) as name, pg_relation_size(c.oid)::text as bytes from pg_class c
          where c.relkind in ('r', 'p', 'm') and upper(c.relname) = any($1) and pg_table_is_visible(c.oid)`, [names.map((n) => n.toUpperCase())]);
            return new Map(rows.map((r) => [r.name, { rows: Number(r.bytes) > 0, large: Number(r.bytes) >= lint/* LARGE_TABLE_BYTES */.LK }]));
        }
        catch (error) {
            this.o.log.warning(`table sizes could not be read for the linter (${describeError(error)}); every existing table counts as large`);
            return undefined;
        }
        finally {
            await this.o.client.query('rollback').catch(() => undefined);
        }
    }
    /** Pending migrations with each statement and the lock it takes. */
    plan(pending) {
        return pending.map((migration) => ({
            migration,
            statements: migration.statements.map((s) => ({ ...s, lock: (0,lint/* lockLevel */.ym)(s.text) })),
        }));
    }
    /**
     * Applies every pending migration, in order, each in its own transaction unless it runs outside
     * one. Another tool's history is adopted first when ours is empty; an interrupted file is resumed
     * when that is safe.
     */
    async apply(set) {
        return this.withLock(async () => {
            await this.ensureTable();
            let status = await this.status(set);
            const adopted = status.adopted;
            if (adopted) {
                await this.adopt(adopted);
                status = await this.status(set);
            }
            const drifted = this.drift(set, status);
            if (drifted.length)
                throw new ChecksumDriftError(drifted);
            const late = status.current === undefined
                ? []
                : status.pending.filter((m) => (0,src_files/* compareVersions */.Zy)(m.version, status.current) < 0);
            if (late.length) {
                throw new errors/* PermanentError */.Dr(`migration(s) ${late.map((m) => m.file).join(', ')} are older than the applied version ${status.current} but were never applied; give them a newer version`);
            }
            const interrupted = new Map(status.interrupted.map((r) => [(0,src_files/* normalizeVersion */.Qj)(r.version), r]));
            const applied = [];
            for (const migration of status.pending) {
                if (this.o.signal?.aborted)
                    throw new errors/* PermanentError */.Dr(`cancelled before ${migration.file}; ${applied.length} migration(s) applied`);
                const row = interrupted.get((0,src_files/* normalizeVersion */.Qj)(migration.version));
                const from = row ? await this.resumePoint(migration, row) : undefined;
                const durationMs = await this.run(migration, 'up', undefined, from);
                applied.push({ version: migration.version, name: migration.name, durationMs });
                this.o.log.info(`applied ${migration.file} in ${(0,src_clock/* formatDuration */.a3)(durationMs)}`);
            }
            return {
                before: status.current,
                after: applied.at(-1)?.version ?? status.current,
                applied,
                ...(adopted ? { adopted: { tool: adopted.tool, table: adopted.table, count: adopted.applied.length } } : {}),
            };
        });
    }
    /**
     * Where to go on with a file that started outside a transaction and never finished: its record
     * says which statements completed; the one that was running is run again only when that is safe
     * (or seen to have completed), else a person decides with `mode: resolve`.
     */
    async resumePoint(migration, row) {
        const done = row.statements_done ?? 0;
        const statement = migration.statements[done];
        // A statement that failed with an error did not take effect (each runs on its own): run it again.
        if (!statement || row.error !== null)
            return done;
        const verdict = await this.repeatability(statement);
        const where = `${migration.file}:${statement.line}`;
        if (verdict === 'completed') {
            this.o.log.warning(`${migration.file} was interrupted at statement ${done + 1} of ${migration.statements.length} (line ${statement.line}), whose result is in the database; going on after it`, { file: migration.file, line: statement.line });
            return done + 1;
        }
        if (verdict === 'safe') {
            this.o.log.warning(`${migration.file} was interrupted at statement ${done + 1} of ${migration.statements.length} (line ${statement.line}); it is safe to repeat, so it runs again`, { file: migration.file, line: statement.line });
            return done;
        }
        throw new InterruptedMigrationError(migration.version, migration.file, statement.line, `${where}: ${migration.file} runs outside a transaction and was interrupted (started ${row.applied_at.toISOString()} by ${row.applied_by}) while running statement ${done + 1} of ${migration.statements.length}, '${oneLineStatement(statement.text)}', which cannot be safely run again; check in the database whether it took effect, then run with \`mode: resolve\`, \`target-version: ${migration.version}\` and \`resolve-as: applied\` (it did: the next apply goes on after it) or \`resolve-as: not-applied\` (it did not: the next apply runs it again)`);
    }
    /**
     * Whether a statement can run again after an interruption: IF [NOT] EXISTS forms, and CREATE/DROP
     * INDEX judged by the index itself (missing or INVALID: build again; valid: it completed).
     */
    async repeatability(statement) {
        const s = (0,src_sql/* normalize */.S)(statement.text);
        if (/^(SELECT|SET|RESET|ANALYZE|VACUUM|REINDEX|COMMENT ON|GRANT|REVOKE|CREATE OR REPLACE)\b/.test(s))
            return 'safe';
        const index = /^CREATE (?:UNIQUE )?INDEX (?:CONCURRENTLY )?(?!IF NOT EXISTS)/.test(s)
            ? concurrentIndexName(statement.text.replace(/^(create\s+(?:unique\s+)?index\s+)(?!concurrently)/i, '$1concurrently '))
            : undefined;
        if (index) {
            const { rows } = await this.o.client.query('select indisvalid as valid from pg_index where indexrelid = to_regclass($1)', [index]);
            return rows[0]?.valid ? 'completed' : 'safe';
        }
        const dropped = /^DROP INDEX (?:CONCURRENTLY )?(?!IF EXISTS)("(?:[^"]|"")+"|[\w$.]+)\s*$/i.exec(statement.text.replace(/\s+/g, ' ').trim());
        if (dropped) {
            const { rows } = await this.o.client.query('select to_regclass($1)::text as t', [
                dropped[1],
            ]);
            return rows[0]?.t ? 'safe' : 'completed';
        }
        if (/^(CREATE|DROP) (UNIQUE |MATERIALIZED |UNLOGGED )?\w+ (CONCURRENTLY )?IF (NOT )?EXISTS\b/.test(s))
            return 'safe';
        const alter = (0,lint/* parseAlterTable */.M7)(s);
        if (alter?.actions.every((a) => /^(ADD|DROP)( COLUMN| CONSTRAINT)? IF (NOT )?EXISTS\b/.test(a)))
            return 'safe';
        return 'unsafe';
    }
    /** Undoes applied migrations newer than `target`, newest first, with their down files. */
    async down(set, target) {
        return this.withLock(async () => {
            await this.ensureTable();
            let status = await this.status(set);
            if (status.adopted) {
                await this.adopt(status.adopted);
                status = await this.status(set);
            }
            if (status.interrupted.length)
                throw new errors/* PermanentError */.Dr(`version(s) ${status.interrupted.map((r) => r.version).join(', ')} were interrupted mid-way; settle them with \`mode: resolve\` before going down`);
            const undo = status.applied.filter((r) => (0,src_files/* compareVersions */.Zy)(r.version, target) > 0).reverse();
            const missing = undo.filter((r) => !set.downs.has((0,src_files/* normalizeVersion */.Qj)(r.version)));
            if (missing.length)
                throw new errors/* PermanentError */.Dr(`no down migration for version(s) ${missing.map((r) => r.version).join(', ')}; nothing was undone`);
            const applied = [];
            for (const row of undo) {
                const file = set.downs.get((0,src_files/* normalizeVersion */.Qj)(row.version));
                const durationMs = await this.run(file, 'down', row.version);
                applied.push({ version: row.version, name: row.name, durationMs });
                this.o.log.info(`undid ${row.version} with ${file.file} in ${(0,src_clock/* formatDuration */.a3)(durationMs)}`);
            }
            const after = (await this.status(set)).current;
            return { before: status.current, after, applied };
        });
    }
    /** The down files a `down` to `target` would run, newest first (to lint them before anything runs). */
    downFiles(set, status, target) {
        const applied = status.adopted
            ? status.adopted.applied.map((m) => m.version)
            : status.applied.map((r) => r.version);
        return applied
            .filter((v) => (0,src_files/* compareVersions */.Zy)(v, target) > 0)
            .reverse()
            .flatMap((v) => set.downs.get((0,src_files/* normalizeVersion */.Qj)(v)) ?? []);
    }
    /** Records every migration up to `version` as applied without running it (adopting an existing database). */
    async baseline(set, version) {
        return this.withLock(async () => {
            await this.ensureTable();
            const status = await this.status(set, { adopt: false });
            const adopt = status.pending.filter((m) => (0,src_files/* compareVersions */.Zy)(m.version, version) <= 0);
            if (!set.ups.some((m) => (0,src_files/* compareVersions */.Zy)(m.version, version) === 0))
                throw new errors/* PermanentError */.Dr(`baseline version ${version} matches no migration file`);
            for (const m of adopt) {
                // An interrupted file up to the baseline is settled as applied by it.
                await this.o.client.query(`delete from ${this.o.table} where version = $1 and not finished`, [m.version]);
                await this.o.client.query(`insert into ${this.o.table} (version, name, checksum, sql, duration_ms, applied_by) values ($1, $2, $3, $4, 0, $5)`, [m.version, m.name, m.checksum, m.sql, `baseline by ${this.o.appliedBy}`]);
            }
            return {
                before: status.current,
                after: adopt.at(-1)?.version ?? status.current,
                applied: adopt.map((m) => ({ version: m.version, name: m.name, durationMs: 0 })),
            };
        });
    }
    /**
     * Settles the statement a file was running outside a transaction when it was interrupted, after a
     * person checked the database: `applied` (it took effect) or `not-applied` (it did not). The next
     * apply goes on from the statement after it, or runs it again; settling the last statement as
     * applied finishes the file.
     */
    async resolve(set, version, as) {
        return this.withLock(async () => {
            await this.ensureTable();
            const status = await this.status(set, { adopt: false });
            const row = status.interrupted.find((r) => (0,src_files/* compareVersions */.Zy)(r.version, version) === 0);
            if (!row)
                throw new errors/* PermanentError */.Dr(`version ${version} is not an interrupted migration${status.interrupted.length ? ` (interrupted: ${status.interrupted.map((r) => r.version).join(', ')})` : ' (none is)'}; nothing was changed`);
            const file = set.ups.find((m) => (0,src_files/* normalizeVersion */.Qj)(m.version) === (0,src_files/* normalizeVersion */.Qj)(row.version));
            if (!file)
                throw new errors/* PermanentError */.Dr(`version ${row.version} was interrupted, but its file is gone; restore it`);
            const done = (row.statements_done ?? 0) + (as === 'applied' ? 1 : 0);
            const finished = done >= file.statements.length;
            const note = `resolved as ${as} by ${this.o.appliedBy}`;
            await this.o.client.query(
            // `error` set: the statement at statements_done is known not to have run (see resumePoint).
            `update ${this.o.table} set statements_done = $2, finished = $3, error = $4 where version = $1`, [row.version, done, finished, finished ? null : note]);
            const statement = file.statements[row.statements_done ?? 0];
            this.o.log.info(`${file.file}: statement ${(row.statements_done ?? 0) + 1}${statement ? ` (line ${statement.line})` : ''} ${note}; ${finished ? 'the file is recorded as applied' : `the next apply ${as === 'applied' ? 'goes on from the statement after it' : 'runs it again'}`}`);
            return {
                before: status.current,
                after: finished ? (await this.status(set, { adopt: false })).current : status.current,
                applied: finished ? [{ version: row.version, name: row.name, durationMs: 0 }] : [],
            };
        });
    }
    async run(migration, direction, undoVersion, resumeFrom) {
        const statements = migration.statements;
        const started = this.clock.now();
        let from = resumeFrom ?? 0;
        // Outside a transaction an up file is recorded as started before it runs, and its progress after
        // each statement, so a job killed mid-way leaves a record of how far it got.
        if (!migration.transactional && direction === 'up') {
            if (resumeFrom === undefined)
                await this.recordStarted(migration);
            else
                await this.o.client.query(`update ${this.o.table} set error = null, applied_by = $2, applied_at = now() where version = $1`, [migration.version, this.o.appliedBy]);
        }
        for (let attempt = 0;; attempt++) {
            try {
                if (migration.transactional) {
                    // The first attempt sends the whole file in one round trip; a retry goes statement by
                    // statement, so that a second timeout names the statement that waited.
                    await this.runTransaction(migration, statements, this.record(migration, direction, undoVersion), attempt > 0);
                }
                else {
                    // From the first statement not yet done: what ran outside a transaction stays done.
                    from = await this.runWithoutTransaction(migration, statements, from, direction, undoVersion, started);
                }
                return Math.round(this.clock.now() - started);
            }
            catch (error) {
                const retryable = error instanceof MigrationError && error.sqlstate === LOCK_NOT_AVAILABLE && attempt < this.o.lockRetries;
                if (error instanceof MigrationError && !migration.transactional)
                    from = error.statementIndex ?? from;
                if (!retryable) {
                    if (!migration.transactional && statements[from])
                        await this.cleanUpFailedBuild(statements[from]);
                    // The server refused the statement, so it did not take effect: the next run starts there, and
                    // a file that failed at its first statement left nothing (without an SQLSTATE the connection
                    // was lost, and what happened is not known).
                    if (!migration.transactional && direction === 'up' && error instanceof MigrationError && error.sqlstate)
                        await this.o.client
                            .query(from === 0
                            ? `delete from ${this.o.table} where version = $1 and not finished`
                            : `update ${this.o.table} set statements_done = $2, error = $3 where version = $1`, from === 0 ? [migration.version] : [migration.version, from, error.message])
                            .catch(() => undefined);
                    throw error;
                }
                const wait = backoffDelay(attempt + 1, { initialDelayMs: 1000, maxDelayMs: 15_000 });
                this.o.log.warning(`${migration.file}: lock_timeout fired (${error.message}); retrying in ${(0,src_clock/* formatDuration */.a3)(wait)} (${this.o.lockRetries - attempt} attempt(s) left)`, { file: migration.file, line: error.line });
                await this.clock.sleep(wait, this.o.signal);
            }
        }
    }
    async recordStarted(migration) {
        await this.o.client.query(`insert into ${this.o.table} (version, name, checksum, sql, duration_ms, applied_by, finished, statements_done) values ($1, $2, $3, $4, 0, $5, false, 0)`, [migration.version, migration.name, migration.checksum, migration.sql, this.o.appliedBy]);
    }
    /**
     * Every statement travels alone: several statements in one query run as an implicit
     * transaction, where CONCURRENTLY is refused. Returns the number of statements done.
     */
    async runWithoutTransaction(migration, statements, from, direction, undoVersion, started) {
        await this.o.client.query(this.timeouts('set'));
        try {
            for (let i = from; i < statements.length; i++) {
                // An INVALID index left by an earlier failed build (this run's, or a killed job's) would
                // make the build fail with "already exists", or be skipped by IF NOT EXISTS and stay broken.
                await this.dropInvalidIndex(statements[i]);
                await this.exec(migration, statements[i], i);
                if (direction === 'up')
                    await this.o.client.query(`update ${this.o.table} set statements_done = $2 where version = $1`, [
                        migration.version,
                        i + 1,
                    ]);
            }
            if (direction === 'down')
                await this.o.client.query(this.record(migration, direction, undoVersion));
            else
                await this.o.client.query(`update ${this.o.table} set finished = true, duration_ms = $2, applied_at = now(), checksum = $3, sql = $4, error = null where version = $1`, [migration.version, Math.round(this.clock.now() - started), migration.checksum, migration.sql]);
            return statements.length;
        }
        finally {
            await this.o.client.query('reset lock_timeout; reset statement_timeout').catch(() => undefined);
        }
    }
    /** After a failed concurrent build: drop the INVALID index it left, so the database is as before. */
    async cleanUpFailedBuild(statement) {
        try {
            await this.dropInvalidIndex(statement);
        }
        catch (error) {
            this.o.log.warning(`the INVALID index left by the failed build could not be dropped now (${describeError(error)}); the next run drops it before building again`);
        }
    }
    /**
     * The history change for a transactional migration, as literal SQL so it shares the round trip
     * with the commit; its duration is the server's time since the transaction began.
     */
    record(migration, direction, undoVersion) {
        if (direction === 'down')
            return `delete from ${this.o.table} where version = ${literal(undoVersion)}`;
        const values = [migration.version, migration.name, migration.checksum, migration.sql].map(literal).join(', ');
        return `insert into ${this.o.table} (version, name, checksum, sql, duration_ms, applied_by) values (${values}, round(extract(epoch from clock_timestamp() - now()) * 1000)::int, ${literal(this.o.appliedBy)})`;
    }
    timeouts(set) {
        return `${set} lock_timeout = ${Math.round(this.o.lockTimeoutMs)}; ${set} statement_timeout = ${Math.round(this.o.statementTimeoutMs)}`;
    }
    async runTransaction(migration, statements, record, stepwise) {
        // The file's name leads the query text, so a job waiting for the lock sees what the holder runs.
        const begin = `/* run-migrations ${migration.file.replace(/\*\//g, '*_/')} */ begin; ${this.timeouts('set local')};\n`;
        if (stepwise) {
            try {
                await this.o.client.query(begin);
                for (const [i, statement] of statements.entries())
                    await this.exec(migration, statement, i);
                await this.o.client.query(`${record}; commit`);
            }
            catch (error) {
                await this.o.client.query('rollback').catch(() => undefined);
                throw error;
            }
            return;
        }
        const offsets = [];
        let body = '';
        for (const s of statements) {
            offsets.push(begin.length + body.length);
            body += `${s.text};\n`;
        }
        try {
            await this.o.client.query(`${begin}${body}${record}; commit`);
        }
        catch (error) {
            await this.o.client.query('rollback').catch(() => undefined);
            const pg = error;
            // Which statement failed: the error's position when the server gives one (parse and analysis
            // errors), the only statement, or else a replay one by one in a transaction that is rolled
            // back — never for timeouts, whose replay would wait all over again (a retry runs stepwise).
            let index = statements.length === 1 ? 0 : -1;
            if (pg.position)
                index = offsets.findLastIndex((o) => o <= Number(pg.position) - 1);
            if (index < 0 && pg.code !== LOCK_NOT_AVAILABLE && pg.code !== QUERY_CANCELED)
                index = await this.replay(statements);
            if (index < 0) {
                throw new MigrationError(migration.version, migration.file, statements[0]?.line ?? 1, '', pg.code, `${migration.file}: ${describeError(error)} in one of its ${statements.length} statements`, { cause: error });
            }
            const position = pg.position ? Number(pg.position) - 1 - offsets[index] : 0;
            throw migrationError(migration, statements[index], error, position, index);
        }
    }
    /** Runs the statements one at a time in a transaction that is always rolled back; returns the failing one. */
    async replay(statements) {
        await this.o.client.query(`begin; ${this.timeouts('set local')}`);
        try {
            for (const [i, s] of statements.entries()) {
                try {
                    await this.o.client.query(s.text);
                }
                catch {
                    return i;
                }
            }
            return -1;
        }
        finally {
            await this.o.client.query('rollback').catch(() => undefined);
        }
    }
    /** Runs one statement on its own; errors name it. */
    async exec(migration, statement, index) {
        try {
            await this.o.client.query(statement.text);
        }
        catch (error) {
            const position = error.position;
            throw migrationError(migration, statement, error, position ? Number(position) - 1 : 0, index);
        }
    }
    /**
     * A failed CREATE INDEX CONCURRENTLY leaves an INVALID index behind; drops the one this statement
     * builds, if it is there and INVALID. Bounded by lock_timeout like the migration itself.
     */
    async dropInvalidIndex(statement) {
        const name = concurrentIndexName(statement.text);
        if (!name)
            return;
        const { rows } = await this.o.client.query('select i.indexrelid::regclass::text as name from pg_index i where not i.indisvalid and i.indexrelid = to_regclass($1)', [name]);
        for (const row of rows) {
            this.o.log.warning(`dropping the INVALID index ${row.name} left by a failed concurrent build`);
            await this.o.client.query(`set lock_timeout = ${Math.round(this.o.lockTimeoutMs)}`);
            try {
                await this.o.client.query(`drop index concurrently if exists ${row.name}`);
            }
            finally {
                await this.o.client.query('reset lock_timeout').catch(() => undefined);
            }
        }
    }
}
/** The index a CREATE INDEX CONCURRENTLY statement names, in the schema of its table (an index lives there). */
function concurrentIndexName(statement) {
    const name = '("(?:[^"]|"")+"|[\\w$]+)';
    const m = new RegExp(`^create\\s+(?:unique\\s+)?index\\s+concurrently\\s+(?:if\\s+not\\s+exists\\s+)?${name}\\s+on\\s+(?:only\\s+)?(?:${name}\\s*\\.)?`, 'i').exec(statement);
    if (!m)
        return undefined;
    return m[2] ? `${m[2]}.${m[1]}` : m[1];
}

;// CONCATENATED MODULE: ./packages/migrate/src/command.ts

/** Versions the common tools record, for the before/after outputs in command mode. */
const TOOL_VERSIONS = [
    { tool: 'alembic', table: 'alembic_version', query: 'select version_num as v from alembic_version limit 1' },
    {
        tool: 'flyway',
        table: 'flyway_schema_history',
        query: 'select version as v from flyway_schema_history where success and version is not null order by installed_rank desc limit 1',
    },
    {
        tool: 'prisma',
        table: '_prisma_migrations',
        query: 'select migration_name as v from _prisma_migrations where finished_at is not null order by finished_at desc limit 1',
    },
    {
        tool: 'golang-migrate',
        table: 'schema_migrations',
        query: 'select version::text as v from schema_migrations limit 1',
    },
];
async function toolVersion(client) {
    for (const t of TOOL_VERSIONS) {
        const exists = await client.query('select to_regclass($1)::text as t', [t.table]);
        if (!exists.rows[0]?.t)
            continue;
        const { rows } = await client
            .query(t.query)
            .catch(() => ({ rows: [] }));
        if (rows[0]?.v)
            return `${t.tool}:${rows[0].v}`;
    }
    return undefined;
}
/**
 * The environment a migration tool gets: the URL as DATABASE_URL (scheme postgresql://, the one
 * every tool accepts: SQLAlchemy refuses postgres://), the libpq PG* variables with the timeouts in
 * PGOPTIONS (psql, psycopg/Alembic, golang-migrate), and FLYWAY_URL/USER/PASSWORD with the timeouts
 * in the JDBC `options` parameter, so `flyway migrate` needs no configuration of its own.
 */
function toolEnvironment(databaseUrl, lockTimeoutMs, statementTimeoutMs) {
    const url = new URL(databaseUrl);
    const options = `-c lock_timeout=${Math.round(lockTimeoutMs)} -c statement_timeout=${Math.round(statementTimeoutMs)}`;
    const host = url.hostname;
    const port = url.port || '5432';
    const database = decodeURIComponent(url.pathname.slice(1));
    // libpq's URL parameters (sslmode, sslrootcert, ...) mean the same to the JDBC driver.
    const query = [...url.searchParams]
        .filter(([key]) => key !== 'options')
        .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`);
    query.push(`options=${encodeURIComponent(options)}`);
    return {
        DATABASE_URL: databaseUrl.replace(/^postgres:/, 'postgresql:'),
        PGHOST: host,
        PGPORT: port,
        PGUSER: decodeURIComponent(url.username),
        PGPASSWORD: decodeURIComponent(url.password),
        PGDATABASE: database,
        PGOPTIONS: options,
        FLYWAY_URL: `jdbc:postgresql://${host}:${port}${url.pathname}?${query.join('&')}`,
        FLYWAY_USER: decodeURIComponent(url.username),
        FLYWAY_PASSWORD: decodeURIComponent(url.password),
    };
}
/**
 * Runs a migration tool (alembic, prisma, flyway, anything) while this job holds the migration lock,
 * with the database in its environment (toolEnvironment) and the timeouts where the tool reads them.
 */
async function runCommand(migrator, client, o) {
    return migrator.withLock(async () => {
        const before = await toolVersion(client);
        o.log.info(`running ${o.argv[0]} (${o.argv.length - 1} argument(s)) under the migration lock`);
        const result = await exec(o.argv[0], o.argv.slice(1), {
            cwd: o.cwd,
            timeoutMs: o.timeoutMs,
            signal: o.signal,
            env: toolEnvironment(o.databaseUrl, o.lockTimeoutMs, o.statementTimeoutMs),
            onLine: (line) => o.log.info(line),
        });
        if (result.timedOut)
            throw new errors/* PermanentError */.Dr(`${o.argv[0]} did not finish within ${o.timeoutMs}ms and was stopped`);
        if (result.exitCode !== 0) {
            const tail = (result.stderr.trim() || result.stdout.trim()).split('\n').slice(-3).join(' | ');
            throw new errors/* PermanentError */.Dr(`${o.argv[0]} exited with ${result.exitCode ?? result.signal}${tail ? `: ${tail}` : ''}`);
        }
        return { before, after: await toolVersion(client), result };
    });
}
/**
 * The post step's safety net: ends any session this run left behind (its application_name says
 * which), so a lock it held is released even if the runner could not close the connection.
 */
async function endLeftoverSessions(client, applicationName) {
    const { rows } = await client.query('select pid from pg_stat_activity where application_name = $1 and pid <> pg_backend_pid()', [applicationName]);
    for (const row of rows)
        await client.query('select pg_terminate_backend($1)', [row.pid]);
    return rows.length;
}

;// CONCATENATED MODULE: ./packages/migrate/src/report.ts

/** GitHub refuses a comment (and a job summary) longer than this many characters. */
const GITHUB_COMMENT_LIMIT = 65_536;
function adoptedLine(adopted) {
    return `**Adopted:** ${adopted.applied.length} migration(s) that ${adopted.tool} recorded as applied in \`${adopted.table}\` (up to ${adopted.applied.at(-1).version}) are recorded in our history, not run.\n`;
}
const transactionNote = (item) => item.migration.transactional
    ? '(one transaction)'
    : `(**no transaction**: ${item.migration.noTransactionReason ?? 'asked for'})`;
/** For a file a job left half done outside a transaction: where the next apply takes it up. */
function interruptedNote(item, interrupted) {
    const row = interrupted?.find((r) => r.version === item.migration.version);
    if (!row)
        return '';
    const done = row.statements_done ?? 0;
    return ` — **interrupted** after ${done} of ${item.statements.length} statement(s): apply takes it up at statement ${done + 1}`;
}
/**
 * The plan as Markdown: usable as the job summary and as a pull-request comment. Kept under `limit`
 * characters: past it, the statement tables of the last files give way to a one-line entry each, and
 * a note says how many and where the whole plan is.
 */
function planMarkdown(plan, findings, status, { limit = GITHUB_COMMENT_LIMIT, fullPlan, docsUrl, } = {}) {
    const head = [`### Migration plan: ${plan.length} pending (database at ${status.current ?? 'no version'})`, ''];
    if (status.adopted)
        head.push(adoptedLine(status.adopted));
    if (!plan.length)
        head.push('Nothing to apply.', '');
    const lint = lintMarkdown(findings, docsUrl);
    const items = plan.map((item) => {
        const m = item.migration;
        return [
            `#### \`${m.file}\` ${transactionNote(item)}${interruptedNote(item, status.interrupted)}`,
            '',
            markdown.table(['Line', 'Statement', 'Lock taken'], item.statements.map((s) => [s.line, `\`${s.text.replace(/\s+/g, ' ').slice(0, 120)}\``, s.lock])),
        ].join('\n');
    });
    const whole = [...head, ...items, lint].join('\n');
    if (whole.length <= limit)
        return whole;
    // Room for the note and one line per file left out, then as many full entries as fit.
    const shortLine = (item) => `- \`${item.migration.file}\` ${transactionNote(item)}: ${item.statements.length} statement(s)`;
    const note = (cut) => `> **Cut to fit GitHub's ${limit.toLocaleString('en')}-character limit:** the statements of the last ${cut} file(s) are not shown, only one line each${fullPlan ? `; the whole plan is in ${fullPlan}` : ''}.\n`;
    let budget = limit - [...head, lint].join('\n').length - 200;
    let kept = 0;
    for (; kept < items.length; kept++) {
        const rest = plan.slice(kept + 1).reduce((n, item) => n + shortLine(item).length + 1, 0);
        if (items[kept].length + 1 + rest + note(plan.length - kept).length > budget)
            break;
        budget -= items[kept].length + 1;
    }
    const shortLines = plan.slice(kept).map(shortLine);
    let cut = [...head, note(plan.length - kept), ...items.slice(0, kept), ...shortLines, '', lint].join('\n');
    // The lint table itself may be what is too long.
    if (cut.length > limit)
        cut = `${cut.slice(0, limit - 120)}\n\n… (cut at ${limit.toLocaleString('en')} characters)\n`;
    return cut;
}
function lintMarkdown(findings, docsUrl) {
    if (!findings.length)
        return '**Lint:** no dangerous statements found.\n';
    return [
        `**Lint:** ${findings.length} finding(s)`,
        '',
        markdown.table(['', 'Where', 'Rule', 'Problem', 'Instead'], findings.map((f) => [
            f.severity === 'error' ? '❌' : '⚠️',
            `${f.file}:${f.line}`,
            docsUrl ? `[${f.rule}](${docsUrl(f.rule)})` : f.rule,
            f.message,
            f.fix,
        ])),
    ].join('\n');
}
function statusRows(status) {
    return [
        ...(status.adopted?.applied ?? []).map((m) => [
            m.version,
            m.name,
            `applied by ${status.adopted.tool}`,
            '',
            '',
            '',
        ]),
        ...status.applied.map((r) => [
            r.version,
            r.name,
            'applied',
            r.applied_at.toISOString(),
            `${r.duration_ms} ms`,
            r.applied_by,
        ]),
        ...status.pending.map((m) => {
            const row = status.interrupted.find((r) => r.version === m.version);
            const state = row
                ? `interrupted after ${row.statements_done ?? 0} of ${m.statements.length} statement(s)${row.error ? ` (failed: ${row.error.slice(0, 80)})` : ''}`
                : 'pending';
            return [m.version, m.name, state, row?.applied_at.toISOString() ?? '', '', row?.applied_by ?? ''];
        }),
    ];
}
const STATUS_HEADERS = ['Version', 'Name', 'State', 'Applied at', 'Took', 'By'];
function statusMarkdown(status) {
    const icon = (state) => state.startsWith('applied') ? `✅ ${state}` : state.startsWith('interrupted') ? `⚠️ ${state}` : `⏳ ${state}`;
    return [
        `### Migration status: at ${status.current ?? 'no version'}, ${status.pending.length} pending`,
        '',
        ...(status.adopted ? [adoptedLine(status.adopted)] : []),
        markdown.table(STATUS_HEADERS, statusRows(status).map((r) => r.map((cell, i) => (i === 2 ? icon(cell) : cell)))),
    ].join('\n');
}
/** The status as a plain-text table for the log, columns padded to line up. */
function statusText(status) {
    const rows = [STATUS_HEADERS, ...statusRows(status)];
    const widths = STATUS_HEADERS.map((_, i) => Math.max(...rows.map((r) => r[i].length)));
    return [
        `migration status: at ${status.current ?? 'no version'}, ${status.pending.length} pending${status.adopted ? `, ${status.adopted.applied.length} recorded by ${status.adopted.tool} (adopted at the next apply)` : ''}`,
        ...rows.map((r) => r
            .map((cell, i) => cell.padEnd(widths[i]))
            .join('  ')
            .trimEnd()),
    ].join('\n');
}
function applyMarkdown(result, verb = 'applied') {
    return [
        `### Migrations: ${result.applied.length} ${verb}, ${result.before ?? 'no version'} → ${result.after ?? 'no version'}`,
        '',
        ...(result.adopted
            ? [
                `**Adopted:** ${result.adopted.count} migration(s) that ${result.adopted.tool} recorded as applied in \`${result.adopted.table}\` were recorded in our history, not run.\n`,
            ]
            : []),
        result.applied.length
            ? markdown.table(['Version', 'Name', 'Took'], result.applied.map((a) => [a.version, a.name, `${a.durationMs} ms`]))
            : 'Nothing to do: the database is up to date.\n',
    ].join('\n');
}

// EXTERNAL MODULE: ./packages/migrate/src/pg-parser.ts + 1 modules
var pg_parser = __webpack_require__(6757);
;// CONCATENATED MODULE: ./packages/migrate/src/index.ts









;// CONCATENATED MODULE: ./actions/run-migrations/src/migrate.ts






async function migrate(ctx, config) {
    ctx.state.save('started', 'true');
    const client = await connectPostgres(config.databaseUrl, config.applicationName, ctx);
    // A cancelled job must not leave a statement running with the lock held: cancel it server-side,
    // so its transaction rolls back and the lock is released before the runner kills this process.
    const onCancel = () => void cancelRunningQuery(config, ctx, client.processID);
    ctx.signal.addEventListener('abort', onCancel, { once: true });
    const migrator = new Migrator({
        client: client,
        table: config.table,
        lockWaitMs: config.lockWaitMs,
        lockTimeoutMs: config.lockTimeoutMs,
        statementTimeoutMs: config.statementTimeoutMs,
        lockRetries: config.lockRetries,
        appliedBy: ctx.run.runUrl,
        log: ctx.log,
        signal: ctx.signal,
    });
    try {
        if (config.command)
            return await commandMode(ctx, config, migrator, client);
        const set = config.migrations;
        const status = await migrator.status(set, { adopt: config.mode !== 'baseline' && config.mode !== 'resolve' });
        // What this run would execute is what gets linted: the pending files, or for `down` the down files.
        const toRun = config.mode === 'down'
            ? migrator.downFiles(set, status, config.targetVersion)
            : config.mode === 'apply' || config.mode === 'plan'
                ? status.pending
                : [];
        const findings = config.lint === 'off' ? [] : await migrate_lint(migrator, config, toRun);
        for (const f of findings) {
            const annotate = f.severity === 'error' && config.lint === 'error' ? ctx.log.error : ctx.log.warning;
            annotate(`${f.rule}: ${f.message}. Instead: ${f.fix}. Why: ${ruleDocs(f.rule)}`, {
                file: relativeFile(config, set.dir, f.file),
                line: f.line,
                title: `migration lint: ${f.rule}`,
            });
        }
        ctx.outputs.set('lint-findings', String(findings.length));
        ctx.outputs.set('version-before', status.current ?? '');
        if (status.adopted)
            ctx.log.info(`${status.adopted.tool} recorded ${status.adopted.applied.length} migration(s) as applied in ${status.adopted.table} (up to ${status.adopted.applied.at(-1).version}); ${config.mode === 'apply' || config.mode === 'down' ? 'they are adopted: recorded in our history, not run' : 'an apply adopts them instead of running them'}`);
        const blocking = findings.filter((f) => f.severity === 'error' && config.lint === 'error');
        const stopForLint = () => {
            ctx.summary.append(lintMarkdown(findings, ruleDocs));
            throw new Error(`lint found ${blocking.length} error(s) in the migrations to run, nothing was ${config.mode === 'down' ? 'undone' : 'applied'}: ${blocking[0].file}:${blocking[0].line} ${blocking[0].rule}`);
        };
        switch (config.mode) {
            case 'status': {
                const drift = migrator.drift(set, status);
                ctx.log.info(statusText(status));
                ctx.summary.append(statusMarkdown(status));
                setVersions(ctx, status.current, status.current, [], status.pending.length);
                if (drift.length)
                    throw new ChecksumDriftError(drift);
                return;
            }
            case 'plan': {
                const plan = migrator.plan(status.pending);
                const full = planMarkdown(plan, findings, status, { limit: Infinity, docsUrl: ruleDocs });
                const file = (0,external_node_path_.join)(ctx.run.runnerTemp, `run-migrations-plan-${ctx.run.runId}-${process.pid}.md`);
                (0,external_node_fs_.writeFileSync)(file, full);
                const text = planMarkdown(plan, findings, status, {
                    fullPlan: 'the `plan-file` output of this step',
                    docsUrl: ruleDocs,
                });
                if (text.length < full.length)
                    ctx.log.info(`the plan is ${full.length} characters, over GitHub's comment limit: the \`plan\` output and the summary are cut to ${text.length}; the whole plan is in ${file} (\`plan-file\`)`);
                ctx.summary.append(text);
                ctx.outputs.set('plan', text);
                ctx.outputs.set('plan-file', file);
                setVersions(ctx, status.current, status.current, [], status.pending.length);
                for (const item of plan)
                    ctx.log.info(`pending ${item.migration.file}: ${item.statements.length} statement(s), ${item.migration.transactional ? 'one transaction' : `no transaction (${item.migration.noTransactionReason})`}`);
                return;
            }
            case 'apply': {
                if (blocking.length)
                    stopForLint();
                const result = await migrator.apply(set);
                finish(ctx, result, 'applied', (await migrator.status(set)).pending.length);
                return;
            }
            case 'down': {
                if (blocking.length)
                    stopForLint();
                const result = await migrator.down(set, config.targetVersion);
                finish(ctx, result, 'undone', (await migrator.status(set)).pending.length);
                return;
            }
            case 'baseline': {
                const result = await migrator.baseline(set, config.targetVersion);
                finish(ctx, result, 'recorded as applied', (await migrator.status(set)).pending.length);
                return;
            }
            case 'resolve': {
                const result = await migrator.resolve(set, config.targetVersion, config.resolveAs);
                finish(ctx, result, `resolved as ${config.resolveAs}`, (await migrator.status(set)).pending.length);
                return;
            }
        }
    }
    catch (error) {
        if (error instanceof MigrationError) {
            ctx.outputs.set('failed-version', error.version);
            ctx.outputs.set('failed-statement', `${error.file}:${error.line} ${error.statement.replace(/\s+/g, ' ').slice(0, 200)}`);
            ctx.log.error(error.message, {
                file: relativeFile(config, config.migrations?.dir, error.file),
                line: error.line,
                title: 'migration failed',
            });
            ctx.summary.append(`### Migration ${error.version} failed\n\nThe database is as it was before \`${error.file}\`${error.sqlstate ? ` (SQLSTATE ${error.sqlstate})` : ''}:\n\n\`\`\`\n${error.message}\n\`\`\`\n`);
        }
        if (error instanceof InterruptedMigrationError) {
            ctx.outputs.set('failed-version', error.version);
            ctx.log.error(error.message, {
                file: relativeFile(config, config.migrations?.dir, error.file),
                line: error.line,
                title: 'interrupted migration',
            });
            ctx.summary.append(`### Migration ${error.version} was interrupted\n\n${error.message}\n`);
        }
        if (error instanceof ChecksumDriftError) {
            ctx.summary.append(`### Checksum drift\n\n${error.drifted.map((d) => `\`${d.file}\`\n\n\`\`\`diff\n${d.diff}\n\`\`\``).join('\n\n')}\n`);
            for (const d of error.drifted)
                ctx.log.error(`${d.file} changed after it was applied:\n${d.diff}`, {
                    file: relativeFile(config, config.migrations?.dir, d.file),
                    title: 'checksum drift',
                });
        }
        throw error;
    }
    finally {
        ctx.signal.removeEventListener('abort', onCancel);
        await client.end().catch(() => undefined);
        ctx.state.save('finished', 'true');
    }
}
/**
 * Lints the files a run executes, judged against the tables as the database has them now. PostgreSQL's
 * parser is loaded here, only when there are files to lint.
 */
async function migrate_lint(migrator, config, files) {
    if (!files.length)
        return [];
    const parser = await (0,pg_parser/* loadPgParser */.D)();
    const tables = await migrator.tableFacts((0,lint/* tablesTouched */.K3)(files, parser));
    return (0,lint/* lintMigrations */.JW)(files, {
        engineLockTimeoutMs: config.lockTimeoutMs,
        tables,
        levels: config.lintRules,
        parser,
    });
}
/** Where a lint rule's why and safe alternative are written up. */
function ruleDocs(rule) {
    const repository = process.env.GITHUB_ACTION_REPOSITORY || 'org/deploy-actions';
    const ref = process.env.GITHUB_ACTION_REF || 'main';
    return `https://github.com/${repository}/blob/${ref}/docs/actions/run-migrations.md#${rule}`;
}
async function cancelRunningQuery(config, ctx, pid) {
    const canceller = new esm/* default.Client */.Ay.Client({
        connectionString: config.databaseUrl,
        application_name: `${config.applicationName} cancel`.slice(0, 63),
    });
    try {
        await canceller.connect();
        await canceller.query('select pg_cancel_backend($1)', [pid]);
        ctx.log.warning('job cancelled: the running migration was cancelled and rolled back');
    }
    catch (error) {
        ctx.log.warning(`job cancelled, and cancelling the running statement failed (${(0,errors/* oneLine */.TN)(error)}); the post step will end the session`);
    }
    finally {
        await canceller.end().catch(() => undefined);
    }
}
async function commandMode(ctx, config, migrator, client) {
    const argv = config.command;
    const { before, after } = await runCommand(migrator, client, {
        argv,
        databaseUrl: config.databaseUrl,
        lockTimeoutMs: config.lockTimeoutMs,
        statementTimeoutMs: config.statementTimeoutMs,
        timeoutMs: config.commandTimeoutMs,
        cwd: config.workspace,
        log: ctx.log,
        signal: ctx.signal,
    });
    setVersions(ctx, before, after, [], 0);
    ctx.summary.append(`### Migrations by \`${argv[0]}\`: ${before ?? 'no version'} → ${after ?? 'no version'}\n`);
}
function finish(ctx, result, verb, pending) {
    setVersions(ctx, result.before, result.after, result.applied.map((a) => a.version), pending);
    ctx.summary.append(applyMarkdown(result, verb));
    ctx.log.info(`${result.applied.length} migration(s) ${verb}; schema version ${result.before ?? 'none'} -> ${result.after ?? 'none'}`);
}
function setVersions(ctx, before, after, versions, pending) {
    ctx.outputs.set('version-before', before ?? '');
    ctx.outputs.set('version-after', after ?? '');
    ctx.outputs.set('applied', String(versions.length));
    ctx.outputs.set('applied-versions', JSON.stringify(versions));
    ctx.outputs.set('pending', String(pending));
}
function relativeFile(config, dir, file) {
    const full = dir ? `${dir}/${file}` : file;
    return full.startsWith(`${config.workspace}/`) ? full.slice(config.workspace.length + 1) : full;
}
/** Post step after a cancelled or crashed main: end this run's leftover sessions so no lock stays held. */
async function cleanUp(ctx, config) {
    const client = await connectPostgres(config.databaseUrl, `${config.applicationName} post`.slice(0, 63), ctx);
    try {
        const ended = await endLeftoverSessions(client, config.applicationName);
        ctx.log.info(ended
            ? `ended ${ended} database session(s) left by the interrupted run; the migration lock is free`
            : 'no database session was left behind');
    }
    finally {
        await client.end().catch(() => undefined);
    }
}


/***/ })

};
