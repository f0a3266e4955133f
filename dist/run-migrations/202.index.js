export const id = 202;
export const ids = [202];
export const modules = {

/***/ 5202:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  cleanUp: () => (/* binding */ cleanUp),
  migrate: () => (/* binding */ migrate)
});

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
            return reject((0,src_clock/* abortReason */.Js)(opts.signal));
        const env = { ...process.env };
        for (const [k, v] of Object.entries(opts.env ?? {})) {
            if (v === undefined)
                delete env[k];
            else
                env[k] = v;
        }
        const child = (0,external_node_child_process_.spawn)(command, [...args], { cwd: opts.cwd, env, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
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
                ? new errors/* PermanentError */.Dr(`${command}: not found on PATH; install it or set the path to it`, { cause: error })
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
                });
            });
        });
        const timer = setTimeout(() => {
            clientRequest.destroy(new TransientError(`${method} ${url.origin}${url.pathname}: no complete response within ${req.timeoutMs}ms`));
        }, req.timeoutMs ?? 30_000);
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
var files = __webpack_require__(2425);
;// CONCATENATED MODULE: ./packages/migrate/src/sql.ts
// Sticky: matched at one position, without slicing the text.
const DOLLAR_TAG = /\$(?:[A-Za-z_\u0080-\uffff][\w\u0080-\uffff]*)?\$/y;
/** An unquoted identifier or keyword; `$` may continue one, so `a$b$` is a name, not a dollar quote. */
const WORD = /[A-Za-z_\u0080-\uffff][\w$\u0080-\uffff]*/y;
/**
 * Splits PostgreSQL SQL into statements at top-level semicolons, understanding what may hide a
 * semicolon: '...' and E'...' strings, "identifiers", -- and nested /* *\/ comments, $tag$ bodies,
 * parentheses, and the BEGIN ATOMIC ... END body of a SQL-standard function (tracked the way psql
 * does: inside CREATE [OR REPLACE] FUNCTION/PROCEDURE, BEGIN and CASE open a block, END closes one).
 * Not a parser: the server parses; this only has to cut where psql would.
 */
function splitStatements(sql) {
    const out = [];
    let start = -1;
    let comments = [];
    let line = 1;
    let startLine = 1;
    let parenDepth = 0;
    let blockDepth = 0;
    let words = [];
    /** The line of the last statement's semicolon: a comment after it on that line belongs to it. */
    let endLine = 0;
    const flush = (end) => {
        const text = start >= 0 ? sql.slice(start, end).trim() : '';
        if (text)
            out.push({ text, line: startLine, comments });
        endLine = line;
        start = -1;
        comments = [];
        parenDepth = 0;
        blockDepth = 0;
        words = [];
    };
    const begin = (i) => {
        if (start < 0) {
            start = i;
            startLine = line;
        }
    };
    const countLines = (from, to) => {
        for (let j = from; j < to; j++)
            if (sql.charCodeAt(j) === 10)
                line++;
    };
    for (let i = 0; i < sql.length; i++) {
        const ch = sql[i];
        const next = sql[i + 1];
        if (ch === '\n') {
            line++;
            continue;
        }
        if (ch === ' ' || ch === '\t' || ch === '\r' || ch === '\f')
            continue;
        if (ch === '-' && next === '-') {
            const eol = sql.indexOf('\n', i);
            const end = eol < 0 ? sql.length : eol;
            const trailing = start < 0 && line === endLine ? out.at(-1) : undefined;
            (trailing ? trailing.comments : comments).push(sql.slice(i, end));
            i = end - 1;
            continue;
        }
        if (ch === '/' && next === '*') {
            let depth = 0;
            const from = i;
            for (; i < sql.length; i++) {
                if (sql[i] === '\n')
                    line++;
                if (sql[i] === '/' && sql[i + 1] === '*') {
                    depth++;
                    i++;
                }
                else if (sql[i] === '*' && sql[i + 1] === '/') {
                    depth--;
                    i++;
                    if (depth === 0)
                        break;
                }
            }
            comments.push(sql.slice(from, i + 1));
            continue;
        }
        begin(i);
        if (ch === ';' && parenDepth === 0 && blockDepth === 0) {
            flush(i);
            continue;
        }
        if (ch === '(') {
            parenDepth++;
            continue;
        }
        if (ch === ')') {
            parenDepth = Math.max(0, parenDepth - 1);
            continue;
        }
        if (ch === "'" || ch === '"') {
            // E'...' is the one string form where a backslash escapes the quote.
            const backslashes = ch === "'" && /[eE]/.test(sql[i - 1] ?? '') && !/[\w$]/.test(sql[i - 2] ?? '');
            for (i++; i < sql.length; i++) {
                if (sql[i] === '\n')
                    line++;
                if (backslashes && sql[i] === '\\') {
                    if (sql[i + 1] === '\n')
                        line++;
                    i++;
                    continue;
                }
                if (sql[i] === ch) {
                    if (sql[i + 1] === ch) {
                        i++;
                        continue;
                    }
                    break;
                }
            }
            continue;
        }
        if (ch === '$') {
            DOLLAR_TAG.lastIndex = i;
            const tag = DOLLAR_TAG.exec(sql);
            if (tag) {
                const close = sql.indexOf(tag[0], i + tag[0].length);
                const end = close < 0 ? sql.length : close + tag[0].length;
                countLines(i, end);
                i = end - 1;
            }
            continue;
        }
        WORD.lastIndex = i;
        const word = WORD.exec(sql);
        if (word) {
            if (parenDepth === 0)
                blockDepth = trackBlocks(words, word[0].toLowerCase(), blockDepth);
            i += word[0].length - 1;
        }
    }
    flush(sql.length);
    return out;
}
/** Follows BEGIN/CASE ... END nesting in the body of CREATE [OR REPLACE] FUNCTION|PROCEDURE. */
function trackBlocks(words, word, depth) {
    if (words.length < 4)
        words.push(word);
    const [a, b, c, d] = words;
    const routine = a === 'create' &&
        (b === 'function' ||
            b === 'procedure' ||
            (b === 'or' && c === 'replace' && (d === 'function' || d === 'procedure')));
    if (!routine)
        return depth;
    if (word === 'begin')
        return depth + 1;
    if (word === 'case')
        return depth > 0 ? depth + 1 : depth;
    if (word === 'end')
        return Math.max(0, depth - 1);
    return depth;
}
/** The statement without comments, whitespace folded and upper-cased, for pattern checks. */
function normalize(statement) {
    return statement
        .replace(/--[^\n]*/g, ' ')
        .replace(/\/\*[\s\S]*?\*\//g, ' ')
        .replace(/'(?:[^']|'')*'/g, "''")
        .replace(/\$([A-Za-z_]\w*)?\$[\s\S]*?\$\1\$/g, '$$$$')
        .replace(/\s+/g, ' ')
        .trim()
        .toUpperCase();
}

;// CONCATENATED MODULE: ./packages/migrate/src/lint.ts

const IDENT = '(?:"[^"]+"|[A-Z_][A-Z0-9_$]*)(?:\\.(?:"[^"]+"|[A-Z_][A-Z0-9_$]*))?';
const ALTER_TABLE = new RegExp(`^ALTER TABLE (?:IF EXISTS )?(?:ONLY )?(${IDENT}) (.*)$`);
const CREATE_TABLE = new RegExp(`^CREATE (?:UNLOGGED |TEMP |TEMPORARY )?TABLE (?:IF NOT EXISTS )?(${IDENT})`);
const ADD_COLUMN = /^ADD (?:COLUMN )?(?!CONSTRAINT\b|PRIMARY KEY\b|UNIQUE\b|CHECK\b|FOREIGN KEY\b|EXCLUDE\b)/;
/** ALTER TABLE's table and actions; the normalised text has no strings or comments left to hide a comma. */
function parseAlterTable(statement) {
    const m = ALTER_TABLE.exec(statement);
    if (!m)
        return undefined;
    const actions = [];
    let depth = 0;
    let from = 0;
    const rest = m[2];
    for (let i = 0; i < rest.length; i++) {
        if (rest[i] === '(')
            depth++;
        else if (rest[i] === ')')
            depth--;
        else if (rest[i] === ',' && depth === 0) {
            actions.push(rest.slice(from, i).trim());
            from = i + 1;
        }
    }
    actions.push(rest.slice(from).trim());
    return { table: m[1], actions };
}
const onExistingTable = (alter, ctx) => !!alter && !ctx.createdTables.has(alter.table);
const RULES = [
    {
        rule: 'concurrently-in-transaction',
        severity: 'error',
        test: (s, _alter, { file }) => file.transactional && /^(CREATE (UNIQUE )?INDEX|DROP INDEX|REINDEX)\b.*\bCONCURRENTLY\b/.test(s),
        message: 'CONCURRENTLY cannot run inside a transaction, and this file runs in one',
        fix: 'put the statement in its own file with a `-- deploy-actions:no-transaction` line',
    },
    {
        rule: 'create-index-non-concurrently',
        severity: 'warning',
        test: (s, _alter, { createdTables }) => {
            const m = new RegExp(`^CREATE (?:UNIQUE )?INDEX (?!CONCURRENTLY)(?:IF NOT EXISTS )?(?:${IDENT} )?ON (?:ONLY )?(${IDENT})`).exec(s);
            return !!m && !createdTables.has(m[1]);
        },
        message: 'CREATE INDEX without CONCURRENTLY blocks writes to the table while the index builds',
        fix: 'use CREATE INDEX CONCURRENTLY in a `-- deploy-actions:no-transaction` file',
    },
    {
        rule: 'adding-not-null-column-without-default',
        severity: 'error',
        test: (_s, alter, ctx) => onExistingTable(alter, ctx) &&
            alter.actions.some((a) => ADD_COLUMN.test(a) && /\bNOT NULL\b/.test(a) && !/\b(DEFAULT|GENERATED)\b/.test(a)),
        message: 'adding a NOT NULL column without a default fails on a table with rows',
        fix: 'add the column nullable (or with a DEFAULT), backfill, then SET NOT NULL via a NOT VALID check constraint',
    },
    {
        rule: 'setting-not-null',
        severity: 'warning',
        test: (_s, alter, ctx) => onExistingTable(alter, ctx) && alter.actions.some((a) => /^ALTER (COLUMN )?\S+ SET NOT NULL\b/.test(a)),
        message: 'SET NOT NULL scans the whole table under an ACCESS EXCLUSIVE lock',
        fix: 'add CHECK (col IS NOT NULL) NOT VALID, VALIDATE it in a later migration, then SET NOT NULL (PostgreSQL 12+ skips the scan)',
    },
    {
        rule: 'constraint-without-not-valid',
        severity: 'warning',
        test: (_s, alter, ctx) => onExistingTable(alter, ctx) &&
            alter.actions.some((a) => /^ADD (CONSTRAINT \S+ )?(FOREIGN KEY|CHECK)\b/.test(a) && !/\bNOT VALID\b/.test(a)),
        message: 'adding a CHECK or FOREIGN KEY constraint scans the whole table under a lock',
        fix: 'add it NOT VALID, then VALIDATE CONSTRAINT in a later migration',
    },
    {
        rule: 'unique-constraint-builds-index',
        severity: 'warning',
        test: (_s, alter, ctx) => onExistingTable(alter, ctx) &&
            alter.actions.some((a) => /^ADD (CONSTRAINT \S+ )?(PRIMARY KEY|UNIQUE)\b/.test(a) && !/\bUSING INDEX\b/.test(a)),
        message: 'adding a PRIMARY KEY or UNIQUE constraint builds its index under an ACCESS EXCLUSIVE lock',
        fix: 'CREATE UNIQUE INDEX CONCURRENTLY first, then ADD CONSTRAINT ... USING INDEX',
    },
    {
        rule: 'changing-column-type',
        severity: 'warning',
        test: (_s, alter, ctx) => onExistingTable(alter, ctx) && alter.actions.some((a) => /^ALTER (COLUMN )?\S+ (SET DATA )?TYPE\b/.test(a)),
        message: 'changing a column type usually rewrites the table under an ACCESS EXCLUSIVE lock',
        fix: 'add a new column, backfill, and switch readers over (expand/contract)',
    },
    {
        rule: 'dropping-column',
        severity: 'warning',
        test: (_s, alter) => !!alter && alter.actions.some((a) => /^DROP (COLUMN )?(IF EXISTS )?(?!CONSTRAINT\b)\S+/.test(a)),
        message: 'dropping a column breaks the running version if it still reads it',
        fix: 'stop using the column in a release first, then drop it in a later one',
    },
    {
        rule: 'dropping-table',
        severity: 'warning',
        test: (s) => /^DROP TABLE\b/.test(s),
        message: 'dropping a table breaks the running version if it still uses it',
        fix: 'stop using the table in a release first, then drop it in a later one',
    },
    {
        rule: 'renaming-column',
        severity: 'warning',
        test: (_s, alter) => !!alter && /^RENAME (COLUMN )?(?!TO\b|CONSTRAINT\b)\S+ TO\b/.test(alter.actions[0]),
        message: 'renaming a column breaks the running version, which still uses the old name',
        fix: 'add the new column and migrate readers and writers first (expand/contract)',
    },
    {
        rule: 'renaming-table',
        severity: 'warning',
        test: (_s, alter) => !!alter && /^RENAME TO\b/.test(alter.actions[0]),
        message: 'renaming a table breaks the running version, which still uses the old name',
        fix: 'create a view with the old name, or migrate readers first',
    },
    {
        rule: 'missing-lock-timeout',
        severity: 'warning',
        test: (s, _alter, { options, file }) => options.engineLockTimeoutMs === 0 &&
            /^(ALTER TABLE|DROP TABLE|CREATE (UNIQUE )?INDEX (?!CONCURRENTLY)|TRUNCATE|LOCK)\b/.test(s) &&
            !/\bSET (LOCAL )?LOCK_TIMEOUT\b/i.test(file.sql),
        message: 'a statement that takes a strong lock runs without lock_timeout: stuck behind a long query, it queues every other query on the table',
        fix: 'set the `lock-timeout` input (or SET lock_timeout in the file)',
    },
];
const IGNORE = /deploy-actions:ignore\s+([\w,\s-]+)/;
/** Rules a statement asked to skip with `-- deploy-actions:ignore rule[, rule]`. */
function ignored(statement) {
    const rules = new Set();
    for (const comment of statement.comments) {
        const m = IGNORE.exec(comment);
        if (m)
            for (const r of m[1].split(/[,\s]+/).filter(Boolean))
                rules.add(r);
    }
    return rules;
}
function lintMigration(file, options) {
    const findings = [];
    const createdTables = new Set();
    const statements = splitStatements(file.sql);
    for (const statement of statements) {
        const s = normalize(statement.text);
        const created = CREATE_TABLE.exec(s);
        const alter = parseAlterTable(s);
        const skip = ignored(statement);
        for (const rule of RULES) {
            if (skip.has(rule.rule) || !rule.test(s, alter, { file, createdTables, options }))
                continue;
            findings.push({
                rule: rule.rule,
                severity: rule.severity,
                file: file.file,
                line: statement.line,
                message: rule.message,
                fix: rule.fix,
            });
        }
        if (created)
            createdTables.add(created[1]);
    }
    if (!file.transactional && statements.length > 1) {
        findings.push({
            rule: 'no-transaction-multiple-statements',
            severity: 'warning',
            file: file.file,
            line: statements[1].line,
            message: 'a file run outside a transaction cannot be rolled back if a later statement fails',
            fix: 'keep one statement per no-transaction file',
        });
    }
    return findings;
}
/** The lock a statement takes on the table it touches, for the plan (PostgreSQL's documented levels). */
function lockLevel(statement) {
    const s = normalize(statement);
    if (/^CREATE (UNIQUE )?INDEX CONCURRENTLY\b/.test(s) || /^DROP INDEX CONCURRENTLY\b/.test(s))
        return 'SHARE UPDATE EXCLUSIVE';
    if (/^CREATE (UNIQUE )?INDEX\b/.test(s))
        return 'SHARE (blocks writes)';
    if (/^ALTER TABLE\b.*\bVALIDATE CONSTRAINT\b/.test(s))
        return 'SHARE UPDATE EXCLUSIVE';
    if (/^ALTER TABLE\b.*\bADD CONSTRAINT \S+ FOREIGN KEY\b/.test(s))
        return 'SHARE ROW EXCLUSIVE (both tables)';
    if (/^ALTER TABLE\b.*\bSET STATISTICS\b/.test(s))
        return 'SHARE UPDATE EXCLUSIVE';
    if (/^(ALTER TABLE|DROP TABLE|TRUNCATE|DROP INDEX|REINDEX|CLUSTER|VACUUM FULL|LOCK)\b/.test(s))
        return 'ACCESS EXCLUSIVE (blocks reads and writes)';
    if (/^(INSERT|UPDATE|DELETE|MERGE|COPY)\b/.test(s))
        return 'ROW EXCLUSIVE';
    if (/^(SELECT|WITH)\b/.test(s))
        return 'ACCESS SHARE';
    if (/^CREATE (UNLOGGED |TEMP |TEMPORARY )?TABLE\b/.test(s))
        return 'none on existing tables';
    if (/^(CREATE|DROP|ALTER) (TYPE|EXTENSION|SCHEMA|SEQUENCE|FUNCTION|OR REPLACE|VIEW|TRIGGER|POLICY|ROLE)\b/.test(s))
        return 'catalog only';
    if (/^(SET|RESET|COMMENT)\b/.test(s))
        return 'none';
    return 'unknown';
}

// EXTERNAL MODULE: ./node_modules/.pnpm/diff@8.0.4/node_modules/diff/libesm/patch/create.js + 2 modules
var create = __webpack_require__(761);
;// CONCATENATED MODULE: ./packages/migrate/src/engine.ts





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
      applied_by text not null)`);
    }
    async status(set) {
        const exists = await this.o.client.query('select to_regclass($1)::text as t', [this.o.table]);
        const applied = exists.rows[0]?.t
            ? (await this.o.client.query(`select version, name, checksum, sql, applied_at, duration_ms, applied_by from ${this.o.table}`)).rows
            : [];
        applied.sort((a, b) => (0,files/* compareVersions */.Zy)(a.version, b.version));
        const done = new Set(applied.map((r) => (0,files/* normalizeVersion */.Qj)(r.version)));
        return {
            applied,
            pending: set.ups.filter((m) => !done.has((0,files/* normalizeVersion */.Qj)(m.version))),
            current: applied.at(-1)?.version,
        };
    }
    /** Applied files whose contents changed since they ran, each with a diff. */
    drift(set, status) {
        const byVersion = new Map(set.ups.map((m) => [(0,files/* normalizeVersion */.Qj)(m.version), m]));
        return status.applied.flatMap((row) => {
            const file = byVersion.get((0,files/* normalizeVersion */.Qj)(row.version));
            if (!file || file.checksum === row.checksum)
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
    /** Pending migrations with each statement and the lock it takes. */
    plan(pending) {
        return pending.map((migration) => ({
            migration,
            statements: splitStatements(migration.sql).map((s) => ({ ...s, lock: lockLevel(s.text) })),
        }));
    }
    /** Applies every pending migration, in order, each in its own transaction unless it opts out. */
    async apply(set) {
        return this.withLock(async () => {
            await this.ensureTable();
            const status = await this.status(set);
            const drifted = this.drift(set, status);
            if (drifted.length)
                throw new ChecksumDriftError(drifted);
            const late = status.current === undefined
                ? []
                : status.pending.filter((m) => (0,files/* compareVersions */.Zy)(m.version, status.current) < 0);
            if (late.length) {
                throw new errors/* PermanentError */.Dr(`migration(s) ${late.map((m) => m.file).join(', ')} are older than the applied version ${status.current} but were never applied; give them a newer version`);
            }
            const applied = [];
            for (const migration of status.pending) {
                if (this.o.signal?.aborted)
                    throw new errors/* PermanentError */.Dr(`cancelled before ${migration.file}; ${applied.length} migration(s) applied`);
                const durationMs = await this.run(migration, 'up');
                applied.push({ version: migration.version, name: migration.name, durationMs });
                this.o.log.info(`applied ${migration.file} in ${(0,src_clock/* formatDuration */.a3)(durationMs)}`);
            }
            return { before: status.current, after: applied.at(-1)?.version ?? status.current, applied };
        });
    }
    /** Undoes applied migrations newer than `target`, newest first, with their down files. */
    async down(set, target) {
        return this.withLock(async () => {
            await this.ensureTable();
            const status = await this.status(set);
            const undo = status.applied.filter((r) => (0,files/* compareVersions */.Zy)(r.version, target) > 0).reverse();
            const missing = undo.filter((r) => !set.downs.has((0,files/* normalizeVersion */.Qj)(r.version)));
            if (missing.length)
                throw new errors/* PermanentError */.Dr(`no down migration for version(s) ${missing.map((r) => r.version).join(', ')}; nothing was undone`);
            const applied = [];
            for (const row of undo) {
                const file = set.downs.get((0,files/* normalizeVersion */.Qj)(row.version));
                const durationMs = await this.run(file, 'down', row.version);
                applied.push({ version: row.version, name: row.name, durationMs });
                this.o.log.info(`undid ${row.version} with ${file.file} in ${(0,src_clock/* formatDuration */.a3)(durationMs)}`);
            }
            const after = (await this.status(set)).current;
            return { before: status.current, after, applied };
        });
    }
    /** Records every migration up to `version` as applied without running it (adopting an existing database). */
    async baseline(set, version) {
        return this.withLock(async () => {
            await this.ensureTable();
            const status = await this.status(set);
            const adopt = status.pending.filter((m) => (0,files/* compareVersions */.Zy)(m.version, version) <= 0);
            if (!set.ups.some((m) => (0,files/* compareVersions */.Zy)(m.version, version) === 0))
                throw new errors/* PermanentError */.Dr(`baseline version ${version} matches no migration file`);
            for (const m of adopt) {
                await this.o.client.query(`insert into ${this.o.table} (version, name, checksum, sql, duration_ms, applied_by) values ($1, $2, $3, $4, 0, $5)`, [m.version, m.name, m.checksum, m.sql, `baseline by ${this.o.appliedBy}`]);
            }
            return {
                before: status.current,
                after: adopt.at(-1)?.version ?? status.current,
                applied: adopt.map((m) => ({ version: m.version, name: m.name, durationMs: 0 })),
            };
        });
    }
    async run(migration, direction, undoVersion) {
        const statements = splitStatements(migration.sql);
        const started = this.clock.now();
        let from = 0;
        for (let attempt = 0;; attempt++) {
            try {
                const record = () => this.record(migration, direction, undoVersion, this.clock.now() - started);
                if (migration.transactional) {
                    // The first attempt sends the whole file in one round trip; a retry goes statement by
                    // statement, so that a second timeout names the statement that waited.
                    await this.runTransaction(migration, statements, record, attempt > 0);
                }
                else {
                    // From the first statement not yet done: what ran outside a transaction stays done.
                    from = await this.runWithoutTransaction(migration, statements, from, record);
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
                    throw error;
                }
                const wait = backoffDelay(attempt + 1, { initialDelayMs: 1000, maxDelayMs: 15_000 });
                this.o.log.warning(`${migration.file}: lock_timeout fired (${error.message}); retrying in ${(0,src_clock/* formatDuration */.a3)(wait)} (${this.o.lockRetries - attempt} attempt(s) left)`, { file: migration.file, line: error.line });
                await this.clock.sleep(wait, this.o.signal);
            }
        }
    }
    /**
     * Every statement travels alone: several statements in one query run as an implicit
     * transaction, where CONCURRENTLY is refused. Returns the number of statements done.
     */
    async runWithoutTransaction(migration, statements, from, record) {
        await this.o.client.query(this.timeouts('set'));
        try {
            for (let i = from; i < statements.length; i++) {
                // An INVALID index left by an earlier failed build (this run's, or a killed job's) would
                // make the build fail with "already exists", or be skipped by IF NOT EXISTS and stay broken.
                await this.dropInvalidIndex(statements[i]);
                await this.exec(migration, statements[i], i);
            }
            await this.o.client.query(record());
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
    /** The history change for a migration, as literal SQL so it can share a round trip with the commit. */
    record(migration, direction, undoVersion, ms) {
        if (direction === 'down')
            return `delete from ${this.o.table} where version = ${literal(undoVersion)}`;
        const values = [migration.version, migration.name, migration.checksum, migration.sql].map(literal).join(', ');
        return `insert into ${this.o.table} (version, name, checksum, sql, duration_ms, applied_by) values (${values}, ${Math.round(ms)}, ${literal(this.o.appliedBy)})`;
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
                await this.o.client.query(`${record()}; commit`);
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
            await this.o.client.query(`${begin}${body}${record()}; commit`);
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

/** The plan as Markdown: usable as the job summary and as a pull-request comment. */
function planMarkdown(plan, findings, current) {
    const lines = [`### Migration plan: ${plan.length} pending (database at ${current ?? 'no version'})`, ''];
    if (!plan.length)
        lines.push('Nothing to apply.', '');
    for (const item of plan) {
        const m = item.migration;
        lines.push(`#### \`${m.file}\` ${m.transactional ? '(one transaction)' : '(**no transaction**)'}`, '');
        lines.push(table(['Line', 'Statement', 'Lock taken'], item.statements.map((s) => [s.line, `\`${s.text.replace(/\s+/g, ' ').slice(0, 120)}\``, s.lock])));
    }
    lines.push(lintMarkdown(findings));
    return lines.join('\n');
}
function lintMarkdown(findings) {
    if (!findings.length)
        return '**Lint:** no dangerous statements found.\n';
    return [
        `**Lint:** ${findings.length} finding(s)`,
        '',
        table(['', 'Where', 'Rule', 'Problem', 'Instead'], findings.map((f) => [f.severity === 'error' ? '❌' : '⚠️', `${f.file}:${f.line}`, f.rule, f.message, f.fix])),
    ].join('\n');
}
function statusMarkdown(status) {
    return [
        `### Migration status: at ${status.current ?? 'no version'}, ${status.pending.length} pending`,
        '',
        table(['Version', 'Name', 'State', 'Applied at', 'Took', 'By'], [
            ...status.applied.map((r) => [
                r.version,
                r.name,
                '✅ applied',
                r.applied_at.toISOString(),
                `${r.duration_ms} ms`,
                r.applied_by,
            ]),
            ...status.pending.map((m) => [m.version, m.name, '⏳ pending', '', '', '']),
        ]),
    ].join('\n');
}
function applyMarkdown(result, verb = 'applied') {
    return [
        `### Migrations: ${result.applied.length} ${verb}, ${result.before ?? 'no version'} → ${result.after ?? 'no version'}`,
        '',
        result.applied.length
            ? table(['Version', 'Name', 'Took'], result.applied.map((a) => [a.version, a.name, `${a.durationMs} ms`]))
            : 'Nothing to do: the database is up to date.\n',
    ].join('\n');
}

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
        const status = await migrator.status(set);
        const findings = config.lint === 'off'
            ? []
            : status.pending.flatMap((m) => lintMigration(m, { engineLockTimeoutMs: config.lockTimeoutMs }));
        for (const f of findings) {
            const annotate = f.severity === 'error' && config.lint === 'error' ? ctx.log.error : ctx.log.warning;
            annotate(`${f.rule}: ${f.message}. Instead: ${f.fix}`, {
                file: relativeFile(config, set.dir, f.file),
                line: f.line,
                title: `migration lint: ${f.rule}`,
            });
        }
        ctx.outputs.set('lint-findings', String(findings.length));
        ctx.outputs.set('version-before', status.current ?? '');
        switch (config.mode) {
            case 'status': {
                const drift = migrator.drift(set, status);
                ctx.summary.append(statusMarkdown(status));
                setVersions(ctx, status.current, status.current, [], status.pending.length);
                if (drift.length)
                    throw new ChecksumDriftError(drift);
                return;
            }
            case 'plan': {
                const plan = migrator.plan(status.pending);
                const text = planMarkdown(plan, findings, status.current);
                ctx.summary.append(text);
                ctx.outputs.set('plan', text);
                setVersions(ctx, status.current, status.current, [], status.pending.length);
                for (const item of plan)
                    ctx.log.info(`pending ${item.migration.file}: ${item.statements.length} statement(s), ${item.migration.transactional ? 'one transaction' : 'no transaction'}`);
                return;
            }
            case 'apply': {
                const blocking = findings.filter((f) => f.severity === 'error' && config.lint === 'error');
                if (blocking.length) {
                    ctx.summary.append(lintMarkdown(findings));
                    throw new Error(`lint found ${blocking.length} error(s) in pending migrations, nothing was applied: ${blocking[0].file}:${blocking[0].line} ${blocking[0].rule}`);
                }
                const result = await migrator.apply(set);
                finish(ctx, result, 'applied', (await migrator.status(set)).pending.length);
                return;
            }
            case 'down': {
                const result = await migrator.down(set, config.targetVersion);
                finish(ctx, result, 'undone', (await migrator.status(set)).pending.length);
                return;
            }
            case 'baseline': {
                const result = await migrator.baseline(set, config.targetVersion);
                finish(ctx, result, 'recorded as applied', (await migrator.status(set)).pending.length);
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
