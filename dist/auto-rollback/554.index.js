export const id = 554;
export const ids = [554];
export const modules = {

/***/ 554:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  runSmoke: () => (/* reexport */ runSmoke),
  urlCheck: () => (/* reexport */ urlCheck)
});

// UNUSED EXPORTS: BodyCache, MAX_SPEC_ERRORS, NOT_READY_STATUSES, SpecError, SpecErrors, applyFilters, describeFailure, evaluateAssert, evaluateQuery, failureAnnotations, fileProblems, firstFailure, hurlCheck, junitXml, outcomePassed, parseAssertLines, parseHurl, percentile, renderTemplate, requestHttp2, runHurlFile, statusMatches, stepPassed, summaryMarkdown, templateSource, typedVariable

;// CONCATENATED MODULE: ./packages/probe/src/hurl/ast.ts
/**
 * The Hurl file format (https://hurl.dev/docs/grammar.html). Every node keeps its line (and the
 * column where it matters) so failures point at the spec. The `url` checks of the action reuse the
 * assert nodes.
 */
/** A syntax error in a spec: one line, `file:line:column: what is wrong`. */
class ast_SpecError extends Error {
    location;
    problem;
    file;
    line;
    column;
    constructor(location, problem, file, line, column) {
        super(`${location}: ${problem}`);
        this.location = location;
        this.problem = problem;
        this.file = file;
        this.line = line;
        this.column = column;
        this.name = 'SpecError';
    }
    static at(file, line, column, problem) {
        return new ast_SpecError(`${file}:${line}:${column}`, problem, file, line, column);
    }
}
/** Every syntax error of one file (up to a cap), so a user fixes them all in one go. */
class ast_SpecErrors extends Error {
    errors;
    constructor(errors) {
        super(errors.map((e) => e.message).join('; '));
        this.errors = errors;
        this.name = 'SpecErrors';
    }
}
function templateSource(template) {
    return template.map((p) => ('text' in p ? p.text : `{{${p.expr}}}`)).join('');
}

;// CONCATENATED MODULE: ./packages/probe/src/hurl/parse.ts

/** Enough to fix a file in one go without burying the first error. */
const MAX_SPEC_ERRORS = 20;
const SECTIONS = {
    Query: 'query',
    QueryStringParams: 'query',
    Form: 'form',
    FormParams: 'form',
    Multipart: 'multipart',
    MultipartFormData: 'multipart',
    Cookies: 'cookies',
    BasicAuth: 'basicauth',
    Options: 'options',
    Captures: 'captures',
    Asserts: 'asserts',
};
const RESPONSE_SECTIONS = new Set(['captures', 'asserts']);
/** Hurl's options: what each takes, and which this engine runs. */
const OPTIONS = {
    cacert: 'string',
    cert: 'string',
    key: 'string',
    compressed: 'bool',
    'connect-timeout': 'duration',
    delay: 'duration',
    header: 'string',
    'http1.0': 'bool',
    'http1.1': 'bool',
    http2: 'bool',
    insecure: 'bool',
    location: 'bool',
    'location-trusted': 'bool',
    'max-redirs': 'int',
    'max-time': 'duration',
    output: 'string',
    'path-as-is': 'bool',
    repeat: 'int',
    retry: 'int',
    'retry-interval': 'duration',
    skip: 'bool',
    user: 'string',
    variable: 'variable',
    verbose: 'bool',
    'very-verbose': 'bool',
};
const UNSUPPORTED_OPTIONS = new Set([
    'aws-sigv4',
    'connect-to',
    'digest',
    'http3',
    'ipv4',
    'ipv6',
    'limit-rate',
    'negotiate',
    'netrc',
    'netrc-file',
    'netrc-optional',
    'ntlm',
    'pinnedpubkey',
    'proxy',
    'resolve',
    'unix-socket',
]);
const CERT_FIELDS = (/* unused pure expression or super */ null && (['Subject', 'Issuer', 'Start-Date', 'Expire-Date', 'Serial-Number']));
const SIMPLE_QUERIES = (/* unused pure expression or super */ null && (['status', 'version', 'url', 'ip', 'body', 'bytes', 'duration', 'sha256', 'md5', 'redirects']));
const SIMPLE_FILTERS = new Set([
    'base64Decode',
    'base64Encode',
    'base64UrlSafeDecode',
    'base64UrlSafeEncode',
    'count',
    'daysAfterNow',
    'daysBeforeNow',
    'first',
    'htmlEscape',
    'htmlUnescape',
    'last',
    'location',
    'toFloat',
    'toHex',
    'toInt',
    'toString',
    'urlDecode',
    'urlEncode',
    'utf8Decode',
    'utf8Encode',
]);
const ONE_ARG_FILTERS = new Set([
    'toDate',
    'format',
    'dateFormat',
    'decode',
    'charsetDecode',
    'urlQueryParam',
    'split',
]);
/** Hurl 7 names of older filters. */
const FILTER_ALIASES = { dateFormat: 'format', charsetDecode: 'decode' };
const PREDICATE_WORDS = {
    '==': '==',
    equals: '==',
    '!=': '!=',
    notEquals: '!=',
    '>': '>',
    greaterThan: '>',
    '>=': '>=',
    greaterThanOrEquals: '>=',
    '<': '<',
    lessThan: '<',
    '<=': '<=',
    lessThanOrEquals: '<=',
    contains: 'contains',
    includes: 'includes',
    startsWith: 'startsWith',
    endsWith: 'endsWith',
    matches: 'matches',
    exists: 'exists',
    exist: 'exists',
    isBoolean: 'isBoolean',
    isCollection: 'isCollection',
    isDate: 'isDate',
    isEmpty: 'isEmpty',
    isFloat: 'isFloat',
    isInteger: 'isInteger',
    isIpv4: 'isIpv4',
    isIpv6: 'isIpv6',
    isIsoDate: 'isIsoDate',
    isList: 'isList',
    isNumber: 'isNumber',
    isObject: 'isObject',
    isString: 'isString',
    isUuid: 'isUuid',
};
const UNARY = new Set([
    'exists',
    'isBoolean',
    'isCollection',
    'isDate',
    'isEmpty',
    'isFloat',
    'isInteger',
    'isIpv4',
    'isIpv6',
    'isIsoDate',
    'isList',
    'isNumber',
    'isObject',
    'isString',
    'isUuid',
]);
const REQUEST_LINE = /^\s*([A-Z]+)\s+\S/;
const RESPONSE_LINE = /^\s*HTTP(\/\S*)?\s/;
const SECTION_LINE = /^\s*\[([A-Za-z]+)\]\s*(#.*)?$/;
/** Parses a Hurl file; throws SpecErrors with every syntax error found (up to MAX_SPEC_ERRORS). */
function parseHurl(text, path) {
    const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
    const p = new Parser(lines, path);
    const entries = [];
    for (p.skipBlank(); !p.done() && p.errors.length < MAX_SPEC_ERRORS; p.skipBlank()) {
        try {
            entries.push(p.entry());
        }
        catch (error) {
            if (!(error instanceof SpecError))
                throw error;
            p.errors.push(error);
            p.recover();
        }
    }
    if (p.errors.length)
        throw new SpecErrors(p.errors.slice(0, MAX_SPEC_ERRORS));
    return { path, entries };
}
/**
 * Parses assertion lines on their own (the action's `assertions` input), e.g.
 * `jsonpath "$.status" == "ok"`; `source` names where they came from in errors.
 */
function parseAssertLines(text, source) {
    const lines = text.split(/\r?\n/);
    const out = [];
    lines.forEach((line, i) => {
        if (!line.trim() || line.trim().startsWith('#'))
            return;
        try {
            out.push(parseAssert(new Scan(line, i + 1, source, () => undefined)));
        }
        catch (error) {
            // Input lines have no file: "line N" reads better than "assertions:N:col".
            if (error instanceof SpecError)
                throw new SpecError(`line ${i + 1}`, error.problem);
            throw error;
        }
    });
    return out;
}
class Parser {
    lines;
    file;
    i = 0;
    errors = [];
    constructor(lines, file) {
        this.lines = lines;
        this.file = file;
    }
    done() {
        return this.i >= this.lines.length;
    }
    text() {
        return this.lines[this.i] ?? '';
    }
    isBlank(line) {
        const t = line.trim();
        return t === '' || t.startsWith('#');
    }
    skipBlank() {
        while (!this.done() && this.isBlank(this.text()))
            this.i++;
    }
    scan() {
        const n = this.i;
        return new Scan(this.text(), n + 1, this.file, () => this.lines[++this.i]);
    }
    error(column, problem) {
        return SpecError.at(this.file, this.i + 1, column, problem);
    }
    /** After an error: go on at the next request line, so every entry's errors are reported. */
    recover() {
        this.i++;
        while (!this.done() && !(REQUEST_LINE.test(this.text()) && !looksLikeKeyValue(this.text())))
            this.i++;
    }
    /** Runs one line's parser; its error is recorded and the line skipped, so parsing goes on. */
    soft(fn) {
        try {
            fn();
        }
        catch (error) {
            if (!(error instanceof SpecError))
                throw error;
            this.errors.push(error);
        }
        this.i++;
    }
    entry() {
        const line = this.i + 1;
        const request = this.request();
        this.skipBlank();
        const response = !this.done() && RESPONSE_LINE.test(this.text()) ? this.response() : undefined;
        return { line, request, response };
    }
    request() {
        const s = this.scan();
        s.spaces();
        const method = /^[A-Z]+/.exec(s.rest())?.[0];
        if (!method || !/^\s/.test(s.rest().slice(method.length)) || RESPONSE_LINE.test(s.text)) {
            throw s.error(RESPONSE_LINE.test(s.text)
                ? 'a response line (HTTP <status>) needs a request line before it'
                : `expected a request line such as 'GET https://host/path', got '${s.text.trim()}'`);
        }
        s.pos += method.length;
        s.spaces();
        const urlColumn = s.pos + 1;
        const url = readTemplate(s, (ch) => /\s/.test(ch), '');
        const first = url[0];
        if (first && 'text' in first && !/^https?:\/\//i.test(first.text)) {
            throw s.error(`'${first.text}' is not an http:// or https:// URL`, urlColumn);
        }
        s.endOfLine();
        this.i++;
        const request = {
            line: s.line,
            method,
            url,
            headers: this.headers(),
            queryParams: [],
            formParams: [],
            multipart: [],
            cookies: [],
            options: [],
        };
        for (let section = this.section(); section; section = this.section()) {
            if (RESPONSE_SECTIONS.has(section.kind)) {
                throw this.error(section.column, `[${section.name}] belongs after the response line (HTTP <status>)`);
            }
            this.i++;
            this.items(false, () => {
                const s = this.scan();
                switch (section.kind) {
                    case 'query':
                        request.queryParams.push(keyValue(s));
                        break;
                    case 'form':
                        request.formParams.push(keyValue(s));
                        break;
                    case 'cookies':
                        request.cookies.push(keyValue(s));
                        break;
                    case 'basicauth':
                        if (request.basicAuth)
                            throw s.error('[BasicAuth] takes exactly one `user: password` line');
                        request.basicAuth = keyValue(s);
                        break;
                    case 'multipart':
                        request.multipart.push(multipartPart(s));
                        break;
                    case 'options':
                        request.options.push(parse_option(s));
                        break;
                }
            });
        }
        request.body = this.body();
        return request;
    }
    response() {
        const s = this.scan();
        s.spaces();
        const m = /^(HTTP(?:\/1\.0|\/1\.1|\/2|\/3|\/\*)?)\s+(\*|\d+)/.exec(s.rest());
        if (!m) {
            throw s.error(`expected 'HTTP <status>' with version HTTP, HTTP/1.0, HTTP/1.1, HTTP/2 or HTTP/3 (e.g. HTTP 200, HTTP/2 200, HTTP *), got '${s.text.trim()}'`);
        }
        s.pos += m[0].length;
        s.endOfLine();
        this.i++;
        const response = {
            line: s.line,
            version: (m[1] === 'HTTP/*' ? 'HTTP' : m[1]),
            status: m[2] === '*' ? undefined : Number(m[2]),
            headers: this.headers(),
            captures: [],
            asserts: [],
        };
        for (let section = this.section(); section; section = this.section()) {
            if (!RESPONSE_SECTIONS.has(section.kind)) {
                throw this.error(section.column, `[${section.name}] belongs to the request, before the response line`);
            }
            this.i++;
            this.items(true, () => {
                const s = this.scan();
                if (section.kind === 'captures')
                    response.captures.push(parseCapture(s));
                else
                    response.asserts.push(parseAssert(s));
            });
        }
        response.body = this.body();
        return response;
    }
    headers() {
        const out = [];
        for (;;) {
            this.skipBlank();
            const line = this.text();
            if (this.done() || SECTION_LINE.test(line) || RESPONSE_LINE.test(line) || !looksLikeKeyValue(line))
                return out;
            this.soft(() => out.push(keyValue(this.scan())));
        }
    }
    section() {
        this.skipBlank();
        const m = SECTION_LINE.exec(this.text());
        if (!m)
            return undefined;
        const column = this.text().indexOf('[') + 1;
        const kind = SECTIONS[m[1]];
        if (!kind) {
            throw this.error(column, `unknown section [${m[1]}]; Hurl's sections are ${Object.keys(SECTIONS)
                .map((k) => `[${k}]`)
                .join(', ')}`);
        }
        return { name: m[1], kind, column };
    }
    /** Section items up to the next section, body, request or response line. */
    items(response, item) {
        for (;;) {
            this.skipBlank();
            if (this.done())
                return;
            const line = this.text();
            if (SECTION_LINE.test(line) || RESPONSE_LINE.test(line))
                return;
            if (REQUEST_LINE.test(line) && !looksLikeKeyValue(line))
                return;
            if (isBodyStart(line) && (response || !looksLikeKeyValue(line)))
                return;
            this.soft(item);
        }
    }
    body() {
        this.skipBlank();
        if (this.done())
            return undefined;
        const line = this.text();
        if (!isBodyStart(line)) {
            if (REQUEST_LINE.test(line) || RESPONSE_LINE.test(line))
                return undefined;
            throw this.error(line.length - line.trimStart().length + 1, `expected a header, a section, a body or 'HTTP <status>', got '${line.trim()}'`);
        }
        const s = this.scan();
        s.spaces();
        const start = s.line;
        const rest = s.rest();
        let body;
        if (rest.startsWith('```'))
            body = multiline(s, start);
        else if (rest.startsWith('`')) {
            s.pos++;
            body = { kind: 'text', line: start, template: readTemplate(s, (ch) => ch === '`', '`') };
            s.expect('`', 'a one-line string is closed with `');
            s.endOfLine();
        }
        else if (/^(base64|hex|file),/.test(rest)) {
            const literal = encodedLiteral(s);
            s.endOfLine();
            body =
                literal.kind === 'file'
                    ? { kind: 'file', line: start, path: literal.path }
                    : { kind: 'bytes', line: start, bytes: literal.bytes };
        }
        else if (rest.startsWith('<'))
            body = { kind: 'xml', line: start, template: this.xml(s) };
        else
            body = { kind: 'json', line: start, template: this.json(s) };
        this.i++;
        return body;
    }
    /** A JSON body: lines until the value is complete, templates kept for run time. */
    json(s) {
        const startLine = this.i;
        const parts = [s.rest()];
        while (!jsonComplete(parts.join('\n'))) {
            if (this.i + 1 >= this.lines.length) {
                this.i = startLine;
                throw s.error('JSON body is not closed');
            }
            parts.push(this.lines[++this.i]);
        }
        const text = parts.join('\n').trimEnd();
        const template = templateOf(text, startLine + 1, s.pos + 1, this.file);
        // Templates stand for values: check the JSON around them now, not after the requests ran.
        try {
            JSON.parse(template.map((p) => ('text' in p ? p.text : '0')).join(''));
        }
        catch (error) {
            throw SpecError.at(this.file, startLine + 1, s.pos + 1, `invalid JSON body: ${error.message}`);
        }
        return template;
    }
    /** An XML body: up to the end of the root element. */
    xml(s) {
        const startLine = this.i;
        const parts = [s.rest()];
        while (!xmlComplete(parts.join('\n'))) {
            if (this.i + 1 >= this.lines.length) {
                this.i = startLine;
                throw s.error('XML body is not closed');
            }
            parts.push(this.lines[++this.i]);
        }
        return templateOf(parts.join('\n').trimEnd(), startLine + 1, s.pos + 1, this.file);
    }
}
/** A line scanner with Hurl's columns (1-based) for errors. */
class Scan {
    text;
    line;
    file;
    nextLine;
    pos = 0;
    constructor(text, line, file, 
    /** The next line of the file, for values that span lines (``` strings in asserts). */
    nextLine) {
        this.text = text;
        this.line = line;
        this.file = file;
        this.nextLine = nextLine;
    }
    rest() {
        return this.text.slice(this.pos);
    }
    peek(offset = 0) {
        return this.text[this.pos + offset] ?? '';
    }
    atEnd() {
        return this.pos >= this.text.length;
    }
    spaces() {
        const start = this.pos;
        while (this.peek() === ' ' || this.peek() === '\t')
            this.pos++;
        return this.pos - start;
    }
    error(problem, column = this.pos + 1) {
        return SpecError.at(this.file, this.line, column, problem);
    }
    expect(text, problem) {
        if (!this.rest().startsWith(text))
            throw this.error(problem);
        this.pos += text.length;
    }
    /** Spaces, then an optional `# comment`, then the end of the line. */
    endOfLine() {
        this.spaces();
        if (this.atEnd() || this.peek() === '#')
            return;
        throw this.error(`unexpected '${this.rest().trim()}'`);
    }
    /** Needs at least one space (Hurl's `sp sp*` between tokens). */
    space(what) {
        if (!this.spaces() && !this.atEnd())
            throw this.error(`expected a space ${what}`);
    }
    word() {
        const m = /^([=!<>]+|[A-Za-z][A-Za-z0-9-]*)/.exec(this.rest());
        return m?.[0];
    }
    takeWord() {
        const w = this.word();
        if (w)
            this.pos += w.length;
        return w;
    }
}
function isBodyStart(line) {
    const t = line.trimStart();
    if (SECTION_LINE.test(line))
        return false;
    return /^[[{"<`]/.test(t) || /^(base64|hex|file),/.test(t) || /^-?\d/.test(t) || /^(true|false|null)\s*$/.test(t);
}
/** Whether a line is `key: value` (the key may hold templates and escapes). */
function looksLikeKeyValue(line) {
    const s = new Scan(line, 0, '', () => undefined);
    s.spaces();
    try {
        const key = readKey(s);
        if (!key.length)
            return false;
        s.spaces();
        return s.peek() === ':';
    }
    catch {
        return false;
    }
}
const KEY_CHAR = /[A-Za-z0-9_.[\]@$-]/;
function readKey(s) {
    return readTemplate(s, (ch) => !KEY_CHAR.test(ch) && ch !== '\\' && ch !== '{', '#:', true);
}
function keyValue(s) {
    s.spaces();
    const column = s.pos + 1;
    const name = readKey(s);
    if (!name.length)
        throw s.error(`expected 'name: value', got '${s.text.trim()}'`);
    s.spaces();
    s.expect(':', `expected ':' after the name in '${s.text.trim()}'`);
    s.spaces();
    const value = readValue(s);
    s.endOfLine();
    return { line: s.line, column, name, value };
}
/** A value-string: up to an unescaped `#` or the end of the line, trailing spaces dropped. */
function readValue(s) {
    const value = readTemplate(s, (ch) => ch === '#', '#');
    const last = value[value.length - 1];
    if (last && 'text' in last) {
        last.text = last.text.replace(/[ \t]+$/, '');
        if (!last.text)
            value.pop();
    }
    return value;
}
function multipartPart(s) {
    s.spaces();
    const name = readKey(s);
    if (!name.length)
        throw s.error(`expected 'name: value' or 'name: file,path;', got '${s.text.trim()}'`);
    s.spaces();
    s.expect(':', "expected ':' after the part name");
    s.spaces();
    if (s.rest().startsWith('file,')) {
        s.pos += 5;
        s.spaces();
        const path = readTemplate(s, (ch) => ch === ';', ';');
        s.expect(';', "a file part ends with ';' (file,path;)");
        s.spaces();
        const contentType = /^[^\s#]+/.exec(s.rest())?.[0];
        if (contentType)
            s.pos += contentType.length;
        s.endOfLine();
        return { line: s.line, name, value: [], file: { path, contentType } };
    }
    const value = readValue(s);
    s.endOfLine();
    return { line: s.line, name, value };
}
function parse_option(s) {
    const kv = keyValue(s);
    const name = kv.name.map((p) => ('text' in p ? p.text : `{{${p.expr}}}`)).join('');
    const column = kv.column;
    if (UNSUPPORTED_OPTIONS.has(name)) {
        throw s.error(`option '${name}' is unsupported by deploy-actions smoke-test (see docs/actions/smoke-test.md)`, column);
    }
    const type = OPTIONS[name];
    if (!type)
        throw s.error(`unknown option '${name}'; Hurl options: ${Object.keys(OPTIONS).join(', ')}`, column);
    const constant = kv.value.every((p) => 'text' in p)
        ? kv.value.map((p) => p.text).join('')
        : undefined;
    let value = { kind: 'string', template: kv.value };
    if (constant !== undefined) {
        if (type === 'bool') {
            if (constant !== 'true' && constant !== 'false')
                throw s.error(`option '${name}' takes true or false, got '${constant}'`, column);
            value = { kind: 'boolean', value: constant === 'true' };
        }
        else if (type === 'int') {
            if (!/^-?\d+$/.test(constant))
                throw s.error(`option '${name}' takes a whole number, got '${constant}'`, column);
            value = { kind: 'integer', value: BigInt(constant) };
        }
        else if (type === 'duration') {
            if (parse_parseDurationMs(constant) === undefined) {
                throw s.error(`option '${name}' takes a duration (e.g. 500, 500ms, 2s, 1m), got '${constant}'`, column);
            }
        }
        else if (type === 'variable' && !/^[A-Za-z_][A-Za-z0-9_-]*=/.test(constant)) {
            throw s.error(`option 'variable' takes name=value, got '${constant}'`, column);
        }
    }
    return { line: s.line, column, name, value };
}
/** Hurl durations: a bare number is milliseconds (ms, s and m units allowed). */
function parse_parseDurationMs(text, defaultUnit = 'ms') {
    const m = /^(\d+)(ms|s|m)?$/.exec(text.trim());
    if (!m)
        return undefined;
    const unit = m[2] ?? defaultUnit;
    return Number(m[1]) * (unit === 'ms' ? 1 : unit === 's' ? 1000 : 60_000);
}
/**
 * Reads text with escapes (common ones plus those in `extraEscapes`) and `{{expr}}` placeholders
 * until `stop` says so. `keyMode` stops at a single `{` (only `{{` starts a template in a key).
 */
function readTemplate(s, stop, extraEscapes, keyMode = false) {
    const parts = [];
    let text = '';
    while (!s.atEnd()) {
        const ch = s.peek();
        if (ch === '{' && s.peek(1) === '{') {
            if (text)
                parts.push({ text });
            text = '';
            parts.push(placeholder(s));
            continue;
        }
        if (keyMode && ch === '{')
            break;
        if (ch === '\\') {
            text += parse_escape(s, extraEscapes);
            continue;
        }
        if (stop(ch))
            break;
        text += ch;
        s.pos++;
    }
    if (text)
        parts.push({ text });
    return parts;
}
const COMMON_ESCAPES = { '\\': '\\', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
function parse_escape(s, extra) {
    const column = s.pos + 1;
    const ch = s.peek(1);
    if (ch === 'u') {
        const m = /^\\u\{([0-9A-Fa-f]{1,8})\}/.exec(s.rest());
        if (!m)
            throw s.error('invalid unicode escape: write \\u{hex digits}, e.g. \\u{2708}', column);
        const code = parseInt(m[1], 16);
        if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) {
            throw s.error(`invalid unicode escape \\u{${m[1]}}: not a Unicode scalar value`, column);
        }
        s.pos += m[0].length;
        return String.fromCodePoint(code);
    }
    if (ch && ch in COMMON_ESCAPES) {
        s.pos += 2;
        return COMMON_ESCAPES[ch];
    }
    if (ch && extra.includes(ch)) {
        s.pos += 2;
        return ch;
    }
    const allowed = ['\\\\', '\\b', '\\f', '\\n', '\\r', '\\t', '\\u{…}', ...[...extra].map((c) => `\\${c}`)];
    throw s.error(`invalid escape '\\${ch}'; allowed here: ${allowed.join(' ')}`, column);
}
function placeholder(s) {
    const column = s.pos + 1;
    const end = s.text.indexOf('}}', s.pos + 2);
    if (end < 0)
        throw s.error('placeholder is not closed with }}', column);
    const expr = s.text.slice(s.pos + 2, end).trim();
    if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(expr)) {
        throw s.error(`unsupported placeholder '{{${expr}}}': deploy-actions supports {{variable}}, {{newUuid}} and {{newDate}}`, column);
    }
    s.pos = end + 2;
    return { expr, line: s.line, column };
}
/** Splits raw text (a JSON or XML body) into text and placeholders, without escapes. */
function templateOf(text, line, column, file) {
    const parts = [];
    let last = 0;
    for (const m of text.matchAll(/\{\{([^{}]*)\}\}/g)) {
        const expr = m[1].trim();
        const before = text.slice(0, m.index);
        const l = line + (before.match(/\n/g)?.length ?? 0);
        const c = before.includes('\n') ? m.index - before.lastIndexOf('\n') : column + m.index;
        if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(expr)) {
            throw SpecError.at(file, l, c, `unsupported placeholder '{{${expr}}}': deploy-actions supports {{variable}}, {{newUuid}} and {{newDate}}`);
        }
        if (m.index > last)
            parts.push({ text: text.slice(last, m.index) });
        parts.push({ expr, line: l, column: c });
        last = m.index + m[0].length;
    }
    if (last < text.length)
        parts.push({ text: text.slice(last) });
    return parts;
}
/** True once brackets outside strings balance (a template counts as a value). */
function jsonComplete(text) {
    let depth = 0;
    let inString = false;
    let started = false;
    for (let i = 0; i < text.length; i++) {
        const ch = text[i];
        if (inString) {
            if (ch === '\\')
                i++;
            else if (ch === '"')
                inString = false;
            continue;
        }
        if (ch === '{' && text[i + 1] === '{') {
            const end = text.indexOf('}}', i);
            if (end < 0)
                return false;
            i = end + 1;
            started = true;
            continue;
        }
        if (ch === '"') {
            inString = true;
            started = true;
        }
        else if (ch === '{' || ch === '[') {
            depth++;
            started = true;
        }
        else if (ch === '}' || ch === ']')
            depth--;
        else if (!/\s/.test(ch))
            started = true;
    }
    return started && depth <= 0 && !inString;
}
function xmlComplete(text) {
    const body = text
        .replace(/<\?[\s\S]*?\?>/g, '')
        .replace(/<!--[\s\S]*?-->/g, '')
        .replace(/<!\[CDATA\[[\s\S]*?\]\]>/g, '')
        .replace(/<![^>]*>/g, '');
    let depth = 0;
    for (const m of body.matchAll(/<(\/?)[^>]*?(\/?)>/g)) {
        if (m[1])
            depth--;
        else if (!m[2])
            depth++;
        if (depth === 0)
            return true;
    }
    return false;
}
/** ```lang,attributes ... ``` : a multiline string (JSON, XML, GraphQL, base64, hex or text). */
function multiline(s, line) {
    s.pos += 3;
    // ```text``` on one line.
    const close = s.rest().indexOf('```');
    if (close >= 0) {
        const text = s.rest().slice(0, close);
        s.pos += close + 3;
        s.endOfLine();
        return { kind: 'text', line, template: templateOf(text, line, s.pos - close - 2, s.file) };
    }
    const header = /^([A-Za-z0-9]*)((?:,\s*[a-z]+)*)/.exec(s.rest());
    const lang = header[1];
    const attributes = header[2]
        .split(',')
        .map((a) => a.trim())
        .filter(Boolean);
    if (!['', 'json', 'xml', 'graphql', 'base64', 'hex'].includes(lang)) {
        throw s.error(`unknown multiline string type '${lang}'; Hurl's are json, xml, graphql, base64 and hex`);
    }
    for (const a of attributes)
        if (a !== 'escape' && a !== 'novariable')
            throw s.error(`unknown multiline string attribute '${a}'`);
    s.pos += header[0].length;
    s.endOfLine();
    const lines = [];
    for (;;) {
        const next = s.nextLine();
        if (next === undefined)
            throw SpecError.at(s.file, line, 1, 'multiline string is not closed with ```');
        if (next.trim() === '```')
            break;
        lines.push(next);
    }
    const raw = lines.map((l) => `${l}\n`).join('');
    if (lang === 'base64' || lang === 'hex') {
        const compact = raw.replace(/\s+/g, '');
        const ok = lang === 'hex' ? /^([0-9A-Fa-f]{2})*$/.test(compact) : /^[A-Za-z0-9+/]*={0,2}$/.test(compact);
        if (!ok)
            throw SpecError.at(s.file, line, 1, `invalid ${lang} in multiline string`);
        return { kind: 'bytes', line, bytes: Buffer.from(compact, lang) };
    }
    let text = raw;
    if (attributes.includes('escape')) {
        const scan = new Scan(raw, line, s.file, () => undefined);
        text = readTemplate(scan, () => false, '`')
            .map((p) => ('text' in p ? p.text : `{{${p.expr}}}`))
            .join('');
    }
    const template = attributes.includes('novariable') ? [{ text }] : templateOf(text, line + 1, 1, s.file);
    if (lang === 'graphql')
        return { kind: 'json', line, template: graphqlBody(template) };
    if (lang === 'json')
        return { kind: 'json', line, template };
    return { kind: lang === 'xml' ? 'xml' : 'text', line, template };
}
/** A GraphQL query becomes the JSON body `{"query": ..., "variables": ...}` as Hurl sends it. */
function graphqlBody(template) {
    const source = template.map((p) => ('text' in p ? p.text : `{{${p.expr}}}`)).join('');
    const m = /\n\s*variables\s*(\{[\s\S]*\})\s*$/.exec(`\n${source}`);
    // Offsets in `source` (the match ran on it with one newline in front).
    const queryEnd = m ? Math.max(0, m.index - 1) : source.length;
    const varsStart = m ? m.index + m[0].lastIndexOf(m[1]) - 1 : source.length;
    const varsEnd = m ? varsStart + m[1].length : source.length;
    const query = [];
    const variables = [];
    let offset = 0;
    for (const part of template) {
        const length = 'text' in part ? part.text.length : `{{${part.expr}}}`.length;
        if ('expr' in part) {
            // Placeholders in the query sit in a JSON string and are escaped for it when rendered.
            if (offset < queryEnd)
                query.push(part);
            else if (offset >= varsStart && offset < varsEnd)
                variables.push(part);
        }
        else {
            const inQuery = part.text.slice(0, Math.max(0, queryEnd - offset));
            if (inQuery)
                query.push({ text: JSON.stringify(inQuery).slice(1, -1) });
            const from = Math.max(0, varsStart - offset);
            const inVars = part.text.slice(from, Math.max(from, varsEnd - offset));
            if (inVars)
                variables.push({ text: inVars });
        }
        offset += length;
    }
    return [
        { text: '{"query":"' },
        ...query,
        { text: '"' },
        ...(m ? [{ text: ',"variables":' }, ...variables] : []),
        { text: '}' },
    ];
}
/** base64,...; hex,...; file,...; */
function encodedLiteral(s) {
    const column = s.pos + 1;
    const kind = /^(base64|hex|file),/.exec(s.rest())[1];
    s.pos += kind.length + 1;
    s.spaces();
    if (kind === 'file') {
        const path = readTemplate(s, (ch) => ch === ';', ';');
        s.expect(';', "file,path; ends with ';'");
        return { kind: 'file', path };
    }
    const end = s.text.indexOf(';', s.pos);
    if (end < 0)
        throw s.error(`${kind},...; ends with ';'`, column);
    const data = s.text.slice(s.pos, end).replace(/\s+/g, '');
    const ok = kind === 'hex' ? /^([0-9A-Fa-f]{2})*$/.test(data) : /^[A-Za-z0-9+/]*={0,2}$/.test(data);
    if (!ok)
        throw s.error(`invalid ${kind} data`, column);
    s.pos = end + 1;
    return { kind: 'bytes', bytes: Buffer.from(data, kind === 'hex' ? 'hex' : 'base64') };
}
function quoted(s, what) {
    if (s.peek() !== '"')
        throw s.error(`${what} needs a "quoted string"`);
    s.pos++;
    const t = readTemplate(s, (ch) => ch === '"', '"');
    s.expect('"', 'string is not closed with "');
    return t;
}
function constantText(t) {
    return t.every((p) => 'text' in p) ? t.map((p) => p.text).join('') : undefined;
}
/** /regex/ (Hurl's regex literal) or "pattern". */
function regexOrTemplate(s, what) {
    if (s.peek() === '/')
        return regexLiteral(s);
    const column = s.pos + 1;
    const t = quoted(s, what);
    const text = constantText(t);
    return text === undefined ? t : compileRegex(text, s, column);
}
function regexLiteral(s) {
    const column = s.pos + 1;
    s.pos++;
    let pattern = '';
    while (!s.atEnd() && s.peek() !== '/') {
        if (s.peek() === '\\' && s.peek(1) === '/') {
            pattern += '/';
            s.pos += 2;
        }
        else if (s.peek() === '\\') {
            pattern += s.peek() + s.peek(1);
            s.pos += 2;
        }
        else {
            pattern += s.peek();
            s.pos++;
        }
    }
    if (s.peek() !== '/')
        throw s.error('regex is not closed with /', column);
    s.pos++;
    return compileRegex(pattern, s, column);
}
/** Hurl's regexes are Rust's: leading inline flags like (?i) become JavaScript flags. */
function compileRegex(pattern, s, column) {
    let body = pattern;
    let flags = 'u';
    const m = /^\(\?([imsx]+)\)/.exec(body);
    if (m) {
        if (m[1].includes('x')) {
            if (s)
                throw s.error('regex flag (?x) is unsupported', column);
            throw new Error('regex flag (?x) is unsupported');
        }
        flags += m[1];
        body = body.slice(m[0].length);
    }
    try {
        return new RegExp(body, flags);
    }
    catch (error) {
        try {
            return new RegExp(body, flags.replace('u', ''));
        }
        catch {
            const problem = `invalid regex /${pattern}/: ${error.message}`;
            if (s)
                throw s.error(problem, column);
            throw new Error(problem);
        }
    }
}
function parseQuery(s) {
    s.spaces();
    const column = s.pos + 1;
    const w = s.takeWord();
    if (w && SIMPLE_QUERIES.includes(w))
        return { kind: w };
    const arg = () => {
        s.space(`after '${w}'`);
        return quoted(s, w);
    };
    switch (w) {
        case 'header':
            return { kind: 'header', name: arg() };
        case 'cookie': {
            const t = arg();
            const text = constantText(t);
            const m = text && /^(.*)\[([A-Za-z-]+)\]$/.exec(text);
            if (m) {
                const attrs = ['Value', 'Expires', 'Max-Age', 'Domain', 'Path', 'Secure', 'HttpOnly', 'SameSite'];
                if (!attrs.includes(m[2]))
                    throw s.error(`unknown cookie attribute '${m[2]}'; one of ${attrs.join(', ')}`, column);
                return { kind: 'cookie', name: [{ text: m[1] }], attribute: m[2] };
            }
            return { kind: 'cookie', name: t };
        }
        case 'jsonpath':
        case 'xpath': {
            const expr = arg();
            const text = constantText(expr);
            if (w === 'jsonpath' && text !== undefined && !text.startsWith('$')) {
                throw s.error(`a JSONPath expression starts with $, got '${text}'`, column);
            }
            return { kind: w, expr };
        }
        case 'certificate': {
            const field = constantText(arg()) ?? '';
            if (!CERT_FIELDS.includes(field)) {
                throw s.error(`certificate field '${field}' is not one of ${CERT_FIELDS.join(', ')}`, column);
            }
            return { kind: 'certificate', field: field };
        }
        case 'regex':
            s.space("after 'regex'");
            return { kind: 'regex', pattern: regexOrTemplate(s, 'regex') };
        case 'variable':
            return { kind: 'variable', name: arg() };
        default:
            throw s.error(`unknown query '${w ?? s.rest().split(/\s/)[0]}'; Hurl's queries: ${[...SIMPLE_QUERIES, 'header', 'cookie', 'jsonpath', 'xpath', 'certificate', 'regex', 'variable'].join(', ')}`, column);
    }
}
function isFilterWord(w) {
    return (!!w &&
        (SIMPLE_FILTERS.has(w) ||
            ONE_ARG_FILTERS.has(w) ||
            ['nth', 'regex', 'jsonpath', 'xpath', 'replace', 'replaceRegex'].includes(w)));
}
function parseFilters(s) {
    const filters = [];
    for (;;) {
        const save = s.pos;
        if (!s.spaces())
            return filters;
        const column = s.pos + 1;
        const w = s.word();
        if (!isFilterWord(w)) {
            s.pos = save;
            return filters;
        }
        s.pos += w.length;
        const arg = () => {
            s.space(`after '${w}'`);
            return quoted(s, w);
        };
        if (SIMPLE_FILTERS.has(w))
            filters.push({ kind: w, column });
        else if (w === 'nth') {
            s.space("after 'nth'");
            const m = /^-?\d+/.exec(s.rest());
            if (!m)
                throw s.error('nth needs a whole number');
            s.pos += m[0].length;
            filters.push({ kind: 'nth', index: BigInt(m[0]), column });
        }
        else if (w === 'regex') {
            s.space("after 'regex'");
            filters.push({ kind: 'regex', pattern: regexOrTemplate(s, 'regex'), column });
        }
        else if (w === 'jsonpath' || w === 'xpath')
            filters.push({ kind: w, expr: arg(), column });
        else if (w === 'replace' || w === 'replaceRegex') {
            s.space(`after '${w}'`);
            if (w === 'replaceRegex' || s.peek() === '/') {
                const pattern = regexOrTemplate(s, w);
                const replacement = arg();
                filters.push({ kind: 'replaceRegex', pattern, replacement, column });
            }
            else {
                const old = quoted(s, w);
                filters.push({ kind: 'replace', old, replacement: arg(), column });
            }
        }
        else if (w === 'split')
            filters.push({ kind: 'split', separator: arg(), column });
        else
            filters.push({ kind: (FILTER_ALIASES[w] ?? w), arg: arg(), column });
    }
}
function parseLiteral(s) {
    const rest = s.rest();
    if (rest.startsWith('"'))
        return { kind: 'string', template: quoted(s, 'value') };
    if (rest.startsWith('```')) {
        const body = multiline(s, s.line);
        if (body.kind === 'bytes')
            return { kind: 'bytes', bytes: body.bytes };
        if (body.kind === 'file')
            return { kind: 'file', path: body.path };
        return { kind: 'string', template: body.template };
    }
    if (rest.startsWith('`')) {
        s.pos++;
        const template = readTemplate(s, (ch) => ch === '`', '`');
        s.expect('`', 'a one-line string is closed with `');
        return { kind: 'string', template };
    }
    if (rest.startsWith('/'))
        return { kind: 'regex', pattern: regexLiteral(s) };
    if (/^(base64|hex|file),/.test(rest))
        return encodedLiteral(s);
    if (rest.startsWith('{{')) {
        const p = placeholder(s);
        return { kind: 'placeholder', template: [p] };
    }
    const num = /^-?\d+(\.\d+)?([eE][+-]?\d+)?(?![\w.])/.exec(rest);
    if (num) {
        s.pos += num[0].length;
        if (num[1] || num[2])
            return { kind: 'float', value: Number(num[0]) };
        return { kind: 'integer', value: BigInt(num[0]) };
    }
    const w = /^(true|false|null|NaN|Infinity|-Infinity)\b/.exec(rest);
    if (w) {
        s.pos += w[0].length;
        if (w[1] === 'null')
            return { kind: 'null' };
        if (w[1] === 'true' || w[1] === 'false')
            return { kind: 'boolean', value: w[1] === 'true' };
        return { kind: 'float', value: Number(w[1]) };
    }
    throw s.error(`expected a value ("string", number, true, false, null, /regex/, hex,...;, base64,...; or {{variable}}), got '${rest.split(/\s/)[0] ?? ''}'`);
}
function parsePredicate(s) {
    s.spaces();
    let column = s.pos + 1;
    let not = false;
    let w = s.takeWord();
    if (w === 'not') {
        not = true;
        s.space("after 'not'");
        column = s.pos + 1;
        w = s.takeWord();
    }
    const op = w ? PREDICATE_WORDS[w] : undefined;
    if (!op) {
        throw s.error(`unknown predicate '${w ?? s.rest().trim().split(/\s/)[0] ?? ''}'; Hurl's predicates: ${Object.keys(PREDICATE_WORDS).join(', ')} (optionally after not)`, column);
    }
    if (UNARY.has(op))
        return { not, op };
    s.space(`after '${w}'`);
    const valueColumn = s.pos + 1;
    const value = parseLiteral(s);
    if (op === 'matches' && value.kind === 'string') {
        const text = constantText(value.template);
        if (text !== undefined)
            return { not, op, value: { kind: 'regex', pattern: compileRegex(text, s, valueColumn) } };
    }
    if (op === 'matches' && value.kind !== 'regex' && value.kind !== 'string' && value.kind !== 'placeholder') {
        throw s.error('matches needs a "pattern" or /pattern/', valueColumn);
    }
    if (['>', '>=', '<', '<='].includes(op) && ['regex', 'bytes', 'file', 'null', 'boolean'].includes(value.kind)) {
        throw s.error(`${w} needs a number, a string or a date`, valueColumn);
    }
    return { not, op, value };
}
function parseAssert(s) {
    const source = s.text.trim().replace(/\s+#.*$/, '');
    const query = parseQuery(s);
    const filters = parseFilters(s);
    if (!s.spaces() && !s.atEnd())
        throw s.error('expected a space before the predicate');
    if (s.atEnd() || s.peek() === '#')
        throw s.error('missing predicate (e.g. == "value", exists, contains "text")');
    const predicate = parsePredicate(s);
    s.endOfLine();
    return { line: s.line, source, query, filters, predicate };
}
function parseCapture(s) {
    const source = s.text.trim().replace(/\s+#.*$/, '');
    s.spaces();
    const name = constantText(readKey(s));
    if (!name)
        throw s.error(`expected 'name: query', got '${s.text.trim()}'`);
    s.spaces();
    s.expect(':', `expected ':' after the capture name`);
    const query = parseQuery(s);
    const filters = parseFilters(s);
    s.spaces();
    let redact = false;
    if (s.word() === 'redact') {
        s.takeWord();
        redact = true;
    }
    s.endOfLine();
    return { line: s.line, source, name, query, filters, redact };
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
;// CONCATENATED MODULE: ./packages/probe/src/hurl/value.ts
/** An XPath node-set: Hurl compares and counts it by its size. */
class Nodeset {
    size;
    constructor(size) {
        this.size = size;
    }
}
/** One hop of a followed redirect (the `redirects` query). */
class value_Redirect {
    status;
    location;
    constructor(status, location) {
        this.status = status;
        this.location = location;
    }
}
function isObject(v) {
    return (typeof v === 'object' &&
        v !== null &&
        !Array.isArray(v) &&
        !Buffer.isBuffer(v) &&
        !(v instanceof Date) &&
        !(v instanceof RegExp) &&
        !(v instanceof Nodeset) &&
        !(v instanceof value_Redirect));
}
function kindOf(v) {
    if (v === undefined)
        return 'none';
    if (v === null)
        return 'null';
    if (typeof v === 'boolean')
        return 'boolean';
    if (typeof v === 'bigint')
        return 'integer';
    if (typeof v === 'number')
        return 'float';
    if (typeof v === 'string')
        return 'string';
    if (Buffer.isBuffer(v))
        return 'bytes';
    if (v instanceof Date)
        return 'date';
    if (v instanceof RegExp)
        return 'regex';
    if (v instanceof Nodeset)
        return 'nodeset';
    if (v instanceof value_Redirect)
        return 'redirect';
    if (Array.isArray(v))
        return 'list';
    return 'object';
}
function formatFloat(n) {
    if (!Number.isFinite(n))
        return String(n);
    const text = String(n);
    return /[.eE]/.test(text) ? text : `${text}.0`;
}
/** A value as it reads in a report: strings quoted, floats with a decimal point, bytes in hex. */
function value_display(v) {
    if (v === undefined)
        return 'none';
    if (v === null)
        return 'null';
    if (typeof v === 'bigint')
        return v.toString();
    if (typeof v === 'number')
        return formatFloat(v);
    if (typeof v === 'string' || typeof v === 'boolean')
        return clip(JSON.stringify(v));
    if (Buffer.isBuffer(v))
        return `bytes <${clip(v.toString('hex'))}> (${v.length} bytes)`;
    if (v instanceof Date)
        return `date ${v.toISOString()}`;
    if (v instanceof RegExp)
        return `/${v.source}/`;
    if (v instanceof Nodeset)
        return `nodeset of size ${v.size}`;
    if (v instanceof value_Redirect)
        return `redirect ${v.status} to ${v.location}`;
    return clip(JSON.stringify(toJson(v)));
}
function clip(text) {
    return text.length > 200 ? `${text.slice(0, 197)}...` : text;
}
/** Plain JSON for encoding (integers beyond 2^53 lose precision only in this display form). */
function toJson(v) {
    if (typeof v === 'bigint')
        return Number(v);
    if (Array.isArray(v))
        return v.map(toJson);
    if (isObject(v))
        return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toJson(x)]));
    if (Buffer.isBuffer(v))
        return v.toString('base64');
    if (v instanceof Date)
        return v.toISOString();
    if (v instanceof Nodeset)
        return v.size;
    if (v instanceof value_Redirect)
        return v.location;
    if (v instanceof RegExp)
        return v.source;
    return v;
}
/** A value put into a `{{placeholder}}`. Lists, objects and bytes have no text form in Hurl. */
function value_renderValue(v, name) {
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
    throw new Error(`variable '${name}' is ${kindOf(v)} and cannot be rendered as text`);
}
/** Types a `name=value` variable as Hurl does: booleans, null, integers and floats, else a string. */
function value_typedVariable(text) {
    if (text === 'true' || text === 'false')
        return text === 'true';
    if (text === 'null')
        return null;
    if (/^-?\d+$/.test(text))
        return BigInt(text);
    if (/^-?\d+\.\d+$/.test(text))
        return Number(text);
    return text;
}
/** Numbers compare by value whatever their type (Hurl: 1 == 1.0). */
function compareNumbers(a, b) {
    if (typeof a === 'bigint' && typeof b === 'bigint')
        return a < b ? -1 : a > b ? 1 : 0;
    const x = Number(a);
    const y = Number(b);
    return x < y ? -1 : x > y ? 1 : 0;
}
function isNumber(v) {
    return typeof v === 'bigint' || typeof v === 'number';
}
function valuesEqual(a, b) {
    if (isNumber(a) && isNumber(b))
        return compareNumbers(a, b) === 0;
    if (a === null || b === null)
        return a === b;
    if (typeof a !== 'object' || typeof b !== 'object')
        return a === b;
    if (Buffer.isBuffer(a) && Buffer.isBuffer(b))
        return a.equals(b);
    if (a instanceof Date && b instanceof Date)
        return a.getTime() === b.getTime();
    if (Array.isArray(a) && Array.isArray(b))
        return a.length === b.length && a.every((x, i) => valuesEqual(x, b[i]));
    if (isObject(a) && isObject(b)) {
        const keys = Object.keys(a);
        return keys.length === Object.keys(b).length && keys.every((k) => k in b && valuesEqual(a[k], b[k]));
    }
    return false;
}
/**
 * JSON text to Hurl values, keeping integers and floats apart (JSON.parse cannot: `1.0` becomes
 * `1`). Objects are created without a prototype chain to reach, so `__proto__` is a plain key.
 */
function parseJsonTyped(text) {
    let i = 0;
    const fail = (what) => {
        throw new SyntaxError(`${what} at position ${i}`);
    };
    const ws = () => {
        while (i < text.length && (text[i] === ' ' || text[i] === '\n' || text[i] === '\r' || text[i] === '\t'))
            i++;
    };
    const value = () => {
        ws();
        const ch = text[i];
        if (ch === '{') {
            i++;
            const obj = Object.create(null);
            ws();
            if (text[i] === '}') {
                i++;
                return obj;
            }
            for (;;) {
                ws();
                if (text[i] !== '"')
                    fail('expected a string key');
                const key = string();
                ws();
                if (text[i++] !== ':')
                    fail("expected ':'");
                Object.defineProperty(obj, key, { value: value(), enumerable: true, writable: true, configurable: true });
                ws();
                if (text[i] === ',') {
                    i++;
                    continue;
                }
                if (text[i++] !== '}')
                    fail("expected ',' or '}'");
                return obj;
            }
        }
        if (ch === '[') {
            i++;
            const list = [];
            ws();
            if (text[i] === ']') {
                i++;
                return list;
            }
            for (;;) {
                list.push(value());
                ws();
                if (text[i] === ',') {
                    i++;
                    continue;
                }
                if (text[i++] !== ']')
                    fail("expected ',' or ']'");
                return list;
            }
        }
        if (ch === '"')
            return string();
        if (text.startsWith('true', i))
            return ((i += 4), true);
        if (text.startsWith('false', i))
            return ((i += 5), false);
        if (text.startsWith('null', i))
            return ((i += 4), null);
        const m = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
        m.lastIndex = i;
        const num = m.exec(text);
        if (!num)
            return fail('unexpected character');
        i += num[0].length;
        return num[1] || num[2] ? Number(num[0]) : BigInt(num[0]);
    };
    const string = () => {
        const start = i;
        i++;
        for (; i < text.length; i++) {
            if (text[i] === '\\')
                i++;
            else if (text[i] === '"') {
                i++;
                return JSON.parse(text.slice(start, i));
            }
        }
        return fail('unterminated string');
    };
    const result = value();
    ws();
    if (i < text.length)
        fail('unexpected text after the JSON value');
    return result;
}
/** JavaScript JSON (from a JSONPath library) back to Hurl values, by the node's location. */
function atLocation(root, location) {
    let v = root;
    for (const key of location) {
        v = (typeof key === 'number' ? v[key] : v[key]);
    }
    return v;
}

;// CONCATENATED MODULE: ./packages/probe/src/hurl/template.ts



/** The typed value of one placeholder: a variable, or one of Hurl's functions. */
function placeholderValue(part, vars, file) {
    if (Object.prototype.hasOwnProperty.call(vars, part.expr))
        return vars[part.expr];
    if (part.expr === 'newUuid')
        return (0,external_node_crypto_.randomUUID)();
    if (part.expr === 'newDate')
        return new Date();
    const known = Object.keys(vars);
    throw ast_SpecError.at(file, part.line, part.column, `unknown variable '${part.expr}'${known.length ? ` (known: ${known.join(', ')})` : ''}; pass it in \`variables\` or capture it earlier`);
}
/** Fills every placeholder; an unknown variable is an error naming file:line:col. */
function template_render(template, vars, file) {
    let out = '';
    for (const part of template) {
        if ('text' in part)
            out += part.text;
        else
            out += renderPart(part, vars, file);
    }
    return out;
}
function renderPart(part, vars, file) {
    try {
        return value_renderValue(placeholderValue(part, vars, file), part.expr);
    }
    catch (error) {
        if (error instanceof ast_SpecError)
            throw error;
        throw ast_SpecError.at(file, part.line, part.column, error.message);
    }
}
/** A JSON body: a placeholder inside a JSON string is escaped for it; elsewhere it goes in as is. */
function template_renderJson(template, vars, file) {
    let out = '';
    let inString = false;
    for (const part of template) {
        if ('text' in part) {
            for (let i = 0; i < part.text.length; i++) {
                const ch = part.text[i];
                if (inString && ch === '\\')
                    i++;
                else if (ch === '"')
                    inString = !inString;
            }
            out += part.text;
            continue;
        }
        const text = renderPart(part, vars, file);
        out += inString ? JSON.stringify(text).slice(1, -1) : text;
    }
    return out;
}
/** The action's inputs (`url`, `headers`) use the same `{{name}}` placeholders as specs. */
function renderTemplate(text, vars, where) {
    return text.replace(/\{\{\s*([A-Za-z_][\w-]*)\s*\}\}/g, (_m, name) => {
        if (!Object.prototype.hasOwnProperty.call(vars, name)) {
            const known = Object.keys(vars);
            throw new SpecError(where, `unknown variable '${name}'${known.length ? ` (known: ${known.join(', ')})` : ''}; pass it in \`variables\``);
        }
        return renderValue(vars[name], name);
    });
}

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
;// CONCATENATED MODULE: ./packages/probe/src/hurl/files.ts



/**
 * Resolves a path a spec uses (a body or multipart file, an output, a certificate) against the
 * spec's folder, as Hurl does; a path that leaves the workspace is refused.
 */
function files_workspacePath(workspace, specFile, path) {
    const root = realpathSync(workspace);
    const full = resolve(dirname(resolve(root, specFile)), path);
    const real = existsSync(full)
        ? realpathSync(full)
        : resolve(realpathSync(nearestExisting(dirname(full))), basename(full));
    if (real !== root && !real.startsWith(root + sep)) {
        throw new Error(`'${path}' is outside the workspace; spec files may only read and write files inside it`);
    }
    return real;
}
function nearestExisting(path) {
    let p = path;
    while (!existsSync(p) && dirname(p) !== p)
        p = dirname(p);
    return p;
}
function constant(t) {
    return t.every((p) => 'text' in p) ? t.map((p) => p.text).join('') : undefined;
}
/** Paths written as constants that leave the workspace: bad input, found before any request. */
function fileProblems(file, workspace) {
    const problems = [];
    const check = (path, line, column, what) => {
        if (path === undefined)
            return;
        try {
            files_workspacePath(workspace, file.path, path);
        }
        catch (error) {
            problems.push(SpecError.at(file.path, line, column, `${what}: ${error.message}`));
        }
    };
    for (const entry of file.entries) {
        const r = entry.request;
        for (const part of r.multipart)
            if (part.file)
                check(constant(part.file.path), part.line, 1, 'multipart file part');
        if (r.body?.kind === 'file')
            check(constant(r.body.path), r.body.line, 1, 'file body');
        if (entry.response?.body?.kind === 'file')
            check(constant(entry.response.body.path), entry.response.body.line, 1, 'file body');
        for (const o of r.options) {
            if (o.name !== 'output' || o.value.kind !== 'string')
                continue;
            check(constant(o.value.template), o.line, o.column, `option '${o.name}'`);
        }
    }
    return problems;
}

;// CONCATENATED MODULE: ./packages/probe/src/spec.ts
// The spec side of the package (parsing and templates), importable without the HTTP side so an
// action can validate its inputs before loading anything heavy.






// EXTERNAL MODULE: ./packages/core/src/index.ts + 4 modules
var src = __webpack_require__(9417);
// EXTERNAL MODULE: ./node_modules/.pnpm/tough-cookie@6.1.0/node_modules/tough-cookie/dist/index.js
var dist = __webpack_require__(5206);
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
class evaluate_BodyCache {
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
            this.json = { plain: JSON.parse(text), typed: parseJsonTyped(text) };
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
        return new Nodeset(result.length);
    if (typeof result === 'number')
        return result;
    if (typeof result === 'string' || typeof result === 'boolean')
        return result;
    return new Nodeset(result ? 1 : 0);
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
    const values = nodes.map((n) => atLocation(json.typed, n.location));
    if (values.length === 0)
        return undefined;
    return values.length === 1 ? values[0] : values;
}
function jsonOfValue(v) {
    if (typeof v !== 'string')
        throw new EvalError(`jsonpath filter needs a string, got ${kindOf(v)}`);
    try {
        return { plain: JSON.parse(v), typed: parseJsonTyped(v) };
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
    const text = (t) => template_render(t, ctx.vars, ctx.file);
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
                return cookie.secure ? new Nodeset(1) : undefined;
            case 'HttpOnly':
                return cookie.httpOnly ? new Nodeset(1) : undefined;
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
        return compileRegex(template_render(pattern, ctx.vars, ctx.file), undefined, 0);
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
    throw new EvalError(`filter ${filter} needs ${kinds}, got ${kindOf(v)} ${value_display(v)}`);
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
    const text = (t) => template_render(t, ctx.vars, ctx.file);
    switch (f.kind) {
        case 'count':
            if (Array.isArray(v) || Buffer.isBuffer(v))
                return BigInt(v.length);
            if (v instanceof Nodeset)
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
                throw new EvalError(`filter toDate: ${value_display(v)} does not match the format "${text(f.arg)}"`);
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
                throw new EvalError(`filter ${f.kind}: ${value_display(v)} is not valid base64`);
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
                throw new EvalError(`filter urlDecode: ${value_display(v)} is not URL-encoded`);
            }
        case 'urlQueryParam': {
            if (typeof v !== 'string')
                return needs('urlQueryParam', 'a string', v);
            let url;
            try {
                url = new URL(v, 'http://localhost');
            }
            catch {
                throw new EvalError(`filter urlQueryParam: ${value_display(v)} is not a URL`);
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
            if (!(v instanceof value_Redirect))
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
function evaluate_literalValue(literal, ctx) {
    switch (literal.kind) {
        case 'string':
            return template_render(literal.template, ctx.vars, ctx.file);
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
            return ctx.readFile(template_render(literal.path, ctx.vars, ctx.file));
        }
        case 'placeholder': {
            const part = literal.template[0];
            return 'expr' in part ? placeholderValue(part, ctx.vars, ctx.file) : part.text;
        }
    }
}
function compare(a, b) {
    if (isNumber(a) && isNumber(b))
        return compareNumbers(a, b);
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
            return { success: valuesEqual(actual, e) };
        case '!=':
            return { success: !valuesEqual(actual, e) };
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
            return { success: actual.some((item) => valuesEqual(item, e)) };
        case 'matches': {
            if (typeof actual !== 'string')
                return { success: false, mismatch: true };
            const re = e instanceof RegExp ? e : typeof e === 'string' ? compileRegex(e, undefined, 0) : undefined;
            if (!re)
                return { success: false, mismatch: true };
            return { success: re.test(actual) };
        }
        case 'exists':
            return { success: !(actual instanceof Nodeset && actual.size === 0) };
        case 'isInteger':
            return { success: typeof actual === 'bigint' };
        case 'isFloat':
            return { success: typeof actual === 'number' };
        case 'isNumber':
            return { success: isNumber(actual) };
        case 'isBoolean':
            return { success: typeof actual === 'boolean' };
        case 'isString':
            return { success: typeof actual === 'string' };
        case 'isCollection':
            return {
                success: Array.isArray(actual) || Buffer.isBuffer(actual) || actual instanceof Nodeset || isObject(actual),
            };
        case 'isList':
            return { success: Array.isArray(actual) };
        case 'isObject':
            return { success: isObject(actual) };
        case 'isDate':
            return { success: actual instanceof Date };
        case 'isIsoDate':
            if (typeof actual !== 'string')
                return { success: false, mismatch: true };
            return { success: ISO_DATE.test(actual) && !Number.isNaN(Date.parse(actual)) };
        case 'isEmpty':
            if (typeof actual === 'string' || Array.isArray(actual) || Buffer.isBuffer(actual))
                return { success: actual.length === 0 };
            if (actual instanceof Nodeset)
                return { success: actual.size === 0 };
            if (isObject(actual))
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
    const base = p.value === undefined ? p.op : p.op === '==' ? value_display(expected) : `${p.op} ${value_display(expected)}`;
    return p.not ? `not ${base}` : base;
}
/** Evaluates one assert: its query, filters and predicate, with Hurl's "none" and type rules. */
function evaluate_evaluateAssert(a, cache, ctx) {
    const base = { line: a.line, source: a.source };
    let expected;
    let actual;
    try {
        expected = a.predicate.value ? evaluate_literalValue(a.predicate.value, ctx) : undefined;
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
        return { ...base, ok: false, expected: expectedText, actual: value_display(actual), message: error.message };
    }
    const ok = !outcome.mismatch && outcome.success !== a.predicate.not;
    return {
        ...base,
        ok,
        expected: expectedText,
        actual: outcome.mismatch ? `${kindOf(actual)} ${value_display(actual)}` : value_display(actual),
        message: outcome.mismatch
            ? `type mismatch: ${a.predicate.op} cannot compare ${kindOf(actual)} with ${kindOf(expected)}`
            : undefined,
    };
}
/** The status line's version and code, asserted before captures run (as Hurl does). */
function evaluate_statusAsserts(spec, actual) {
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
function evaluate_implicitAsserts(spec, cache, ctx) {
    const out = [];
    for (const h of spec.headers) {
        let name;
        let value;
        try {
            name = render(h.name, ctx.vars, ctx.file);
            value = render(h.value, ctx.vars, ctx.file);
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
            expected: display(value),
            actual: values.length ? display(values.length === 1 ? values[0] : values) : 'no such header',
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
            const expected = renderJson(body.template, ctx.vars, ctx.file);
            const actual = cache.string();
            return { ...base, ok: actual === expected, expected: display(expected), actual: display(actual) };
        }
        if (body.kind === 'text' || body.kind === 'xml') {
            const expected = render(body.template, ctx.vars, ctx.file);
            const actual = cache.string();
            return { ...base, ok: actual === expected, expected: display(expected), actual: display(actual) };
        }
        const expected = body.kind === 'bytes'
            ? body.bytes
            : ctx.readFile
                ? ctx.readFile(render(body.path, ctx.vars, ctx.file))
                : Buffer.alloc(0);
        const actual = cache.bytes();
        return { ...base, ok: actual.equals(expected), expected: display(expected), actual: display(actual) };
    }
    catch (error) {
        return { ...base, ok: false, expected: '?', actual: '?', message: error.message };
    }
}
/** A capture's value; a capture that matches nothing is an error, as in Hurl. */
function evaluate_evaluateCapture(c, cache, ctx) {
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

;// CONCATENATED MODULE: ./packages/probe/src/hurl/run.ts











/** Statuses that mean "not up yet" while waiting for readiness. */
const NOT_READY_STATUSES = new Set([502, 503, 504]);
/** A problem found while running an entry that is the spec's fault: reported with file:line:col. */
function optionError(file, o, problem) {
    return SpecError.at(file, o.line, o.column, problem);
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
            const ms = parseDurationMs(typeof value === 'string' ? value : String(value));
            if (ms === undefined)
                throw optionError(ctx.file, o, `option '${o.name}' takes a duration, got '${String(value)}'`);
            return ms;
        };
        const text = () => renderValue(value, o.name);
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
                vars[v[1]] = typedVariable(v[2]);
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
                if (bool() && /\/\.\.?(\/|$|\?)/.test(render(entry.request.url, vars, ctx.file))) {
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
    const t = (x) => render(x, ctx.vars, ctx.file);
    let url = t(r.url);
    if (!/^https?:\/\//i.test(url)) {
        throw SpecError.at(ctx.file, r.line, 1, `'${url}' is not an http(s) URL`);
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
        const boundary = `----hurl${randomBytes(12).toString('hex')}`;
        const chunks = [];
        for (const part of r.multipart) {
            const name = t(part.name).replace(/"/g, '%22');
            let head = `--${boundary}\r\nContent-Disposition: form-data; name="${name}"`;
            let content;
            if (part.file) {
                const path = t(part.file.path);
                content = readFile(path);
                const type = part.file.contentType ?? MIME[extname(path).toLowerCase()] ?? 'application/octet-stream';
                head += `; filename="${basename(path).replace(/"/g, '%22')}"\r\nContent-Type: ${type}`;
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
            body = renderJson(b.template, ctx.vars, ctx.file);
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
async function run_runHurlFile(file, options) {
    const clock = options.clock ?? systemClock;
    const workspace = options.workspace ?? process.cwd();
    const vars = { ...options.variables };
    const jar = new CookieJar(undefined, { looseMode: true, rejectPublicSuffixes: false, allowSpecialUseDomain: true });
    const readFile = (path) => readFileSync(workspacePath(workspace, file.path, path));
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
                error: oneLine(error),
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
        error: oneLine(error),
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
        const read = (p) => p === undefined ? undefined : readFileSync(resolve(dirname(resolve(workspace, ctx.file)), p));
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
        return fail(error, { retryable: errorKind(error) === 'transient', durationMs: clock.now() - started });
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
            const path = workspacePath(workspace, ctx.file, entryOptions.output);
            mkdirSync(dirname(path), { recursive: true });
            writeFileSync(path, response.body);
        }
        catch (error) {
            step.error = oneLine(error);
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
            step.error = oneLine(error);
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
        return renderValue(value, 'secret');
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
        redirects.push(new Redirect(status, url));
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
        const session = http2.connect(url.origin, {
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
            finish(new TransientError(`${where}: no complete response within ${req.timeoutMs ?? 30_000}ms`));
            session.destroy();
        }, req.timeoutMs ?? 30_000);
        const onAbort = () => {
            finish(new PermanentError(`${where}: aborted`));
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
            const kind = isTransient(error) ? 'transient' : 'permanent';
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
const keep = (text) => text;
/** The job summary: one row per check, failing assertion with expected vs actual. */
function summaryMarkdown(report, title = 'Smoke test', redact = keep) {
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
                    const ctx = { vars: spec.variables, file: 'assertions', now: Date.now() };
                    const { line: _line, ...result } = evaluate_evaluateAssert(a, new evaluate_BodyCache(response), ctx);
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
