export const id = 450;
export const ids = [450];
export const modules = {

/***/ 8450:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  Migrator: () => (/* reexport */ Migrator),
  loadMigrations: () => (/* reexport */ loadMigrations)
});

// UNUSED EXPORTS: ChecksumDriftError, ForeignHistoryError, GITHUB_COMMENT_LIMIT, InterruptedMigrationError, LARGE_TABLE_BYTES, LINT_RULES, MigrationError, MigrationFileError, NO_TRANSACTION, SqlSyntaxError, applyMarkdown, checksum, compareVersions, concurrentIndexName, endLeftoverSessions, findGap, lintMarkdown, lintMigration, lintMigrations, literal, loadPgParser, lockKey, lockLevel, needsNoTransaction, normalize, normalizeVersion, parseAlterTable, parseFileName, planMarkdown, readForeignHistory, runCommand, sections, splitStatements, statusMarkdown, statusText, tablesTouched, toolEnvironment, toolVersion

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
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

;// CONCATENATED MODULE: ./packages/migrate/src/files.ts




/** A problem with the migration files themselves; the action reports it as bad input. */
class MigrationFileError extends Error {
}
/**
 * Lines that ask for a file to run outside a transaction, as the tools that wrote them spell them:
 * ours, morph's (Mattermost), sqlx's, goose's and Atlas's. dbmate's `transaction:false` sits on its
 * `-- migrate:up` line, Flyway's `executeInTransaction=false` in a `.sql.conf` file beside the script.
 */
const NO_TRANSACTION = /^[ \t]*--[ \t]*(deploy-actions:no-transaction|morph:nontransactional|no-transaction|\+goose[ \t]+NO[ \t]+TRANSACTION|atlas:txmode[ \t]+none)[ \t]*$/im;
/**
 * Statements PostgreSQL refuses inside a transaction block; a file holding one runs outside a
 * transaction by itself, as psql (autocommit) and Flyway run it.
 */
const CANNOT_RUN_IN_TRANSACTION = [
    [/^CREATE (UNIQUE )?INDEX CONCURRENTLY\b/, 'CREATE INDEX CONCURRENTLY'],
    [/^DROP INDEX CONCURRENTLY\b/, 'DROP INDEX CONCURRENTLY'],
    [/^REINDEX\b.*\bCONCURRENTLY\b|^REINDEX (\(.*\) )?(SYSTEM|DATABASE)\b/, 'REINDEX CONCURRENTLY / DATABASE / SYSTEM'],
    [/^(CREATE|DROP) DATABASE\b/, 'CREATE/DROP DATABASE'],
    [/^(CREATE|DROP) TABLESPACE\b/, 'CREATE/DROP TABLESPACE'],
    [/^VACUUM\b/, 'VACUUM'],
    [/^ALTER SYSTEM\b/, 'ALTER SYSTEM'],
    [/^(CREATE|DROP) SUBSCRIPTION\b/, 'CREATE/DROP SUBSCRIPTION'],
];
/** A word every such statement holds: most files are passed over without normalising each statement. */
const MAYBE_NO_TRANSACTION = /concurrently|database|tablespace|vacuum|system|subscription/i;
/** The statement that cannot run in a transaction, by name, if one of these is one. */
function needsNoTransaction(statements) {
    for (const s of statements) {
        if (!MAYBE_NO_TRANSACTION.test(s.text))
            continue;
        const text = sql_normalize(s.text);
        for (const [re, what] of CANNOT_RUN_IN_TRANSACTION)
            if (re.test(text))
                return what;
    }
    return undefined;
}
const PATTERNS = [
    // golang-migrate, sqlx reversible: 0001_create_users.up.sql / 0001_create_users.down.sql
    {
        style: 'golang-migrate',
        re: /^(\d+)_(.*)\.(up|down)\.sql$/,
        direction: (m) => m[3],
        version: (m) => m[1],
        name: (m) => m[2],
    },
    // Flyway: V1_2__create_users.sql (version 1.2), U1_2__create_users.sql (undo)
    {
        style: 'Flyway',
        re: /^([VU])(\d+(?:[._]\d+)*)__(.+)\.sql$/,
        direction: (m) => (m[1] === 'V' ? 'up' : 'down'),
        version: (m) => m[2].replace(/_/g, '.'),
        name: (m) => m[3],
    },
    // goose, dbmate, sqlx, Atlas, node-pg-migrate, plain: 0001_create_users.sql (up and down sections allowed)
    { style: 'plain', re: /^(\d+)_(.+)\.sql$/, direction: () => 'up', version: (m) => m[1], name: (m) => m[2] },
];
function parseFileName(file) {
    for (const p of PATTERNS) {
        const m = p.re.exec(file);
        if (m)
            return { version: p.version(m), name: p.name(m), direction: p.direction(m) };
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
const whole = (sql) => ({ text: sql, line: 1, goose: false });
const SINGLE_FILE = /^\d+_.+(?<!\.(up|down))\.sql$/;
const GOOSE = /^[ \t]*--[ \t]*\+goose[ \t]+(\w+(?:[ \t]+\w+)?)[ \t]*$/i;
const DBMATE = /^[ \t]*--[ \t]*migrate:(up|down)\b(.*)$/;
const NODE_PG_MIGRATE = /^[ \t]*--[ \t]*(Up|Down) Migration[ \t]*$/;
/**
 * The up and down sections of a single-file migration: goose's `-- +goose Up` / `-- +goose Down`,
 * dbmate's `-- migrate:up` / `-- migrate:down`, node-pg-migrate's `-- Up Migration` / `-- Down
 * Migration`. A file without such markers is all up. What comes before the first marker is ignored,
 * as those tools ignore it.
 */
function sections(sql, file) {
    const lines = sql.split('\n');
    const found = [];
    lines.forEach((text, i) => {
        const goose = GOOSE.exec(text);
        // goose would put environment variables into the SQL; running it without them would be wrong.
        if (goose && /^envsub\s+on$/i.test(goose[1]))
            throw new MigrationFileError(`'${file}' line ${i + 1}: goose's ENVSUB is not supported; write the values into the file`);
        if (goose && /^(up|down)$/i.test(goose[1])) {
            found.push({ direction: goose[1].toLowerCase(), line: i + 1, goose: true });
            return;
        }
        const dbmate = DBMATE.exec(text);
        if (dbmate) {
            const options = dbmate[2].trim();
            if (options && !/^(transaction:(true|false)\s*)*$/.test(options))
                throw new MigrationFileError(`'${file}' line ${i + 1}: unsupported dbmate option '${options}'`);
            const off = /transaction:false/.test(options) ? 'dbmate `transaction:false`' : undefined;
            found.push({ direction: dbmate[1], line: i + 1, noTransaction: off, goose: false });
            return;
        }
        const npm = NODE_PG_MIGRATE.exec(text);
        if (npm)
            found.push({ direction: npm[1].toLowerCase(), line: i + 1, goose: false });
    });
    if (!found.length)
        return { up: whole(sql) };
    const out = {};
    found.forEach((marker, k) => {
        if (out[marker.direction])
            throw new MigrationFileError(`'${file}' line ${marker.line}: a second ${marker.direction} section`);
        const end = found[k + 1]?.line ?? lines.length + 1;
        out[marker.direction] = {
            // From the line after the marker: the statements keep their lines in the file.
            text: lines.slice(marker.line, end - 1).join('\n'),
            line: marker.line + 1,
            noTransaction: marker.noTransaction,
            goose: marker.goose,
        };
    });
    if (!out.up)
        throw new MigrationFileError(`'${file}' has a down section but no up section`);
    return { up: out.up, down: out.down };
}
const STATEMENT_BEGIN = /^[ \t]*--[ \t]*\+goose[ \t]+StatementBegin[ \t]*$/i;
const STATEMENT_END = /^[ \t]*--[ \t]*\+goose[ \t]+StatementEnd[ \t]*$/i;
/** The statements of a section, numbered by file line; goose's StatementBegin/End blocks stay whole. */
function sectionStatements(section, file) {
    const shift = (statements, by) => statements.map((s) => ({ ...s, line: s.line + by }));
    if (!section.goose)
        return shift(sql_splitStatements(section.text), section.line - 1);
    const lines = section.text.split('\n');
    const out = [];
    let from = 0;
    for (let i = 0; i < lines.length; i++) {
        if (!STATEMENT_BEGIN.test(lines[i]))
            continue;
        out.push(...shift(sql_splitStatements(lines.slice(from, i).join('\n')), section.line - 1 + from));
        const end = lines.findIndex((l, j) => j > i && STATEMENT_END.test(l));
        if (end < 0)
            throw new MigrationFileError(`'${file}' line ${section.line + i}: StatementBegin without StatementEnd`);
        const body = lines.slice(i + 1, end).join('\n');
        // goose sends the block as it is; a trailing semicolon is harmless to the server, dropped for the record.
        const text = body.trim().replace(/;\s*$/, '');
        const comments = sql_splitStatements(body).flatMap((s) => s.comments);
        if (text)
            out.push({ text, line: section.line + i + 1 + leadingBlankLines(body), comments });
        from = end + 1;
        i = end;
    }
    out.push(...shift(sql_splitStatements(lines.slice(from).join('\n')), section.line - 1 + from));
    return out;
}
function leadingBlankLines(text) {
    return /^\s*/.exec(text)[0].split('\n').length - 1;
}
/** Flyway's script configuration beside `V1__x.sql`: `V1__x.sql.conf` with `executeInTransaction=false`. */
function flywayScriptConfig(dir, file) {
    const path = (0,external_node_path_.join)(dir, `${file}.conf`);
    if (!(0,external_node_fs_.existsSync)(path))
        return undefined;
    const setting = /^\s*executeInTransaction\s*=\s*(\w+)\s*$/m.exec((0,external_node_fs_.readFileSync)(path, 'utf8'));
    return setting?.[1]?.toLowerCase() === 'false' ? `Flyway \`executeInTransaction=false\` in ${file}.conf` : undefined;
}
function migrationFile(parsed, file, section, whole, configured) {
    const statements = sectionStatements(section, file);
    // goose's marker sits above its `-- +goose Up` line: the whole file is searched.
    const marker = NO_TRANSACTION.exec(whole);
    const needs = needsNoTransaction(statements);
    const reason = configured ??
        section.noTransaction ??
        (marker ? `\`-- ${marker[1]}\`` : needs ? `${needs} cannot run inside a transaction` : undefined);
    return {
        ...parsed,
        file,
        sql: section.text,
        checksum: checksum(section.text),
        statements,
        transactional: !reason,
        noTransactionReason: reason,
    };
}
/** Prisma's layout: one folder per migration, `20240101120000_init/migration.sql`. */
const PRISMA_FOLDER = /^(\d+)_(.+)$/;
/**
 * Reads a migrations folder: .sql files named in one of the styles (up/down sections inside a file
 * allowed), or Prisma's folders; versions must be unique.
 */
function loadMigrations(dir) {
    if (!(0,external_node_fs_.existsSync)(dir) || !(0,external_node_fs_.statSync)(dir).isDirectory())
        throw new MigrationFileError(`'${dir}' is not a folder`);
    const ups = [];
    const downs = new Map();
    const seen = new Map();
    const add = (migration) => {
        const key = `${migration.direction}:${normalizeVersion(migration.version)}`;
        if (seen.has(key))
            throw new MigrationFileError(`version ${migration.version} is used twice: '${seen.get(key)}' and '${migration.file}'`);
        seen.set(key, migration.file);
        if (migration.direction === 'up')
            ups.push(migration);
        else
            downs.set(normalizeVersion(migration.version), migration);
    };
    for (const entry of (0,external_node_fs_.readdirSync)(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
        const file = entry.name;
        if (entry.isDirectory()) {
            const prisma = PRISMA_FOLDER.exec(file);
            if (prisma && (0,external_node_fs_.existsSync)((0,external_node_path_.join)(dir, file, 'migration.sql'))) {
                const sql = (0,external_node_fs_.readFileSync)((0,external_node_path_.join)(dir, file, 'migration.sql'), 'utf8');
                const parsed = { version: prisma[1], name: prisma[2], direction: 'up' };
                add(migrationFile(parsed, `${file}/migration.sql`, { text: sql, line: 1, goose: false }, sql, undefined));
            }
            else if (file.endsWith('.sql')) {
                throw new MigrationFileError(`'${file}' is a folder, not a migration file`);
            }
            continue;
        }
        if (!file.endsWith('.sql'))
            continue;
        const parsed = parseFileName(file);
        if (!parsed) {
            throw new MigrationFileError(`'${file}' does not follow a migration naming style (0001_name.up.sql / 0001_name.down.sql, V1__name.sql / U1__name.sql, 0001_name.sql, or Prisma's 20240101000000_name/migration.sql)`);
        }
        const sql = (0,external_node_fs_.readFileSync)((0,external_node_path_.join)(dir, file), 'utf8');
        const configured = flywayScriptConfig(dir, file);
        // Only a file whose name does not say up or down may hold both.
        const { up, down } = SINGLE_FILE.test(file) ? sections(sql, file) : { up: whole(sql), down: undefined };
        add(migrationFile(parsed, file, up, sql, configured));
        if (down)
            add(migrationFile({ ...parsed, direction: 'down' }, file, down, sql, configured));
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
 * A hole in a numbered sequence (0001, 0002, 0004): sometimes a file lost in a merge or a rename.
 * Every tool whose naming styles are read here allows gaps, so this is reported only when asked for
 * (`allow-gaps: false`). Dotted (Flyway 1.2) and timestamp versions are not sequences.
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

// EXTERNAL MODULE: external "node:module"
var external_node_module_ = __webpack_require__(8995);
// EXTERNAL MODULE: external "node:url"
var external_node_url_ = __webpack_require__(3136);
;// CONCATENATED MODULE: ./packages/migrate/src/pg-parser.ts




class pg_parser_SqlSyntaxError extends Error {
    offset;
    constructor(message, 
    /** Character offset in the parsed text. */
    offset) {
        super(message);
        this.offset = offset;
    }
}
/**
 * Where the emscripten glue of libpg-query's WASM build is: beside the bundle (scripts/build.mjs
 * copies it there as .cjs with its .wasm, since the glue finds the .wasm from __dirname, which an ESM
 * bundle has not), else in the installed package when running from source.
 */
function gluePath() {
    const beside = join(dirname(fileURLToPath(import.meta.url)), 'libpg-query.cjs');
    return existsSync(beside) ? beside : createRequire(import.meta.url).resolve('libpg-query/wasm/libpg-query.js');
}
let loading;
/** Loads the parser once (about 30 ms); a parser that does not load is an error, never a silent fallback. */
function loadPgParser() {
    loading ??= (async () => {
        let glue = 'libpg-query';
        try {
            glue = gluePath();
            const factory = createRequire(import.meta.url)(glue);
            // Its own messages only repeat the error it throws, and a runner reads stdout for workflow commands.
            const quiet = () => undefined;
            return wasmParser(await factory({ print: quiet, printErr: quiet }));
        }
        catch (error) {
            loading = undefined;
            // Not core's oneLine: lint's rule list is in the action's entry, and with it this module, so it
            // imports nothing that would pull core's HTTP and retry code into every start.
            const reason = (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ');
            throw new Error(`PostgreSQL's parser (libpg_query) did not load from ${glue}: ${reason}`, {
                cause: error,
            });
        }
    })();
    return loading;
}
function wasmParser(wasm) {
    const withString = (text, use) => {
        const size = wasm.lengthBytesUTF8(text) + 1;
        const ptr = wasm._malloc(size);
        try {
            wasm.stringToUTF8(text, ptr, size);
            return use(ptr);
        }
        finally {
            wasm._free(ptr);
        }
    };
    return {
        parse(sql) {
            if (!sql.trim())
                return [];
            const json = withString(sql, (ptr) => {
                const result = wasm._wasm_parse_query_raw(ptr);
                if (!result)
                    throw new Error('libpg_query ran out of memory');
                try {
                    // PgQueryParseResult { char *parse_tree; char *stderr_buffer; PgQueryError *error }
                    const error = wasm.getValue(result + 8, 'i32');
                    if (error) {
                        // PgQueryError { char *message; char *funcname; char *filename; int lineno; int cursorpos }
                        const message = wasm.UTF8ToString(wasm.getValue(error, 'i32'));
                        const cursor = wasm.getValue(error + 16, 'i32');
                        throw new pg_parser_SqlSyntaxError(message, charOffset(sql, Math.max(0, cursor - 1)));
                    }
                    return wasm.UTF8ToString(wasm.getValue(result, 'i32'));
                }
                finally {
                    wasm._wasm_free_parse_result(result);
                }
            });
            const tree = JSON.parse(json);
            const ascii = Buffer.byteLength(sql) === sql.length;
            return (tree.stmts ?? []).map((s) => ({
                node: s.stmt,
                offset: ascii ? (s.stmt_location ?? 0) : charOffset(sql, s.stmt_location ?? 0),
            }));
        },
        plpgsqlStatements(body) {
            // libpg_query parses PL/pgSQL as a function's body; a tag the body cannot contain quotes it.
            let tag = '$body$';
            for (let n = 0; body.includes(tag); n++)
                tag = `$body${n}$`;
            const source = `CREATE FUNCTION pg_temp.migration_block() RETURNS void LANGUAGE plpgsql AS ${tag}${body}${tag}`;
            const text = withString(source, (ptr) => {
                const result = wasm._wasm_parse_plpgsql(ptr);
                try {
                    return wasm.UTF8ToString(result);
                }
                finally {
                    wasm._wasm_free_string(result);
                }
            });
            // Success is a JSON object; anything else is the parser's error message.
            if (!text.startsWith('{'))
                throw new pg_parser_SqlSyntaxError(text, 0);
            const out = [];
            collectExecSql(JSON.parse(text), out);
            return out.sort((a, b) => a.line - b.line);
        },
    };
}
/** Every PLpgSQL_stmt_execsql in the tree, in source order. */
function collectExecSql(node, out) {
    if (Array.isArray(node)) {
        for (const item of node)
            collectExecSql(item, out);
        return;
    }
    if (!node || typeof node !== 'object')
        return;
    const exec = node
        .PLpgSQL_stmt_execsql;
    const query = exec?.sqlstmt?.PLpgSQL_expr?.query;
    if (exec && query)
        out.push({ sql: query, line: exec.lineno ?? 1 });
    for (const value of Object.values(node))
        collectExecSql(value, out);
}
/** libpg_query counts UTF-8 bytes; JavaScript strings count UTF-16 units. */
function charOffset(text, byteOffset) {
    return Buffer.from(text, 'utf8').subarray(0, byteOffset).toString('utf8').length;
}

;// CONCATENATED MODULE: ./packages/migrate/src/lint.ts


/** A table this size or more takes seconds or more to scan, rewrite or index. */
const LARGE_TABLE_BYTES = 10 * 1024 * 1024;
/** Error on a large existing table (the lock is held for long), warning on a small one, nothing on a new one. */
function byWeight(weight) {
    return weight === 'large' ? 'error' : weight === 'small' ? 'warning' : undefined;
}
function tableWeight(table, ctx) {
    if (ctx.createdTables.has(bare(table)))
        return 'new';
    const facts = ctx.options.tables;
    if (!facts)
        return 'large';
    const known = facts.get(bare(table));
    // Not in the database and not created before it in the run: it fails anyway; the server says why.
    if (!known || !known.rows)
        return 'new';
    return known.large ? 'large' : 'small';
}
/** The table name without its schema or quotes, as CREATE TABLE and ALTER TABLE may spell it differently. */
const bare = (table) => table.replace(/^.*\./, '').replace(/"/g, '');
const IDENT = '(?:"[^"]+"|[A-Z_][A-Z0-9_$]*)(?:\\.(?:"[^"]+"|[A-Z_][A-Z0-9_$]*))?';
const ALTER_TABLE = new RegExp(`^ALTER TABLE (?:IF EXISTS )?(?:ONLY )?(${IDENT}) (.*)$`);
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
const warnIf = (condition) => (condition ? 'warning' : undefined);
/** The weight of the ALTER TABLE's table when one of its actions matches, else undefined. */
function alterWeight(alter, ctx, action) {
    return alter && alter.actions.some(action) ? tableWeight(alter.table, ctx) : undefined;
}
const CREATE_INDEX = new RegExp(`^CREATE (?:UNIQUE )?INDEX (?!CONCURRENTLY)(?:IF NOT EXISTS )?(?:${IDENT} )?ON (?:ONLY )?(${IDENT})`);
const RULES = [
    {
        rule: 'create-index-non-concurrently',
        test: (s, _alter, ctx) => {
            const m = CREATE_INDEX.exec(s);
            return m ? byWeight(tableWeight(m[1], ctx)) : undefined;
        },
        message: 'CREATE INDEX without CONCURRENTLY blocks writes to the table while the index builds',
        fix: 'use CREATE INDEX CONCURRENTLY (the file then runs outside a transaction by itself)',
    },
    {
        rule: 'adding-not-null-column-without-default',
        test: (_s, alter, ctx) => {
            const weight = alterWeight(alter, ctx, (a) => ADD_COLUMN.test(a) && /\bNOT NULL\b/.test(a) && !/\b(DEFAULT|GENERATED)\b/.test(a));
            // It fails on any table with rows: it cannot run as written.
            return weight && weight !== 'new' ? 'error' : undefined;
        },
        message: 'adding a NOT NULL column without a default fails on a table with rows',
        fix: 'add the column nullable (or with a DEFAULT), backfill, then SET NOT NULL via a NOT VALID check constraint',
    },
    {
        rule: 'setting-not-null',
        test: (_s, alter, ctx) => {
            const weight = alterWeight(alter, ctx, (a) => /^ALTER (COLUMN )?\S+ SET NOT NULL\b/.test(a));
            return weight && byWeight(weight);
        },
        message: 'SET NOT NULL scans the whole table under an ACCESS EXCLUSIVE lock',
        fix: 'add CHECK (col IS NOT NULL) NOT VALID, VALIDATE it in a later migration, then SET NOT NULL (PostgreSQL 12+ skips the scan)',
    },
    {
        rule: 'constraint-without-not-valid',
        test: (_s, alter, ctx) => {
            const weight = alterWeight(alter, ctx, (a) => /^ADD (CONSTRAINT \S+ )?(FOREIGN KEY|CHECK)\b/.test(a) && !/\bNOT VALID\b/.test(a));
            return weight && byWeight(weight);
        },
        message: 'adding a CHECK or FOREIGN KEY constraint scans the whole table under a lock',
        fix: 'add it NOT VALID, then VALIDATE CONSTRAINT in a later migration',
    },
    {
        rule: 'unique-constraint-builds-index',
        test: (_s, alter, ctx) => {
            const weight = alterWeight(alter, ctx, (a) => /^ADD (CONSTRAINT \S+ )?(PRIMARY KEY|UNIQUE)\b/.test(a) && !/\bUSING INDEX\b/.test(a));
            return weight && byWeight(weight);
        },
        message: 'adding a PRIMARY KEY or UNIQUE constraint builds its index under an ACCESS EXCLUSIVE lock',
        fix: 'CREATE UNIQUE INDEX CONCURRENTLY first, then ADD CONSTRAINT ... USING INDEX',
    },
    {
        rule: 'changing-column-type',
        test: (_s, alter, ctx) => {
            const weight = alterWeight(alter, ctx, (a) => /^ALTER (COLUMN )?\S+ (SET DATA )?TYPE\b/.test(a));
            return weight && byWeight(weight);
        },
        message: 'changing a column type usually rewrites the table under an ACCESS EXCLUSIVE lock',
        fix: 'add a new column, backfill, and switch readers over (expand/contract)',
    },
    {
        rule: 'dropping-column',
        test: (_s, alter, ctx) => warnIf(!!alter &&
            !ctx.createdTables.has(bare(alter.table)) &&
            alter.actions.some((a) => /^DROP (COLUMN )?(IF EXISTS )?(?!CONSTRAINT\b)\S+/.test(a))),
        message: 'dropping a column breaks the running version if it still reads it',
        fix: 'stop using the column in a release first, then drop it in a later one',
    },
    {
        rule: 'dropping-table',
        test: (s, _alter, ctx) => {
            const m = new RegExp(`^DROP TABLE (?:IF EXISTS )?(${IDENT})`).exec(s);
            return warnIf(!!m && !ctx.createdTables.has(bare(m[1])));
        },
        message: 'dropping a table breaks the running version if it still uses it',
        fix: 'stop using the table in a release first, then drop it in a later one',
    },
    {
        rule: 'renaming-column',
        test: (_s, alter, ctx) => warnIf(!!alter &&
            !ctx.createdTables.has(bare(alter.table)) &&
            /^RENAME (COLUMN )?(?!TO\b|CONSTRAINT\b)\S+ TO\b/.test(alter.actions[0])),
        message: 'renaming a column breaks the running version, which still uses the old name',
        fix: 'add the new column and migrate readers and writers first (expand/contract)',
    },
    {
        rule: 'renaming-table',
        test: (_s, alter, ctx) => warnIf(!!alter && !ctx.createdTables.has(bare(alter.table)) && /^RENAME TO\b/.test(alter.actions[0])),
        message: 'renaming a table breaks the running version, which still uses the old name',
        fix: 'create a view with the old name, or migrate readers first',
    },
    {
        rule: 'missing-lock-timeout',
        test: (s, _alter, { options, file }) => warnIf(options.engineLockTimeoutMs === 0 &&
            /^(ALTER TABLE|DROP TABLE|CREATE (UNIQUE )?INDEX (?!CONCURRENTLY)|TRUNCATE|LOCK)\b/.test(s) &&
            !/\bSET (LOCAL )?LOCK_TIMEOUT\b/i.test(file.sql)),
        message: 'a statement that takes a strong lock runs without lock_timeout: stuck behind a long query, it queues every other query on the table',
        fix: 'set the `lock-timeout` input (or SET lock_timeout in the file)',
    },
];
const SYNTAX_ERROR = {
    rule: 'syntax-error',
    fix: 'correct the statement: the server rejects it the same way, after the statements before it ran',
};
/** Every rule, for the per-rule levels input. */
const LINT_RULES = [
    ...RULES.map((r) => r.rule),
    'no-transaction-multiple-statements',
    SYNTAX_ERROR.rule,
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
/**
 * Lints the files of one run in order: a table created by an earlier file of the run is new and
 * empty, as is one the database does not hold rows in; a table-locking operation is an error only on
 * a large existing table.
 */
function lintMigrations(files, options) {
    const createdTables = new Set();
    return files.flatMap((file) => lintFile(file, options, createdTables));
}
function lintMigration(file, options) {
    return lintFile(file, options, new Set());
}
function lintFile(file, options, createdTables) {
    const findings = [];
    const add = (rule, severity, line) => {
        const level = options.levels?.[rule.rule];
        if (level === 'off')
            return;
        findings.push({
            rule: rule.rule,
            severity: level === 'error' ? 'error' : level === 'warn' ? 'warning' : severity,
            file: file.file,
            line,
            message: rule.message,
            fix: rule.fix,
        });
    };
    const statements = file.statements;
    for (const judged of statements.flatMap((statement) => judgedStatements(statement, options.parser))) {
        if (judged instanceof SqlSyntaxError) {
            add({ ...SYNTAX_ERROR, message: `PostgreSQL's parser rejects the statement: ${judged.message}` }, 'error', judged.line);
            continue;
        }
        const { statement, node } = judged;
        const s = normalize(statement.text);
        const alter = parseAlterTable(s);
        const skip = ignored(statement);
        for (const rule of RULES) {
            if (skip.has(rule.rule))
                continue;
            const severity = rule.test(s, alter, { file, createdTables, options });
            if (severity)
                add(rule, severity, statement.line);
        }
        const created = createdTable(node);
        // CREATE TABLE IF NOT EXISTS of a table the database already has creates nothing.
        if (created && !(created.ifNotExists && options.tables?.has(created.name)))
            createdTables.add(created.name);
    }
    if (!file.transactional && statements.length > 1) {
        add({
            rule: 'no-transaction-multiple-statements',
            message: `this file runs outside a transaction (${file.noTransactionReason ?? 'asked for'}), so what ran cannot be rolled back if a later statement fails`,
            fix: 'keep one statement per file that runs outside a transaction; a re-run after a crash goes on from the statement that was running',
        }, 'warning', statements[1].line);
    }
    return findings;
}
/** A statement the parser rejected, at the line it points at. */
class LintSyntaxError extends pg_parser_SqlSyntaxError {
    line;
    constructor(error, line) {
        super(error.message, error.offset);
        this.line = line;
    }
}
const linesBefore = (text, offset) => text.slice(0, offset).match(/\n/g)?.length ?? 0;
/**
 * The statements lint judges in one statement of a file, as PostgreSQL's parser reads it: itself (or
 * each statement, should the parser find more than one where the splitter cut one), and for a PL/pgSQL
 * `DO` block every SQL statement its body runs directly, at any depth (IF, loops, nested blocks,
 * exception handlers; not EXECUTE'd strings), each at its own line in the file.
 */
function judgedStatements(statement, parser) {
    let byStatement = judgedCache.get(parser);
    if (!byStatement)
        judgedCache.set(parser, (byStatement = new WeakMap()));
    let judged = byStatement.get(statement);
    if (!judged)
        byStatement.set(statement, (judged = parseStatement(statement, parser)));
    return judged;
}
/** tablesTouched and lint read the same statements of a run: each is parsed once. */
const judgedCache = new WeakMap();
function parseStatement(statement, parser) {
    let parsed;
    try {
        parsed = parser.parse(statement.text);
    }
    catch (error) {
        if (!(error instanceof SqlSyntaxError))
            throw error;
        return [new LintSyntaxError(error, statement.line + linesBefore(statement.text, error.offset))];
    }
    return parsed.flatMap(({ node, offset }, i) => {
        const text = statement.text.slice(offset, parsed[i + 1]?.offset).replace(/;\s*$/, '');
        const line = statement.line + linesBefore(statement.text, offset);
        const own = { statement: { text, line, comments: statement.comments }, node };
        const block = doBlockBody(node);
        if (!block)
            return [own];
        const bodyLine = statement.line + linesBefore(statement.text, block.offset);
        let inner;
        try {
            inner = parser.plpgsqlStatements(block.body);
        }
        catch (error) {
            if (!(error instanceof SqlSyntaxError))
                throw error;
            return [own, new LintSyntaxError(error, line)];
        }
        // An ignore comment inside the body belongs to the piece of it (up to a semicolon) it precedes.
        const pieces = splitStatements(block.body);
        const commentsAt = (line) => [
            ...statement.comments,
            ...(pieces.findLast((p) => p.line <= line)?.comments ?? []),
        ];
        return [
            own,
            ...inner.flatMap((b) => judgedStatements({ text: b.sql, line: bodyLine + b.line - 1, comments: commentsAt(b.line) }, parser)),
        ];
    });
}
/** A PL/pgSQL DO block's body, and the offset of its opening quote (where its line 1 is). */
function doBlockBody(node) {
    const args = node.DoStmt?.args;
    if (!args)
        return undefined;
    const option = (name) => args.find((a) => a.DefElem.defname === name)?.DefElem;
    const language = option('language')?.arg.String.sval ?? 'plpgsql';
    const as = option('as');
    if (language.toLowerCase() !== 'plpgsql' || !as)
        return undefined;
    return { body: as.arg.String.sval, offset: as.location };
}
/** The table a CREATE TABLE [AS] statement creates, by its bare upper-cased name as the rules compare names. */
function createdTable(node) {
    const create = node.CreateStmt;
    const createAs = node.CreateTableAsStmt;
    const found = create
        ? { relation: create.relation, ifNotExists: !!create.if_not_exists }
        : createAs?.objtype === 'OBJECT_TABLE'
            ? { relation: createAs.into.rel, ifNotExists: !!createAs.if_not_exists }
            : undefined;
    return found && { name: found.relation.relname.toUpperCase(), ifNotExists: found.ifNotExists };
}
/** Every table name the statements of these files alter, index or create, for the database to describe. */
function tablesTouched(files, parser) {
    const names = new Set();
    for (const file of files) {
        for (const judged of file.statements.flatMap((statement) => judgedStatements(statement, parser))) {
            if (judged instanceof SqlSyntaxError)
                continue;
            const s = normalize(judged.statement.text);
            const m = parseAlterTable(s)?.table ?? CREATE_INDEX.exec(s)?.[1] ?? createdTable(judged.node)?.name;
            if (m)
                names.add(bare(m));
        }
    }
    return [...names];
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
// EXTERNAL MODULE: ./packages/core/src/index.ts + 4 modules
var src = __webpack_require__(9417);
;// CONCATENATED MODULE: ./packages/migrate/src/adopt.ts


/** Another tool's history that cannot be taken as it is: a failed (dirty) migration, or a version with no file. */
class ForeignHistoryError extends src/* PermanentError */.Dr {
}
const fix = (how) => `check the database by hand, then ${how}, or record what is really applied with \`mode: baseline\` and \`target-version\` (it reads no other tool's history)`;
/** The files for recorded versions; a recorded version with no file stops everything. */
function filesFor(set, tool, table, versions) {
    const byVersion = new Map(set.ups.map((m) => [normalizeVersion(m.version), m]));
    const missing = versions.filter((v) => !byVersion.has(normalizeVersion(v)));
    if (missing.length)
        throw new ForeignHistoryError(`${tool} recorded version(s) ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ` and ${missing.length - 5} more` : ''} in ${table} as applied, but the migrations folder has no file for ${missing.length > 1 ? 'them' : 'it'}; point \`migrations\` at the folder that database was migrated from, or restore the file(s)`);
    return versions.map((v) => byVersion.get(normalizeVersion(v)));
}
/** Every file up to and including a version (golang-migrate keeps only the latest; baselines cover all below). */
const upTo = (set, version) => set.ups.filter((m) => compareVersions(m.version, version) <= 0);
const isVersion = (v) => /^\d+(\.\d+)*$/.test(v);
function unique(files) {
    const seen = new Map(files.map((f) => [normalizeVersion(f.version), f]));
    return [...seen.values()].sort((a, b) => compareVersions(a.version, b.version));
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
                        applied.set(normalizeVersion(m.version), m);
                }
                else if (row.type === 'UNDO_SQL' || row.type === 'DELETE') {
                    applied.delete(normalizeVersion(row.version));
                }
                else {
                    const [m] = filesFor(set, 'Flyway', table, [row.version]);
                    applied.set(normalizeVersion(m.version), m);
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
            for (const r of rows.sort((a, b) => compareVersions(a.version, b.version))) {
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

;// CONCATENATED MODULE: ./packages/migrate/src/engine.ts






/** A file run outside a transaction was interrupted at a statement that cannot be safely run again. */
class InterruptedMigrationError extends src/* PermanentError */.Dr {
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
const oneLineStatement = (text) => text.replace(/\s+/g, ' ').slice(0, 120);
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
        rows.sort((a, b) => compareVersions(a.version, b.version));
        const applied = rows.filter((r) => r.finished);
        const interrupted = rows.filter((r) => !r.finished);
        const adopted = !rows.length && adopt ? await readForeignHistory(this.o.client, set) : undefined;
        const done = new Set([...applied.map((r) => r.version), ...(adopted?.applied.map((m) => m.version) ?? [])].map(normalizeVersion));
        return {
            applied,
            interrupted,
            pending: set.ups.filter((m) => !done.has(normalizeVersion(m.version))),
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
        const byVersion = new Map(set.ups.map((m) => [normalizeVersion(m.version), m]));
        // An interrupted file may be fixed where it stopped (that is how a failed statement is
        // corrected); only a change to the statements that already ran is drift.
        const ranChanged = (row, file) => {
            const done = row.statements_done ?? 0;
            const texts = (sql) => sql_splitStatements(sql)
                .slice(0, done)
                .map((s) => s.text);
            return JSON.stringify(texts(row.sql)) !== JSON.stringify(texts(file.sql));
        };
        return [...status.applied, ...status.interrupted].flatMap((row) => {
            const file = byVersion.get(normalizeVersion(row.version));
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
            return new Map(rows.map((r) => [r.name, { rows: Number(r.bytes) > 0, large: Number(r.bytes) >= LARGE_TABLE_BYTES }]));
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
            statements: migration.statements.map((s) => ({ ...s, lock: lockLevel(s.text) })),
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
                : status.pending.filter((m) => compareVersions(m.version, status.current) < 0);
            if (late.length) {
                throw new src/* PermanentError */.Dr(`migration(s) ${late.map((m) => m.file).join(', ')} are older than the applied version ${status.current} but were never applied; give them a newer version`);
            }
            const interrupted = new Map(status.interrupted.map((r) => [normalizeVersion(r.version), r]));
            const applied = [];
            for (const migration of status.pending) {
                if (this.o.signal?.aborted)
                    throw new src/* PermanentError */.Dr(`cancelled before ${migration.file}; ${applied.length} migration(s) applied`);
                const row = interrupted.get(normalizeVersion(migration.version));
                const from = row ? await this.resumePoint(migration, row) : undefined;
                const durationMs = await this.run(migration, 'up', undefined, from);
                applied.push({ version: migration.version, name: migration.name, durationMs });
                this.o.log.info(`applied ${migration.file} in ${(0,src/* formatDuration */.a3)(durationMs)}`);
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
        const s = sql_normalize(statement.text);
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
        const alter = parseAlterTable(s);
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
                throw new src/* PermanentError */.Dr(`version(s) ${status.interrupted.map((r) => r.version).join(', ')} were interrupted mid-way; settle them with \`mode: resolve\` before going down`);
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
    /** The down files a `down` to `target` would run, newest first (to lint them before anything runs). */
    downFiles(set, status, target) {
        const applied = status.adopted
            ? status.adopted.applied.map((m) => m.version)
            : status.applied.map((r) => r.version);
        return applied
            .filter((v) => compareVersions(v, target) > 0)
            .reverse()
            .flatMap((v) => set.downs.get(normalizeVersion(v)) ?? []);
    }
    /** Records every migration up to `version` as applied without running it (adopting an existing database). */
    async baseline(set, version) {
        return this.withLock(async () => {
            await this.ensureTable();
            const status = await this.status(set, { adopt: false });
            const adopt = status.pending.filter((m) => compareVersions(m.version, version) <= 0);
            if (!set.ups.some((m) => compareVersions(m.version, version) === 0))
                throw new src/* PermanentError */.Dr(`baseline version ${version} matches no migration file`);
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
            const row = status.interrupted.find((r) => compareVersions(r.version, version) === 0);
            if (!row)
                throw new src/* PermanentError */.Dr(`version ${version} is not an interrupted migration${status.interrupted.length ? ` (interrupted: ${status.interrupted.map((r) => r.version).join(', ')})` : ' (none is)'}; nothing was changed`);
            const file = set.ups.find((m) => normalizeVersion(m.version) === normalizeVersion(row.version));
            if (!file)
                throw new src/* PermanentError */.Dr(`version ${row.version} was interrupted, but its file is gone; restore it`);
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
                const wait = (0,src/* backoffDelay */.EY)(attempt + 1, { initialDelayMs: 1000, maxDelayMs: 15_000 });
                this.o.log.warning(`${migration.file}: lock_timeout fired (${error.message}); retrying in ${(0,src/* formatDuration */.a3)(wait)} (${this.o.lockRetries - attempt} attempt(s) left)`, { file: migration.file, line: error.line });
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
const STATUS_HEADERS = (/* unused pure expression or super */ null && (['Version', 'Name', 'State', 'Applied at', 'Took', 'By']));
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

;// CONCATENATED MODULE: ./packages/migrate/src/index.ts










/***/ })

};
