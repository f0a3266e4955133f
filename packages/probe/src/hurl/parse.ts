import {
  type Assert,
  type Body,
  type Capture,
  type CertificateField,
  type Entry,
  type Filter,
  type HttpVersion,
  type HurlFile,
  type KeyValue,
  type Literal,
  type MultipartPart,
  type OptionValue,
  type Predicate,
  type PredicateOp,
  type Query,
  type Request,
  type Response,
  SpecError,
  SpecErrors,
  type Template,
  type TemplatePart,
} from './ast';

/** Enough to fix a file in one go without burying the first error. */
export const MAX_SPEC_ERRORS = 20;

const SECTIONS: Record<string, string> = {
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
const OPTIONS: Record<string, 'bool' | 'int' | 'duration' | 'string' | 'variable'> = {
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

const CERT_FIELDS: readonly CertificateField[] = ['Subject', 'Issuer', 'Start-Date', 'Expire-Date', 'Serial-Number'];
const SIMPLE_QUERIES = ['status', 'version', 'url', 'ip', 'body', 'bytes', 'duration', 'sha256', 'md5', 'redirects'];
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
const FILTER_ALIASES: Record<string, string> = { dateFormat: 'format', charsetDecode: 'decode' };
const PREDICATE_WORDS: Record<string, PredicateOp> = {
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
const UNARY = new Set<PredicateOp>([
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
export function parseHurl(text: string, path: string): HurlFile {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const p = new Parser(lines, path);
  const entries: Entry[] = [];
  for (p.skipBlank(); !p.done() && p.errors.length < MAX_SPEC_ERRORS; p.skipBlank()) {
    try {
      entries.push(p.entry());
    } catch (error) {
      if (!(error instanceof SpecError)) throw error;
      p.errors.push(error);
      p.recover();
    }
  }
  if (p.errors.length) throw new SpecErrors(p.errors.slice(0, MAX_SPEC_ERRORS));
  return { path, entries };
}

/**
 * Parses assertion lines on their own (the action's `assertions` input), e.g.
 * `jsonpath "$.status" == "ok"`; `source` names where they came from in errors.
 */
export function parseAssertLines(text: string, source: string): Assert[] {
  const lines = text.split(/\r?\n/);
  const out: Assert[] = [];
  lines.forEach((line, i) => {
    if (!line.trim() || line.trim().startsWith('#')) return;
    try {
      out.push(parseAssert(new Scan(line, i + 1, source, () => undefined)));
    } catch (error) {
      // Input lines have no file: "line N" reads better than "assertions:N:col".
      if (error instanceof SpecError) throw new SpecError(`line ${i + 1}`, error.problem);
      throw error;
    }
  });
  return out;
}

class Parser {
  i = 0;
  errors: SpecError[] = [];
  constructor(
    readonly lines: string[],
    readonly file: string,
  ) {}

  done(): boolean {
    return this.i >= this.lines.length;
  }
  text(): string {
    return this.lines[this.i] ?? '';
  }
  isBlank(line: string): boolean {
    const t = line.trim();
    return t === '' || t.startsWith('#');
  }
  skipBlank(): void {
    while (!this.done() && this.isBlank(this.text())) this.i++;
  }
  scan(): Scan {
    const n = this.i;
    return new Scan(this.text(), n + 1, this.file, () => this.lines[++this.i]);
  }
  error(column: number, problem: string): SpecError {
    return SpecError.at(this.file, this.i + 1, column, problem);
  }
  /** After an error: go on at the next request line, so every entry's errors are reported. */
  recover(): void {
    this.i++;
    while (!this.done() && !(REQUEST_LINE.test(this.text()) && !looksLikeKeyValue(this.text()))) this.i++;
  }
  /** Runs one line's parser; its error is recorded and the line skipped, so parsing goes on. */
  soft(fn: () => void): void {
    try {
      fn();
    } catch (error) {
      if (!(error instanceof SpecError)) throw error;
      this.errors.push(error);
    }
    this.i++;
  }

  entry(): Entry {
    const line = this.i + 1;
    const request = this.request();
    this.skipBlank();
    const response = !this.done() && RESPONSE_LINE.test(this.text()) ? this.response() : undefined;
    return { line, request, response };
  }

  request(): Request {
    const s = this.scan();
    s.spaces();
    const method = /^[A-Z]+/.exec(s.rest())?.[0];
    if (!method || !/^\s/.test(s.rest().slice(method.length)) || RESPONSE_LINE.test(s.text)) {
      throw s.error(
        RESPONSE_LINE.test(s.text)
          ? 'a response line (HTTP <status>) needs a request line before it'
          : `expected a request line such as 'GET https://host/path', got '${s.text.trim()}'`,
      );
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
    const request: Request = {
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
            if (request.basicAuth) throw s.error('[BasicAuth] takes exactly one `user: password` line');
            request.basicAuth = keyValue(s);
            break;
          case 'multipart':
            request.multipart.push(multipartPart(s));
            break;
          case 'options':
            request.options.push(option(s));
            break;
        }
      });
    }
    request.body = this.body();
    return request;
  }

  response(): Response {
    const s = this.scan();
    s.spaces();
    const m = /^(HTTP(?:\/1\.0|\/1\.1|\/2|\/3|\/\*)?)\s+(\*|\d+)/.exec(s.rest());
    if (!m) {
      throw s.error(
        `expected 'HTTP <status>' with version HTTP, HTTP/1.0, HTTP/1.1, HTTP/2 or HTTP/3 (e.g. HTTP 200, HTTP/2 200, HTTP *), got '${s.text.trim()}'`,
      );
    }
    s.pos += m[0].length;
    s.endOfLine();
    this.i++;
    const response: Response = {
      line: s.line,
      version: (m[1] === 'HTTP/*' ? 'HTTP' : m[1]) as HttpVersion,
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
        if (section.kind === 'captures') response.captures.push(parseCapture(s));
        else response.asserts.push(parseAssert(s));
      });
    }
    response.body = this.body();
    return response;
  }

  headers(): KeyValue[] {
    const out: KeyValue[] = [];
    for (;;) {
      this.skipBlank();
      const line = this.text();
      if (this.done() || SECTION_LINE.test(line) || RESPONSE_LINE.test(line) || !looksLikeKeyValue(line)) return out;
      this.soft(() => out.push(keyValue(this.scan())));
    }
  }

  section(): { name: string; kind: string; column: number } | undefined {
    this.skipBlank();
    const m = SECTION_LINE.exec(this.text());
    if (!m) return undefined;
    const column = this.text().indexOf('[') + 1;
    const kind = SECTIONS[m[1]!];
    if (!kind) {
      throw this.error(
        column,
        `unknown section [${m[1]}]; Hurl's sections are ${Object.keys(SECTIONS)
          .map((k) => `[${k}]`)
          .join(', ')}`,
      );
    }
    return { name: m[1]!, kind, column };
  }

  /** Section items up to the next section, body, request or response line. */
  items(response: boolean, item: () => void): void {
    for (;;) {
      this.skipBlank();
      if (this.done()) return;
      const line = this.text();
      if (SECTION_LINE.test(line) || RESPONSE_LINE.test(line)) return;
      if (REQUEST_LINE.test(line) && !looksLikeKeyValue(line)) return;
      if (isBodyStart(line) && (response || !looksLikeKeyValue(line))) return;
      this.soft(item);
    }
  }

  body(): Body | undefined {
    this.skipBlank();
    if (this.done()) return undefined;
    const line = this.text();
    if (!isBodyStart(line)) {
      if (REQUEST_LINE.test(line) || RESPONSE_LINE.test(line)) return undefined;
      throw this.error(
        line.length - line.trimStart().length + 1,
        `expected a header, a section, a body or 'HTTP <status>', got '${line.trim()}'`,
      );
    }
    const s = this.scan();
    s.spaces();
    const start = s.line;
    const rest = s.rest();
    let body: Body;
    if (rest.startsWith('```')) body = multiline(s, start);
    else if (rest.startsWith('`')) {
      s.pos++;
      body = { kind: 'text', line: start, template: readTemplate(s, (ch) => ch === '`', '`') };
      s.expect('`', 'a one-line string is closed with `');
      s.endOfLine();
    } else if (/^(base64|hex|file),/.test(rest)) {
      const literal = encodedLiteral(s);
      s.endOfLine();
      body =
        literal.kind === 'file'
          ? { kind: 'file', line: start, path: literal.path }
          : { kind: 'bytes', line: start, bytes: (literal as { bytes: Buffer }).bytes };
    } else if (rest.startsWith('<')) body = { kind: 'xml', line: start, template: this.xml(s) };
    else body = { kind: 'json', line: start, template: this.json(s) };
    this.i++;
    return body;
  }

  /** A JSON body: lines until the value is complete, templates kept for run time. */
  json(s: Scan): Template {
    const startLine = this.i;
    const parts: string[] = [s.rest()];
    while (!jsonComplete(parts.join('\n'))) {
      if (this.i + 1 >= this.lines.length) {
        this.i = startLine;
        throw s.error('JSON body is not closed');
      }
      parts.push(this.lines[++this.i]!);
    }
    const text = parts.join('\n').trimEnd();
    const template = templateOf(text, startLine + 1, s.pos + 1, this.file);
    // Templates stand for values: check the JSON around them now, not after the requests ran.
    try {
      JSON.parse(template.map((p) => ('text' in p ? p.text : '0')).join(''));
    } catch (error) {
      throw SpecError.at(this.file, startLine + 1, s.pos + 1, `invalid JSON body: ${(error as Error).message}`);
    }
    return template;
  }

  /** An XML body: up to the end of the root element. */
  xml(s: Scan): Template {
    const startLine = this.i;
    const parts: string[] = [s.rest()];
    while (!xmlComplete(parts.join('\n'))) {
      if (this.i + 1 >= this.lines.length) {
        this.i = startLine;
        throw s.error('XML body is not closed');
      }
      parts.push(this.lines[++this.i]!);
    }
    return templateOf(parts.join('\n').trimEnd(), startLine + 1, s.pos + 1, this.file);
  }
}

/** A line scanner with Hurl's columns (1-based) for errors. */
class Scan {
  pos = 0;
  constructor(
    public text: string,
    public line: number,
    readonly file: string,
    /** The next line of the file, for values that span lines (``` strings in asserts). */
    readonly nextLine: () => string | undefined,
  ) {}
  rest(): string {
    return this.text.slice(this.pos);
  }
  peek(offset = 0): string {
    return this.text[this.pos + offset] ?? '';
  }
  atEnd(): boolean {
    return this.pos >= this.text.length;
  }
  spaces(): number {
    const start = this.pos;
    while (this.peek() === ' ' || this.peek() === '\t') this.pos++;
    return this.pos - start;
  }
  error(problem: string, column = this.pos + 1): SpecError {
    return SpecError.at(this.file, this.line, column, problem);
  }
  expect(text: string, problem: string): void {
    if (!this.rest().startsWith(text)) throw this.error(problem);
    this.pos += text.length;
  }
  /** Spaces, then an optional `# comment`, then the end of the line. */
  endOfLine(): void {
    this.spaces();
    if (this.atEnd() || this.peek() === '#') return;
    throw this.error(`unexpected '${this.rest().trim()}'`);
  }
  /** Needs at least one space (Hurl's `sp sp*` between tokens). */
  space(what: string): void {
    if (!this.spaces() && !this.atEnd()) throw this.error(`expected a space ${what}`);
  }
  word(): string | undefined {
    const m = /^([=!<>]+|[A-Za-z][A-Za-z0-9-]*)/.exec(this.rest());
    return m?.[0];
  }
  takeWord(): string | undefined {
    const w = this.word();
    if (w) this.pos += w.length;
    return w;
  }
}

function isBodyStart(line: string): boolean {
  const t = line.trimStart();
  if (SECTION_LINE.test(line)) return false;
  return /^[[{"<`]/.test(t) || /^(base64|hex|file),/.test(t) || /^-?\d/.test(t) || /^(true|false|null)\s*$/.test(t);
}

/** Whether a line is `key: value` (the key may hold templates and escapes). */
function looksLikeKeyValue(line: string): boolean {
  const s = new Scan(line, 0, '', () => undefined);
  s.spaces();
  try {
    const key = readKey(s);
    if (!key.length) return false;
    s.spaces();
    return s.peek() === ':';
  } catch {
    return false;
  }
}

const KEY_CHAR = /[A-Za-z0-9_.[\]@$-]/;

function readKey(s: Scan): Template {
  return readTemplate(s, (ch) => !KEY_CHAR.test(ch) && ch !== '\\' && ch !== '{', '#:', true);
}

function keyValue(s: Scan): KeyValue {
  s.spaces();
  const column = s.pos + 1;
  const name = readKey(s);
  if (!name.length) throw s.error(`expected 'name: value', got '${s.text.trim()}'`);
  s.spaces();
  s.expect(':', `expected ':' after the name in '${s.text.trim()}'`);
  s.spaces();
  const value = readValue(s);
  s.endOfLine();
  return { line: s.line, column, name, value };
}

/** A value-string: up to an unescaped `#` or the end of the line, trailing spaces dropped. */
function readValue(s: Scan): Template {
  const value = readTemplate(s, (ch) => ch === '#', '#');
  const last = value[value.length - 1];
  if (last && 'text' in last) {
    last.text = last.text.replace(/[ \t]+$/, '');
    if (!last.text) value.pop();
  }
  return value;
}

function multipartPart(s: Scan): MultipartPart {
  s.spaces();
  const name = readKey(s);
  if (!name.length) throw s.error(`expected 'name: value' or 'name: file,path;', got '${s.text.trim()}'`);
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
    if (contentType) s.pos += contentType.length;
    s.endOfLine();
    return { line: s.line, name, value: [], file: { path, contentType } };
  }
  const value = readValue(s);
  s.endOfLine();
  return { line: s.line, name, value };
}

function option(s: Scan): OptionValue {
  const kv = keyValue(s);
  const name = kv.name.map((p) => ('text' in p ? p.text : `{{${p.expr}}}`)).join('');
  const column = kv.column;
  if (UNSUPPORTED_OPTIONS.has(name)) {
    throw s.error(
      `option '${name}' is unsupported by deploy-actions smoke-test (see docs/actions/smoke-test.md)`,
      column,
    );
  }
  const type = OPTIONS[name];
  if (!type) throw s.error(`unknown option '${name}'; Hurl options: ${Object.keys(OPTIONS).join(', ')}`, column);
  const constant = kv.value.every((p) => 'text' in p)
    ? kv.value.map((p) => (p as { text: string }).text).join('')
    : undefined;
  let value: Literal = { kind: 'string', template: kv.value };
  if (constant !== undefined) {
    if (type === 'bool') {
      if (constant !== 'true' && constant !== 'false')
        throw s.error(`option '${name}' takes true or false, got '${constant}'`, column);
      value = { kind: 'boolean', value: constant === 'true' };
    } else if (type === 'int') {
      if (!/^-?\d+$/.test(constant)) throw s.error(`option '${name}' takes a whole number, got '${constant}'`, column);
      value = { kind: 'integer', value: BigInt(constant) };
    } else if (type === 'duration') {
      if (parseDurationMs(constant) === undefined) {
        throw s.error(`option '${name}' takes a duration (e.g. 500, 500ms, 2s, 1m), got '${constant}'`, column);
      }
    } else if (type === 'variable' && !/^[A-Za-z_][A-Za-z0-9_-]*=/.test(constant)) {
      throw s.error(`option 'variable' takes name=value, got '${constant}'`, column);
    }
  }
  return { line: s.line, column, name, value };
}

/** Hurl durations: a bare number is milliseconds (ms, s and m units allowed). */
export function parseDurationMs(text: string, defaultUnit: 'ms' | 's' = 'ms'): number | undefined {
  const m = /^(\d+)(ms|s|m)?$/.exec(text.trim());
  if (!m) return undefined;
  const unit = m[2] ?? defaultUnit;
  return Number(m[1]) * (unit === 'ms' ? 1 : unit === 's' ? 1000 : 60_000);
}

/**
 * Reads text with escapes (common ones plus those in `extraEscapes`) and `{{expr}}` placeholders
 * until `stop` says so. `keyMode` stops at a single `{` (only `{{` starts a template in a key).
 */
function readTemplate(s: Scan, stop: (ch: string) => boolean, extraEscapes: string, keyMode = false): Template {
  const parts: TemplatePart[] = [];
  let text = '';
  while (!s.atEnd()) {
    const ch = s.peek();
    if (ch === '{' && s.peek(1) === '{') {
      if (text) parts.push({ text });
      text = '';
      parts.push(placeholder(s));
      continue;
    }
    if (keyMode && ch === '{') break;
    if (ch === '\\') {
      text += escape(s, extraEscapes);
      continue;
    }
    if (stop(ch)) break;
    text += ch;
    s.pos++;
  }
  if (text) parts.push({ text });
  return parts;
}

const COMMON_ESCAPES: Record<string, string> = { '\\': '\\', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

function escape(s: Scan, extra: string): string {
  const column = s.pos + 1;
  const ch = s.peek(1);
  if (ch === 'u') {
    const m = /^\\u\{([0-9A-Fa-f]{1,8})\}/.exec(s.rest());
    if (!m) throw s.error('invalid unicode escape: write \\u{hex digits}, e.g. \\u{2708}', column);
    const code = parseInt(m[1]!, 16);
    if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) {
      throw s.error(`invalid unicode escape \\u{${m[1]}}: not a Unicode scalar value`, column);
    }
    s.pos += m[0].length;
    return String.fromCodePoint(code);
  }
  if (ch && ch in COMMON_ESCAPES) {
    s.pos += 2;
    return COMMON_ESCAPES[ch]!;
  }
  if (ch && extra.includes(ch)) {
    s.pos += 2;
    return ch;
  }
  const allowed = ['\\\\', '\\b', '\\f', '\\n', '\\r', '\\t', '\\u{…}', ...[...extra].map((c) => `\\${c}`)];
  throw s.error(`invalid escape '\\${ch}'; allowed here: ${allowed.join(' ')}`, column);
}

function placeholder(s: Scan): TemplatePart {
  const column = s.pos + 1;
  const end = s.text.indexOf('}}', s.pos + 2);
  if (end < 0) throw s.error('placeholder is not closed with }}', column);
  const expr = s.text.slice(s.pos + 2, end).trim();
  if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(expr)) {
    throw s.error(
      `unsupported placeholder '{{${expr}}}': deploy-actions supports {{variable}}, {{newUuid}} and {{newDate}}`,
      column,
    );
  }
  s.pos = end + 2;
  return { expr, line: s.line, column };
}

/** Splits raw text (a JSON or XML body) into text and placeholders, without escapes. */
function templateOf(text: string, line: number, column: number, file: string): Template {
  const parts: TemplatePart[] = [];
  let last = 0;
  for (const m of text.matchAll(/\{\{([^{}]*)\}\}/g)) {
    const expr = m[1]!.trim();
    const before = text.slice(0, m.index);
    const l = line + (before.match(/\n/g)?.length ?? 0);
    const c = before.includes('\n') ? m.index - before.lastIndexOf('\n') : column + m.index;
    if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(expr)) {
      throw SpecError.at(
        file,
        l,
        c,
        `unsupported placeholder '{{${expr}}}': deploy-actions supports {{variable}}, {{newUuid}} and {{newDate}}`,
      );
    }
    if (m.index > last) parts.push({ text: text.slice(last, m.index) });
    parts.push({ expr, line: l, column: c });
    last = m.index + m[0].length;
  }
  if (last < text.length) parts.push({ text: text.slice(last) });
  return parts;
}

/** True once brackets outside strings balance (a template counts as a value). */
function jsonComplete(text: string): boolean {
  let depth = 0;
  let inString = false;
  let started = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '{' && text[i + 1] === '{') {
      const end = text.indexOf('}}', i);
      if (end < 0) return false;
      i = end + 1;
      started = true;
      continue;
    }
    if (ch === '"') {
      inString = true;
      started = true;
    } else if (ch === '{' || ch === '[') {
      depth++;
      started = true;
    } else if (ch === '}' || ch === ']') depth--;
    else if (!/\s/.test(ch!)) started = true;
  }
  return started && depth <= 0 && !inString;
}

function xmlComplete(text: string): boolean {
  const body = text
    .replace(/<\?[\s\S]*?\?>/g, '')
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<!\[CDATA\[[\s\S]*?\]\]>/g, '')
    .replace(/<![^>]*>/g, '');
  let depth = 0;
  for (const m of body.matchAll(/<(\/?)[^>]*?(\/?)>/g)) {
    if (m[1]) depth--;
    else if (!m[2]) depth++;
    if (depth === 0) return true;
  }
  return false;
}

/** ```lang,attributes ... ``` : a multiline string (JSON, XML, GraphQL, base64, hex or text). */
function multiline(s: Scan, line: number): Body {
  s.pos += 3;
  // ```text``` on one line.
  const close = s.rest().indexOf('```');
  if (close >= 0) {
    const text = s.rest().slice(0, close);
    s.pos += close + 3;
    s.endOfLine();
    return { kind: 'text', line, template: templateOf(text, line, s.pos - close - 2, s.file) };
  }
  const header = /^([A-Za-z0-9]*)((?:,\s*[a-z]+)*)/.exec(s.rest())!;
  const lang = header[1]!;
  const attributes = header[2]!
    .split(',')
    .map((a) => a.trim())
    .filter(Boolean);
  if (!['', 'json', 'xml', 'graphql', 'base64', 'hex'].includes(lang)) {
    throw s.error(`unknown multiline string type '${lang}'; Hurl's are json, xml, graphql, base64 and hex`);
  }
  for (const a of attributes)
    if (a !== 'escape' && a !== 'novariable') throw s.error(`unknown multiline string attribute '${a}'`);
  s.pos += header[0].length;
  s.endOfLine();
  const lines: string[] = [];
  for (;;) {
    const next = s.nextLine();
    if (next === undefined) throw SpecError.at(s.file, line, 1, 'multiline string is not closed with ```');
    if (next.trim() === '```') break;
    lines.push(next);
  }
  const raw = lines.map((l) => `${l}\n`).join('');
  if (lang === 'base64' || lang === 'hex') {
    const compact = raw.replace(/\s+/g, '');
    const ok = lang === 'hex' ? /^([0-9A-Fa-f]{2})*$/.test(compact) : /^[A-Za-z0-9+/]*={0,2}$/.test(compact);
    if (!ok) throw SpecError.at(s.file, line, 1, `invalid ${lang} in multiline string`);
    return { kind: 'bytes', line, bytes: Buffer.from(compact, lang) };
  }
  let text = raw;
  if (attributes.includes('escape')) {
    const scan = new Scan(raw, line, s.file, () => undefined);
    text = readTemplate(scan, () => false, '`')
      .map((p) => ('text' in p ? p.text : `{{${p.expr}}}`))
      .join('');
  }
  const template: Template = attributes.includes('novariable') ? [{ text }] : templateOf(text, line + 1, 1, s.file);
  if (lang === 'graphql') return { kind: 'json', line, template: graphqlBody(template) };
  if (lang === 'json') return { kind: 'json', line, template };
  return { kind: lang === 'xml' ? 'xml' : 'text', line, template };
}

/** A GraphQL query becomes the JSON body `{"query": ..., "variables": ...}` as Hurl sends it. */
function graphqlBody(template: Template): Template {
  const source = template.map((p) => ('text' in p ? p.text : `{{${p.expr}}}`)).join('');
  const m = /\n\s*variables\s*(\{[\s\S]*\})\s*$/.exec(`\n${source}`);
  // Offsets in `source` (the match ran on it with one newline in front).
  const queryEnd = m ? Math.max(0, m.index - 1) : source.length;
  const varsStart = m ? m.index + m[0].lastIndexOf(m[1]!) - 1 : source.length;
  const varsEnd = m ? varsStart + m[1]!.length : source.length;
  const query: Template = [];
  const variables: Template = [];
  let offset = 0;
  for (const part of template) {
    const length = 'text' in part ? part.text.length : `{{${part.expr}}}`.length;
    if ('expr' in part) {
      // Placeholders in the query sit in a JSON string and are escaped for it when rendered.
      if (offset < queryEnd) query.push(part);
      else if (offset >= varsStart && offset < varsEnd) variables.push(part);
    } else {
      const inQuery = part.text.slice(0, Math.max(0, queryEnd - offset));
      if (inQuery) query.push({ text: JSON.stringify(inQuery).slice(1, -1) });
      const from = Math.max(0, varsStart - offset);
      const inVars = part.text.slice(from, Math.max(from, varsEnd - offset));
      if (inVars) variables.push({ text: inVars });
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
function encodedLiteral(s: Scan): Literal {
  const column = s.pos + 1;
  const kind = /^(base64|hex|file),/.exec(s.rest())![1]!;
  s.pos += kind.length + 1;
  s.spaces();
  if (kind === 'file') {
    const path = readTemplate(s, (ch) => ch === ';', ';');
    s.expect(';', "file,path; ends with ';'");
    return { kind: 'file', path };
  }
  const end = s.text.indexOf(';', s.pos);
  if (end < 0) throw s.error(`${kind},...; ends with ';'`, column);
  const data = s.text.slice(s.pos, end).replace(/\s+/g, '');
  const ok = kind === 'hex' ? /^([0-9A-Fa-f]{2})*$/.test(data) : /^[A-Za-z0-9+/]*={0,2}$/.test(data);
  if (!ok) throw s.error(`invalid ${kind} data`, column);
  s.pos = end + 1;
  return { kind: 'bytes', bytes: Buffer.from(data, kind === 'hex' ? 'hex' : 'base64') };
}

function quoted(s: Scan, what: string): Template {
  if (s.peek() !== '"') throw s.error(`${what} needs a "quoted string"`);
  s.pos++;
  const t = readTemplate(s, (ch) => ch === '"', '"');
  s.expect('"', 'string is not closed with "');
  return t;
}

function constantText(t: Template): string | undefined {
  return t.every((p) => 'text' in p) ? t.map((p) => (p as { text: string }).text).join('') : undefined;
}

/** /regex/ (Hurl's regex literal) or "pattern". */
function regexOrTemplate(s: Scan, what: string): RegExp | Template {
  if (s.peek() === '/') return regexLiteral(s);
  const column = s.pos + 1;
  const t = quoted(s, what);
  const text = constantText(t);
  return text === undefined ? t : compileRegex(text, s, column);
}

function regexLiteral(s: Scan): RegExp {
  const column = s.pos + 1;
  s.pos++;
  let pattern = '';
  while (!s.atEnd() && s.peek() !== '/') {
    if (s.peek() === '\\' && s.peek(1) === '/') {
      pattern += '/';
      s.pos += 2;
    } else if (s.peek() === '\\') {
      pattern += s.peek() + s.peek(1);
      s.pos += 2;
    } else {
      pattern += s.peek();
      s.pos++;
    }
  }
  if (s.peek() !== '/') throw s.error('regex is not closed with /', column);
  s.pos++;
  return compileRegex(pattern, s, column);
}

/** Hurl's regexes are Rust's: leading inline flags like (?i) become JavaScript flags. */
export function compileRegex(
  pattern: string,
  s: { error(problem: string, column?: number): SpecError } | undefined,
  column: number,
): RegExp {
  let body = pattern;
  let flags = 'u';
  const m = /^\(\?([imsx]+)\)/.exec(body);
  if (m) {
    if (m[1]!.includes('x')) {
      if (s) throw s.error('regex flag (?x) is unsupported', column);
      throw new Error('regex flag (?x) is unsupported');
    }
    flags += m[1];
    body = body.slice(m[0].length);
  }
  try {
    return new RegExp(body, flags);
  } catch (error) {
    try {
      return new RegExp(body, flags.replace('u', ''));
    } catch {
      const problem = `invalid regex /${pattern}/: ${(error as Error).message}`;
      if (s) throw s.error(problem, column);
      throw new Error(problem);
    }
  }
}

function parseQuery(s: Scan): Query {
  s.spaces();
  const column = s.pos + 1;
  const w = s.takeWord();
  if (w && SIMPLE_QUERIES.includes(w)) return { kind: w as 'status' };
  const arg = () => {
    s.space(`after '${w}'`);
    return quoted(s, w!);
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
        if (!attrs.includes(m[2]!))
          throw s.error(`unknown cookie attribute '${m[2]}'; one of ${attrs.join(', ')}`, column);
        return { kind: 'cookie', name: [{ text: m[1]! }], attribute: m[2] };
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
      if (!(CERT_FIELDS as readonly string[]).includes(field)) {
        throw s.error(`certificate field '${field}' is not one of ${CERT_FIELDS.join(', ')}`, column);
      }
      return { kind: 'certificate', field: field as CertificateField };
    }
    case 'regex':
      s.space("after 'regex'");
      return { kind: 'regex', pattern: regexOrTemplate(s, 'regex') };
    case 'variable':
      return { kind: 'variable', name: arg() };
    default:
      throw s.error(
        `unknown query '${w ?? s.rest().split(/\s/)[0]}'; Hurl's queries: ${[...SIMPLE_QUERIES, 'header', 'cookie', 'jsonpath', 'xpath', 'certificate', 'regex', 'variable'].join(', ')}`,
        column,
      );
  }
}

function isFilterWord(w: string | undefined): boolean {
  return (
    !!w &&
    (SIMPLE_FILTERS.has(w) ||
      ONE_ARG_FILTERS.has(w) ||
      ['nth', 'regex', 'jsonpath', 'xpath', 'replace', 'replaceRegex'].includes(w))
  );
}

function parseFilters(s: Scan): Filter[] {
  const filters: Filter[] = [];
  for (;;) {
    const save = s.pos;
    if (!s.spaces()) return filters;
    const column = s.pos + 1;
    const w = s.word();
    if (!isFilterWord(w)) {
      s.pos = save;
      return filters;
    }
    s.pos += w!.length;
    const arg = () => {
      s.space(`after '${w}'`);
      return quoted(s, w!);
    };
    if (SIMPLE_FILTERS.has(w!)) filters.push({ kind: w as 'count', column });
    else if (w === 'nth') {
      s.space("after 'nth'");
      const m = /^-?\d+/.exec(s.rest());
      if (!m) throw s.error('nth needs a whole number');
      s.pos += m[0].length;
      filters.push({ kind: 'nth', index: BigInt(m[0]), column });
    } else if (w === 'regex') {
      s.space("after 'regex'");
      filters.push({ kind: 'regex', pattern: regexOrTemplate(s, 'regex'), column });
    } else if (w === 'jsonpath' || w === 'xpath') filters.push({ kind: w, expr: arg(), column });
    else if (w === 'replace' || w === 'replaceRegex') {
      s.space(`after '${w}'`);
      if (w === 'replaceRegex' || s.peek() === '/') {
        const pattern = regexOrTemplate(s, w);
        const replacement = arg();
        filters.push({ kind: 'replaceRegex', pattern, replacement, column });
      } else {
        const old = quoted(s, w);
        filters.push({ kind: 'replace', old, replacement: arg(), column });
      }
    } else if (w === 'split') filters.push({ kind: 'split', separator: arg(), column });
    else filters.push({ kind: (FILTER_ALIASES[w!] ?? w) as 'toDate', arg: arg(), column });
  }
}

function parseLiteral(s: Scan): Literal {
  const rest = s.rest();
  if (rest.startsWith('"')) return { kind: 'string', template: quoted(s, 'value') };
  if (rest.startsWith('```')) {
    const body = multiline(s, s.line);
    if (body.kind === 'bytes') return { kind: 'bytes', bytes: body.bytes };
    if (body.kind === 'file') return { kind: 'file', path: body.path };
    return { kind: 'string', template: body.template };
  }
  if (rest.startsWith('`')) {
    s.pos++;
    const template = readTemplate(s, (ch) => ch === '`', '`');
    s.expect('`', 'a one-line string is closed with `');
    return { kind: 'string', template };
  }
  if (rest.startsWith('/')) return { kind: 'regex', pattern: regexLiteral(s) };
  if (/^(base64|hex|file),/.test(rest)) return encodedLiteral(s);
  if (rest.startsWith('{{')) {
    const p = placeholder(s);
    return { kind: 'placeholder', template: [p] };
  }
  const num = /^-?\d+(\.\d+)?([eE][+-]?\d+)?(?![\w.])/.exec(rest);
  if (num) {
    s.pos += num[0].length;
    if (num[1] || num[2]) return { kind: 'float', value: Number(num[0]) };
    return { kind: 'integer', value: BigInt(num[0]) };
  }
  const w = /^(true|false|null|NaN|Infinity|-Infinity)\b/.exec(rest);
  if (w) {
    s.pos += w[0].length;
    if (w[1] === 'null') return { kind: 'null' };
    if (w[1] === 'true' || w[1] === 'false') return { kind: 'boolean', value: w[1] === 'true' };
    return { kind: 'float', value: Number(w[1]) };
  }
  throw s.error(
    `expected a value ("string", number, true, false, null, /regex/, hex,...;, base64,...; or {{variable}}), got '${rest.split(/\s/)[0] ?? ''}'`,
  );
}

function parsePredicate(s: Scan): Predicate {
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
    throw s.error(
      `unknown predicate '${w ?? s.rest().trim().split(/\s/)[0] ?? ''}'; Hurl's predicates: ${Object.keys(PREDICATE_WORDS).join(', ')} (optionally after not)`,
      column,
    );
  }
  if (UNARY.has(op)) return { not, op };
  s.space(`after '${w}'`);
  const valueColumn = s.pos + 1;
  const value = parseLiteral(s);
  if (op === 'matches' && value.kind === 'string') {
    const text = constantText(value.template);
    if (text !== undefined) return { not, op, value: { kind: 'regex', pattern: compileRegex(text, s, valueColumn) } };
  }
  if (op === 'matches' && value.kind !== 'regex' && value.kind !== 'string' && value.kind !== 'placeholder') {
    throw s.error('matches needs a "pattern" or /pattern/', valueColumn);
  }
  if (['>', '>=', '<', '<='].includes(op) && ['regex', 'bytes', 'file', 'null', 'boolean'].includes(value.kind)) {
    throw s.error(`${w} needs a number, a string or a date`, valueColumn);
  }
  return { not, op, value };
}

function parseAssert(s: Scan): Assert {
  const source = s.text.trim().replace(/\s+#.*$/, '');
  const query = parseQuery(s);
  const filters = parseFilters(s);
  if (!s.spaces() && !s.atEnd()) throw s.error('expected a space before the predicate');
  if (s.atEnd() || s.peek() === '#') throw s.error('missing predicate (e.g. == "value", exists, contains "text")');
  const predicate = parsePredicate(s);
  s.endOfLine();
  return { line: s.line, source, query, filters, predicate };
}

function parseCapture(s: Scan): Capture {
  const source = s.text.trim().replace(/\s+#.*$/, '');
  s.spaces();
  const name = constantText(readKey(s));
  if (!name) throw s.error(`expected 'name: query', got '${s.text.trim()}'`);
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
