export const id = 211;
export const ids = [211];
export const modules = {

/***/ 2211:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  runSmoke: () => (/* reexport */ runSmoke),
  urlCheck: () => (/* reexport */ urlCheck)
});

// UNUSED EXPORTS: NOT_READY_STATUSES, SpecError, applyFilters, buildRequest, describeFailure, evaluateAssert, evaluateQuery, failureAnnotations, firstFailure, hurlCheck, junitXml, outcomePassed, parseAssertLines, parseHurl, percentile, renderTemplate, runHurlFile, statusMatches, stepPassed, summaryMarkdown

;// CONCATENATED MODULE: ./packages/probe/src/hurl/ast.ts
/**
 * The Hurl file format (https://hurl.dev), as far as smoke tests need it. Every node keeps its
 * line so failures point at the spec. The `url` checks of the action are built from the same nodes.
 */
/** A syntax error in a spec: one line, `file:line:column: what is wrong`. */
class ast_SpecError extends Error {
    location;
    problem;
    file;
    line;
    constructor(location, problem, file, line) {
        super(`${location}: ${problem}`);
        this.location = location;
        this.problem = problem;
        this.file = file;
        this.line = line;
        this.name = 'SpecError';
    }
    static at(file, line, column, problem) {
        return new ast_SpecError(`${file}:${line}:${column}`, problem, file, line);
    }
}

;// CONCATENATED MODULE: ./packages/probe/src/hurl/parse.ts

const METHODS = /^(GET|HEAD|POST|PUT|DELETE|CONNECT|OPTIONS|TRACE|PATCH|[A-Z]+)\s+(\S.*)$/;
const REQUEST_SECTIONS = (/* unused pure expression or super */ null && (['QueryStringParams', 'FormParams', 'Options', 'BasicAuth']));
const RESPONSE_SECTIONS = (/* unused pure expression or super */ null && (['Captures', 'Asserts']));
const UNSUPPORTED_SECTIONS = (/* unused pure expression or super */ null && (['MultipartFormData', 'Multipart', 'Cookies', 'Form', 'Query']));
const CERT_FIELDS = (/* unused pure expression or super */ null && (['Subject', 'Issuer', 'Start-Date', 'Expire-Date']));
const BINARY_OPS = (/* unused pure expression or super */ null && (['==', '!=', '>=', '<=', '>', '<', 'contains', 'startsWith', 'endsWith', 'matches']));
const UNARY_OPS = (/* unused pure expression or super */ null && ([
    'exists',
    'isInteger',
    'isFloat',
    'isNumber',
    'isString',
    'isBoolean',
    'isCollection',
    'isEmpty',
    'isDate',
]));
const SUPPORTED = 'supported queries: status, version, url, header, jsonpath, body, bytes, duration, certificate, regex, variable';
/** Parses a Hurl file. Anything this engine does not support is a SpecError, never skipped. */
function parseHurl(text, path) {
    const lines = text.split(/\r?\n/).map((t, i) => ({ n: i + 1, text: t }));
    const cursor = new Cursor(lines, path);
    const entries = [];
    for (cursor.skipBlank(); !cursor.done(); cursor.skipBlank())
        entries.push(parseEntry(cursor));
    return { path, entries };
}
/**
 * Parses assertion lines on their own (the action's `assertions` input), e.g.
 * `jsonpath "$.status" == "ok"`; `source` names where they came from in errors.
 */
function parseAssertLines(text, source) {
    return text
        .split(/\r?\n/)
        .map((t, i) => ({ n: i + 1, text: t.trim() }))
        .filter((l) => l.text && !l.text.startsWith('#'))
        .map((l) => {
        try {
            return parseAssert(l, source);
        }
        catch (error) {
            // Input lines have no file: "line N" reads better than "assertions:N:col".
            if (error instanceof SpecError)
                throw new SpecError(`line ${l.n}`, error.problem);
            throw error;
        }
    });
}
class Cursor {
    lines;
    file;
    i = 0;
    constructor(lines, file) {
        this.lines = lines;
        this.file = file;
    }
    done() {
        return this.i >= this.lines.length;
    }
    peek() {
        return this.lines[this.i];
    }
    next() {
        return this.lines[this.i++];
    }
    isBlank(line) {
        const t = line?.text.trim() ?? '';
        return t === '' || t.startsWith('#');
    }
    skipBlank() {
        while (!this.done() && this.isBlank(this.peek()))
            this.i++;
    }
    error(line, column, problem) {
        return SpecError.at(this.file, line.n, column, problem);
    }
}
function indent(line) {
    return line.text.length - line.text.trimStart().length + 1;
}
function parseEntry(c) {
    const first = c.next();
    const match = METHODS.exec(first.text.trim());
    if (!match)
        throw c.error(first, indent(first), `expected a request line such as 'GET https://host/path', got '${first.text.trim()}'`);
    const request = {
        line: first.n,
        method: match[1],
        url: match[2].trim(),
        headers: [],
        queryParams: [],
        formParams: [],
        options: { variables: [] },
    };
    request.headers = parseHeaders(c);
    for (let section = sectionAt(c); section; section = sectionAt(c)) {
        const header = c.next();
        if (RESPONSE_SECTIONS.includes(section))
            throw c.error(header, indent(header), `[${section}] belongs after the response line (HTTP <status>)`);
        if (!REQUEST_SECTIONS.includes(section))
            throw unknownSection(c, header, section);
        const pairs = parseKeyValues(c);
        if (section === 'QueryStringParams')
            request.queryParams.push(...pairs);
        else if (section === 'FormParams')
            request.formParams.push(...pairs);
        else if (section === 'BasicAuth') {
            if (pairs.length !== 1)
                throw c.error(header, 1, '[BasicAuth] takes exactly one `user: password` line');
            request.basicAuth = { user: pairs[0].name, password: pairs[0].value };
        }
        else
            request.options = parseOptions(c, pairs);
    }
    request.body = parseBody(c);
    c.skipBlank();
    const response = c.peek() && isResponseLine(c.peek().text) ? parseResponse(c) : undefined;
    return { line: first.n, request, response };
}
function sectionAt(c) {
    c.skipBlank();
    const line = c.peek();
    const m = line && /^\[([A-Za-z]+)\]\s*$/.exec(line.text.trim());
    return m?.[1];
}
function unknownSection(c, line, section) {
    const why = UNSUPPORTED_SECTIONS.includes(section) ? 'is not supported by deploy-actions' : 'is not a Hurl section';
    return c.error(line, indent(line), `[${section}] ${why}; supported: [${[...REQUEST_SECTIONS, ...RESPONSE_SECTIONS].join('], [')}]`);
}
/** `Name: value` lines directly under a request or response line (blank and comment lines may sit between). */
function parseHeaders(c) {
    const out = [];
    for (;;) {
        const save = c.i;
        c.skipBlank();
        const line = c.peek();
        const m = line && /^([A-Za-z0-9!#$%&'*+.^_`|~-]+):\s?(.*)$/.exec(line.text.trim());
        if (!line || !m) {
            c.i = save;
            return out;
        }
        c.next();
        out.push({ line: line.n, name: m[1], value: m[2].trim() });
    }
}
/** `key: value` lines under a section, up to the next section, blank line or entry. */
function parseKeyValues(c) {
    const out = [];
    for (let line = c.peek(); line && !c.isBlank(line) && !/^\[[A-Za-z]+\]\s*$/.test(line.text.trim()); line = c.peek()) {
        if (isBodyStart(line.text.trim()) || isResponseLine(line.text) || METHODS.test(line.text.trim()))
            break;
        const m = /^([^:]+?)\s*:\s*(.*)$/.exec(line.text.trim());
        if (!m)
            throw c.error(line, indent(line), `expected 'key: value', got '${line.text.trim()}'`);
        c.next();
        out.push({ line: line.n, name: unquote(m[1]), value: unquote(m[2]) });
    }
    return out;
}
function unquote(text) {
    const t = text.trim();
    if (t.length >= 2 && t.startsWith('"') && t.endsWith('"'))
        return JSON.parse(t);
    return t;
}
function parseOptions(c, pairs) {
    const options = { variables: [] };
    for (const pair of pairs) {
        const line = c.lines[pair.line - 1];
        const int = (what) => {
            const ms = /^(\d+)(ms|s)?$/.exec(pair.value);
            if (!ms)
                throw c.error(line, indent(line), `${what} takes a whole number, got '${pair.value}'`);
            return Number(ms[1]) * (ms[2] === 's' ? 1000 : 1);
        };
        const bool = () => {
            if (pair.value !== 'true' && pair.value !== 'false')
                throw c.error(line, indent(line), `${pair.name} takes true or false`);
            return pair.value === 'true';
        };
        switch (pair.name) {
            case 'retry': {
                if (pair.value === '-1')
                    throw c.error(line, indent(line), 'retry: -1 (forever) is not allowed in a smoke test; give a count');
                options.retry = int('retry');
                break;
            }
            case 'retry-interval':
                options.retryIntervalMs = int('retry-interval');
                break;
            case 'insecure':
                options.insecure = bool();
                break;
            case 'location':
                options.followRedirects = bool();
                break;
            case 'max-redirs':
                options.maxRedirects = int('max-redirs');
                break;
            case 'delay':
                options.delayMs = int('delay');
                break;
            case 'variable': {
                const m = /^([A-Za-z_][\w-]*)=(.*)$/.exec(pair.value);
                if (!m)
                    throw c.error(line, indent(line), `variable takes name=value, got '${pair.value}'`);
                options.variables.push({ line: pair.line, name: m[1], value: m[2] });
                break;
            }
            default:
                throw c.error(line, indent(line), `option '${pair.name}' is not supported; supported: retry, retry-interval, insecure, location, max-redirs, delay, variable`);
        }
    }
    return options;
}
function isResponseLine(text) {
    return /^HTTP(\/[\d.]+)?\s/.test(`${text.trim()} `);
}
function isBodyStart(t) {
    return (t.startsWith('{') ||
        (t.startsWith('[') && !/^\[[A-Za-z]+\]$/.test(t)) ||
        t.startsWith('```') ||
        t.startsWith('`') ||
        t.startsWith('<') ||
        t.startsWith('base64,') ||
        t.startsWith('hex,') ||
        t.startsWith('file,'));
}
function parseBody(c) {
    c.skipBlank();
    const line = c.peek();
    if (!line)
        return undefined;
    const t = line.text.trim();
    if (isResponseLine(t) || METHODS.test(t))
        return undefined;
    if (t.startsWith('```')) {
        c.next();
        const body = [];
        for (let l = c.peek();; l = c.peek()) {
            if (!l)
                throw c.error(line, indent(line), 'multiline body is not closed with ```');
            c.next();
            if (l.text.trim() === '```')
                break;
            body.push(l.text);
        }
        const hint = t.slice(3).trim();
        if (hint && !['json', 'text', 'xml', 'graphql', 'plain'].includes(hint))
            throw c.error(line, 4, `unknown multiline body type '${hint}'`);
        if (hint === 'graphql')
            throw c.error(line, 4, 'GraphQL bodies are not supported');
        return {
            kind: hint === 'json' ? 'json' : 'text',
            line: line.n,
            template: body.join('\n') + (body.length ? '\n' : ''),
        };
    }
    if (t.startsWith('`')) {
        c.next();
        const m = /^`((?:[^`\\]|\\.)*)`$/.exec(t);
        if (!m)
            throw c.error(line, indent(line), 'one-line body must be written `like this`');
        return { kind: 'text', line: line.n, template: m[1].replace(/\\`/g, '`') };
    }
    if (t.startsWith('{') || t.startsWith('[')) {
        const start = c.i;
        const text = [];
        for (let l = c.peek(); l; l = c.peek()) {
            if (text.length && isResponseLine(l.text))
                break;
            text.push(l.text);
            c.next();
            if (balanced(text.join('\n')))
                break;
        }
        const json = text.join('\n');
        if (!balanced(json))
            throw SpecError.at(c.file, c.lines[start].n, indent(line), 'JSON body is not closed');
        return { kind: 'json', line: line.n, template: json };
    }
    if (t.startsWith('<') || t.startsWith('base64,') || t.startsWith('hex,') || t.startsWith('file,')) {
        throw c.error(line, indent(line), `${t.startsWith('<') ? 'XML' : t.split(',')[0]} bodies are not supported; use a JSON body, \`text\` or a \`\`\` multiline body`);
    }
    throw c.error(line, indent(line), `expected a body, a section or 'HTTP <status>', got '${t}'`);
}
/** True once brackets outside strings balance; templates like {{x}} count as balanced pairs. */
function balanced(text) {
    let depth = 0;
    let inString = false;
    for (let i = 0; i < text.length; i++) {
        const ch = text[i];
        if (inString) {
            if (ch === '\\')
                i++;
            else if (ch === '"')
                inString = false;
        }
        else if (ch === '"')
            inString = true;
        else if (ch === '{' || ch === '[')
            depth++;
        else if (ch === '}' || ch === ']')
            depth--;
    }
    return depth === 0 && !inString;
}
function parseResponse(c) {
    const line = c.next();
    const m = /^HTTP(?:\/([\d.]+))?\s+(\*|\d{3})\s*$/.exec(line.text.trim());
    if (!m)
        throw c.error(line, indent(line), `expected 'HTTP <status>' (e.g. HTTP 200 or HTTP *), got '${line.text.trim()}'`);
    const response = {
        line: line.n,
        status: m[2] === '*' ? undefined : Number(m[2]),
        headers: parseHeaders(c),
        captures: [],
        asserts: [],
    };
    for (let section = sectionAt(c); section; section = sectionAt(c)) {
        const header = c.next();
        if (REQUEST_SECTIONS.includes(section))
            throw c.error(header, indent(header), `[${section}] belongs to the request, before the response line`);
        if (!RESPONSE_SECTIONS.includes(section))
            throw unknownSection(c, header, section);
        for (let l = c.peek(); l && !c.isBlank(l) && !/^\[[A-Za-z]+\]\s*$/.test(l.text.trim()) && !METHODS.test(l.text.trim()); l = c.peek()) {
            c.next();
            if (section === 'Captures')
                response.captures.push(parseCapture(l, c.file));
            else
                response.asserts.push(parseAssert(l, c.file));
        }
    }
    return response;
}
// ---- assertion and capture lines ----
class Tokens {
    text;
    line;
    file;
    pos = 0;
    constructor(text, line, file) {
        this.text = text;
        this.line = line;
        this.file = file;
    }
    skipSpace() {
        while (this.pos < this.text.length && /\s/.test(this.text[this.pos]))
            this.pos++;
    }
    atEnd() {
        this.skipSpace();
        return this.pos >= this.text.length || this.text[this.pos] === '#';
    }
    column() {
        return indent(this.line) + this.pos;
    }
    error(problem) {
        return SpecError.at(this.file, this.line.n, this.column(), problem);
    }
    word() {
        this.skipSpace();
        const m = /^(===|!==|==|!=|>=|<=|>|<|[A-Za-z][\w-]*)/.exec(this.text.slice(this.pos));
        if (!m)
            return undefined;
        this.pos += m[0].length;
        return m[0];
    }
    peekWord() {
        const save = this.pos;
        const w = this.word();
        this.pos = save;
        return w;
    }
    string(what) {
        this.skipSpace();
        if (this.text[this.pos] !== '"')
            throw this.error(`${what} needs a "quoted string"`);
        const m = /^"((?:[^"\\]|\\.)*)"/.exec(this.text.slice(this.pos));
        if (!m)
            throw this.error('string is not closed with "');
        this.pos += m[0].length;
        return parse_unescape(m[1], this);
    }
    regex() {
        this.skipSpace();
        const start = this.pos;
        let pattern;
        if (this.text[this.pos] === '/') {
            const m = /^\/((?:[^/\\]|\\.)+)\//.exec(this.text.slice(this.pos));
            if (!m)
                throw this.error('regex is not closed with /');
            this.pos += m[0].length;
            pattern = m[1];
        }
        else if (this.text[this.pos] === '"') {
            pattern = this.string('regex');
        }
        else {
            return undefined;
        }
        const end = this.pos;
        this.pos = start; // errors point at the start of the pattern
        const regex = compile(pattern, this);
        this.pos = end;
        return regex;
    }
    integer(what) {
        this.skipSpace();
        const m = /^-?\d+/.exec(this.text.slice(this.pos));
        if (!m)
            throw this.error(`${what} needs a whole number`);
        this.pos += m[0].length;
        return Number(m[0]);
    }
    value() {
        this.skipSpace();
        const rest = this.text.slice(this.pos);
        if (rest.startsWith('"'))
            return { kind: 'string', template: this.string('value') };
        if (rest.startsWith('/'))
            return { kind: 'regex', pattern: this.regex() };
        const num = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(rest);
        if (num) {
            this.pos += num[0].length;
            return { kind: 'number', value: Number(num[0]) };
        }
        const w = /^(true|false|null)\b/.exec(rest);
        if (w) {
            this.pos += w[0].length;
            return w[1] === 'null' ? { kind: 'null' } : { kind: 'boolean', value: w[1] === 'true' };
        }
        if (rest.startsWith('{{')) {
            const t = /^\{\{[^}]+\}\}/.exec(rest);
            if (t) {
                this.pos += t[0].length;
                return { kind: 'string', template: t[0] };
            }
        }
        throw this.error(`expected a value ("string", number, true, false, null or /regex/), got '${rest.split(/\s/)[0] ?? ''}'`);
    }
}
function parse_unescape(s, t) {
    return s.replace(/\\(u\{[0-9a-fA-F]+\}|.)/g, (_m, e) => {
        if (e.startsWith('u{'))
            return String.fromCodePoint(parseInt(e.slice(2, -1), 16));
        const map = { n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\', b: '\b', f: '\f', '#': '#' };
        if (!(e in map))
            throw t.error(`unknown escape \\${e}`);
        return map[e];
    });
}
function compile(pattern, t) {
    try {
        return new RegExp(pattern);
    }
    catch (error) {
        throw t.error(`invalid regex /${pattern}/: ${error.message}`);
    }
}
function parseQuery(t) {
    const start = t.pos;
    const w = t.word();
    switch (w) {
        case 'status':
        case 'version':
        case 'url':
        case 'body':
        case 'bytes':
        case 'duration':
            return { kind: w };
        case 'header':
            return { kind: 'header', name: t.string('header') };
        case 'jsonpath': {
            const expr = t.string('jsonpath');
            if (!expr.startsWith('$'))
                throw t.error(`jsonpath must start with $, got '${expr}'`);
            return { kind: 'jsonpath', expr };
        }
        case 'certificate': {
            const field = t.string('certificate');
            if (!CERT_FIELDS.includes(field))
                throw t.error(`certificate field '${field}' is not one of ${CERT_FIELDS.join(', ')}`);
            return { kind: 'certificate', field: field };
        }
        case 'regex': {
            const pattern = t.regex();
            if (!pattern)
                throw t.error('regex needs a "pattern" or /pattern/');
            return { kind: 'regex', pattern };
        }
        case 'variable':
            return { kind: 'variable', name: t.string('variable') };
        default:
            t.pos = start;
            t.skipSpace();
            throw t.error(`unknown query '${w ?? t.text.slice(t.pos).split(/\s/)[0]}'; ${SUPPORTED}`);
    }
}
function parseFilters(t) {
    const filters = [];
    for (;;) {
        const save = t.pos;
        const w = t.word();
        switch (w) {
            case 'count':
                filters.push({ kind: 'count' });
                break;
            case 'nth':
                filters.push({ kind: 'nth', index: t.integer('nth') });
                break;
            case 'toInt':
            case 'toFloat':
            case 'daysAfterNow':
            case 'daysBeforeNow':
                filters.push({ kind: w });
                break;
            case 'regex': {
                const pattern = t.regex();
                if (!pattern)
                    throw t.error('regex filter needs a "pattern" or /pattern/');
                filters.push({ kind: 'regex', pattern });
                break;
            }
            default:
                t.pos = save;
                return filters;
        }
    }
}
function parsePredicate(t) {
    let not = false;
    t.skipSpace();
    let start = t.pos;
    let w = t.word();
    if (w === 'not') {
        not = true;
        t.skipSpace();
        start = t.pos;
        w = t.word();
    }
    if (w && UNARY_OPS.includes(w))
        return { not, op: w };
    if (w && BINARY_OPS.includes(w)) {
        const op = w;
        const value = t.value();
        if (op === 'matches' && value.kind !== 'regex' && value.kind !== 'string')
            throw t.error('matches needs a "pattern" or /pattern/');
        if (op === 'matches' && value.kind === 'string')
            return { not, op, value: { kind: 'regex', pattern: compile(value.template, t) } };
        return { not, op, value };
    }
    t.pos = start;
    throw t.error(`unknown predicate '${w ?? t.text.slice(t.pos).trim()}'; supported: ${[...BINARY_OPS, ...UNARY_OPS].join(', ')} (optionally after not)`);
}
function parseAssert(line, file) {
    const source = line.text.trim();
    const t = new Tokens(source, { n: line.n, text: line.text }, file);
    const query = parseQuery(t);
    const filters = parseFilters(t);
    if (t.atEnd())
        throw t.error('missing predicate (e.g. == "value", exists, contains "text")');
    const predicate = parsePredicate(t);
    if (!t.atEnd())
        throw t.error(`unexpected '${t.text.slice(t.pos).trim()}' after the predicate`);
    return { line: line.n, source, query, filters, predicate };
}
function parseCapture(line, file) {
    const source = line.text.trim();
    const m = /^([A-Za-z_][\w-]*)\s*:\s*(.*)$/.exec(source);
    if (!m)
        throw SpecError.at(file, line.n, indent(line), `expected 'name: query', got '${source}'`);
    const t = new Tokens(m[2], { n: line.n, text: ' '.repeat(indent(line) - 1 + source.indexOf(m[2])) + m[2] }, file);
    const query = parseQuery(t);
    const filters = parseFilters(t);
    let redact = false;
    if (t.peekWord() === 'redact') {
        t.word();
        redact = true;
    }
    if (!t.atEnd())
        throw t.error(`unexpected '${t.text.slice(t.pos).trim()}' in capture`);
    return { line: line.n, source, name: m[1], query, filters, redact };
}

;// CONCATENATED MODULE: ./packages/probe/src/hurl/template.ts

const TEMPLATE = /\{\{\s*([A-Za-z_][\w.-]*)\s*\}\}/g;
/** Fills `{{name}}` from variables; an unknown name is an error that says where it was used. */
function template_renderTemplate(text, variables, where) {
    return text.replace(TEMPLATE, (_m, name) => {
        if (!(name in variables)) {
            const known = Object.keys(variables);
            throw new ast_SpecError(where, `unknown variable '${name}'${known.length ? ` (known: ${known.join(', ')})` : ''}; pass it in \`variables\` or capture it earlier`);
        }
        const value = variables[name];
        return typeof value === 'string' ? value : JSON.stringify(value);
    });
}
/** A JSON body: string variables go in as they are; inside JSON strings they are escaped. */
function template_renderJsonTemplate(text, variables, where) {
    let out = '';
    let inString = false;
    for (let i = 0; i < text.length; i++) {
        const ch = text[i];
        if (ch === '{' && text[i + 1] === '{') {
            const end = text.indexOf('}}', i);
            const piece = template_renderTemplate(text.slice(i, end + 2), variables, where);
            out += inString ? JSON.stringify(piece).slice(1, -1) : piece;
            i = end + 1;
            continue;
        }
        if (inString && ch === '\\') {
            out += ch + (text[i + 1] ?? '');
            i++;
            continue;
        }
        if (ch === '"')
            inString = !inString;
        out += ch;
    }
    return out;
}

;// CONCATENATED MODULE: ./packages/probe/src/spec.ts
// The spec side of the package (parsing and templates), importable without the HTTP side so an
// action can validate its inputs before loading anything heavy.




// EXTERNAL MODULE: ./packages/core/src/index.ts + 5 modules
var src = __webpack_require__(7926);
// EXTERNAL MODULE: ./node_modules/.pnpm/jsonpath-plus@10.4.0/node_modules/jsonpath-plus/dist/index-node-esm.js
var index_node_esm = __webpack_require__(4695);
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
            const name = template_renderTemplate(query.name, vars, where).toLowerCase();
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
            const path = template_renderTemplate(query.expr, vars, where);
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
            return template_renderTemplate(value.template, vars, where);
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
function evaluate_evaluateAssert(a, response, vars, now, file) {
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
function evaluate_implicitAsserts(response, actual, vars, file) {
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
        const name = renderTemplate(h.name, vars, where);
        const value = renderTemplate(h.value, vars, where);
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
function evaluate_evaluateCapture(c, response, vars, now, file) {
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
    const url = new URL(renderTemplate(r.url, vars, at(r.line)));
    for (const p of r.queryParams)
        url.searchParams.append(renderTemplate(p.name, vars, at(p.line)), renderTemplate(p.value, vars, at(p.line)));
    const headers = {};
    for (const h of r.headers)
        headers[renderTemplate(h.name, vars, at(h.line))] = renderTemplate(h.value, vars, at(h.line));
    const has = (name) => Object.keys(headers).some((k) => k.toLowerCase() === name);
    let body;
    if (r.formParams.length) {
        body = new URLSearchParams(r.formParams.map((p) => [
            renderTemplate(p.name, vars, at(p.line)),
            renderTemplate(p.value, vars, at(p.line)),
        ])).toString();
        if (!has('content-type'))
            headers['Content-Type'] = 'application/x-www-form-urlencoded';
    }
    else if (r.body) {
        body =
            r.body.kind === 'json'
                ? renderJsonTemplate(r.body.template, vars, at(r.body.line))
                : renderTemplate(r.body.template, vars, at(r.body.line));
        if (r.body.kind === 'json' && !has('content-type'))
            headers['Content-Type'] = 'application/json';
    }
    if (r.basicAuth) {
        const user = renderTemplate(r.basicAuth.user, vars, at(r.line));
        const password = renderTemplate(r.basicAuth.password, vars, at(r.line));
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
async function run_runHurlFile(file, options) {
    const clock = options.clock ?? systemClock;
    const vars = { ...options.variables };
    const steps = [];
    for (const entry of file.entries) {
        for (const v of entry.request.options.variables)
            vars[v.name] = renderTemplate(v.value, vars, `${file.path}:${v.line}`);
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
        return { request: label, line: entry.line, error: oneLine(error), assertions: [] };
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
            error: oneLine(error),
            retryable: errorKind(error) === 'transient',
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
            step.error = oneLine(error);
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
function model_firstFailure(steps) {
    for (const step of steps) {
        if (step.error)
            return { step };
        const assertion = step.assertions.find((a) => !a.ok);
        if (assertion)
            return { step, assertion };
    }
    return undefined;
}
function model_describeFailure(failure) {
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
    const clock = options.clock ?? src/* systemClock */.ml;
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
        const wait = (0,src/* backoffDelay */.EY)(attempt, {
            initialDelayMs: state.readyIntervalMs,
            maxDelayMs: state.maxIntervalMs ?? 5_000,
        });
        if (clock.now() + wait > state.deadline) {
            const why = first.error ?? `HTTP ${first.status}`;
            log.info(`${check.name}: not ready after ${(0,src/* formatDuration */.a3)(clock.now() - state.started)} (${why})`);
            return result(check, 'failed', 1, clock.now() - state.started, outcome, `not ready within ${(0,src/* formatDuration */.a3)(state.readyTimeoutMs)}: ${first.request}: ${why}`);
        }
        log.debug(`${check.name}: not ready (${first.error ?? `HTTP ${first.status}`}), next try in ${(0,src/* formatDuration */.a3)(wait)}`);
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
    const failure = model_firstFailure(outcome.steps);
    return failure ? model_describeFailure(failure) : 'no requests were made';
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
            `${report.assertionCount} assertion(s), p95 latency ${p95}, in ${formatDuration(report.durationMs)}.`,
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
                            error: (0,src/* oneLine */.TN)(error),
                            retryable: (0,src/* errorKind */.f8)(error) === 'transient',
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
                    const { line: _line, ...result } = evaluate_evaluateAssert(a, response, spec.variables, Date.now(), 'assertions');
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









/***/ })

};
