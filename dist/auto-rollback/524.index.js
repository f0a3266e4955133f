export const id = 524;
export const ids = [524];
export const modules = {

/***/ 6524:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  Migrator: () => (/* reexport */ Migrator),
  loadMigrations: () => (/* reexport */ loadMigrations)
});

// UNUSED EXPORTS: ChecksumDriftError, MigrationError, MigrationFileError, NO_TRANSACTION, applyMarkdown, checksum, compareVersions, concurrentIndexName, endLeftoverSessions, findGap, lintMarkdown, lintMigration, literal, lockKey, lockLevel, normalize, normalizeVersion, parseFileName, planMarkdown, runCommand, splitStatements, statusMarkdown, toolEnvironment, toolVersion

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
;// CONCATENATED MODULE: ./packages/migrate/src/files.ts



/** A problem with the migration files themselves; the action reports it as bad input. */
class MigrationFileError extends Error {
}
/** Written on a line of its own near the top of a file: run it outside a transaction. */
const NO_TRANSACTION = /^\s*--\s*deploy-actions:no-transaction\s*$/m;
const PATTERNS = [
    // golang-migrate: 0001_create_users.up.sql / 0001_create_users.down.sql
    {
        style: 'golang-migrate',
        re: /^(\d+)_(.+)\.(up|down)\.sql$/,
        direction: (m) => m[3],
        version: (m) => m[1],
    },
    // Flyway: V1_2__create_users.sql (version 1.2), U1_2__create_users.sql (undo)
    {
        style: 'Flyway',
        re: /^([VU])(\d+(?:[._]\d+)*)__(.+)\.sql$/,
        direction: (m) => (m[1] === 'V' ? 'up' : 'down'),
        version: (m) => m[2].replace(/_/g, '.'),
    },
    // plain: 0001_create_users.sql
    { style: 'plain', re: /^(\d+)_(.+)\.sql$/, direction: () => 'up', version: (m) => m[1] },
];
function parseFileName(file) {
    for (const p of PATTERNS) {
        const m = p.re.exec(file);
        if (!m)
            continue;
        const name = p.style === 'Flyway' ? m[3] : m[2];
        return { version: p.version(m), name, direction: p.direction(m) };
    }
    return undefined;
}
/** Orders versions numerically part by part: 2 < 10, 1.2 < 1.10, 0001 == 1. */
function compareVersions(a, b) {
    const pa = a.split('.').map(BigInt);
    const pb = b.split('.').map(BigInt);
    for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
        const x = pa[i] ?? 0n;
        const y = pb[i] ?? 0n;
        if (x !== y)
            return x < y ? -1 : 1;
    }
    return 0;
}
function checksum(sql) {
    return (0,external_node_crypto_.createHash)('sha256').update(sql.replace(/\r\n/g, '\n')).digest('hex');
}
/** Reads a migrations folder: every .sql file must follow one naming style, and versions must be unique. */
function loadMigrations(dir) {
    if (!(0,external_node_fs_.existsSync)(dir) || !(0,external_node_fs_.statSync)(dir).isDirectory())
        throw new MigrationFileError(`'${dir}' is not a folder`);
    const ups = [];
    const downs = new Map();
    const seen = new Map();
    for (const file of (0,external_node_fs_.readdirSync)(dir).sort()) {
        if (!file.endsWith('.sql'))
            continue;
        const parsed = parseFileName(file);
        if (!parsed) {
            throw new MigrationFileError(`'${file}' does not follow a migration naming style (0001_name.up.sql / 0001_name.down.sql, V1__name.sql / U1__name.sql, or 0001_name.sql)`);
        }
        const sql = (0,external_node_fs_.readFileSync)((0,external_node_path_.join)(dir, file), 'utf8');
        const migration = {
            ...parsed,
            file,
            sql,
            checksum: checksum(sql),
            transactional: !NO_TRANSACTION.test(sql),
        };
        const key = `${parsed.direction}:${normalizeVersion(parsed.version)}`;
        if (seen.has(key))
            throw new MigrationFileError(`version ${parsed.version} is used twice: '${seen.get(key)}' and '${file}'`);
        seen.set(key, file);
        if (parsed.direction === 'up')
            ups.push(migration);
        else
            downs.set(normalizeVersion(parsed.version), migration);
    }
    ups.sort((a, b) => compareVersions(a.version, b.version));
    for (const [version, down] of downs) {
        if (!ups.some((u) => normalizeVersion(u.version) === version))
            throw new MigrationFileError(`'${down.file}' undoes version ${down.version}, which has no up migration`);
    }
    return { dir, ups, downs };
}
/** Below this, integer versions are sequence numbers (0001, 0002, ...); above, timestamps, which skip by design. */
const SEQUENCE_LIMIT = 1000000n;
/**
 * A hole in a numbered sequence (0001, 0002, 0004): usually a file lost in a merge or a rename,
 * which would otherwise be applied late, out of order, or never. Dotted (Flyway 1.2) and
 * timestamp versions are not sequences and are not checked.
 */
function findGap(set) {
    const isSequence = set.ups.every((m) => /^\d+$/.test(m.version) && BigInt(m.version) < SEQUENCE_LIMIT);
    if (!isSequence)
        return undefined;
    for (let i = 1; i < set.ups.length; i++) {
        const [before, after] = [set.ups[i - 1], set.ups[i]];
        const missing = BigInt(after.version) - BigInt(before.version) - 1n;
        if (missing > 0n) {
            const first = (BigInt(before.version) + 1n).toString().padStart(before.version.length, '0');
            const what = missing === 1n ? `version ${first} is missing` : `${missing} versions from ${first} are missing`;
            return `${what} between '${before.file}' and '${after.file}'`;
        }
    }
    return undefined;
}
/** 0001 and 1 are the same version. */
function normalizeVersion(version) {
    return version
        .split('.')
        .map((p) => BigInt(p).toString())
        .join('.');
}

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
function sql_splitStatements(sql) {
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
function sql_normalize(statement) {
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
    const s = sql_normalize(statement);
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
// EXTERNAL MODULE: ./packages/core/src/index.ts + 5 modules
var src = __webpack_require__(7926);
;// CONCATENATED MODULE: ./packages/migrate/src/engine.ts





/** A migration that failed: the database is as it was before it (for transactional files). */
class MigrationError extends src/* PermanentError */.Dr {
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
class ChecksumDriftError extends src/* PermanentError */.Dr {
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
        throw new src/* PermanentError */.Dr('a NUL character cannot be stored in PostgreSQL text');
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
        this.clock = o.clock ?? src/* systemClock */.ml;
        this.key = [LOCK_NAMESPACE, lockKey(o.table)];
        if (!/^([A-Za-z_][\w$]*\.)?[A-Za-z_][\w$]*$/.test(o.table))
            throw new src/* PermanentError */.Dr(`history table '${o.table}' is not a plain [schema.]name`);
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
                throw new src/* TransientError */.N_(`could not take the migration lock within ${(0,src/* formatDuration */.a3)(this.o.lockWaitMs)}: ${described ?? 'the holder has gone'}; another job is migrating, or a stuck session holds the lock`);
            }
            // Said when the holder moves on to another statement, and every 10 s while it does not.
            const what = holder ? `${holder.pid} ${holder.query}` : '';
            if (what !== lastReport.what || this.clock.now() - lastReport.at >= 10_000) {
                this.o.log.info(`waiting for the migration lock (${(0,src/* formatDuration */.a3)(waited)} so far): ${described ?? 'released just now'}`);
                lastReport = { at: this.clock.now(), what };
            }
            await this.clock.sleep(Math.min((0,src/* backoffDelay */.EY)(attempt, { initialDelayMs: 100, maxDelayMs: 2000 }), this.o.lockWaitMs - waited + 1), this.o.signal);
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
        applied.sort((a, b) => compareVersions(a.version, b.version));
        const done = new Set(applied.map((r) => normalizeVersion(r.version)));
        return {
            applied,
            pending: set.ups.filter((m) => !done.has(normalizeVersion(m.version))),
            current: applied.at(-1)?.version,
        };
    }
    /** Applied files whose contents changed since they ran, each with a diff. */
    drift(set, status) {
        const byVersion = new Map(set.ups.map((m) => [normalizeVersion(m.version), m]));
        return status.applied.flatMap((row) => {
            const file = byVersion.get(normalizeVersion(row.version));
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
            statements: sql_splitStatements(migration.sql).map((s) => ({ ...s, lock: lockLevel(s.text) })),
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
                : status.pending.filter((m) => compareVersions(m.version, status.current) < 0);
            if (late.length) {
                throw new src/* PermanentError */.Dr(`migration(s) ${late.map((m) => m.file).join(', ')} are older than the applied version ${status.current} but were never applied; give them a newer version`);
            }
            const applied = [];
            for (const migration of status.pending) {
                if (this.o.signal?.aborted)
                    throw new src/* PermanentError */.Dr(`cancelled before ${migration.file}; ${applied.length} migration(s) applied`);
                const durationMs = await this.run(migration, 'up');
                applied.push({ version: migration.version, name: migration.name, durationMs });
                this.o.log.info(`applied ${migration.file} in ${(0,src/* formatDuration */.a3)(durationMs)}`);
            }
            return { before: status.current, after: applied.at(-1)?.version ?? status.current, applied };
        });
    }
    /** Undoes applied migrations newer than `target`, newest first, with their down files. */
    async down(set, target) {
        return this.withLock(async () => {
            await this.ensureTable();
            const status = await this.status(set);
            const undo = status.applied.filter((r) => compareVersions(r.version, target) > 0).reverse();
            const missing = undo.filter((r) => !set.downs.has(normalizeVersion(r.version)));
            if (missing.length)
                throw new src/* PermanentError */.Dr(`no down migration for version(s) ${missing.map((r) => r.version).join(', ')}; nothing was undone`);
            const applied = [];
            for (const row of undo) {
                const file = set.downs.get(normalizeVersion(row.version));
                const durationMs = await this.run(file, 'down', row.version);
                applied.push({ version: row.version, name: row.name, durationMs });
                this.o.log.info(`undid ${row.version} with ${file.file} in ${(0,src/* formatDuration */.a3)(durationMs)}`);
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
            const adopt = status.pending.filter((m) => compareVersions(m.version, version) <= 0);
            if (!set.ups.some((m) => compareVersions(m.version, version) === 0))
                throw new src/* PermanentError */.Dr(`baseline version ${version} matches no migration file`);
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
        const statements = sql_splitStatements(migration.sql);
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
                const wait = (0,src/* backoffDelay */.EY)(attempt + 1, { initialDelayMs: 1000, maxDelayMs: 15_000 });
                this.o.log.warning(`${migration.file}: lock_timeout fired (${error.message}); retrying in ${(0,src/* formatDuration */.a3)(wait)} (${this.o.lockRetries - attempt} attempt(s) left)`, { file: migration.file, line: error.line });
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
            throw new PermanentError(`${o.argv[0]} did not finish within ${o.timeoutMs}ms and was stopped`);
        if (result.exitCode !== 0) {
            const tail = (result.stderr.trim() || result.stdout.trim()).split('\n').slice(-3).join(' | ');
            throw new PermanentError(`${o.argv[0]} exited with ${result.exitCode ?? result.signal}${tail ? `: ${tail}` : ''}`);
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
        lines.push(markdown.table(['Line', 'Statement', 'Lock taken'], item.statements.map((s) => [s.line, `\`${s.text.replace(/\s+/g, ' ').slice(0, 120)}\``, s.lock])));
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
        markdown.table(['', 'Where', 'Rule', 'Problem', 'Instead'], findings.map((f) => [f.severity === 'error' ? '❌' : '⚠️', `${f.file}:${f.line}`, f.rule, f.message, f.fix])),
    ].join('\n');
}
function statusMarkdown(status) {
    return [
        `### Migration status: at ${status.current ?? 'no version'}, ${status.pending.length} pending`,
        '',
        markdown.table(['Version', 'Name', 'State', 'Applied at', 'Took', 'By'], [
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
            ? markdown.table(['Version', 'Name', 'Took'], result.applied.map((a) => [a.version, a.name, `${a.durationMs} ms`]))
            : 'Nothing to do: the database is up to date.\n',
    ].join('\n');
}

;// CONCATENATED MODULE: ./packages/migrate/src/index.ts








/***/ })

};
